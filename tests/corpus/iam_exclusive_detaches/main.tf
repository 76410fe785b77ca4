# Exclusive attachment management (hashicorp/aws >= 5.66): the role's managed policies are exactly
# the list below. The AWSGlueServiceRole attachment added beside it by another team is detached.
data "aws_region" "current" {}

resource "aws_vpc" "lake" {
  cidr_block           = "10.41.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.lake.id
  cidr_block        = "10.41.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.lake.id
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.lake.id
  service_name    = "com.amazonaws.${data.aws_region.current.name}.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_security_group" "glue" {
  name   = "iam-exclusive-detaches-glue"
  vpc_id = aws_vpc.lake.id
}

resource "aws_vpc_security_group_ingress_rule" "self" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.glue.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "data_access" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "glue" {
  name               = "iam-exclusive-detaches-glue"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_policy" "data_access" {
  name   = "iam-exclusive-detaches-data"
  policy = data.aws_iam_policy_document.data_access.json
}

resource "aws_iam_role_policy_attachment" "glue_service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_iam_role_policy_attachments_exclusive" "glue" {
  role_name   = aws_iam_role.glue.name
  policy_arns = [aws_iam_policy.data_access.arn]
}

resource "aws_glue_connection" "a" {
  name            = "iam-exclusive-detaches-a"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.private_a.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_subnet.private_a.availability_zone
  }
}

resource "aws_glue_job" "ingest" {
  name              = "iam-exclusive-detaches-ingest"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  connections       = [aws_glue_connection.a.name]
  command {
    script_location = "s3://iam-exclusive-detaches/ingest.py"
  }
}

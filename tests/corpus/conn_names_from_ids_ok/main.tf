# The same naming habit (names from subnet ids, known only after apply), with a correct network:
# an S3 gateway endpoint on the route table, a self-referencing group, all egress.
resource "aws_vpc" "analytics" {
  cidr_block           = "10.44.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.analytics.id
  cidr_block        = "10.44.0.0/20"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.analytics.id
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}

data "aws_region" "current" {}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.analytics.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.a.id]
}

resource "aws_vpc_security_group_ingress_rule" "self" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "-1"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.glue.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_security_group" "glue" {
  name        = "conn-names-from-ids-ok-glue"
  description = "Glue jobs"
  vpc_id      = aws_vpc.analytics.id
}

resource "aws_glue_connection" "a" {
  name            = "net-${aws_subnet.a.id}"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.a.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_subnet.a.availability_zone
  }
}

resource "aws_iam_role" "glue" {
  name                = "conn-names-from-ids-ok-glue"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_job" "sessionize" {
  name              = "conn-names-from-ids-ok-sessionize"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  connections       = [aws_glue_connection.a.name]
  command {
    script_location = "s3://conn-names-from-ids-ok/sessionize.py"
  }
}

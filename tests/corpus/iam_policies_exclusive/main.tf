# Inline policies managed exclusively (aws_iam_role_policies_exclusive): the role's inline policies
# are exactly the named ones, here the one that grants the network-interface actions.
data "aws_region" "current" {}

resource "aws_vpc" "this" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "glue" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.42.8.0/22"
  availability_zone = "us-east-1b"
}

resource "aws_route_table" "glue" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "glue" {
  subnet_id      = aws_subnet.glue.id
  route_table_id = aws_route_table.glue.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
}

resource "aws_vpc_endpoint_route_table_association" "s3" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.glue.id
}

resource "aws_security_group" "glue" {
  name   = "iam-policies-exclusive-glue"
  vpc_id = aws_vpc.this.id
}

resource "aws_security_group_rule" "self_in" {
  type              = "ingress"
  security_group_id = aws_security_group.glue.id
  self              = true
  protocol          = "tcp"
  from_port         = 0
  to_port           = 65535
}

resource "aws_security_group_rule" "all_out" {
  type              = "egress"
  security_group_id = aws_security_group.glue.id
  cidr_blocks       = ["0.0.0.0/0"]
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
}

resource "aws_iam_role" "glue" {
  name = "iam-policies-exclusive-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "network" {
  statement {
    sid = "GlueEnis"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:CreateTags",
      "ec2:DeleteTags",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeRouteTables",
      "ec2:DescribeVpcAttribute",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "network" {
  name   = "glue-network"
  role   = aws_iam_role.glue.id
  policy = data.aws_iam_policy_document.network.json
}

resource "aws_iam_role_policies_exclusive" "glue" {
  role_name    = aws_iam_role.glue.name
  policy_names = [aws_iam_role_policy.network.name]
}

resource "aws_glue_connection" "b" {
  name            = "iam-policies-exclusive-b"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.glue.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = "us-east-1b"
  }
}

resource "aws_glue_job" "report" {
  name              = "iam-policies-exclusive-report"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 3
  connections       = [aws_glue_connection.b.name]
  command {
    script_location = "s3://iam-policies-exclusive/report.py"
  }
}

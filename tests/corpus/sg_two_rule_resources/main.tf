# Rules for one group in both separate-resource styles: the old aws_security_group_rule for the
# self ingress, the newer aws_vpc_security_group_egress_rule for egress.
data "aws_region" "current" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.51.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.51.0.0/20"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_iam_role" "glue" {
  name                = "sg-two-rule-resources-glue"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_connection" "private" {
  name            = "sg-two-rule-resources-private"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.private.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_subnet.private.availability_zone
  }
}

resource "aws_glue_job" "main" {
  name              = "sg-two-rule-resources-job"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  connections       = [aws_glue_connection.private.name]
  command {
    script_location = "s3://sg-two-rule-resources/job.py"
  }
}

resource "aws_security_group" "glue" {
  name   = "glue-two-rule-resources-glue"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "self" {
  type              = "ingress"
  security_group_id = aws_security_group.glue.id
  self              = true
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.glue.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

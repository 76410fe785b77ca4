# A working VPC job, and beside it a connection left over from an earlier design: no job lists it,
# it names no zone, and its group has no rule.
data "aws_region" "current" {}

resource "aws_vpc" "etl" {
  cidr_block           = "10.46.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "etl" {
  vpc_id            = aws_vpc.etl.id
  cidr_block        = "10.46.0.0/22"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "etl" {
  vpc_id = aws_vpc.etl.id
}

resource "aws_route_table_association" "etl" {
  subnet_id      = aws_subnet.etl.id
  route_table_id = aws_route_table.etl.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.etl.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.etl.id]
}

resource "aws_security_group" "glue" {
  name   = "unattached-broken-conn-glue"
  vpc_id = aws_vpc.etl.id
  ingress {
    from_port = 0
    to_port   = 65535
    protocol  = "tcp"
    self      = true
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "legacy" {
  name   = "unattached-broken-conn-legacy"
  vpc_id = aws_vpc.etl.id
}

resource "aws_glue_connection" "etl" {
  name            = "unattached-broken-conn-etl"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.etl.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_subnet.etl.availability_zone
  }
}

resource "aws_glue_connection" "legacy" {
  name            = "unattached-broken-conn-legacy"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.etl.id
    security_group_id_list = [aws_security_group.legacy.id]
  }
}

resource "aws_iam_role" "glue" {
  name                = "unattached-broken-conn-glue"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_job" "load" {
  name              = "unattached-broken-conn-load"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  connections       = [aws_glue_connection.etl.name]
  command {
    script_location = "s3://unattached-broken-conn/load.py"
  }
}

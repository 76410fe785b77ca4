# The same CodeArtifact index, without its interface endpoint and without NAT.
data "aws_region" "current" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.49.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.49.0.0/20"
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
  name                = "pypi-codeartifact-no-endpoint-glue"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_connection" "private" {
  name            = "pypi-codeartifact-no-endpoint-private"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.private.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_subnet.private.availability_zone
  }
}

resource "aws_security_group" "glue" {
  name   = "pypi-codeartifact-no-endpoint-glue"
  vpc_id = aws_vpc.main.id
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

resource "aws_glue_job" "features" {
  name              = "pypi-codeartifact-no-endpoint-features"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  connections       = [aws_glue_connection.private.name]
  command {
    script_location = "s3://pypi-codeartifact-no-endpoint/features.py"
  }
  default_arguments = {
    "--additional-python-modules"       = "scikit-learn==1.5.2"
    "--python-modules-installer-option" = "--index-url https://acme-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/ml/simple/"
  }
}

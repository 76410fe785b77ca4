# Fully private: no internet gateway, no NAT. Everything AWS goes through endpoints.
data "aws_region" "current" {}

locals {
  interface_services = ["kms", "glue", "monitoring", "logs", "sts", "secretsmanager"]
}

resource "aws_vpc" "private" {
  cidr_block           = "10.39.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each = {
    "us-east-1a" = "10.39.0.0/19"
    "us-east-1b" = "10.39.32.0/19"
  }

  vpc_id            = aws_vpc.private.id
  cidr_block        = each.value
  availability_zone = each.key
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.private.id
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.private.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.private.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "endpoints" {
  name        = "endpoints-only-vpce"
  description = "HTTPS from inside the VPC to the interface endpoints"
  vpc_id      = aws_vpc.private.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.private.cidr_block]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(local.interface_services)

  vpc_id              = aws_vpc.private.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for s in aws_subnet.private : s.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_security_group" "glue" {
  name   = "endpoints-only-glue"
  vpc_id = aws_vpc.private.id

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

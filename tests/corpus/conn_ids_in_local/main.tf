# One connection per zone, and a local that collects them for the jobs -- with .id, which is
# CATALOG_ID:NAME: Glue matches names, so nothing is attached. The plan JSON keeps no locals.
data "aws_region" "current" {}

locals {
  zones            = { a = "us-east-1a", b = "us-east-1b" }
  glue_connections = [for c in aws_glue_connection.zone : c.id]
}

resource "aws_vpc" "main" {
  cidr_block           = "10.55.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "zone" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.key == "a" ? "10.55.0.0/20" : "10.55.16.0/20"
  availability_zone = each.value
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "zone" {
  for_each       = aws_subnet.zone
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "glue" {
  name   = "conn-ids-in-local-glue"
  vpc_id = aws_vpc.main.id
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

resource "aws_glue_connection" "zone" {
  for_each        = aws_subnet.zone
  name            = "conn-ids-in-local-${each.key}"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = each.value.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = each.value.availability_zone
  }
}

resource "aws_iam_role" "glue" {
  name                = "conn-ids-in-local-glue"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_job" "nightly" {
  name              = "conn-ids-in-local-nightly"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  connections       = local.glue_connections
  command {
    script_location = "s3://conn-ids-in-local/nightly.py"
  }
}

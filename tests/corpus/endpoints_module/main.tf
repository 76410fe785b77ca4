# Interface endpoints from a module that creates one per service with for_each (the shape of
# terraform-aws-modules/vpc//modules/vpc-endpoints), for a job whose security configuration uses KMS.
locals {
  zones = ["us-east-1a", "us-east-1b"]
}

resource "aws_vpc" "vpc" {
  cidr_block           = "10.45.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.vpc.id
  cidr_block        = cidrsubnet(aws_vpc.vpc.cidr_block, 4, count.index)
  availability_zone = local.zones[count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.vpc.id
}

resource "aws_route_table_association" "private" {
  count          = length(local.zones)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "glue" {
  name   = "endpoints-module-glue"
  vpc_id = aws_vpc.vpc.id
}

resource "aws_vpc_security_group_ingress_rule" "glue_self" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
}

resource "aws_vpc_security_group_egress_rule" "glue_all" {
  security_group_id = aws_security_group.glue.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

module "endpoints" {
  source = "./modules/vpc_endpoints"

  vpc_id                  = aws_vpc.vpc.id
  subnet_ids              = aws_subnet.private[*].id
  route_table_ids         = [aws_route_table.private.id]
  allowed_security_groups = { glue = aws_security_group.glue.id }
}

resource "aws_kms_key" "glue" {
  description = "endpoints-module glue"
}

resource "aws_glue_security_configuration" "this" {
  name = "endpoints-module"
  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "DISABLED"
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.glue.arn
    }
  }
}

resource "aws_glue_connection" "private" {
  count           = length(local.zones)
  name            = "endpoints-module-${local.zones[count.index]}"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.private[count.index].id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_subnet.private[count.index].availability_zone
  }
}

resource "aws_iam_role" "glue" {
  name                = "endpoints-module-glue"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_job" "enrich" {
  name                   = "endpoints-module-enrich"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "5.0"
  worker_type            = "G.1X"
  number_of_workers      = 4
  security_configuration = aws_glue_security_configuration.this.name
  connections            = aws_glue_connection.private[*].name
  command {
    script_location = "s3://endpoints-module/enrich.py"
  }
}

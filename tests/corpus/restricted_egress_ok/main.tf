# Locked-down egress: the Glue group may only talk to itself, to S3 over the
# gateway endpoint and to the KMS endpoint. Nothing else leaves the subnet.

resource "aws_vpc" "this" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "glue" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.8.0/21"
  availability_zone = "us-east-1c"
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
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.glue.id]
}

resource "aws_security_group" "glue" {
  name        = "restricted-egress-ok-glue"
  description = "Glue jobs"
  vpc_id      = aws_vpc.this.id
}

resource "aws_security_group" "kms_endpoint" {
  name        = "restricted-egress-ok-kms"
  description = "KMS interface endpoint"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "glue_self" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
  description                  = "Spark driver <-> executors"
}

resource "aws_vpc_security_group_egress_rule" "glue_self" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
  description                  = "Spark driver <-> executors"
}

resource "aws_vpc_security_group_egress_rule" "glue_s3" {
  security_group_id = aws_security_group.glue.id
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "S3 over the gateway endpoint"
}

resource "aws_vpc_security_group_egress_rule" "glue_kms" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.kms_endpoint.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "KMS endpoint"
}

resource "aws_vpc_security_group_ingress_rule" "kms_from_glue" {
  security_group_id            = aws_security_group.kms_endpoint.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_endpoint" "kms" {
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.us-east-1.kms"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.glue.id]
  security_group_ids  = [aws_security_group.kms_endpoint.id]
}

resource "aws_kms_key" "glue" {
  description = "restricted-egress-ok"
}

resource "aws_glue_security_configuration" "glue" {
  name = "restricted-egress-ok"
  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.glue.arn
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.glue.arn
    }
  }
}

resource "aws_glue_connection" "glue" {
  name            = "restricted-egress-ok"
  connection_type = "NETWORK"
  physical_connection_requirements {
    availability_zone      = aws_subnet.glue.availability_zone
    subnet_id              = aws_subnet.glue.id
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_iam_role" "glue" {
  name                = "restricted-egress-ok"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_job" "payments" {
  name                   = "restricted-egress-ok-payments"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 10
  connections            = [aws_glue_connection.glue.name]
  security_configuration = aws_glue_security_configuration.glue.name
  command {
    script_location = "s3://restricted-egress-ok-code/payments.py"
  }
}

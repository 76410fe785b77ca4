data "aws_region" "current" {}

resource "aws_vpc" "this" {
  cidr_block           = "10.33.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true
}

resource "aws_subnet" "db" {
  for_each = {
    a = { cidr = "10.33.1.0/24", az = "us-east-1a" }
    b = { cidr = "10.33.2.0/24", az = "us-east-1b" }
  }

  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "db" {
  for_each = aws_subnet.db

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

# S3 only: the data lake is reached over the gateway endpoint, nothing else leaves the VPC.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "glue" {
  name   = "jdbc-secret-no-route-glue"
  vpc_id = aws_vpc.this.id
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

resource "aws_security_group" "db" {
  name   = "jdbc-secret-no-route-db"
  vpc_id = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_glue" {
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

resource "aws_db_subnet_group" "this" {
  name       = "jdbc-secret-no-route"
  subnet_ids = [for s in aws_subnet.db : s.id]
}

resource "aws_db_instance" "crm" {
  identifier                  = "jdbc-secret-no-route-crm"
  engine                      = "mysql"
  engine_version              = "8.0"
  instance_class              = "db.t3.small"
  allocated_storage           = 20
  db_name                     = "crm"
  username                    = "admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.this.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  skip_final_snapshot         = true
}

resource "aws_secretsmanager_secret" "crm" {
  name        = "jdbc-secret-no-route-crm"
  description = "Glue credentials for the CRM database"
}

resource "aws_glue_connection" "crm" {
  name            = "jdbc-secret-no-route-crm"
  connection_type = "JDBC"

  connection_properties = {
    JDBC_CONNECTION_URL = "jdbc:mysql://crm.internal.example:3306/crm"
    SECRET_ID           = aws_secretsmanager_secret.crm.name
  }

  physical_connection_requirements {
    availability_zone      = aws_subnet.db["a"].availability_zone
    security_group_id_list = [aws_security_group.glue.id]
    subnet_id              = aws_subnet.db["a"].id
  }
}

resource "aws_iam_role" "glue" {
  name = "jdbc-secret-no-route-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_iam_role_policy" "secret" {
  name = "jdbc-secret-no-route-read-crm-secret"
  role = aws_iam_role.glue.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:jdbc-secret-no-route-crm-*"
    }]
  })
}

resource "aws_glue_job" "crm_sync" {
  name              = "jdbc-secret-no-route-crm-sync"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 3
  connections       = [aws_glue_connection.crm.name]

  command {
    script_location = "s3://jdbc-secret-no-route-code/crm_sync.py"
  }
}

resource "aws_security_group" "etl" {
  name        = "existing-vpc-ids-etl"
  description = "Glue ETL in the shared VPC"
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "etl_self" {
  type              = "ingress"
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  self              = true
  security_group_id = aws_security_group.etl.id
}

resource "aws_security_group_rule" "etl_out" {
  type              = "egress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.etl.id
}

resource "aws_glue_connection" "shared_vpc" {
  name            = "existing-vpc-ids-shared"
  connection_type = "NETWORK"

  physical_connection_requirements {
    subnet_id              = var.glue_subnet_id
    availability_zone      = var.glue_subnet_az
    security_group_id_list = [aws_security_group.etl.id]
  }
}

resource "aws_glue_job" "ledger" {
  name              = "existing-vpc-ids-ledger"
  role_arn          = var.glue_role_arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 4
  connections       = [aws_glue_connection.shared_vpc.name]

  command {
    script_location = "s3://existing-vpc-ids-code/ledger.py"
  }
}

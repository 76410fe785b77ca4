# Two jobs in one small subnet. Someone added a capacity precondition to the
# backfill job; it fails, so `terraform plan` errors -- after planning the rest.

variable "backfill_workers" {
  type    = number
  default = 60
}

resource "aws_vpc" "main" {
  cidr_block           = "10.49.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "glue" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.49.0.0/26"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "glue" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "glue" {
  subnet_id      = aws_subnet.glue.id
  route_table_id = aws_route_table.glue.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.glue.id]
}

resource "aws_security_group" "glue" {
  name   = "errored-plan-glue"
  vpc_id = aws_vpc.main.id

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

resource "aws_glue_connection" "glue" {
  name            = "errored-plan-glue"
  connection_type = "NETWORK"

  physical_connection_requirements {
    availability_zone      = aws_subnet.glue.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
    subnet_id              = aws_subnet.glue.id
  }
}

resource "aws_iam_role" "glue" {
  name = "errored-plan-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "daily" {
  name              = "errored-plan-daily"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 10
  connections       = [aws_glue_connection.glue.name]

  command {
    script_location = "s3://errored-plan-code/daily.py"
  }
}

resource "aws_glue_job" "backfill" {
  name              = "errored-plan-backfill"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = var.backfill_workers
  connections       = [aws_glue_connection.glue.name]

  command {
    script_location = "s3://errored-plan-code/backfill.py"
  }

  lifecycle {
    precondition {
      condition     = var.backfill_workers + 1 < 59
      error_message = "The backfill needs ${var.backfill_workers + 1} addresses; ${aws_subnet.glue.cidr_block} has 59."
    }
  }
}

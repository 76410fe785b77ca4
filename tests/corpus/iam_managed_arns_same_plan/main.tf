# A role that gets its permissions from a customer managed policy created in the same plan,
# attached the pre-5.x way: managed_policy_arns on the role (deprecated, still everywhere).
data "aws_region" "current" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.1.0/24"
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

resource "aws_security_group" "glue" {
  name_prefix = "iam-managed-arns-"
  vpc_id      = aws_vpc.main.id

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

resource "aws_iam_policy" "glue_network" {
  name = "iam-managed-arns-glue-network"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ec2:*"], Resource = "*" },
      { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "glue" {
  name = "iam-managed-arns-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
  managed_policy_arns = [aws_iam_policy.glue_network.arn]
}

resource "aws_glue_connection" "vpc" {
  name            = "iam-managed-arns-vpc"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.private.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_subnet.private.availability_zone
  }
}

resource "aws_glue_job" "etl" {
  name              = "iam-managed-arns-etl"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 4
  connections       = [aws_glue_connection.vpc.name]
  command {
    script_location = "s3://iam-managed-arns-scripts/etl.py"
  }
}

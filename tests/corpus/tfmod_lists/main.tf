locals {
  name = "tfmod-lists"
  tags = {
    Project     = "orders-etl"
    Environment = "dev"
  }
}

module "vpc" {
  source = "./modules/vpc"

  name = local.name
  cidr = "10.31.0.0/16"

  azs             = ["us-east-1a", "us-east-1b", "us-east-1c"]
  private_subnets = ["10.31.1.0/24", "10.31.2.0/24", "10.31.3.0/24"]
  public_subnets  = ["10.31.101.0/24", "10.31.102.0/24", "10.31.103.0/24"]

  enable_nat_gateway   = true
  single_nat_gateway   = true
  enable_dns_hostnames = true

  tags = local.tags
}

resource "aws_security_group" "glue" {
  name        = "${local.name}-glue"
  description = "Glue ETL workers"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description = "Glue workers talk to each other"
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    self        = true
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}

resource "aws_glue_connection" "vpc" {
  name            = "${local.name}-vpc"
  connection_type = "NETWORK"

  physical_connection_requirements {
    availability_zone      = module.vpc.azs[0]
    security_group_id_list = [aws_security_group.glue.id]
    subnet_id              = module.vpc.private_subnets[0]
  }
}

resource "aws_iam_role" "glue" {
  name = "${local.name}-glue-role"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "glue.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "glue_service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "orders" {
  name              = "${local.name}-orders"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 10
  connections       = [aws_glue_connection.vpc.name]

  command {
    script_location = "s3://tfmod-lists-artifacts/scripts/orders.py"
    python_version  = "3"
  }

  default_arguments = {
    "--job-language"        = "python"
    "--enable-metrics"      = "true"
    "--job-bookmark-option" = "job-bookmark-enable"
  }

  tags = local.tags
}

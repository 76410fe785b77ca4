locals {
  prefix = "count-module-output"
  zones  = ["us-east-1a", "us-east-1b"]
}

resource "aws_vpc" "main" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.42.${count.index}.0/24"
  availability_zone = local.zones[count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

module "glue_network" {
  source = "./modules/glue_network"

  name   = local.prefix
  vpc_id = aws_vpc.main.id
  subnets = [for s in aws_subnet.private : {
    id                = s.id
    availability_zone = s.availability_zone
  }]
}

resource "aws_iam_role" "glue" {
  name = "${local.prefix}-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "stage" {
  for_each = {
    ingest    = "ingest.py"
    transform = "transform.py"
  }

  name              = "${local.prefix}-${each.key}"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 5
  connections       = module.glue_network.connection_names

  command {
    script_location = "s3://count-module-output-code/${each.value}"
  }
}

variable "glue_subnets" {
  description = "Subnets Glue runs in. app-b was meant for us-east-1b."
  type = map(object({
    cidr = string
    az   = string
  }))
  default = {
    app-a  = { cidr = "10.43.1.0/24", az = "us-east-1a" }
    app-b  = { cidr = "10.43.2.0/24", az = "us-east-1a" }
    data-c = { cidr = "10.43.3.0/24", az = "us-east-1c" }
  }
}

resource "aws_vpc" "vpc" {
  cidr_block           = "10.43.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true
}

resource "aws_subnet" "glue" {
  for_each          = var.glue_subnets
  vpc_id            = aws_vpc.vpc.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  tags              = { Name = "foreach-same-az-${each.key}" }
}

resource "aws_route_table" "glue" {
  vpc_id = aws_vpc.vpc.id
}

resource "aws_route_table_association" "glue" {
  for_each       = aws_subnet.glue
  subnet_id      = each.value.id
  route_table_id = aws_route_table.glue.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.vpc.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.glue.id]
}

resource "aws_security_group" "glue" {
  name   = "foreach-same-az-glue"
  vpc_id = aws_vpc.vpc.id

  ingress {
    description = "self"
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
}

resource "aws_glue_connection" "glue" {
  for_each        = aws_subnet.glue
  name            = "foreach-same-az-${each.key}"
  connection_type = "NETWORK"

  physical_connection_requirements {
    subnet_id              = each.value.id
    availability_zone      = each.value.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_iam_role" "glue" {
  name = "foreach-same-az-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "events" {
  name              = "foreach-same-az-events"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 10
  connections       = [for k in sort(keys(aws_glue_connection.glue)) : aws_glue_connection.glue[k].name]

  command {
    script_location = "s3://foreach-same-az-code/events.py"
  }
}

resource "aws_vpc" "lake" {
  cidr_block           = "10.45.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "lake" {
  vpc_id            = aws_vpc.lake.id
  cidr_block        = "10.45.0.0/20"
  availability_zone = "us-east-1d"
}

resource "aws_route_table" "lake" {
  vpc_id = aws_vpc.lake.id
}

resource "aws_route_table_association" "lake" {
  subnet_id      = aws_subnet.lake.id
  route_table_id = aws_route_table.lake.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.lake.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.lake.id]
}

resource "aws_security_group" "glue" {
  name   = "pypi-no-nat-glue"
  vpc_id = aws_vpc.lake.id

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

resource "aws_glue_connection" "lake" {
  name            = "pypi-no-nat-lake"
  connection_type = "NETWORK"

  physical_connection_requirements {
    availability_zone      = "us-east-1d"
    security_group_id_list = [aws_security_group.glue.id]
    subnet_id              = aws_subnet.lake.id
  }
}

resource "aws_iam_role" "glue" {
  name = "pypi-no-nat-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

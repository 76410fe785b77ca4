# Two teams share one VPC. Team A (billing) and team B (reporting) each own their
# subnets and Glue connections; nothing is shared between the two pipelines.

resource "aws_vpc" "shared" {
  cidr_block           = "10.35.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "billing_a" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = "10.35.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "billing_b" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = "10.35.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_subnet" "reporting_c" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = "10.35.9.0/28"
  availability_zone = "us-east-1c"
}

resource "aws_subnet" "spare" {
  vpc_id            = aws_vpc.shared.id
  cidr_block        = "10.35.20.0/24"
  availability_zone = "us-east-1d"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.shared.id
}

resource "aws_route_table_association" "billing_a" {
  subnet_id      = aws_subnet.billing_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "billing_b" {
  subnet_id      = aws_subnet.billing_b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "reporting_c" {
  subnet_id      = aws_subnet.reporting_c.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.shared.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "glue" {
  name   = "two-pipelines-glue"
  vpc_id = aws_vpc.shared.id

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

resource "aws_iam_role" "glue" {
  name = "two-pipelines-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

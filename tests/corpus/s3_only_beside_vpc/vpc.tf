resource "aws_vpc" "analytics" {
  cidr_block           = "10.34.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.analytics.id
  cidr_block        = "10.34.0.0/20"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.analytics.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.analytics.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_security_group" "glue" {
  name   = "s3-only-beside-vpc-glue"
  vpc_id = aws_vpc.analytics.id

  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_glue_connection" "warehouse" {
  name            = "s3-only-beside-vpc-warehouse"
  connection_type = "NETWORK"

  physical_connection_requirements {
    subnet_id              = aws_subnet.private.id
    availability_zone      = aws_subnet.private.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
  }
}

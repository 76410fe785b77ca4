resource "aws_vpc" "etl" {
  cidr_block           = "10.37.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "etl" {
  vpc_id            = aws_vpc.etl.id
  cidr_block        = "10.37.0.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_route_table" "etl" {
  vpc_id = aws_vpc.etl.id
}

resource "aws_route_table_association" "etl" {
  subnet_id      = aws_subnet.etl.id
  route_table_id = aws_route_table.etl.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.etl.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
}

resource "aws_vpc_endpoint_route_table_association" "s3" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.etl.id
}

resource "aws_security_group" "glue" {
  name   = "iam-doc-no-vpc-attr-glue"
  vpc_id = aws_vpc.etl.id
}

resource "aws_security_group_rule" "glue_self_in" {
  type              = "ingress"
  security_group_id = aws_security_group.glue.id
  self              = true
  protocol          = "tcp"
  from_port         = 0
  to_port           = 65535
}

resource "aws_security_group_rule" "glue_all_out" {
  type              = "egress"
  security_group_id = aws_security_group.glue.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_glue_connection" "etl" {
  name            = "iam-doc-no-vpc-attr-etl"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.etl.id
    availability_zone      = aws_subnet.etl.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
  }
}

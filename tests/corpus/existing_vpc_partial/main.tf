# The platform team owns the VPC and its subnets; this stack only adds a route table for one of
# their subnets, the S3 gateway endpoint on it, and the Glue pieces. The subnet is not in the plan,
# but its route table association is.
variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f60718"
}

variable "glue_subnet_id" {
  type    = string
  default = "subnet-0aa11bb22cc33dd44"
}

variable "glue_role_arn" {
  type    = string
  default = "arn:aws:iam::111122223333:role/platform-glue"
}

data "aws_region" "current" {}

resource "aws_route_table" "glue" {
  vpc_id = var.vpc_id
  tags   = { Name = "glue-private" }
}

resource "aws_route_table_association" "glue" {
  subnet_id      = var.glue_subnet_id
  route_table_id = aws_route_table.glue.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.glue.id]
}

resource "aws_security_group" "glue" {
  name   = "existing-vpc-partial-glue"
  vpc_id = var.vpc_id
}

resource "aws_security_group_rule" "self" {
  type                     = "ingress"
  security_group_id        = aws_security_group.glue.id
  source_security_group_id = aws_security_group.glue.id
  protocol                 = "tcp"
  from_port                = 0
  to_port                  = 65535
}

resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.glue.id
  cidr_blocks       = ["0.0.0.0/0"]
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
}

resource "aws_glue_connection" "platform" {
  name            = "existing-vpc-partial-platform"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = var.glue_subnet_id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = "us-east-1c"
  }
}

resource "aws_glue_job" "billing" {
  name              = "existing-vpc-partial-billing"
  role_arn          = var.glue_role_arn
  glue_version      = "5.0"
  worker_type       = "G.2X"
  number_of_workers = 5
  connections       = [aws_glue_connection.platform.name]
  command {
    script_location = "s3://existing-vpc-partial/billing.py"
  }
}

# The account's default VPC adopted with aws_default_vpc / aws_default_subnet, the quick start many
# tutorials use. Default subnets are public (their route table, not in the plan, sends 0.0.0.0/0 to
# the internet gateway), which the plan cannot show.
resource "aws_default_vpc" "default" {}

resource "aws_default_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "glue" {
  name   = "default-vpc-glue"
  vpc_id = aws_default_vpc.default.id

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

resource "aws_glue_connection" "default" {
  name            = "default-vpc-a"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_default_subnet.a.id
    security_group_id_list = [aws_security_group.glue.id]
    availability_zone      = aws_default_subnet.a.availability_zone
  }
}

resource "aws_iam_role" "glue" {
  name                = "default-vpc-glue"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]
}

resource "aws_glue_job" "quickstart" {
  name              = "default-vpc-quickstart"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "5.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  connections       = [aws_glue_connection.default.name]
  command {
    script_location = "s3://default-vpc-quickstart/job.py"
  }
}

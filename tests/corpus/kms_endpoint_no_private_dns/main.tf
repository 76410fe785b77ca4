# Follows the Glue guide's KMS endpoint steps, except that the console's
# "Enable private DNS name" box has no default of true in Terraform.

resource "aws_vpc" "vpc" {
  cidr_block           = "10.47.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "glue" {
  vpc_id            = aws_vpc.vpc.id
  cidr_block        = "10.47.0.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_route_table" "glue" {
  vpc_id = aws_vpc.vpc.id
}

resource "aws_route_table_association" "glue" {
  subnet_id      = aws_subnet.glue.id
  route_table_id = aws_route_table.glue.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.vpc.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.glue.id]
}

resource "aws_security_group" "glue" {
  name   = "kms-endpoint-no-private-dns-glue"
  vpc_id = aws_vpc.vpc.id

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

# The job's own self-referencing group on the endpoint, as the Glue guide says.
resource "aws_vpc_endpoint" "kms" {
  vpc_id             = aws_vpc.vpc.id
  service_name       = "com.amazonaws.us-east-1.kms"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.glue.id]
  security_group_ids = [aws_security_group.glue.id]
}

resource "aws_kms_key" "bookmarks" {
  description = "kms-endpoint-no-private-dns bookmarks"
}

resource "aws_glue_security_configuration" "bookmarks" {
  name = "kms-endpoint-no-private-dns"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.bookmarks.arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-S3"
    }
  }
}

resource "aws_glue_connection" "glue" {
  name            = "kms-endpoint-no-private-dns"
  connection_type = "NETWORK"

  physical_connection_requirements {
    availability_zone      = aws_subnet.glue.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
    subnet_id              = aws_subnet.glue.id
  }
}

resource "aws_iam_role" "glue" {
  name = "kms-endpoint-no-private-dns"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "sessions" {
  name                   = "kms-endpoint-no-private-dns-sessions"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 4
  security_configuration = aws_glue_security_configuration.bookmarks.name
  connections            = [aws_glue_connection.glue.name]

  command {
    script_location = "s3://kms-endpoint-no-private-dns-code/sessions.py"
  }

  default_arguments = {
    "--job-bookmark-option" = "job-bookmark-enable"
  }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.41.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.41.16.0/20"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "vpce" {
  name   = "restricted-egress-wrong-vpce"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.41.0.0/16"]
  }
}

resource "aws_vpc_endpoint" "kms" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.kms"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private.id]
  security_group_ids  = [aws_security_group.vpce.id]
}

# Egress as the Glue docs show it for an S3 endpoint: itself, plus HTTPS to S3.
resource "aws_security_group" "glue" {
  name   = "restricted-egress-wrong-glue"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port = 0
    to_port   = 65535
    protocol  = "tcp"
    self      = true
  }

  egress {
    from_port = 0
    to_port   = 65535
    protocol  = "tcp"
    self      = true
  }

  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}

resource "aws_kms_key" "bookmarks" {
  description = "restricted-egress-wrong bookmarks"
}

resource "aws_glue_security_configuration" "bookmarks" {
  name = "restricted-egress-wrong-bookmarks"
  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.bookmarks.arn
    }
    s3_encryption {
      s3_encryption_mode = "DISABLED"
    }
  }
}

resource "aws_glue_connection" "private" {
  name            = "restricted-egress-wrong-private"
  connection_type = "NETWORK"
  physical_connection_requirements {
    availability_zone      = aws_subnet.private.availability_zone
    subnet_id              = aws_subnet.private.id
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_iam_role" "glue" {
  name = "restricted-egress-wrong"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "incremental" {
  name                   = "restricted-egress-wrong-incremental"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 5
  connections            = [aws_glue_connection.private.name]
  security_configuration = aws_glue_security_configuration.bookmarks.name
  command {
    script_location = "s3://restricted-egress-wrong-code/incremental.py"
  }
  default_arguments = {
    "--job-bookmark-option" = "job-bookmark-enable"
  }
}

resource "aws_vpc" "this" {
  cidr_block           = "10.46.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.46.0.0/22"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "glue" {
  name   = "kms-no-route-glue"
  vpc_id = aws_vpc.this.id
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

resource "aws_glue_connection" "private" {
  name            = "kms-no-route-private"
  connection_type = "NETWORK"
  physical_connection_requirements {
    availability_zone      = aws_subnet.private.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
    subnet_id              = aws_subnet.private.id
  }
}

resource "aws_kms_key" "pii" {
  description = "kms-no-route PII"
}

# Compliance asked for KMS everywhere...
resource "aws_glue_security_configuration" "kms" {
  name = "kms-no-route-kms"
  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = aws_kms_key.pii.arn
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.pii.arn
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.pii.arn
    }
  }
}

# ...and S3-managed keys for the non-sensitive job.
resource "aws_glue_security_configuration" "sse_s3" {
  name = "kms-no-route-sse-s3"
  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "DISABLED"
    }
    s3_encryption {
      s3_encryption_mode = "SSE-S3"
    }
  }
}

resource "aws_iam_role" "glue" {
  name = "kms-no-route-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "pii_mask" {
  name                   = "kms-no-route-pii-mask"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 6
  connections            = [aws_glue_connection.private.name]
  security_configuration = aws_glue_security_configuration.kms.name
  command {
    script_location = "s3://kms-no-route-code/pii_mask.py"
  }
}

resource "aws_glue_job" "web_logs" {
  name                   = "kms-no-route-web-logs"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 6
  connections            = [aws_glue_connection.private.name]
  security_configuration = aws_glue_security_configuration.sse_s3.name
  command {
    script_location = "s3://kms-no-route-code/web_logs.py"
  }
}

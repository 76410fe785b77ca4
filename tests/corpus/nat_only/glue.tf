resource "aws_security_group" "glue" {
  name        = "nat-only-glue"
  description = "self referencing for Glue"
  vpc_id      = aws_vpc.vpc.id

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
  count           = length(var.azs)
  name            = "nat-only-private-${var.azs[count.index]}"
  connection_type = "NETWORK"

  physical_connection_requirements {
    subnet_id              = aws_subnet.private[count.index].id
    availability_zone      = aws_subnet.private[count.index].availability_zone
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_kms_key" "glue" {
  description         = "nat-only Glue encryption"
  enable_key_rotation = true
}

resource "aws_glue_security_configuration" "encrypted" {
  name = "nat-only-encrypted"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = aws_kms_key.glue.arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.glue.arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.glue.arn
    }
  }
}

resource "aws_iam_role" "glue" {
  name = "nat-only-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_iam_role_policy" "kms" {
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]
      Resource = "arn:aws:kms:us-east-1:123456789012:key/*"
    }]
  })
}

resource "aws_glue_job" "scoring" {
  name                   = "nat-only-scoring"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 10
  security_configuration = aws_glue_security_configuration.encrypted.name
  connections            = aws_glue_connection.private[*].name

  command {
    script_location = "s3://nat-only-code/scoring.py"
  }

  default_arguments = {
    "--additional-python-modules"        = "scikit-learn==1.4.2,xgboost==2.0.3"
    "--enable-continuous-cloudwatch-log" = "true"
  }
}

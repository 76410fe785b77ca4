resource "aws_glue_connection" "az" {
  for_each = aws_subnet.private

  name            = "endpoints-only-${each.key}"
  connection_type = "NETWORK"

  physical_connection_requirements {
    availability_zone      = each.value.availability_zone
    subnet_id              = each.value.id
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_kms_key" "etl" {
  description = "endpoints-only ETL data"
}

resource "aws_glue_security_configuration" "etl" {
  name = "endpoints-only-etl"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "DISABLED"
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.etl.arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.etl.arn
    }
  }
}

resource "aws_iam_role" "etl" {
  name = "endpoints-only-etl"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "etl" {
  role       = aws_iam_role.etl.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "curate" {
  name                   = "endpoints-only-curate"
  role_arn               = aws_iam_role.etl.arn
  glue_version           = "4.0"
  worker_type            = "G.1X"
  number_of_workers      = 10
  security_configuration = aws_glue_security_configuration.etl.name
  connections            = [aws_glue_connection.az["us-east-1a"].name, aws_glue_connection.az["us-east-1b"].name]

  command {
    script_location = "s3://endpoints-only-code/curate.py"
  }

  default_arguments = {
    "--disable-proxy-v2" = "true"
  }
}

resource "aws_glue_job" "orders_to_dynamo" {
  name              = "endpoints-only-orders-to-dynamo"
  role_arn          = aws_iam_role.etl.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 4
  connections       = [aws_glue_connection.az["us-east-1a"].name, aws_glue_connection.az["us-east-1b"].name]

  command {
    script_location = "s3://endpoints-only-code/orders_to_dynamo.py"
  }

  default_arguments = {
    "--orders_table_arn" = "arn:aws:dynamodb:us-east-1:123456789012:table/endpoints-only-orders"
  }
}

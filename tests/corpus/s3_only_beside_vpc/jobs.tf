resource "aws_iam_role" "vpc_job" {
  name = "s3-only-beside-vpc-warehouse"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "vpc_job" {
  role       = aws_iam_role.vpc_job.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

# The two S3-to-S3 jobs run in Glue's own network: no connection, no EC2 permissions.
data "aws_iam_policy_document" "s3_jobs" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::s3-only-beside-vpc-raw", "arn:aws:s3:::s3-only-beside-vpc-raw/*", "arn:aws:s3:::s3-only-beside-vpc-curated", "arn:aws:s3:::s3-only-beside-vpc-curated/*"]
  }
  statement {
    actions   = ["glue:GetTable", "glue:GetDatabase", "glue:GetPartitions", "glue:BatchCreatePartition"]
    resources = ["*"]
  }
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:us-east-1:123456789012:log-group:/aws-glue/*"]
  }
}

resource "aws_iam_role" "s3_jobs" {
  name = "s3-only-beside-vpc-s3-jobs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "s3_jobs" {
  role   = aws_iam_role.s3_jobs.id
  policy = data.aws_iam_policy_document.s3_jobs.json
}

resource "aws_glue_job" "compact" {
  name              = "s3-only-beside-vpc-compact"
  role_arn          = aws_iam_role.s3_jobs.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 2

  command {
    script_location = "s3://s3-only-beside-vpc-code/compact.py"
  }
}

resource "aws_glue_job" "partition" {
  name              = "s3-only-beside-vpc-partition"
  role_arn          = aws_iam_role.s3_jobs.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 2

  command {
    script_location = "s3://s3-only-beside-vpc-code/partition.py"
  }

  default_arguments = {
    "--source" = "s3://s3-only-beside-vpc-raw/events/"
    "--target" = "s3://s3-only-beside-vpc-curated/events/"
  }
}

resource "aws_glue_job" "warehouse_load" {
  name              = "s3-only-beside-vpc-warehouse-load"
  role_arn          = aws_iam_role.vpc_job.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 4
  connections       = [aws_glue_connection.warehouse.name]

  command {
    script_location = "s3://s3-only-beside-vpc-code/warehouse_load.py"
  }
}

# One bucket, one prefix per stage: scripts/, raw/, cleansed/, rejects/,
# features/, temp/ and spark-logs/. The role's policy is scoped to prefixes.
resource "aws_s3_bucket" "data" {
  #checkov:skip=CKV_AWS_18:no server access logging: it needs a second bucket (itself unlogged); audit S3 access with CloudTrail data events on this bucket instead
  #checkov:skip=CKV_AWS_144:no cross-region replication: the data is derived from raw/ inputs the pipeline can rerun; add replication outside the module if the region's loss must be survived
  #checkov:skip=CKV2_AWS_62:no event notifications: nothing consumes them (the Glue workflow's triggers start the jobs)
  bucket        = var.bucket_name
  bucket_prefix = var.bucket_name == null ? "${var.name_prefix}-glue-" : null
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket = aws_s3_bucket.data.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# temp/ and spark-logs/ are scratch and diagnostics; noncurrent versions of every
# object would otherwise be kept (and paid for) forever in a versioned bucket.
resource "aws_s3_bucket_lifecycle_configuration" "data" {
  count = var.enable_lifecycle_rules ? 1 : 0

  bucket = aws_s3_bucket.data.id

  rule {
    id     = "expire-temp"
    status = "Enabled"
    filter {
      prefix = "temp/"
    }
    expiration {
      days = var.temp_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  rule {
    id     = "expire-spark-logs"
    status = "Enabled"
    filter {
      prefix = "spark-logs/"
    }
    expiration {
      days = var.spark_logs_expiration_days
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.data]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.data]
}

locals {
  library_files = sort(tolist(fileset(var.scripts_dir, "lib/*.py")))
  script_files  = distinct(concat([for j in values(var.jobs) : j.script], local.library_files))
}

# source_hash, not etag: with SSE-KMS the object's ETag is not its MD5, so an
# etag would show a change on every plan.
resource "aws_s3_object" "script" {
  for_each = toset(local.script_files)

  bucket      = aws_s3_bucket.data.id
  key         = "scripts/${each.key}"
  source      = "${var.scripts_dir}/${each.key}"
  source_hash = filemd5("${var.scripts_dir}/${each.key}")
  tags        = local.tags

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.data]
}

# Encrypts what the jobs write: S3 output, CloudWatch logs and bookmarks.
resource "aws_glue_security_configuration" "this" {
  name = "${var.name_prefix}-security"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = local.kms_key_arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = local.kms_key_arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = local.kms_key_arn
    }
  }

  depends_on = [aws_kms_key_policy.this]
}

resource "aws_cloudwatch_log_group" "jobs" {
  name              = "/aws-glue/jobs/${var.name_prefix}"
  retention_in_days = var.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = local.tags

  depends_on = [aws_kms_key_policy.this]
}

resource "aws_cloudwatch_log_group" "jobs" {
  #checkov:skip=CKV_AWS_338:job logs are kept var.log_retention_days (30 by default) for cost; set 365 or more where an audit needs a year
  name              = "/aws-glue/jobs/${var.name_prefix}"
  retention_in_days = var.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = local.tags

  depends_on = [aws_kms_key_policy.this]
}

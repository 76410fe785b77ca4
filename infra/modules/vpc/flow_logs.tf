# VPC flow logs (var.enable_flow_logs, on by default): every accepted and rejected
# flow of the VPC goes to a CloudWatch log group encrypted with a key of its own,
# so that "why did the executor's connection fail" can be answered from the
# account (REJECT records of the Glue group's ENIs).

data "aws_partition" "current" {}

locals {
  flow_logs           = var.enable_flow_logs ? 1 : 0
  partition           = data.aws_partition.current.partition
  flow_log_group_name = "/aws/vpc-flow-logs/${var.name}"
  # Known only after apply; read from the delivery role's ARN so that nothing
  # calls STS at plan time (the module must plan offline).
  account_id = var.enable_flow_logs ? element(split(":", aws_iam_role.flow_logs[0].arn), 4) : null
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
  }
}

# Named (not name_prefix) after var.name: the suite's leak check and sweeper
# recognise a role by its name.
resource "aws_iam_role" "flow_logs" {
  count = local.flow_logs

  name               = "${var.name}-flow-logs"
  description        = "Delivers the ${var.name} VPC's flow logs to CloudWatch Logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "flow_logs_delivery" {
  count = local.flow_logs

  statement {
    sid       = "WriteFlowLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [aws_cloudwatch_log_group.flow_logs[0].arn, "${aws_cloudwatch_log_group.flow_logs[0].arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  count = local.flow_logs

  name   = "${var.name}-flow-logs"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs_delivery[0].json
}

resource "aws_kms_key" "flow_logs" {
  count = local.flow_logs

  description             = "${var.name}: VPC flow logs"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = var.tags
}

# CloudWatch Logs can use a key only if the key policy lets the service in (IAM
# alone is not enough); the account keeps full control as in the default policy.
data "aws_iam_policy_document" "flow_logs_key" {
  #checkov:skip=CKV_AWS_109:a key policy's "*" is this key alone; the account's root keeps the default full control
  #checkov:skip=CKV_AWS_111:a key policy's "*" is this key alone; the logs service is limited by the encryption context
  #checkov:skip=CKV_AWS_356:a key policy's "*" is this key alone (KMS key policies cannot name another resource)
  count = local.flow_logs

  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsUsesKeyForFlowLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.flow_log_group_name}"]
    }
  }
}

resource "aws_kms_key_policy" "flow_logs" {
  count = local.flow_logs

  key_id = aws_kms_key.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs_key[0].json
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  count = local.flow_logs

  name              = local.flow_log_group_name
  retention_in_days = var.flow_logs_retention_days
  kms_key_id        = aws_kms_key.flow_logs[0].arn
  tags              = var.tags

  depends_on = [aws_kms_key_policy.flow_logs]
}

resource "aws_flow_log" "this" {
  count = local.flow_logs

  vpc_id                   = aws_vpc.this.id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn             = aws_iam_role.flow_logs[0].arn
  max_aggregation_interval = 600
  tags                     = merge(var.tags, { Name = "${var.name}-flow-logs" })

  depends_on = [aws_iam_role_policy.flow_logs]
}

data "aws_iam_policy_document" "assume_glue" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "job" {
  name_prefix        = "${var.name_prefix}-glue-"
  description        = "Runs the ${var.name_prefix} Glue jobs"
  assume_role_policy = data.aws_iam_policy_document.assume_glue.json
  tags               = local.tags
}

# Opt-in only: AWSGlueServiceRole grants glue:* and more on "*". The module's
# own policy below is scoped to what the jobs use.
resource "aws_iam_role_policy_attachment" "glue_service" {
  count = var.attach_glue_service_role_policy ? 1 : 0

  role       = aws_iam_role.job.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSGlueServiceRole"
}

data "aws_iam_policy_document" "job" {
  #checkov:skip=CKV_AWS_111:ec2:CreateNetworkInterface/DeleteNetworkInterface on "*": Glue creates the ENIs in subnets chosen at run time (GNET012); the tagging is conditioned
  #checkov:skip=CKV_AWS_356:the ec2:Describe* actions Glue validates a connection with (GNET015) and cloudwatch:PutMetricData support no resource-level permissions
  # A VPC job's driver and executors are ENIs that Glue creates in the
  # connection's subnet as this role (Glue developer guide, "Step 2: Create an
  # IAM role for AWS Glue"). Listed here so the role works without the managed
  # policy too.
  statement {
    sid = "GlueNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeRouteTables",
      "ec2:DescribeVpcAttribute",
      "ec2:DescribeVpcs",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "GlueNetworkInterfaceTags"
    actions   = ["ec2:CreateTags", "ec2:DeleteTags"]
    resources = ["arn:${local.partition}:ec2:*:*:network-interface/*"]
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["aws-glue-service-resource"]
    }
  }

  # --enable-metrics: Glue's job metrics, in the Glue namespace only.
  statement {
    sid       = "PutGlueMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue"]
    }
  }

  # The jobs' own NETWORK connections, read when a run starts.
  statement {
    sid     = "ReadOwnConnections"
    actions = ["glue:GetConnection", "glue:GetConnections"]
    resources = [
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:connection/${var.name_prefix}-*",
    ]
  }

  statement {
    sid       = "ListOwnPrefixes"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.data.arn]
  }

  statement {
    sid       = "ReadScriptsAndRawData"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/scripts/*", "${aws_s3_bucket.data.arn}/raw/*"]
  }

  statement {
    sid     = "ReadWriteStageData"
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [for p in ["cleansed", "rejects", "features", "temp", "spark-logs"] :
    "${aws_s3_bucket.data.arn}/${p}/*"]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"]
    resources = [local.kms_key_arn]
  }

  statement {
    sid     = "WriteJobLogs"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup", "logs:AssociateKmsKey"]
    resources = [
      aws_cloudwatch_log_group.jobs.arn,
      "${aws_cloudwatch_log_group.jobs.arn}:*",
      # Glue names the groups it creates after the security configuration.
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/jobs/${aws_glue_security_configuration.this.name}*",
    ]
  }
}

resource "aws_iam_role_policy" "job" {
  name   = "${var.name_prefix}-glue-job"
  role   = aws_iam_role.job.id
  policy = data.aws_iam_policy_document.job.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

# Least privilege, copied from the Glue docs' action list -- minus DescribeVpcAttribute.
data "aws_iam_policy_document" "glue" {
  statement {
    sid    = "Eni"
    effect = "Allow"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeRouteTables",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "Tags"
    effect    = "Allow"
    actions   = ["ec2:CreateTags", "ec2:DeleteTags"]
    resources = ["arn:aws:ec2:*:*:network-interface/*"]
  }

  statement {
    sid       = "Glue"
    effect    = "Allow"
    actions   = ["glue:*"]
    resources = ["*"]
  }

  statement {
    sid       = "S3"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::iam-doc-no-vpc-attr-*", "arn:aws:s3:::iam-doc-no-vpc-attr-*/*"]
  }

  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "glue" {
  name               = "iam-doc-no-vpc-attr-glue"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_policy" "glue" {
  name   = "iam-doc-no-vpc-attr-glue"
  policy = data.aws_iam_policy_document.glue.json
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = aws_iam_policy.glue.arn
}

resource "aws_glue_job" "nightly" {
  name              = "iam-doc-no-vpc-attr-nightly"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 10
  connections       = [aws_glue_connection.etl.name]
  command {
    script_location = "s3://iam-doc-no-vpc-attr-code/nightly.py"
  }
}

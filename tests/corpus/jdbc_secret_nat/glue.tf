resource "aws_glue_connection" "orders_db" {
  name            = "jdbc-secret-nat-orders-db"
  connection_type = "JDBC"

  connection_properties = {
    JDBC_CONNECTION_URL = "jdbc:postgresql://orders.internal.example:5432/orders"
    SECRET_ID           = aws_secretsmanager_secret.orders_db.name
  }

  physical_connection_requirements {
    availability_zone      = aws_subnet.private_a.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
    subnet_id              = aws_subnet.private_a.id
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "glue" {
  statement {
    sid = "GlueNetworking"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeRouteTables",
      "ec2:DescribeVpcAttribute",
      "ec2:CreateTags",
      "ec2:DeleteTags",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "Catalog"
    actions   = ["glue:*"]
    resources = ["*"]
  }

  statement {
    sid       = "Secret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:jdbc-secret-nat/*"]
  }

  statement {
    sid       = "Data"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::jdbc-secret-nat-lake", "arn:aws:s3:::jdbc-secret-nat-lake/*"]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:*:*:*"]
  }
}

resource "aws_iam_role" "glue" {
  name               = "jdbc-secret-nat-glue"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "glue" {
  name   = "jdbc-secret-nat-glue-etl"
  role   = aws_iam_role.glue.id
  policy = data.aws_iam_policy_document.glue.json
}

resource "aws_glue_job" "orders_export" {
  name              = "jdbc-secret-nat-orders-export"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 5
  connections       = [aws_glue_connection.orders_db.name]

  command {
    script_location = "s3://jdbc-secret-nat-lake/scripts/orders_export.py"
  }

  default_arguments = {
    "--connection_name" = aws_glue_connection.orders_db.name
    "--target_path"     = "s3://jdbc-secret-nat-lake/orders/"
  }
}

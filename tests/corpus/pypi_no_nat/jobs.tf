locals {
  jobs = {
    # pip from PyPI at start-up, one wheel from S3
    validate = {
      script = "validate.py"
      args = {
        "--additional-python-modules" = "great-expectations==0.18.12,s3://pypi-no-nat-libs/wheels/lake_utils-1.4.0-py3-none-any.whl"
      }
    }
    # Glue's own S3/Glue/CloudWatch calls through the VPC
    catalog_sync = {
      script = "catalog_sync.py"
      args = {
        "--disable-proxy-v2" = "true"
      }
    }
    # every wheel from S3: no PyPI
    features = {
      script = "features.py"
      args = {
        "--additional-python-modules" = "s3://pypi-no-nat-libs/wheels/lake_utils-1.4.0-py3-none-any.whl,s3://pypi-no-nat-libs/wheels/geo_tools-0.9.1-py3-none-any.whl"
      }
    }
    # the script publishes to SNS when it is done
    notify = {
      script = "notify.py"
      args = {
        "--alerts_topic_arn" = "arn:aws:sns:us-east-1:123456789012:pypi-no-nat-alerts"
      }
    }
  }
}

resource "aws_glue_job" "lake" {
  for_each = local.jobs

  name              = "pypi-no-nat-${replace(each.key, "_", "-")}"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 4
  connections       = [aws_glue_connection.lake.name]

  command {
    script_location = "s3://pypi-no-nat-code/${each.value.script}"
  }

  default_arguments = merge({ "--job-language" = "python" }, each.value.args)
}

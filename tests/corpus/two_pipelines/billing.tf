resource "aws_glue_connection" "billing_a" {
  name            = "two-pipelines-billing-a"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.billing_a.id
    availability_zone      = aws_subnet.billing_a.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_glue_connection" "billing_b" {
  name            = "two-pipelines-billing-b"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.billing_b.id
    availability_zone      = aws_subnet.billing_b.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
  }
}

resource "aws_glue_job" "billing_extract" {
  name              = "two-pipelines-billing-extract"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 6
  connections       = [aws_glue_connection.billing_a.name, aws_glue_connection.billing_b.name]
  command {
    script_location = "s3://two-pipelines-code/billing/extract.py"
  }
}

resource "aws_glue_job" "billing_load" {
  name              = "two-pipelines-billing-load"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 6
  connections       = [aws_glue_connection.billing_a.name, aws_glue_connection.billing_b.name]
  command {
    script_location = "s3://two-pipelines-code/billing/load.py"
  }
}

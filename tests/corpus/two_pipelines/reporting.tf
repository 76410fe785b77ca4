resource "aws_glue_connection" "reporting" {
  name            = "two-pipelines-reporting"
  connection_type = "NETWORK"
  physical_connection_requirements {
    subnet_id              = aws_subnet.reporting_c.id
    availability_zone      = aws_subnet.reporting_c.availability_zone
    security_group_id_list = [aws_security_group.glue.id]
  }
}

# 12 workers + the driver in a /28 (11 usable addresses).
resource "aws_glue_job" "reporting_daily" {
  name              = "two-pipelines-reporting-daily"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 12
  connections       = [aws_glue_connection.reporting.name]
  command {
    script_location = "s3://two-pipelines-code/reporting/daily.py"
  }
}

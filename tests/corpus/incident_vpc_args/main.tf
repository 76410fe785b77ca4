# "Run the job in our private subnets": the first attempt, before anyone found out
# that Glue has no such job parameters.
locals {
  private_subnet_ids = ["subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"]
  glue_sg_id         = "sg-0a1b2c3d4e5f60031"
}

resource "aws_iam_role" "glue" {
  name = "incident-vpc-args-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "glue" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_job" "customer_cleansing" {
  name              = "incident-vpc-args-customer-cleansing"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 10

  command {
    name            = "glueetl"
    script_location = "s3://incident-vpc-args-code/1_data_cleansing.py"
    python_version  = "3"
  }

  default_arguments = {
    "--job-language"           = "python"
    "--vpc-subnet-ids"         = join(",", local.private_subnet_ids)
    "--vpc-security-group-ids" = local.glue_sg_id
  }
}

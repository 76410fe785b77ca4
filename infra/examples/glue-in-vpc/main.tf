# The two modules together, the way the root stack uses them, with the managed
# AWSGlueServiceRole left off (the default), a nightly schedule and a named data
# bucket: the jobs run in the private subnets through one NETWORK connection
# per subnet, reaching S3 through the gateway endpoint and KMS through its
# interface endpoint.
module "vpc" {
  source = "../../modules/vpc"

  name = "example-glue"
}

module "glue_pipeline" {
  source = "../../modules/glue"

  name_prefix        = "example-glue"
  scripts_dir        = "${path.module}/../../../glue_scripts"
  network_mode       = "vpc"
  subnets            = module.vpc.private_subnets
  security_group_ids = [module.vpc.glue_security_group_id]
  workflow_schedule  = "cron(0 2 * * ? *)"
  bucket_name        = "example-glue-pipeline-data-0123"
  log_retention_days = 365
}

output "job_names" {
  description = "Glue job names by key."
  value       = module.glue_pipeline.job_names
}

output "connection_names" {
  description = "The jobs' NETWORK connections, in failover order."
  value       = module.glue_pipeline.connection_names
}

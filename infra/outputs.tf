output "vpc_id" {
  description = "The VPC's id."
  value       = module.vpc.vpc_id
}

output "private_subnets" {
  description = "Private subnets in failover order."
  value       = module.vpc.private_subnets
}

output "glue_security_group_id" {
  description = "The Glue connections' security group."
  value       = module.vpc.glue_security_group_id
}

output "job_names" {
  description = "Glue job names by key."
  value       = module.glue_pipeline.job_names
}

output "job_connections" {
  description = "Connection names per job."
  value       = module.glue_pipeline.job_connections
}

output "job_network" {
  description = "Per-job network summary."
  value       = module.glue_pipeline.job_network
}

output "network_mode" {
  description = "Where the jobs run."
  value       = module.glue_pipeline.network_mode
}

output "bucket_name" {
  description = "The data bucket."
  value       = module.glue_pipeline.bucket_name
}

output "workflow_name" {
  description = "The pipeline's Glue workflow."
  value       = module.glue_pipeline.workflow_name
}

output "role_arn" {
  description = "The jobs' IAM role."
  value       = module.glue_pipeline.role_arn
}

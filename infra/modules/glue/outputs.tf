output "job_names" {
  description = "Glue job names by job key."
  value       = { for k, j in aws_glue_job.this : k => j.name }
}

output "connection_names" {
  description = "The NETWORK connections, in failover (subnet) order. Empty when no subnets were given."
  value       = local.connection_names
}

output "job_connections" {
  description = "Connection names each job lists, by job key."
  value       = { for k, j in aws_glue_job.this : k => j.connections }
}

output "job_network" {
  description = "Per job: the subnets and security groups its connections place it in, and whether it runs in a VPC."
  value = { for k, j in aws_glue_job.this : k => {
    subnet_ids         = [for s in var.subnets : s.id]
    security_group_ids = local.in_vpc ? var.security_group_ids : []
    in_vpc             = local.in_vpc
  } }
}

output "network_mode" {
  description = "Says where the jobs run: in the VPC through connections, or outside any VPC because no subnets were given."
  value = (local.in_vpc
    ? "in VPC: ${length(var.subnets)} NETWORK connection(s), failover order ${join(", ", local.subnet_zones)}"
  : "outside any VPC: var.subnets is empty, so no connection is attached")
}

output "role_arn" {
  description = "The jobs' IAM role."
  value       = aws_iam_role.job.arn
}

output "role_name" {
  description = "The jobs' IAM role name."
  value       = aws_iam_role.job.name
}

output "bucket_name" {
  description = "The data bucket (scripts/, raw/, cleansed/, rejects/, features/, temp/, spark-logs/)."
  value       = aws_s3_bucket.data.bucket
}

output "workflow_name" {
  description = "The Glue workflow that runs the jobs in order."
  value       = aws_glue_workflow.this.name
}

output "security_configuration_name" {
  description = "The Glue security configuration attached to every job."
  value       = aws_glue_security_configuration.this.name
}

output "log_group_name" {
  description = "The jobs' continuous-logging log group."
  value       = aws_cloudwatch_log_group.jobs.name
}

output "kms_key_arn" {
  description = "The KMS key encrypting data, logs and bookmarks."
  value       = local.kms_key_arn
}

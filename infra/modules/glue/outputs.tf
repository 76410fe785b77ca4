output "job_names" {
  description = "Glue job names by job key."
  value       = { for k, j in aws_glue_job.this : k => j.name }
}

output "connection_names" {
  description = "The NETWORK connections, in failover (subnet) order. Empty with network_mode = \"none\"."
  value       = local.connection_names
}

output "job_connections" {
  description = "Connection names each job lists, by job key."
  value       = { for k, j in aws_glue_job.this : k => j.connections }
}

output "job_network" {
  description = "Per job key, read from the job itself: its network-mode tag, whether it lists any connection (in_vpc), and the subnets, zones and security groups of the module's connections it lists (empty when it lists none)."
  value = { for k, j in aws_glue_job.this : k => {
    network_mode       = lookup(j.tags, "glue-netcheck:network-mode", null)
    in_vpc             = length(local.listed_connections[k]) > 0
    subnet_ids         = [for c in local.listed_connections[k] : c.physical_connection_requirements[0].subnet_id]
    availability_zones = [for c in local.listed_connections[k] : c.physical_connection_requirements[0].availability_zone]
    security_group_ids = distinct(flatten([for c in local.listed_connections[k] : tolist(c.physical_connection_requirements[0].security_group_id_list)]))
  } }
}

locals {
  # The module's connections each job really lists (an omitted or foreign entry
  # places it nowhere the module knows).
  job_connection_names = { for k, j in aws_glue_job.this : k => j.connections == null ? [] : j.connections }
  listed_connections = { for k, names in local.job_connection_names : k => [
    for n in names : local.connections_by_name[n] if contains(keys(local.connections_by_name), n)
  ] }
}

output "network_mode" {
  description = "Where the jobs run: \"vpc\" (in var.subnets through NETWORK connections) or \"none\" (in Glue's own network). Every job carries it as the tag glue-netcheck:network-mode."
  value       = var.network_mode
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

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
  description = "Per job: its network-mode tag, whether it lists a connection, and the subnets, zones and security groups of the connections it lists."
  value       = module.glue_pipeline.job_network
}

output "network_mode" {
  description = "Where the jobs run: \"vpc\" (through NETWORK connections in the private subnets). Every job carries it as the tag glue-netcheck:network-mode."
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

output "interface_endpoint_ids" {
  description = "Interface endpoints (private DNS on) by short service name; kms by default."
  value       = module.vpc.interface_endpoint_ids
}

output "endpoint_security_group_id" {
  description = "The interface endpoints' security group, or null without endpoints."
  value       = module.vpc.endpoint_security_group_id
}

output "nat_gateway_id" {
  description = "The NAT gateway, or null (the default: AWS APIs through interface endpoints)."
  value       = module.vpc.nat_gateway_id
}

output "internet_gateway_id" {
  description = "The internet gateway (only with the NAT gateway), or null."
  value       = module.vpc.internet_gateway_id
}

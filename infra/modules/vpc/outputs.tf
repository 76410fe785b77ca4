output "vpc_id" {
  description = "The VPC's id."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's IPv4 CIDR."
  value       = aws_vpc.this.cidr_block
}

output "private_subnets" {
  description = "Private subnets in failover order: [{id, availability_zone, cidr_block, reaches}]. reaches: the AWS APIs the Glue security group reaches from the subnet (\"s3\" through the gateway endpoint, each interface endpoint's service, \"*\" through the NAT gateway), which the glue module checks against what its jobs need. Pass it to the glue module's subnets."
  value = [for s in aws_subnet.private : {
    id                = s.id
    availability_zone = s.availability_zone
    cidr_block        = s.cidr_block
    reaches           = local.reaches
  }]
}

output "public_subnet_ids" {
  description = "Public subnets' ids, in zone order; empty without the NAT gateway (the only thing they hold)."
  value       = aws_subnet.public[*].id
}

output "private_route_table_ids" {
  description = "One private route table per zone, in zone order."
  value       = aws_route_table.private[*].id
}

output "glue_security_group_id" {
  description = "The security group for Glue connections (self-referencing all-TCP ingress)."
  value       = aws_security_group.glue.id
}

output "s3_endpoint_id" {
  description = "The S3 gateway endpoint associated with every private route table."
  value       = aws_vpc_endpoint.s3.id
}

output "internet_gateway_id" {
  description = "The internet gateway's id, or null when enable_nat_gateway is false (then the VPC has no internet path)."
  value       = one(aws_internet_gateway.this[*].id)
}

output "nat_gateway_id" {
  description = "The NAT gateway's id, or null when enable_nat_gateway is false."
  value       = one(aws_nat_gateway.this[*].id)
}

output "interface_endpoint_ids" {
  description = "Interface endpoints (private DNS on) by short service name."
  value       = { for k, e in aws_vpc_endpoint.interface : k => e.id }
}

output "endpoint_security_group_id" {
  description = "The interface endpoints' security group (HTTPS from the Glue security group), or null without endpoints."
  value       = one(aws_security_group.endpoints[*].id)
}

output "flow_log_id" {
  description = "The VPC's flow log, or null when enable_flow_logs = false."
  value       = one(aws_flow_log.this[*].id)
}

output "flow_log_group_name" {
  description = "The flow logs' CloudWatch log group, or null."
  value       = one(aws_cloudwatch_log_group.flow_logs[*].name)
}

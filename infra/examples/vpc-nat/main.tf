# The vpc module with a NAT gateway instead of interface endpoints (jobs that
# need PyPI or many AWS services), three zones, restricted egress.
module "vpc" {
  source = "../../modules/vpc"

  name                = "example-nat"
  cidr_block          = "10.20.0.0/16"
  az_count            = 3
  enable_nat_gateway  = true
  interface_endpoints = []
  restrict_egress     = true
  tags                = { Example = "vpc-nat" }
}

output "private_subnets" {
  description = "The subnets a glue module would run in."
  value       = module.vpc.private_subnets
}

output "nat_gateway_id" {
  description = "The NAT gateway."
  value       = module.vpc.nat_gateway_id
}

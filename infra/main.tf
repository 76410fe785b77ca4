module "vpc" {
  source = "./modules/vpc"

  name                = var.name_prefix
  cidr_block          = var.vpc_cidr
  availability_zones  = var.availability_zones
  az_count            = var.az_count
  enable_nat_gateway  = var.enable_nat_gateway
  restrict_egress     = var.restrict_egress
  interface_endpoints = var.interface_endpoints
}

module "glue_pipeline" {
  source = "./modules/glue"

  name_prefix  = var.name_prefix
  scripts_dir  = "${path.module}/../glue_scripts"
  glue_version = var.glue_version
  jobs         = var.jobs

  # The network fix: the jobs run in the private subnets through one NETWORK
  # connection per subnet, with the self-referencing Glue security group.
  network_mode       = "vpc"
  subnets            = module.vpc.private_subnets
  security_group_ids = [module.vpc.glue_security_group_id]

  workflow_job_order = var.workflow_job_order
  workflow_schedule  = var.workflow_schedule
  bucket_name        = var.bucket_name
  force_destroy      = var.force_destroy

  enable_lifecycle_rules = var.enable_lifecycle_rules
}

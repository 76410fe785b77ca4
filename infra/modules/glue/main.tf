data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition
  # Known only after apply; read from the role's ARN so that nothing calls STS
  # at plan time (the module must plan offline).
  account_id = element(split(":", aws_iam_role.job.arn), 4)

  kms_key_arn = var.kms_key_arn != null ? var.kms_key_arn : aws_kms_key.this[0].arn
  bucket      = aws_s3_bucket.data.bucket

  # var.network_mode's validations make "vpc" mean "subnets given" and "none"
  # mean "no subnets, no security groups".
  in_vpc = var.network_mode == "vpc"
  # Order matters: Glue tries a job's connections in the listed order.
  subnet_zones = [for s in var.subnets : s.availability_zone]

  # AWS keeps 5 addresses of every subnet. Subnets given without cidr_block
  # are left out of the capacity check (nothing to compute it from).
  usable_ips = { for s in var.subnets : s.availability_zone => pow(2, 32 - tonumber(split("/", s.cidr_block)[1])) - 5 if s.cidr_block != null }

  tags = merge(var.tags, { "glue-pipeline" = var.name_prefix })
  # The jobs' VPC intent, readable from a plan and from a deployed job alike
  # (glue-netcheck decides "must this job be in a VPC?" from it).
  job_tags = merge(local.tags, { "glue-netcheck:network-mode" = var.network_mode })
}

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

  in_vpc = length(var.subnets) > 0
  # Order matters: Glue tries a job's connections in the listed order.
  subnet_zones = [for s in var.subnets : s.availability_zone]

  usable_ips = { for s in var.subnets : s.availability_zone => (
    s.cidr_block == null ? null : pow(2, 32 - tonumber(split("/", s.cidr_block)[1])) - 5
  ) }

  tags = merge(var.tags, { "glue-pipeline" = var.name_prefix })
}

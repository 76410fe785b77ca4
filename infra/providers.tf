locals {
  emulated = var.endpoint_url != null
}

# Real AWS by default. With endpoint_url set, every service the stack uses goes
# to that URL and the checks an emulator cannot answer are skipped.
provider "aws" {
  region = var.region

  s3_use_path_style           = local.emulated
  skip_credentials_validation = local.emulated
  skip_metadata_api_check     = local.emulated
  skip_region_validation      = local.emulated

  dynamic "endpoints" {
    for_each = local.emulated ? [var.endpoint_url] : []
    content {
      ec2            = endpoints.value
      glue           = endpoints.value
      iam            = endpoints.value
      kms            = endpoints.value
      cloudwatchlogs = endpoints.value
      s3             = endpoints.value
      sts            = endpoints.value
    }
  }

  default_tags {
    tags = merge(var.tags, { ManagedBy = "terraform", Stack = var.name_prefix })
  }
}

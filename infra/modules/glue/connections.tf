# The only way into a VPC for a Glue job: a NETWORK connection listed by name
# in the job's connections. aws_glue_job has no vpc_config block, and
# --vpc-subnet-ids style arguments are ignored by Glue.
resource "aws_glue_connection" "network" {
  for_each = { for s in var.subnets : s.availability_zone => s }

  name            = "${var.name_prefix}-network-${each.key}"
  description     = "Runs ${var.name_prefix} Glue jobs in ${each.value.id} (${each.key})"
  connection_type = "NETWORK"

  physical_connection_requirements {
    subnet_id              = each.value.id
    security_group_id_list = var.security_group_ids
    # Required although the subnet implies it: without it runs fail with
    # CONNECTION_LIST_CONNECTION_WITH_AZ_NULL (provider issue #4762).
    availability_zone = each.value.availability_zone
  }

  tags = local.tags
}

locals {
  # Names, not ids: a connection's id is "CATALOG_ID:NAME" and attaching it
  # silently attaches nothing (provider issue #21630).
  connection_names    = [for az in local.subnet_zones : aws_glue_connection.network[az].name]
  connections_by_name = { for c in aws_glue_connection.network : c.name => c }
}

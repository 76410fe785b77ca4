data "aws_region" "current" {}

locals {
  # Zone names are inputs (or derived from the region name) so that the module
  # plans without any API call.
  zone_letters  = ["a", "b", "c", "d", "e", "f"]
  default_zones = [for l in local.zone_letters : "${data.aws_region.current.name}${l}"]
  zones         = slice(length(var.availability_zones) > 0 ? var.availability_zones : local.default_zones, 0, var.az_count)

  # Private subnets take the low blocks, public ones the high half, so that a
  # later az_count increase never renumbers an existing subnet.
  half                 = pow(2, var.subnet_newbits - 1)
  private_subnet_cidrs = length(var.private_subnet_cidrs) > 0 ? var.private_subnet_cidrs : [for i in range(var.az_count) : cidrsubnet(var.cidr_block, var.subnet_newbits, i)]
  public_subnet_cidrs  = length(var.public_subnet_cidrs) > 0 ? var.public_subnet_cidrs : [for i in range(var.az_count) : cidrsubnet(var.cidr_block, var.subnet_newbits, local.half + i)]
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr_block
  # Glue connections need both (Glue developer guide, "Setting up a VPC to
  # connect to data stores"); enable_dns_hostnames defaults to false.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = length(var.availability_zones) == 0 || length(var.availability_zones) >= var.az_count
      error_message = "var.az_count is ${var.az_count} but var.availability_zones lists only ${length(var.availability_zones)} zone(s): list at least az_count zones, or leave the list empty."
    }
    precondition {
      condition     = length(var.private_subnet_cidrs) == 0 || length(var.private_subnet_cidrs) == var.az_count
      error_message = "var.private_subnet_cidrs has ${length(var.private_subnet_cidrs)} entries but var.az_count is ${var.az_count}: give one CIDR per zone, or none to derive them."
    }
    precondition {
      condition     = length(var.public_subnet_cidrs) == 0 || length(var.public_subnet_cidrs) == var.az_count
      error_message = "var.public_subnet_cidrs has ${length(var.public_subnet_cidrs)} entries but var.az_count is ${var.az_count}: give one CIDR per zone, or none to derive them."
    }
  }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = var.az_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.zones[count.index]
  cidr_block        = local.public_subnet_cidrs[count.index]

  tags = merge(var.tags, { Name = "${var.name}-public-${local.zones[count.index]}", Tier = "public" })
}

resource "aws_subnet" "private" {
  count = var.az_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.zones[count.index]
  cidr_block        = local.private_subnet_cidrs[count.index]

  tags = merge(var.tags, { Name = "${var.name}-private-${local.zones[count.index]}", Tier = "private" })
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count = var.az_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One table per zone: an S3 endpoint or NAT problem then stays in one zone,
# and Glue's connection failover moves to the next.
resource "aws_route_table" "private" {
  count = var.az_count

  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-private-${local.zones[count.index]}", Tier = "private" })
}

resource "aws_route_table_association" "private" {
  count = var.az_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

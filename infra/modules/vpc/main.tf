data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name

  # Zone names are inputs (or derived from the region name) so that the module
  # plans without any API call; var.az_count's validation keeps derived names
  # to a, b and c.
  zones = (length(var.availability_zones) > 0
    ? slice(var.availability_zones, 0, var.az_count)
  : [for l in slice(["a", "b", "c"], 0, var.az_count) : "${local.region}${l}"])

  # Public subnets and the internet gateway exist only to hold the NAT gateway:
  # with interface endpoints alone the VPC has no path to the internet at all.
  public_count = var.enable_nat_gateway ? var.az_count : 0

  # What the Glue security group reaches from a private subnet: S3 through the
  # gateway endpoint, each interface endpoint's service, and any AWS API through
  # the NAT gateway (restrict_egress keeps HTTPS to anywhere when NAT exists).
  reaches = concat(["s3"], var.interface_endpoints, var.enable_nat_gateway ? ["*"] : [])

  # Private subnets take the low half of the VPC, public ones the high half, so
  # that a later az_count increase (or enabling NAT) never renumbers a subnet.
  half                 = pow(2, var.subnet_newbits - 1)
  private_subnet_cidrs = length(var.private_subnet_cidrs) > 0 ? var.private_subnet_cidrs : [for i in range(var.az_count) : cidrsubnet(var.cidr_block, var.subnet_newbits, i)]
  public_subnet_cidrs  = length(var.public_subnet_cidrs) > 0 ? var.public_subnet_cidrs : [for i in range(local.public_count) : cidrsubnet(var.cidr_block, var.subnet_newbits, local.half + i)]

  # Every subnet the module creates, as integer address ranges: Terraform has
  # no cidrcontains(), so containment and overlap are checked on numbers.
  vpc_start = sum([for i, o in split(".", cidrhost(var.cidr_block, 0)) : tonumber(o) * pow(256, 3 - i)])
  vpc_end   = local.vpc_start + pow(2, 32 - tonumber(split("/", var.cidr_block)[1])) - 1
  subnet_ranges = [for s in concat(
    [for c in local.private_subnet_cidrs : { variable = length(var.private_subnet_cidrs) > 0 ? "var.private_subnet_cidrs entry" : "derived private subnet", cidr = c }],
    [for c in local.public_subnet_cidrs : { variable = length(var.public_subnet_cidrs) > 0 ? "var.public_subnet_cidrs entry" : "derived public subnet", cidr = c }],
    ) : merge(s, {
      network = "${cidrhost(s.cidr, 0)}/${split("/", s.cidr)[1]}"
      prefix  = tonumber(split("/", s.cidr)[1])
      start   = sum([for i, o in split(".", cidrhost(s.cidr, 0)) : tonumber(o) * pow(256, 3 - i)])
      end     = sum([for i, o in split(".", cidrhost(s.cidr, 0)) : tonumber(o) * pow(256, 3 - i)]) + pow(2, 32 - tonumber(split("/", s.cidr)[1])) - 1
  })]
  subnets_not_network_address = [for s in local.subnet_ranges : "${s.variable} ${s.cidr} (network address ${s.network})" if s.network != s.cidr]
  subnets_too_small           = [for s in local.subnet_ranges : "${s.variable} ${s.cidr}" if s.prefix > 28]
  subnets_outside_vpc         = [for s in local.subnet_ranges : "${s.variable} ${s.cidr}" if s.start < local.vpc_start || s.end > local.vpc_end]
  subnets_overlapping = distinct(flatten([for i, a in local.subnet_ranges : [
    for j, b in local.subnet_ranges : "${a.variable} ${a.cidr} and ${b.variable} ${b.cidr}"
    if i < j && a.start <= b.end && b.start <= a.end
  ]]))
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
      condition     = length(local.subnets_not_network_address) == 0
      error_message = "Subnet CIDRs with host bits set: ${join("; ", local.subnets_not_network_address)}. AWS rejects them at apply: write each CIDR as its network address."
    }
    precondition {
      condition     = length(local.subnets_too_small) == 0
      error_message = "Subnets smaller than /28: ${join("; ", local.subnets_too_small)}. AWS's smallest subnet is a /28 (11 usable IPs, enough for one small Glue job): use /28 or larger."
    }
    precondition {
      condition     = length(local.subnets_outside_vpc) == 0
      error_message = "Subnets outside the VPC ${var.cidr_block}: ${join("; ", local.subnets_outside_vpc)}. Every subnet must lie inside var.cidr_block: change the subnet CIDRs, or leave them empty to derive them."
    }
    precondition {
      condition     = length(local.subnets_overlapping) == 0
      error_message = "Overlapping subnets: ${join("; ", local.subnets_overlapping)}. Subnets of one VPC must be disjoint: change the CIDRs (derived private subnets take the low half of the VPC, public ones the high half), or leave them empty to derive them."
    }
  }
}

# The VPC's default security group, emptied: AWS gives it all traffic from itself
# and all egress, so anything launched without a group would get that. Terraform
# adopts the group (it cannot be deleted) and removes every rule.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-default-unused" })
}

resource "aws_internet_gateway" "this" {
  count = var.enable_nat_gateway ? 1 : 0

  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = local.public_count

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

  tags = merge(var.tags, {
    Name = "${var.name}-private-${local.zones[count.index]}"
    Tier = "private"
    # Declares the subnet meant for Glue: glue-netcheck's failover rule (GNET004)
    # expects a connection on every subnet so tagged, and only on those.
    "glue-netcheck:glue-subnet" = "true"
  })
}

resource "aws_route_table" "public" {
  count = var.enable_nat_gateway ? 1 : 0

  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  count = var.enable_nat_gateway ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count = local.public_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
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

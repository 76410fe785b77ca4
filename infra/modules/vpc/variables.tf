variable "name" {
  description = "Name prefix for every resource of the network (also the Name tag)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,39}$", var.name))
    error_message = "var.name must be 1-40 characters of lower-case letters, digits and hyphens, starting with a letter or digit."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC, written as its network address (e.g. 10.0.0.0/16)."
  type        = string
  default     = "10.0.0.0/16"
  nullable    = false

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && can(regex("^[0-9.]+/(1[6-9]|2[0-4])$", var.cidr_block))
    error_message = "var.cidr_block must be an IPv4 CIDR with a prefix between /16 and /24 (AWS allows /16 to /28; the subnets need room), e.g. \"10.0.0.0/16\"."
  }

  validation {
    # AWS rejects a VPC CIDR with host bits set; catch it here instead of at apply.
    condition     = can(cidrhost(var.cidr_block, 0)) ? cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0] : true
    error_message = "var.cidr_block ${var.cidr_block} has host bits set: write the network address${can(cidrhost(var.cidr_block, 0)) ? ", ${cidrhost(var.cidr_block, 0)}/${split("/", var.cidr_block)[1]}" : ""}."
  }
}

variable "availability_zones" {
  description = "Availability zone names to use, in failover order. Empty means the region's zones a, b, c (no API lookup, so the module plans offline); more than 3 zones must be listed."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for az in var.availability_zones : can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9][a-z]$", az))])
    error_message = "var.availability_zones must hold zone names such as \"eu-west-1a\", not zone ids (\"euw1-az1\") or regions."
  }

  validation {
    condition     = length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "var.availability_zones lists a zone more than once (${join(", ", distinct([for i, az in var.availability_zones : az if index(var.availability_zones, az) != i]))}): each zone gets one private subnet, list each once."
  }

  validation {
    # The provider's region, not the zone list, decides where the VPC is created.
    condition     = alltrue([for az in var.availability_zones : !can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9][a-z]$", az)) || startswith(az, data.aws_region.current.name)])
    error_message = "var.availability_zones lists ${join(", ", [for az in var.availability_zones : az if !startswith(az, data.aws_region.current.name)])}, outside the provider's region ${data.aws_region.current.name}: list zones of ${data.aws_region.current.name} (e.g. ${data.aws_region.current.name}a), or configure the provider for the zones' region."
  }
}

variable "az_count" {
  description = "How many availability zones get a private subnet (and, with NAT, a public one): 1-6."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "var.az_count must be a whole number from 1 to 6."
  }

  validation {
    condition     = length(var.availability_zones) == 0 || var.az_count <= length(var.availability_zones)
    error_message = "var.az_count is ${var.az_count} but var.availability_zones lists only ${length(var.availability_zones)} zone(s): list at least az_count zones, or leave the list empty."
  }

  validation {
    # Zone names are derived offline (<region>a, b, c). Every region has zones
    # a-c except a few (us-west-1 offers two, ap-northeast-1 has no 1b for newer
    # accounts), and beyond c the names often do not exist; without an API call
    # the module cannot tell, so more than 3 zones must be named.
    condition     = length(var.availability_zones) > 0 || var.az_count > 6 || var.az_count <= 3
    error_message = "var.az_count is ${var.az_count} but var.availability_zones is empty: the module derives at most 3 zone names (<region>a, b, c) because it cannot look up which zones the region has. List the ${var.az_count} zones in var.availability_zones, or use az_count <= 3."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each derived subnet (4 on a /16 gives /20 subnets, 4091 usable IPs each). Private subnets take the low half of the VPC, public ones the high half."
  type        = number
  default     = 4
  nullable    = false

  validation {
    condition     = var.subnet_newbits >= 2 && var.subnet_newbits <= 8 && floor(var.subnet_newbits) == var.subnet_newbits
    error_message = "var.subnet_newbits must be a whole number from 2 to 8: fewer cannot hold a public and a private subnet per zone, more leaves private subnets too small for Glue workers."
  }

  validation {
    # AWS's smallest subnet is a /28 (11 usable addresses after the 5 AWS keeps).
    condition     = can(tonumber(split("/", var.cidr_block)[1])) ? tonumber(split("/", var.cidr_block)[1]) + var.subnet_newbits <= 28 : true
    error_message = "var.subnet_newbits = ${var.subnet_newbits} on the VPC ${var.cidr_block} gives /${try(tonumber(split("/", var.cidr_block)[1]) + var.subnet_newbits, "?")} subnets, smaller than AWS's minimum /28 (11 usable IPs for Glue's driver and workers): use subnet_newbits <= ${try(28 - tonumber(split("/", var.cidr_block)[1]), "?")} or a larger VPC."
  }

  validation {
    # Only derived subnets need the room: private ones unless given, public ones
    # (NAT only) unless given.
    condition     = (length(var.private_subnet_cidrs) > 0 && (length(var.public_subnet_cidrs) > 0 || !var.enable_nat_gateway)) || var.az_count > 6 || var.subnet_newbits < 2 || pow(2, var.subnet_newbits - 1) >= var.az_count
    error_message = "var.subnet_newbits = ${var.subnet_newbits} splits each half of the VPC into ${pow(2, var.subnet_newbits - 1)} subnet(s), too few for var.az_count = ${var.az_count} zones: use subnet_newbits >= ${try([for n in range(2, 9) : n if pow(2, n - 1) >= var.az_count][0], 8)}, or give the subnet CIDRs (private_subnet_cidrs, and public_subnet_cidrs with NAT)."
  }
}

variable "private_subnet_cidrs" {
  description = "Override for the private subnets' CIDRs, one per zone in order, each inside the VPC, disjoint, /28 or larger. Empty derives them with cidrsubnet()."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "var.private_subnet_cidrs must hold IPv4 CIDRs such as \"10.0.0.0/20\"."
  }

  validation {
    condition     = length(var.private_subnet_cidrs) == 0 || length(var.private_subnet_cidrs) == var.az_count
    error_message = "var.private_subnet_cidrs has ${length(var.private_subnet_cidrs)} entries but var.az_count is ${var.az_count}: give one CIDR per zone, or none to derive them."
  }
}

variable "public_subnet_cidrs" {
  description = "Override for the public subnets' CIDRs (created only with enable_nat_gateway), one per zone in order. Empty derives them with cidrsubnet()."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "var.public_subnet_cidrs must hold IPv4 CIDRs such as \"10.0.128.0/20\"."
  }

  validation {
    condition     = length(var.public_subnet_cidrs) == 0 || var.enable_nat_gateway
    error_message = "var.public_subnet_cidrs is set but var.enable_nat_gateway is false: public subnets exist only to hold the NAT gateway. Remove public_subnet_cidrs, or set enable_nat_gateway = true."
  }

  validation {
    condition     = length(var.public_subnet_cidrs) == 0 || length(var.public_subnet_cidrs) == var.az_count
    error_message = "var.public_subnet_cidrs has ${length(var.public_subnet_cidrs)} entries but var.az_count is ${var.az_count}: give one CIDR per zone, or none to derive them."
  }
}

variable "enable_nat_gateway" {
  description = "Route the private subnets' internet traffic through one NAT gateway (in the first zone's public subnet; the public subnets and the internet gateway exist only with it). Choose it for jobs that reach the internet (e.g. PyPI for --additional-python-modules) or AWS APIs without an interface endpoint; costs more than endpoints (see README)."
  type        = bool
  default     = false
  nullable    = false
}

variable "interface_endpoints" {
  description = "Short service names that get an interface endpoint (private DNS on) in the private subnets. The default kms is what Glue needs when a security configuration uses KMS and there is no NAT; add secretsmanager, sts, glue, logs or monitoring for what the job's own code calls (or --disable-proxy-v2). Empty: no endpoint, so reach AWS APIs through NAT."
  type        = list(string)
  default     = ["kms"]
  nullable    = false

  validation {
    condition     = alltrue([for s in var.interface_endpoints : contains(["glue", "logs", "sts", "kms", "monitoring", "secretsmanager"], s)])
    error_message = "var.interface_endpoints accepts only glue, logs, sts, kms, monitoring and secretsmanager."
  }

  validation {
    condition     = length(distinct(var.interface_endpoints)) == length(var.interface_endpoints)
    error_message = "var.interface_endpoints lists a service more than once: list each once."
  }
}

variable "restrict_egress" {
  description = "false: the Glue security group allows all outbound traffic. true: only self-referencing all-TCP (driver <-> executors), HTTPS to the S3 prefix list, HTTPS to the interface endpoints' security group when endpoints exist, and HTTPS to anywhere when the NAT gateway exists (it is what the NAT is for)."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_flow_logs" {
  description = "VPC flow logs (all traffic) to a CloudWatch log group encrypted with a KMS key of its own."
  type        = bool
  default     = true
  nullable    = false
}

variable "flow_logs_retention_days" {
  description = "Retention of the flow logs' CloudWatch log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_logs_retention_days)
    error_message = "var.flow_logs_retention_days must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

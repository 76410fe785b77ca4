variable "name" {
  description = "Name prefix for every resource of the network (also the Name tag)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,39}$", var.name))
    error_message = "var.name must be 1-40 characters of lower-case letters, digits and hyphens, starting with a letter or digit."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && can(regex("^[0-9.]+/(1[6-9]|2[0-4])$", var.cidr_block))
    error_message = "var.cidr_block must be an IPv4 CIDR with a prefix between /16 and /24 (AWS allows /16 to /28; the subnets need room), e.g. \"10.0.0.0/16\"."
  }
}

variable "availability_zones" {
  description = "Availability zone names to use, in failover order. Empty means the region's zones a, b, c, ... (no API lookup, so the module plans offline)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for az in var.availability_zones : can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9][a-z]$", az))])
    error_message = "var.availability_zones must hold zone names such as \"eu-west-1a\", not zone ids (\"euw1-az1\") or regions."
  }
}

variable "az_count" {
  description = "How many availability zones get a public and a private subnet (1-6)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "var.az_count must be a whole number from 1 to 6."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each derived subnet (4 on a /16 gives /20 subnets, 4091 usable IPs each)."
  type        = number
  default     = 4

  validation {
    condition     = var.subnet_newbits >= 2 && var.subnet_newbits <= 8
    error_message = "var.subnet_newbits must be between 2 and 8: fewer cannot hold a public and a private subnet per zone, more leaves private subnets too small for Glue workers."
  }
}

variable "private_subnet_cidrs" {
  description = "Override for the private subnets' CIDRs, one per zone in order. Empty derives them with cidrsubnet()."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "var.private_subnet_cidrs must hold IPv4 CIDRs such as \"10.0.0.0/20\"."
  }
}

variable "public_subnet_cidrs" {
  description = "Override for the public subnets' CIDRs, one per zone in order. Empty derives them with cidrsubnet()."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "var.public_subnet_cidrs must hold IPv4 CIDRs such as \"10.0.128.0/20\"."
  }
}

variable "enable_nat_gateway" {
  description = "Create a NAT gateway (in the first public subnet) and route the private subnets' internet traffic through it. Glue needs only S3, which the gateway endpoint serves; enable this for jobs that reach the public internet."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "Short service names that get an interface endpoint in the private subnets, for jobs that must not leave the VPC for AWS APIs: any of glue, logs, sts, kms, monitoring, secretsmanager."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.interface_endpoints : contains(["glue", "logs", "sts", "kms", "monitoring", "secretsmanager"], s)])
    error_message = "var.interface_endpoints accepts only glue, logs, sts, kms, monitoring and secretsmanager."
  }
}

variable "restrict_egress" {
  description = "false: the Glue security group allows all outbound traffic. true: only self-referencing all-TCP (driver <-> executors), HTTPS to the S3 prefix list, and HTTPS to the VPC when interface endpoints exist."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

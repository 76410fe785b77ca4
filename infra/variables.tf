variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "var.region must be an AWS region name such as \"us-east-1\", not a zone (\"us-east-1a\") or a display name."
  }
}

variable "name_prefix" {
  description = "Prefix of every name; integration runs use a unique one per run."
  type        = string
  default     = "customer-pipeline"
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC, written as its network address (/16 to /24)."
  type        = string
  default     = "10.0.0.0/16"
  nullable    = false

  validation {
    # The vpc module checks its cidr_block too; this names the stack's own input.
    condition     = can(cidrhost(var.vpc_cidr, 0)) ? cidrhost(var.vpc_cidr, 0) == split("/", var.vpc_cidr)[0] : true
    error_message = "var.vpc_cidr ${var.vpc_cidr} has host bits set: write the network address${can(cidrhost(var.vpc_cidr, 0)) ? ", ${cidrhost(var.vpc_cidr, 0)}/${split("/", var.vpc_cidr)[1]}" : ""}."
  }
}

variable "availability_zones" {
  description = "Zone names in failover order; empty means <region>a, <region>b, <region>c (at most 3 derived)."
  type        = list(string)
  default     = []
}

variable "az_count" {
  description = "How many zones get a private subnet (and so a Glue connection)."
  type        = number
  default     = 2
}

variable "enable_nat_gateway" {
  description = "Add a NAT gateway (with a public subnet per zone and an internet gateway) for jobs that reach the internet or AWS APIs without an endpoint. See infra/modules/vpc/README.md for what it costs."
  type        = bool
  default     = false
}

variable "restrict_egress" {
  description = "Limit the Glue security group's egress to itself, HTTPS to S3, HTTPS to the interface endpoints, and HTTPS out through the NAT gateway when there is one."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "Interface endpoints (private DNS on) in the private subnets: any of glue, logs, sts, kms, monitoring, secretsmanager. The default kms is the route to KMS the jobs' security configuration needs without NAT; [] with enable_nat_gateway = true reaches KMS through NAT instead."
  type        = list(string)
  default     = ["kms"]
  # No route to KMS (no "kms", no NAT) is refused by the glue module, from the
  # reaches of module.vpc.private_subnets.
}

variable "glue_version" {
  description = "Glue version of the jobs."
  type        = string
  default     = "5.0"
}

variable "jobs" {
  description = "Override of the glue module's jobs map; null keeps the two pipeline jobs."
  type = map(object({
    script            = string
    description       = optional(string, "")
    worker_type       = optional(string, "G.1X")
    number_of_workers = optional(number, 2)
    timeout           = optional(number, 60)
    max_retries       = optional(number, 0)
    arguments         = optional(map(string), {})
  }))
  default = null
}

variable "workflow_job_order" {
  description = "Override of the run order; null keeps cleansing -> feature engineering."
  type        = list(string)
  default     = null
}

variable "workflow_schedule" {
  description = "Cron expression for the workflow, or null for on demand."
  type        = string
  default     = null
}

variable "bucket_name" {
  description = "Name of the data bucket; null derives a unique one from name_prefix."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let destroy delete the data bucket with its objects (test runs)."
  type        = bool
  default     = false
}

variable "enable_lifecycle_rules" {
  description = "The data bucket's lifecycle rules (glue module). Off: manage the bucket's lifecycle configuration yourself (S3 keeps one per bucket)."
  type        = bool
  default     = true
}

variable "endpoint_url" {
  description = "Send every AWS API call to this URL (an emulator such as moto or LocalStack). Null: real AWS."
  type        = string
  default     = null

  validation {
    condition     = var.endpoint_url == null ? true : can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^ ]*)?$", var.endpoint_url))
    error_message = "var.endpoint_url must be an http:// or https:// URL with a host, such as \"http://127.0.0.1:5000\", or null for real AWS."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

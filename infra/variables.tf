variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Prefix of every name; integration runs use a unique one per run."
  type        = string
  default     = "customer-pipeline"
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Zone names in failover order; empty means <region>a, <region>b, ..."
  type        = list(string)
  default     = []
}

variable "az_count" {
  description = "How many zones get a private subnet (and so a Glue connection)."
  type        = number
  default     = 2
}

variable "enable_nat_gateway" {
  description = "Add a NAT gateway for jobs that reach the public internet."
  type        = bool
  default     = false
}

variable "restrict_egress" {
  description = "Limit the Glue security group's egress to itself and HTTPS to S3."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "Interface endpoints (glue, logs, sts, kms, ...) for jobs that must not leave the VPC."
  type        = list(string)
  default     = []
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

variable "endpoint_url" {
  description = "Send every AWS API call to this URL (an emulator such as moto or LocalStack). Null: real AWS."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

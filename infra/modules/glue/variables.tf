variable "name_prefix" {
  description = "Prefix of every name (jobs, connections, role, bucket, log group). Lower-case letters, digits and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "var.name_prefix must be 1-30 characters of lower-case letters, digits and hyphens (it becomes part of an S3 bucket name), starting with a letter or digit."
  }
}

variable "jobs" {
  description = <<-EOT
    Glue Spark jobs by key; the job name is "<name_prefix>-<key>". script is a file
    in scripts_dir. In arguments, "{bucket}" is replaced with the data bucket's name.
    Never put subnet or security-group ids here: Glue ignores --vpc-* arguments;
    use var.subnets.
  EOT
  type = map(object({
    script            = string
    description       = optional(string, "")
    worker_type       = optional(string, "G.1X")
    number_of_workers = optional(number, 2)
    timeout           = optional(number, 60)
    max_retries       = optional(number, 0)
    arguments         = optional(map(string), {})
  }))
  nullable = false
  default = {
    "customer-data-cleansing" = {
      script      = "1_data_cleansing.py"
      description = "Cleanses raw customer records into partitioned Parquet; invalid rows go to rejects."
      arguments = {
        "--input_path"   = "s3://{bucket}/raw/customers/"
        "--input_format" = "csv"
        "--output_path"  = "s3://{bucket}/cleansed/customers/"
        "--rejects_path" = "s3://{bucket}/rejects/customers/"
      }
    }
    "feature-engineering" = {
      script      = "2_feature_engineering.py"
      description = "Builds per-customer RFM, tenure and rolling-spend features from cleansed customers and transactions."
      arguments = {
        "--customers_path"    = "s3://{bucket}/cleansed/customers/"
        "--transactions_path" = "s3://{bucket}/raw/transactions/"
        "--output_path"       = "s3://{bucket}/features/customers/"
      }
    }
  }

  validation {
    condition     = length(var.jobs) > 0 && alltrue([for k in keys(var.jobs) : can(regex("^[a-z0-9][a-z0-9-]{0,60}$", k))])
    error_message = "var.jobs needs at least one job, and each key must be lower-case letters, digits and hyphens (it becomes part of the job name)."
  }

  validation {
    condition     = alltrue(flatten([for j in values(var.jobs) : [for a in keys(j.arguments) : !startswith(lower(a), "--vpc-")]]))
    error_message = "var.jobs has a job argument starting with \"--vpc-\": Glue ignores such arguments and the job runs outside the VPC. Remove it and pass the private subnets in var.subnets and the security groups in var.security_group_ids; the module then attaches a NETWORK connection per subnet."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : contains(["G.1X", "G.2X", "G.4X", "G.8X"], j.worker_type)])
    error_message = "var.jobs: worker_type must be one of G.1X, G.2X, G.4X, G.8X (Glue Spark worker types)."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : j.number_of_workers >= 2 && j.number_of_workers <= 299 && floor(j.number_of_workers) == j.number_of_workers])
    error_message = "var.jobs: number_of_workers must be a whole number from 2 (one driver, one executor: Glue's minimum) to 299 (Glue's per-job maximum)."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : j.timeout >= 1 && j.timeout <= 2880])
    error_message = "var.jobs: timeout is in minutes and must be from 1 to 2880 (48 hours, Glue's maximum)."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : j.max_retries >= 0 && j.max_retries <= 10])
    error_message = "var.jobs: max_retries must be from 0 to 10."
  }
}

variable "scripts_dir" {
  description = "Folder holding the job scripts; its lib/*.py files are uploaded too and passed to every job as --extra-py-files."
  type        = string
}

variable "subnets" {
  description = <<-EOT
    Private subnets the jobs run in, in failover order: [{id, availability_zone,
    cidr_block}]. One NETWORK connection is made per subnet and every job lists all
    of them; Glue uses the first healthy one. cidr_block is optional and enables the
    capacity check. Empty: no connections, the jobs run outside any VPC.
  EOT
  type = list(object({
    id                = string
    availability_zone = string
    cidr_block        = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.subnets : can(regex("^subnet-[0-9a-f]{8}([0-9a-f]{9})?$", s.id))])
    error_message = "var.subnets: every id must be a subnet id such as \"subnet-0123456789abcdef0\", not a name or ARN (the provider would create a connection with empty VPC fields)."
  }

  validation {
    condition     = alltrue([for s in var.subnets : can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9][a-z]$", s.availability_zone))])
    error_message = "var.subnets: every subnet needs its availability_zone as a zone name such as \"us-east-1a\" (Glue rejects a connection without one: CONNECTION_LIST_CONNECTION_WITH_AZ_NULL)."
  }

  validation {
    condition     = length(distinct([for s in var.subnets : s.availability_zone])) == length(var.subnets)
    error_message = "var.subnets: give at most one subnet per availability zone; connections are named by zone and a second subnet in a zone adds no failover."
  }

  validation {
    condition     = alltrue([for s in var.subnets : s.cidr_block == null || can(cidrhost(s.cidr_block, 0))])
    error_message = "var.subnets: cidr_block must be an IPv4 CIDR such as \"10.0.0.0/20\" when given."
  }
}

variable "security_group_ids" {
  description = "Security groups for the connections. Required with subnets; one of them must allow all TCP from itself."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.security_group_ids : can(regex("^sg-[0-9a-f]{8}([0-9a-f]{9})?$", id))])
    error_message = "var.security_group_ids: every entry must be a security group id such as \"sg-0123456789abcdef0\", not a group name."
  }
}

variable "glue_version" {
  description = "Glue version of every job."
  type        = string
  default     = "5.0"

  validation {
    condition     = contains(["3.0", "4.0", "5.0"], var.glue_version)
    error_message = "var.glue_version must be one of \"3.0\", \"4.0\", \"5.0\" (Spark jobs; 0.9-2.0 are end of support)."
  }
}

variable "kms_key_arn" {
  description = "KMS key for S3 data, logs and job bookmarks. Null creates a key with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "var.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias or key id."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the module-created key is deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "var.kms_deletion_window_days must be from 7 to 30 (KMS limits)."
  }
}

variable "log_retention_days" {
  description = "Retention of the jobs' CloudWatch log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "var.log_retention_days must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "attach_glue_service_role_policy" {
  description = "Attach the AWS managed policy service-role/AWSGlueServiceRole. The module's own policy already grants the EC2 network-interface actions VPC jobs need."
  type        = bool
  default     = true
}

variable "workflow_job_order" {
  description = "Job keys in run order: the start trigger runs the first, each next one runs when the previous SUCCEEDED."
  type        = list(string)
  nullable    = false
  default     = ["customer-data-cleansing", "feature-engineering"]
}

variable "workflow_schedule" {
  description = "Cron expression for the start trigger, e.g. \"cron(0 2 * * ? *)\". Null: on demand."
  type        = string
  default     = null

  validation {
    condition     = var.workflow_schedule == null || can(regex("^cron\\(.+\\)$", var.workflow_schedule))
    error_message = "var.workflow_schedule must be a Glue cron expression such as \"cron(0 2 * * ? *)\", or null for on demand."
  }
}

variable "bucket_name" {
  description = "Name of the data bucket. Null: \"<name_prefix>-glue-\" plus a unique suffix."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "var.bucket_name must be a valid S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete the data bucket with its objects. Keep false in production."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

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
    condition     = length(var.jobs) > 0
    error_message = "var.jobs is empty: give at least one job (key => {script, ...}), or leave it unset for the two pipeline jobs."
  }

  validation {
    condition     = alltrue([for k in keys(var.jobs) : can(regex("^[a-z0-9][a-z0-9-]{0,60}$", k))])
    error_message = "var.jobs key(s) ${join(", ", [for k in keys(var.jobs) : "\"${k}\"" if !can(regex("^[a-z0-9][a-z0-9-]{0,60}$", k))])}: a key becomes part of the job name, so it must be 1-61 lower-case letters, digits and hyphens, starting with a letter or digit."
  }

  validation {
    # The script is uploaded from scripts_dir under scripts/<script>: a path
    # that leaves the folder would upload (and run) any file of the machine.
    condition     = alltrue([for j in values(var.jobs) : can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", j.script)) && !contains(split("/", j.script), "..") && !contains(split("/", j.script), ".")])
    error_message = "${join("; ", [for k, j in var.jobs : "var.jobs[\"${k}\"].script is \"${j.script}\"" if !(can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", j.script)) && !contains(split("/", j.script), "..") && !contains(split("/", j.script), "."))])}: give a path relative to var.scripts_dir that stays inside it (names of letters, digits, \"_\", \"-\" and \".\" joined by \"/\"; no \"..\", no leading \"/\")."
  }

  validation {
    # Checked here, before filemd5() in the upload would fail with a bare
    # "no file exists" error.
    condition     = alltrue([for j in values(var.jobs) : can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", j.script)) ? try(fileexists("${var.scripts_dir}/${j.script}"), false) : true])
    error_message = "${join("; ", [for k, j in var.jobs : "var.jobs[\"${k}\"].script \"${j.script}\" is not a file in var.scripts_dir (${var.scripts_dir})" if(can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", j.script)) ? !try(fileexists("${var.scripts_dir}/${j.script}"), false) : false)])}: add the script there, or correct the name."
  }

  validation {
    condition     = alltrue(flatten([for j in values(var.jobs) : [for a in keys(j.arguments) : !startswith(lower(a), "--vpc-")]]))
    error_message = "${join("; ", [for k, j in var.jobs : "var.jobs[\"${k}\"] has ${join(", ", [for a in keys(j.arguments) : a if startswith(lower(a), "--vpc-")])}" if anytrue([for a in keys(j.arguments) : startswith(lower(a), "--vpc-")])])}: Glue ignores --vpc-* arguments and the job runs outside the VPC. Remove them and pass the private subnets in var.subnets and the security groups in var.security_group_ids (network_mode = \"vpc\"); the module then attaches a NETWORK connection per subnet."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : contains(["G.1X", "G.2X", "G.4X", "G.8X"], j.worker_type)])
    error_message = "${join("; ", [for k, j in var.jobs : "var.jobs[\"${k}\"].worker_type is \"${j.worker_type}\"" if !contains(["G.1X", "G.2X", "G.4X", "G.8X"], j.worker_type)])}: use one of G.1X, G.2X, G.4X, G.8X (Glue Spark worker types)."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : j.number_of_workers >= 2 && j.number_of_workers <= 299 && floor(j.number_of_workers) == j.number_of_workers])
    error_message = "${join("; ", [for k, j in var.jobs : "var.jobs[\"${k}\"].number_of_workers is ${j.number_of_workers}" if !(j.number_of_workers >= 2 && j.number_of_workers <= 299 && floor(j.number_of_workers) == j.number_of_workers)])}: use a whole number from 2 (one driver, one executor: Glue's minimum) to 299 (Glue's per-job maximum)."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : j.timeout >= 1 && j.timeout <= 2880])
    error_message = "${join("; ", [for k, j in var.jobs : "var.jobs[\"${k}\"].timeout is ${j.timeout}" if !(j.timeout >= 1 && j.timeout <= 2880)])}: timeout is in minutes, from 1 to 2880 (48 hours, Glue's maximum)."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : j.max_retries >= 0 && j.max_retries <= 10 && floor(j.max_retries) == j.max_retries])
    error_message = "${join("; ", [for k, j in var.jobs : "var.jobs[\"${k}\"].max_retries is ${j.max_retries}" if !(j.max_retries >= 0 && j.max_retries <= 10 && floor(j.max_retries) == j.max_retries)])}: use a whole number from 0 to 10."
  }
}

variable "scripts_dir" {
  description = "Folder holding the job scripts; its lib/*.py files are uploaded too and passed to every job as --extra-py-files."
  type        = string
}

variable "network_mode" {
  description = <<-EOT
    Where the jobs run. "vpc": in var.subnets, through one NETWORK connection per
    subnet (needs subnets and security groups). "none": in Glue's own network,
    without connections: right for jobs that only use S3 and other AWS APIs. Every
    job carries the tag glue-netcheck:network-mode with this value, so plans and
    deployed jobs both say which jobs must be in a VPC.
  EOT
  type        = string
  default     = "vpc"
  nullable    = false

  validation {
    condition     = contains(["vpc", "none"], var.network_mode)
    error_message = "var.network_mode must be \"vpc\" (jobs run in var.subnets through NETWORK connections) or \"none\" (jobs run in Glue's network, for S3-only jobs)."
  }

  validation {
    condition     = var.network_mode != "vpc" || length(var.subnets) > 0
    error_message = "var.network_mode is \"vpc\" but var.subnets is empty, so the jobs would run outside any VPC. Pass the private subnets in var.subnets (the vpc module's private_subnets) and their security group in var.security_group_ids, or set network_mode = \"none\" for jobs that only use S3."
  }

  validation {
    condition     = var.network_mode != "none" || length(var.subnets) == 0
    error_message = "var.network_mode is \"none\" (the jobs run in Glue's own network, without connections) but var.subnets lists ${length(var.subnets)} subnet(s), which would not be used: remove them, or set network_mode = \"vpc\" to run the jobs in those subnets."
  }
}

variable "subnets" {
  description = <<-EOT
    Private subnets the jobs run in (network_mode = "vpc"), in failover order:
    [{id, availability_zone, cidr_block, reaches}]. One NETWORK connection is made
    per subnet and every job lists all of them; Glue uses the first healthy one.
    cidr_block is optional and enables the capacity check. reaches is optional: the
    AWS APIs the jobs' security group reaches from the subnet ("s3", interface
    endpoint services such as "kms", "*" for any through NAT), as the vpc module's
    private_subnets output gives it; when given, the module refuses subnets without
    the routes the jobs need (S3, and KMS for the security configuration). Empty
    only with network_mode = "none".
  EOT
  type = list(object({
    id                = string
    availability_zone = string
    cidr_block        = optional(string)
    reaches           = optional(list(string))
  }))
  default  = []
  nullable = false

  validation {
    # Glue refuses to start a job in a subnet whose route table has neither an S3
    # endpoint nor a NAT route ("Could not find S3 endpoint or NAT gateway for subnetId").
    condition     = alltrue([for s in var.subnets : s.reaches == null ? true : contains(s.reaches, "s3") || contains(s.reaches, "*")])
    error_message = "var.subnets: the subnet(s) in ${join(", ", [for s in var.subnets : s.availability_zone if s.reaches != null && !contains(coalesce(s.reaches, ["*"]), "s3") && !contains(coalesce(s.reaches, ["*"]), "*")])} reach neither S3 nor any AWS API through NAT (reaches lists neither \"s3\" nor \"*\"), and Glue refuses to start a job there (\"Could not find S3 endpoint or NAT gateway for subnetId\"). Give their route tables an S3 gateway endpoint (the vpc module always has one) or a NAT gateway, and say so in reaches."
  }

  validation {
    # The jobs' security configuration always encrypts with KMS, and Glue does not
    # proxy KMS calls (developer guide, "Creating a route to AWS KMS for VPC jobs").
    condition     = alltrue([for s in var.subnets : s.reaches == null ? true : contains(s.reaches, "kms") || contains(s.reaches, "*")])
    error_message = "var.subnets: the subnet(s) in ${join(", ", [for s in var.subnets : s.availability_zone if s.reaches != null && !contains(coalesce(s.reaches, ["*"]), "kms") && !contains(coalesce(s.reaches, ["*"]), "*")])} have no route to KMS (reaches lists neither \"kms\" nor \"*\"), which the jobs' security configuration encrypts with (Glue does not proxy KMS calls; runs fail with a kms timeout). Add \"kms\" to the vpc module's interface_endpoints (its default) or set its enable_nat_gateway = true; for subnets of your own, give them a KMS interface endpoint or a NAT gateway and list \"kms\" or \"*\" in reaches."
  }

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
    condition     = length(distinct([for s in var.subnets : s.id])) == length(var.subnets)
    error_message = "var.subnets lists ${join(", ", distinct([for i, s in var.subnets : s.id if index(var.subnets[*].id, s.id) != i]))} more than once: a subnet lies in exactly one zone, so give each subnet once with its own availability_zone."
  }

  validation {
    condition     = alltrue([for s in var.subnets : s.cidr_block == null ? true : can(cidrhost(s.cidr_block, 0)) && can(regex("^[0-9.]+/[0-9]+$", s.cidr_block))])
    error_message = "var.subnets: cidr_block must be an IPv4 CIDR such as \"10.0.0.0/20\" when given."
  }

  validation {
    # The connection's zone must be the subnet's, and the subnet must be in the
    # region the provider deploys the connections to.
    condition     = alltrue([for s in var.subnets : can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9][a-z]$", s.availability_zone)) ? startswith(s.availability_zone, data.aws_region.current.name) : true])
    error_message = "var.subnets has ${join(", ", [for s in var.subnets : "${s.id} in ${s.availability_zone}" if !startswith(s.availability_zone, data.aws_region.current.name)])}, outside the provider's region ${data.aws_region.current.name}: give subnets of ${data.aws_region.current.name}, or configure the provider for the subnets' region."
  }
}

variable "security_group_ids" {
  description = "Security groups for the connections. Required with subnets; one of them must allow all TCP from itself."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.security_group_ids : can(regex("^sg-[0-9a-f]{8}([0-9a-f]{9})?$", id))])
    error_message = "var.security_group_ids: every entry must be a security group id such as \"sg-0123456789abcdef0\", not a group name."
  }

  validation {
    condition     = var.network_mode != "vpc" || length(var.subnets) == 0 || length(var.security_group_ids) > 0
    error_message = "var.security_group_ids is empty but var.subnets is not: a NETWORK connection needs a security group that allows all TCP from itself (the vpc module's glue_security_group_id)."
  }

  validation {
    condition     = var.network_mode != "none" || length(var.security_group_ids) == 0
    error_message = "var.security_group_ids lists ${length(var.security_group_ids)} group(s) but var.network_mode is \"none\", so no connection would use them: remove them, or set network_mode = \"vpc\" with var.subnets."
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

variable "enable_lifecycle_rules" {
  description = "The data bucket's lifecycle configuration (temp/, spark-logs/, noncurrent versions; the *_expiration_days inputs). S3 keeps one lifecycle configuration per bucket: set false to manage the bucket's rules yourself. Deploying it takes about 55 s (the provider waits for three consistent reads)."
  type        = bool
  default     = true
  nullable    = false
}

variable "temp_expiration_days" {
  description = "Days after which objects under temp/ (the jobs' --TempDir) expire."
  type        = number
  default     = 7

  validation {
    condition     = var.temp_expiration_days >= 1 && floor(var.temp_expiration_days) == var.temp_expiration_days
    error_message = "var.temp_expiration_days must be a whole number of days, 1 or more."
  }
}

variable "spark_logs_expiration_days" {
  description = "Days after which the Spark event logs under spark-logs/ expire."
  type        = number
  default     = 30

  validation {
    condition     = var.spark_logs_expiration_days >= 1 && floor(var.spark_logs_expiration_days) == var.spark_logs_expiration_days
    error_message = "var.spark_logs_expiration_days must be a whole number of days, 1 or more."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which a noncurrent object version (the bucket is versioned) is deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "var.noncurrent_version_expiration_days must be a whole number of days, 1 or more."
  }
}

variable "attach_glue_service_role_policy" {
  description = "Also attach the AWS managed policy service-role/AWSGlueServiceRole (glue:* and more on \"*\"). Off by default: the module's own scoped policy grants what the jobs use, the EC2 network-interface and describe actions of VPC jobs included."
  type        = bool
  default     = false
  nullable    = false
}

variable "workflow_job_order" {
  description = "Job keys in run order, each once: the start trigger runs the first, each next one runs when the previous SUCCEEDED."
  type        = list(string)
  nullable    = false
  default     = ["customer-data-cleansing", "feature-engineering"]

  validation {
    condition     = length(var.workflow_job_order) > 0
    error_message = "var.workflow_job_order is empty: list the keys of var.jobs in run order."
  }

  validation {
    # A key listed twice makes its conditional trigger start it again after its
    # own success, and the order after it never runs as written.
    condition     = length(distinct(var.workflow_job_order)) == length(var.workflow_job_order)
    error_message = "var.workflow_job_order lists ${join(", ", distinct([for i, k in var.workflow_job_order : k if index(var.workflow_job_order, k) != i]))} more than once: a job listed twice triggers itself on success and the jobs after it do not run in order. List each job key once."
  }

  validation {
    condition     = alltrue([for k in var.workflow_job_order : contains(keys(var.jobs), k)])
    error_message = "var.workflow_job_order lists ${join(", ", [for k in var.workflow_job_order : k if !contains(keys(var.jobs), k)])}, not a key of var.jobs (${join(", ", keys(var.jobs))}): list keys of var.jobs in run order."
  }
}

variable "workflow_schedule" {
  description = "Glue cron expression for the start trigger, cron(Minutes Hours Day-of-month Month Day-of-week Year) in UTC, e.g. \"cron(0 2 * * ? *)\". Null: on demand."
  type        = string
  default     = null

  validation {
    # The shape here; each field's values are checked by a precondition on the
    # start trigger (workflow.tf), which can name the field that is wrong.
    condition     = var.workflow_schedule == null ? true : can(regex("^cron\\([^ ()]+( [^ ()]+){5}\\)$", var.workflow_schedule))
    error_message = "var.workflow_schedule must be a Glue cron expression with six fields, cron(Minutes Hours Day-of-month Month Day-of-week Year), such as \"cron(0 2 * * ? *)\", or null for on demand."
  }
}

variable "bucket_name" {
  description = "Name of the data bucket (S3 general purpose bucket naming rules). Null: \"<name_prefix>-glue-\" plus a unique suffix."
  type        = string
  default     = null

  # S3 user guide, "General purpose bucket naming rules".
  validation {
    condition     = var.bucket_name == null ? true : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "var.bucket_name must be a valid S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }

  validation {
    condition     = var.bucket_name == null ? true : !strcontains(var.bucket_name, "..")
    error_message = "var.bucket_name must not contain two adjacent periods (S3 bucket naming rules): remove one of the dots."
  }

  validation {
    condition     = var.bucket_name == null ? true : !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.bucket_name))
    error_message = "var.bucket_name must not be formatted as an IP address (S3 bucket naming rules): use a name with letters, such as \"<team>-glue-data\"."
  }

  validation {
    condition     = var.bucket_name == null ? true : !can(regex("^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|\\.mrap|--x-s3)$", var.bucket_name))
    error_message = "var.bucket_name uses a prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3) that S3 reserves: choose another name."
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

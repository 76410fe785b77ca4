locals {
  job_names = { for k, _ in var.jobs : k => "${var.name_prefix}-${k}" }

  library_paths = [for f in local.library_files : "s3://${local.bucket}/scripts/${f}"]

  default_arguments = {
    "--job-language"                     = "python"
    "--TempDir"                          = "s3://${local.bucket}/temp/"
    "--enable-metrics"                   = "true"
    "--enable-continuous-cloudwatch-log" = "true"
    "--continuous-log-logGroup"          = aws_cloudwatch_log_group.jobs.name
    "--enable-continuous-log-filter"     = "true"
    "--enable-spark-ui"                  = "true"
    "--job-bookmark-option"              = "job-bookmark-enable"
    # Executors on a slow start must not be declared lost; the pipeline's
    # shuffles rely on it.
    "--conf" = "spark.network.timeout=600s"
  }
}

resource "aws_glue_job" "this" {
  for_each = var.jobs

  name              = local.job_names[each.key]
  description       = each.value.description
  role_arn          = aws_iam_role.job.arn
  glue_version      = var.glue_version
  worker_type       = each.value.worker_type
  number_of_workers = each.value.number_of_workers
  timeout           = each.value.timeout
  max_retries       = each.value.max_retries
  # Set explicitly: FLEX does not suit a pipeline with a downstream job.
  execution_class        = "STANDARD"
  security_configuration = aws_glue_security_configuration.this.name
  connections            = local.connection_names

  command {
    name            = "glueetl"
    script_location = "s3://${local.bucket}/scripts/${each.value.script}"
    python_version  = "3"
  }

  default_arguments = merge(
    local.default_arguments,
    {
      "--spark-event-logs-path" = "s3://${local.bucket}/spark-logs/${each.key}/"
      "--extra-py-files"        = join(",", local.library_paths)
    },
    { for k, v in each.value.arguments : k => replace(v, "{bucket}", local.bucket) },
  )

  execution_property {
    max_concurrent_runs = 1
  }

  tags = local.job_tags

  lifecycle {
    precondition {
      # Each worker and the driver take one ENI (one IP) in the subnet Glue
      # picks, and Glue wants headroom beyond that; any listed subnet may be
      # the one picked.
      condition     = alltrue([for az, ips in local.usable_ips : ips > each.value.number_of_workers + 1])
      error_message = "Job ${local.job_names[each.key]} (var.jobs[\"${each.key}\"]) needs more than ${each.value.number_of_workers + 1} free IPs (${each.value.number_of_workers} workers + driver), but ${join(", ", [for s in var.subnets : "subnet ${s.cidr_block} in ${s.availability_zone} has ${local.usable_ips[s.availability_zone]} usable IPs" if s.cidr_block != null ? local.usable_ips[s.availability_zone] <= each.value.number_of_workers + 1 : false])}. Use a larger private subnet or fewer workers."
    }
  }
}

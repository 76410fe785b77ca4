resource "aws_glue_workflow" "this" {
  name        = "${var.name_prefix}-workflow"
  description = "Runs ${join(" -> ", var.workflow_job_order)}"
  tags        = local.tags
}

resource "aws_glue_trigger" "start" {
  name              = "${var.name_prefix}-start"
  workflow_name     = aws_glue_workflow.this.name
  type              = var.workflow_schedule == null ? "ON_DEMAND" : "SCHEDULED"
  schedule          = var.workflow_schedule
  start_on_creation = var.workflow_schedule == null ? null : true

  actions {
    job_name = aws_glue_job.this[var.workflow_job_order[0]].name
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = length(local.cron_problems) == 0
      error_message = "var.workflow_schedule \"${var.workflow_schedule == null ? "" : var.workflow_schedule}\": ${join("; ", local.cron_problems)}. Fix the field(s): Glue cron is cron(Minutes Hours Day-of-month Month Day-of-week Year) in UTC, e.g. \"cron(0 2 * * ? *)\"."
    }
  }
}

# Each next job starts only when the previous one SUCCEEDED.
resource "aws_glue_trigger" "after" {
  for_each = { for i, k in var.workflow_job_order : k => var.workflow_job_order[i - 1] if i > 0 }

  name              = "${var.name_prefix}-after-${each.value}"
  workflow_name     = aws_glue_workflow.this.name
  type              = "CONDITIONAL"
  start_on_creation = true

  predicate {
    conditions {
      job_name         = aws_glue_job.this[each.value].name
      state            = "SUCCEEDED"
      logical_operator = "EQUALS"
    }
  }

  actions {
    job_name = aws_glue_job.this[each.key].name
  }

  tags = local.tags
}

# Glue cron fields, their values and wildcards (Glue developer guide,
# "Time-based schedules for jobs and crawlers"). AWS accepts any string at plan
# time and rejects a bad one only when the trigger is created.
locals {
  cron_fields = var.workflow_schedule == null ? [] : split(" ", upper(trimsuffix(trimprefix(var.workflow_schedule, "cron("), ")")))
  cron_month  = "([0-9]+|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
  cron_day    = "([0-9]+|SUN|MON|TUE|WED|THU|FRI|SAT)"
  cron_spec = [
    { name = "Minutes", min = 0, max = 59, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?", any = false },
    { name = "Hours", min = 0, max = 23, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?", any = false },
    { name = "Day-of-month", min = 1, max = 31, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?|L|LW|L-[0-9]+|[0-9]+W", any = true },
    { name = "Month", min = 1, max = 12, item = "(\\*|${local.cron_month}(-${local.cron_month})?)(/[0-9]+)?", any = false },
    { name = "Day-of-week", min = 1, max = 7, item = "(\\*|${local.cron_day}(-${local.cron_day})?)(/[0-9]+)?|L|[0-9]+L|${local.cron_day}#[1-5]", any = true },
    { name = "Year", min = 1970, max = 2199, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?", any = false },
  ]
  # var.workflow_schedule's validation guarantees six fields (or none).
  cron_syntax_ok = [for i, f in local.cron_fields : (local.cron_spec[i].any && f == "?") || can(regex("^(${local.cron_spec[i].item})(,(${local.cron_spec[i].item}))*$", f))]
  cron_problems = length(local.cron_fields) != 6 ? [] : concat(
    [for i, f in local.cron_fields : "${local.cron_spec[i].name} field \"${f}\" is not valid" if !local.cron_syntax_ok[i]],
    # Values, not increments (/n) or the nth weekday (#n), must be in range.
    [for i, f in local.cron_fields : "${local.cron_spec[i].name} field \"${f}\" is outside ${local.cron_spec[i].min}-${local.cron_spec[i].max}"
      if local.cron_syntax_ok[i] && !alltrue([for n in regexall("[0-9]+", replace(f, "/[/#][0-9]+/", "")) : tonumber(n) >= local.cron_spec[i].min && tonumber(n) <= local.cron_spec[i].max])
    ],
    (local.cron_fields[2] == "?") == (local.cron_fields[4] == "?") ? ["exactly one of Day-of-month and Day-of-week must be \"?\" (Glue cannot combine them)"] : [],
  )
}

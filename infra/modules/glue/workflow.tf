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
      condition     = length(module.schedule.problems) == 0
      error_message = "var.workflow_schedule \"${var.workflow_schedule == null ? "" : var.workflow_schedule}\": ${join("; ", module.schedule.problems)}. Fix the field(s): Glue cron is cron(Minutes Hours Day-of-month Month Day-of-week Year) in UTC, e.g. \"cron(0 2 * * ? *)\"."
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

# The schedule's fields, checked offline (AWS accepts any string at plan time
# and rejects a bad one only when it creates the trigger).
module "schedule" {
  source     = "./cron"
  expression = var.workflow_schedule
}

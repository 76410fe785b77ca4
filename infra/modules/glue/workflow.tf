resource "aws_glue_workflow" "this" {
  name        = "${var.name_prefix}-workflow"
  description = "Runs ${join(" -> ", var.workflow_job_order)}"
  tags        = local.tags

  lifecycle {
    precondition {
      condition     = length(var.workflow_job_order) > 0 && alltrue([for k in var.workflow_job_order : contains(keys(var.jobs), k)])
      error_message = "var.workflow_job_order must list keys of var.jobs (${join(", ", keys(var.jobs))}); it lists ${join(", ", var.workflow_job_order)}."
    }
  }
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

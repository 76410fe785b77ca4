# Checks a Glue cron expression field by field, without any provider: the
# problems it finds, as sentences naming the field. An expression that is not
# "cron(" six fields ")" yields no problem here (the caller checks the shape).

variable "expression" {
  description = "A Glue cron expression, cron(Minutes Hours Day-of-month Month Day-of-week Year), or null."
  type        = string
  default     = null
}

# Glue cron fields, their values and wildcards (Glue developer guide,
# "Time-based schedules for jobs and crawlers").
locals {
  # Names (JAN, MON) match in any case; messages quote the fields as written.
  fields = var.expression == null ? [] : split(" ", trimsuffix(trimprefix(var.expression, "cron("), ")"))
  month  = "([0-9]+|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
  day    = "([0-9]+|SUN|MON|TUE|WED|THU|FRI|SAT)"
  spec = [
    { name = "Minutes", min = 0, max = 59, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?", any = false },
    { name = "Hours", min = 0, max = 23, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?", any = false },
    { name = "Day-of-month", min = 1, max = 31, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?|L|LW|L-[0-9]+|[0-9]+W", any = true },
    { name = "Month", min = 1, max = 12, item = "(\\*|${local.month}(-${local.month})?)(/[0-9]+)?", any = false },
    { name = "Day-of-week", min = 1, max = 7, item = "(\\*|${local.day}(-${local.day})?)(/[0-9]+)?|L|[0-9]+L|${local.day}#[1-5]", any = true },
    { name = "Year", min = 1970, max = 2199, item = "(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?", any = false },
  ]
  syntax_ok = length(local.fields) != 6 ? [] : [for i, f in local.fields : (local.spec[i].any && f == "?") || can(regex("^(${local.spec[i].item})(,(${local.spec[i].item}))*$", upper(f)))]
  problems = length(local.fields) != 6 ? [] : concat(
    [for i, f in local.fields : "${local.spec[i].name} field \"${f}\" is not valid" if !local.syntax_ok[i]],
    # Values, not increments (/n) or the nth weekday (#n), must be in range.
    [for i, f in local.fields : "${local.spec[i].name} field \"${f}\" is outside ${local.spec[i].min}-${local.spec[i].max}"
      if local.syntax_ok[i] && !alltrue([for n in regexall("[0-9]+", replace(f, "/[/#][0-9]+/", "")) : tonumber(n) >= local.spec[i].min && tonumber(n) <= local.spec[i].max])
    ],
    (local.fields[2] == "?") == (local.fields[4] == "?") ? ["exactly one of Day-of-month and Day-of-week must be \"?\" (Glue cannot combine them)"] : [],
  )
}

output "problems" {
  description = "What is wrong with the expression, one sentence per field; empty when it is valid or null."
  value       = local.problems
}

"""Glue network rules over Terraform plans and live AWS accounts."""

from glue_netcheck.catalogue import RULES, Finding, Report, Severity, run_rules

__all__ = ["RULES", "Finding", "Report", "Severity", "run_rules"]

"""Glue network rules over Terraform plans and live AWS accounts."""

from glue_netcheck.catalogue import Catalogue, Finding, Outcome, Report, Severity, Status, run_rules

__all__ = ["Catalogue", "Finding", "Outcome", "Report", "Severity", "Status", "run_rules"]

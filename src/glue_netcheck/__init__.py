"""Glue network rules over Terraform plans and live AWS accounts."""

from collections.abc import Iterable

from glue_netcheck.catalogue import Catalogue, Finding, Outcome, Report, Severity, Status
from glue_netcheck.model import Deployment
from glue_netcheck.rules import CATALOGUE

__all__ = ["CATALOGUE", "Catalogue", "Finding", "Outcome", "Report", "Severity", "Status", "run_rules"]


def run_rules(
    deployment: Deployment, *, catalogue: Catalogue | None = None, only: Iterable[str] | None = None
) -> Report:
    """Judge ``deployment`` with ``catalogue`` (default: glue-netcheck's rules, ``CATALOGUE``)."""
    return (CATALOGUE if catalogue is None else catalogue).run(deployment, only)

"""Turn rule findings into test failures that read as the findings themselves.

A failing assertion on a report would show ``assert [Finding(...)] == []``; these
helpers fail with one line per finding instead (rule id, resource, what is wrong,
the fix), which is what a maintainer needs to act on.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from glue_netcheck import Finding, Report


def fail_with(findings: Iterable[Finding], context: str) -> None:
    found = list(findings)
    if found:
        pytest.fail(f"{context}:\n" + "\n".join(f"  {f}" for f in found), pytrace=False)


def assert_no_failures(report: Report, context: str) -> None:
    """No error and no warning finding."""
    fail_with(report.failures, f"{context}: the rules found problems")


def assert_no_errors(report: Report, context: str) -> None:
    fail_with(report.errors, f"{context}: the rules found errors")

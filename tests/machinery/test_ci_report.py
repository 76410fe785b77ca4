"""scripts/ci_report.py: what the GitHub workflows write (summaries, code-scanning SARIF, the nightly issue).

The workflows cannot run here; these tests hold the logic they call to the behaviour the workflows rely on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.paths import SCRIPTS, load_module

pytestmark = pytest.mark.unit

ci_report = load_module(SCRIPTS / "ci_report.py")


def sarif(*results: tuple[str, str, str, str], rules: int = 15) -> dict:
    """A SARIF document as glue-netcheck writes it: (rule, level, resource address, message) per result."""
    return {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "glue-netcheck", "rules": [{"id": f"GNET{i:03d}"} for i in range(rules)]}},
                "results": [
                    {
                        "ruleId": rule,
                        "level": level,
                        "message": {"text": message},
                        "locations": [{"logicalLocations": [{"name": address, "fullyQualifiedName": address}]}],
                    }
                    for rule, level, address, message in results
                ],
            }
        ],
    }


def test_findings_summary_lists_errors_before_warnings_with_counts():
    doc = sarif(
        ("GNET011", "warning", "module.glue.aws_glue_job.this", "no timeout"),
        ("GNET006", "error", "module.vpc.aws_security_group.glue", "no self | ingress\nrule"),
        rules=3,
    )
    text = ci_report.findings_summary(doc)
    assert "3 rules checked: 1 error(s), 1 warning(s), 0 note(s)." in text
    rows = [line for line in text.splitlines() if line.startswith("| GNET")]
    assert rows == [
        "| GNET006 | error | `module.vpc.aws_security_group.glue` | no self \\| ingress rule |",
        "| GNET011 | warning | `module.glue.aws_glue_job.this` | no timeout |",
    ]


def test_findings_summary_without_findings_says_so():
    assert "No findings." in ci_report.findings_summary(sarif(rules=15))


JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
  <testcase classname="tests.integration.test_good_stack" name="test_ok" time="1"/>
  <testcase classname="tests.integration.test_good_stack" name="test_rules" time="1">
    <failure message="GNET006 [error] sg: no self-referencing ingress">trace</failure></testcase>
  <testcase classname="tests.integration.test_faults" name="test_leak" time="1">
    <error message="">LeakError: 1 resource(s) left
more</error></testcase>
</testsuite></testsuites>
"""


def test_issue_body_names_failing_tests_jobs_and_leftovers(tmp_path: Path):
    junit = tmp_path / "junit-moto.xml"
    junit.write_text(JUNIT)
    sweep = tmp_path / "sweep.txt"
    sweep.write_text("leftover: s3 bucket gnt-2611262300-abcdef-good-data\n")
    body = ci_report.issue_body([junit], sweep, "https://example.invalid/run/1", ["moto", "sandbox"])
    assert "https://example.invalid/run/1" in body
    assert "Failed jobs: `moto`, `sandbox`" in body
    assert "## Failing tests (2 of 3)" in body
    assert (
        "- `tests.integration.test_good_stack::test_rules` (failure): GNET006 [error] sg: no self-referencing" in body
    )
    assert "- `tests.integration.test_faults::test_leak` (error): LeakError: 1 resource(s) left" in body
    assert "gnt-2611262300-abcdef-good-data" in body


def test_issue_body_without_reports_says_what_is_missing():
    body = ci_report.issue_body([], None, "u")
    assert "No JUnit report was produced" in body
    assert "The sweeper wrote no report" in body


def test_issue_body_is_cut_below_githubs_limit(tmp_path: Path):
    sweep = tmp_path / "sweep.txt"
    sweep.write_text("x" * 1000 + "\n" * 1 + ("line\n" * 5000))
    body = ci_report.issue_body([], sweep, "u")
    assert len(body) <= ci_report.MAX_BODY + 100
    assert "more line(s) in the run log" in body


def test_unreadable_junit_is_one_line_naming_the_file(tmp_path: Path, capsys):
    bad = tmp_path / "bad.xml"
    bad.write_text("<testsuite>")
    assert ci_report.main(["junit-summary", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"ci_report: cannot read JUnit XML {bad}")


@pytest.mark.parametrize(
    ("issues", "action"),
    [
        ([], "create"),
        ([{"number": 7, "title": "other", "labels": [{"name": "bug"}]}], "create"),
        (
            [
                {"number": 12, "title": "t", "labels": [{"name": "nightly-failure"}]},
                {"number": 9, "title": "t", "labels": [{"name": "nightly-failure"}, {"name": "bug"}]},
            ],
            "edit 9",
        ),
    ],
)
def test_tracking_issue_updates_the_oldest_open_one_else_creates(tmp_path: Path, issues, action, capsys):
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(issues))
    assert ci_report.main(["tracking-issue", str(path)]) == 0
    assert capsys.readouterr().out.strip() == action

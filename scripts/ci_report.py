#!/usr/bin/env python3
"""What the GitHub workflows write: job summaries and the nightly tracking issue.

(The SARIF that code scanning takes, with a file and line per result, is glue-netcheck's own
``--format sarif``.)

The workflows (.github/workflows) only call this; everything that decides what a summary, an issue or
an upload says lives here, so it is tested offline (tests/machinery/test_ci_report.py) although the
workflows themselves cannot run on this machine.

    python scripts/ci_report.py findings-summary root.sarif                 # Markdown findings table
    python scripts/ci_report.py junit-summary reports/*.xml                 # failing tests, as Markdown
    python scripts/ci_report.py issue-body --junit reports/*.xml --leftovers sweep.txt --run-url URL
    python scripts/ci_report.py tracking-issue issues.json                  # "edit N" or "create"

Exit codes: 0 written; 2 unreadable input (one line naming the file).
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The nightly's one tracking issue is found by this label (and created with it).
TRACKING_LABEL = "nightly-failure"
TRACKING_TITLE = "Nightly integration run failing"
# GitHub refuses an issue body above 65536 characters; leave room for the header.
MAX_BODY = 60000
MAX_LEFTOVER_LINES = 200


class InputError(Exception):
    """An input file the report cannot read: one line, naming the file."""


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise InputError(f"{path} is not JSON: {exc}") from None


def _cell(text: str) -> str:
    """One Markdown table cell: no pipes, no newlines."""
    return " ".join(str(text).split()).replace("|", "\\|")


# --- glue-netcheck SARIF -----------------------------------------------------------------------


@dataclass(frozen=True)
class SarifFinding:
    rule_id: str
    level: str
    resource: str
    message: str


def sarif_findings(doc: dict[str, Any]) -> list[SarifFinding]:
    found = []
    for run in doc.get("runs", []):
        for result in run.get("results", []):
            resource = "-"
            for location in result.get("locations", []):
                for logical in location.get("logicalLocations", []):
                    resource = logical.get("fullyQualifiedName") or logical.get("name") or resource
            found.append(
                SarifFinding(
                    result.get("ruleId", "?"), result.get("level", "warning"), resource, result["message"]["text"]
                )
            )
    return found


_LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2, "none": 3}


def findings_summary(doc: dict[str, Any], title: str = "glue-netcheck on the root plan") -> str:
    """The job summary: counts, then one table row per finding (errors first)."""
    findings = sorted(sarif_findings(doc), key=lambda f: (_LEVEL_ORDER.get(f.level, 9), f.rule_id, f.resource))
    counts = {level: sum(f.level == level for f in findings) for level in ("error", "warning", "note")}
    rules = sum(len(run.get("tool", {}).get("driver", {}).get("rules", [])) for run in doc.get("runs", []))
    lines = [
        f"### {title}",
        "",
        f"{rules} rules checked: {counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s).",
        "",
    ]
    if not findings:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    lines += ["| rule | level | resource | finding |", "|---|---|---|---|"]
    lines += [f"| {f.rule_id} | {f.level} | `{_cell(f.resource)}` | {_cell(f.message)} |" for f in findings]
    return "\n".join(lines) + "\n"


# --- JUnit XML ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedTest:
    name: str
    outcome: str  # failure | error
    message: str


def failed_tests(paths: Iterable[Path]) -> tuple[int, list[FailedTest]]:
    """(tests counted, the failed or errored ones) across JUnit XML files."""
    total = 0
    failed: list[FailedTest] = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as exc:
            raise InputError(f"cannot read JUnit XML {path}: {exc}") from None
        for case in root.iter("testcase"):
            total += 1
            for outcome in ("failure", "error"):
                element = case.find(outcome)
                if element is not None:
                    name = f"{case.get('classname', '')}::{case.get('name', '')}".strip(":")
                    first = (element.get("message") or element.text or "").strip().splitlines()
                    failed.append(FailedTest(name, outcome, first[0] if first else ""))
                    break
    return total, failed


def junit_summary(paths: Sequence[Path], title: str = "tests") -> str:
    total, failed = failed_tests(paths)
    lines = [f"### {title}", "", f"{total} test(s), {len(failed)} failed or errored.", ""]
    if failed:
        lines += ["| test | outcome | first line |", "|---|---|---|"]
        lines += [f"| `{_cell(f.name)}` | {f.outcome} | {_cell(f.message)[:300]} |" for f in failed]
    return "\n".join(lines) + "\n"


# --- the nightly's tracking issue --------------------------------------------------------------


def issue_body(junit: Sequence[Path], leftovers: Path | None, run_url: str, failed_jobs: Sequence[str] = ()) -> str:
    """The tracking issue's body: which run, which jobs, which tests, and what the sweeper found left."""
    total, failed = failed_tests(junit)
    lines = [
        f"The nightly run {run_url} failed.",
        "",
        "This issue is updated by every failing nightly run (label `" + TRACKING_LABEL + "`); close it when "
        "the nightly is green again.",
        "",
    ]
    if failed_jobs:
        lines += ["Failed jobs: " + ", ".join(f"`{j}`" for j in failed_jobs), ""]
    lines += [f"## Failing tests ({len(failed)} of {total})", ""]
    if failed:
        lines += [f"- `{f.name}` ({f.outcome}): {_cell(f.message)[:300]}" for f in failed]
    elif total:
        lines.append("No test failed: a job failed outside the tests (setup, the sweeper); see the run's log.")
    else:
        lines.append("No JUnit report was produced: the run failed before any test ran; see the run's log.")
    lines += ["", "## Leftovers (the sweeper's report after the run)", ""]
    if leftovers is None or not leftovers.is_file():
        lines.append("The sweeper wrote no report (it did not run, or failed before writing one).")
    else:
        text = leftovers.read_text(encoding="utf-8", errors="replace").rstrip().splitlines()
        if len(text) > MAX_LEFTOVER_LINES:
            text = [*text[:MAX_LEFTOVER_LINES], f"... {len(text) - MAX_LEFTOVER_LINES} more line(s) in the run log"]
        lines += ["```", *(text or ["(empty report)"]), "```"]
    body = "\n".join(lines) + "\n"
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + "\n\n(truncated: see the run's log)\n"
    return body


def tracking_issue_action(issues: list[dict[str, Any]]) -> str:
    """``edit N`` for the oldest open issue with the tracking label, else ``create``.

    ``issues``: ``gh issue list --label LABEL --state open --json number,title,labels``.
    """
    open_tracked = sorted(
        i["number"]
        for i in issues
        if any((label.get("name") if isinstance(label, dict) else label) == TRACKING_LABEL for label in i["labels"])
    )
    return f"edit {open_tracked[0]}" if open_tracked else "create"


# --- command line ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ci_report", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("findings-summary", help="Markdown table of glue-netcheck SARIF findings")
    p.add_argument("sarif", type=Path)
    p.add_argument("--title", default="glue-netcheck on the root plan")
    p = sub.add_parser("junit-summary", help="Markdown: counts and failing tests of JUnit XML files")
    p.add_argument("junit", type=Path, nargs="*")
    p.add_argument("--title", default="tests")
    p = sub.add_parser("issue-body", help="Markdown body of the nightly tracking issue")
    p.add_argument("--junit", type=Path, nargs="*", default=[])
    p.add_argument("--leftovers", type=Path, default=None, help="the sweeper's report (its stdout)")
    p.add_argument("--run-url", required=True)
    p.add_argument("--failed-job", action="append", default=[])
    p = sub.add_parser("tracking-issue", help="'edit N' or 'create', from `gh issue list --json number,title,labels`")
    p.add_argument("issues", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "findings-summary":
            out = findings_summary(_load_json(args.sarif), args.title)
        elif args.command == "junit-summary":
            out = junit_summary(args.junit, args.title)
        elif args.command == "issue-body":
            out = issue_body(args.junit, args.leftovers, args.run_url, args.failed_job)
        else:
            out = tracking_issue_action(_load_json(args.issues)) + "\n"
    except InputError as exc:
        print(f"ci_report: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

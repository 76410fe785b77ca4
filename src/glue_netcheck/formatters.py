"""Render a ``Report`` for people (human), programs (json) and code scanners (SARIF 2.1.0)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from glue_netcheck.catalogue import Finding, Report, Rule, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "glue-netcheck"


def summary_counts(report: Report) -> dict[str, int]:
    """Rules run, rules with at least one failure, rules with unverifiable findings only."""
    failed = {f.rule_id for f in report.failures}
    unverifiable = {f.rule_id for f in report.unverifiable} - failed
    return {"rules": len(report.rules_run), "failed": len(failed), "unverifiable": len(unverifiable)}


def summary_line(report: Report) -> str:
    c = summary_counts(report)
    return f"{c['rules']} rules, {c['failed']} failed, {c['unverifiable']} unverifiable"


def _level_word(finding: Finding) -> str:
    return "unverifiable" if finding.status == "unverifiable" else finding.severity.value


def format_human(report: Report, rules: Mapping[str, Rule]) -> str:
    """Failures first, then unverifiable findings, then gaps and the summary line."""
    lines = [f"glue-netcheck: {report.deployment_source}"]
    for finding in [*report.failures, *report.unverifiable]:
        rule = rules.get(finding.rule_id)
        lines.append(f"{finding.rule_id} {_level_word(finding)} {finding.resource}")
        lines.append(f"  what: {finding.message}")
        lines.append(f"  fix: {finding.fix}")
        lines.append(f"  source: {rule.source if rule else 'unknown rule'}")
    if report.gaps:
        lines.append("gaps (facts the source could not provide):")
        lines.extend(f"  - {gap}" for gap in report.gaps)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "source": report.deployment_source,
        "ok": report.ok,
        "summary": summary_counts(report),
        "rules_run": list(report.rules_run),
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity.value,
                "status": f.status,
                "resource": f.resource,
                "message": f.message,
                "fix": f.fix,
            }
            for f in report.findings
        ],
        "gaps": list(report.gaps),
    }


def format_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2) + "\n"


def _sarif_level(finding: Finding) -> str:
    if finding.status == "unverifiable":
        return "note"
    return "error" if finding.severity == Severity.ERROR else "warning"


_URL = re.compile(r"https?://[^\s)]+")
_AWS_DOCS = re.compile(r"\bdocs\.aws\.amazon\.com/[^\s)]+")
_PROVIDER_ISSUE = re.compile(r"hashicorp/terraform-provider-aws issue #(\d+)")


def help_uri(source: str) -> str | None:
    """A link for a rule's source text: an explicit URL, an AWS docs path, or a provider issue."""
    if m := _URL.search(source):
        return m.group(0)
    if m := _AWS_DOCS.search(source):
        return f"https://{m.group(0)}"
    if m := _PROVIDER_ISSUE.search(source):
        return f"https://github.com/hashicorp/terraform-provider-aws/issues/{m.group(1)}"
    return None


def _sarif_rule(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    if rule is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    entry: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} Source: {rule.source}"},
        "defaultConfiguration": {"level": "error" if rule.severity == Severity.ERROR else "warning"},
        "properties": {"source": rule.source},
    }
    if uri := help_uri(rule.source):
        entry["helpUri"] = uri
    return entry


def format_sarif(report: Report, rules: Mapping[str, Rule]) -> str:
    """One SARIF 2.1.0 run; each finding's resource is a logical location."""
    rule_ids = list(dict.fromkeys([*report.rules_run, *(f.rule_id for f in report.findings)]))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [
        {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": _sarif_level(f),
            "message": {"text": f"{f.message} Fix: {f.fix}"},
            "locations": [
                {"logicalLocations": [{"name": f.resource, "fullyQualifiedName": f.resource, "kind": "resource"}]}
            ],
        }
        for f in report.findings
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "rules": [_sarif_rule(rule_id, rules.get(rule_id)) for rule_id in rule_ids],
            }
        },
        "results": results,
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "note", "message": {"text": gap}} for gap in report.gaps],
            }
        ],
        "properties": {"deploymentSource": report.deployment_source},
    }
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2) + "\n"

"""Render a ``Report`` for people (human), programs (json) and code scanners (SARIF 2.1.0)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from glue_netcheck.catalogue import Catalogue, Finding, Report, Rule, Severity, Status
from glue_netcheck.version import tool_version

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "glue-netcheck"


def _rule(rules: Catalogue | Mapping[str, Rule], rule_id: str) -> Rule | None:
    return rules.get(rule_id)


def format_human(report: Report, rules: Catalogue | Mapping[str, Rule]) -> str:
    """Errors, warnings, unverifiable facts and notes, in that order; then gaps and the summary line."""
    lines = [f"glue-netcheck: {report.deployment_source}"]
    for finding in [*report.errors, *report.warnings, *report.unverifiable, *report.infos]:
        rule = _rule(rules, finding.rule_id)
        where = f" ({finding.address})" if finding.address and finding.address != finding.resource else ""
        lines.append(f"{finding.rule_id} {finding.level} {finding.resource}{where}")
        lines.append(f"  what: {finding.message}")
        lines.append(f"  fix: {finding.fix}")
        lines.append(f"  source: {rule.source if rule else 'unknown rule'}")
    if report.gaps:
        lines.append("gaps (facts the source could not provide):")
        lines.extend(f"  - {gap}" for gap in report.gaps)
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


# The JSON report's contract: glue_netcheck/report.schema.json. A new optional field keeps the major;
# a removed or changed one raises it.
JSON_SCHEMA_VERSION = "1.0"


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "source": report.deployment_source,
        "ok": report.ok,
        "summary": report.counts(),
        "rules": {r.rule.id: r.outcome.value for r in report.results},
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity.value,
                "status": f.status.value,
                "resource": f.resource,
                "address": f.address,
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
    if finding.status != Status.FAIL:
        return "note"
    return "error" if finding.severity == Severity.ERROR else "warning"


def _sarif_rule(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    if rule is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    links = "\n".join(f"- [{r.title}]({r.url})" for r in rule.references)
    requirements = ", ".join(rule.requirements)
    entry: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} Source: {rule.source}"},
        "help": {
            "text": f"{rule.fix} Source: {rule.source}",
            "markdown": f"{rule.fix}\n\n{links}\n\nRequirements of the contract: {requirements}",
        },
        "defaultConfiguration": {"level": "error" if rule.severity == Severity.ERROR else "warning"},
        "properties": {"requirements": list(rule.requirements), "references": [r.url for r in rule.references]},
    }
    if rule.references:
        entry["helpUri"] = rule.references[0].url
    return entry


def _locations(report: Report, f: Finding) -> list[dict[str, Any]]:
    """The resource as a logical location and, when the sources were read, where its block is written."""
    location: dict[str, Any] = {
        "logicalLocations": [{"name": f.resource, "fullyQualifiedName": f.address or f.resource, "kind": "resource"}]
    }
    if report.locator is not None:
        uri, line = report.locator(f.address) or report.locator.fallback
        location["physicalLocation"] = {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line},
        }
    return [location]


def format_sarif(report: Report, rules: Catalogue | Mapping[str, Rule]) -> str:
    """One SARIF 2.1.0 run. Each result names its resource (a logical location) and, for a plan read with
    its sources, the file and line of the block (a physical location, which code scanning requires).
    Failures are errors or warnings; unverifiable facts and notes are notes."""
    rule_ids = list(dict.fromkeys([*report.rules_run, *(f.rule_id for f in report.findings)]))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [
        {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": _sarif_level(f),
            "message": {"text": f"{f.message} Fix: {f.fix}"},
            "locations": _locations(report, f),
        }
        for f in report.findings
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version(),
                "semanticVersion": tool_version(),
                "rules": [_sarif_rule(rule_id, _rule(rules, rule_id)) for rule_id in rule_ids],
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

"""Formatters on hand-built reports: human lines, JSON fields, SARIF 2.1.0 structure."""

from __future__ import annotations

import json
from typing import Any

import pytest

from glue_netcheck.catalogue import Finding, Report, Rule, Severity
from glue_netcheck.formatters import format_human, format_json, format_sarif, help_uri, summary_line

pytestmark = pytest.mark.cli


def _never(_: Any) -> list[Finding]:
    return []


RULES = {
    "GNET001": Rule("GNET001", "Job is in a VPC", Severity.ERROR, "https://docs.aws.amazon.com/glue/vpc", _never),
    "GNET002": Rule("GNET002", "AZ failover", Severity.WARNING, "Glue guide: Failover behavior", _never),
    "GNET003": Rule(
        "GNET003", "Connection type NETWORK", Severity.ERROR, "hashicorp/terraform-provider-aws issue #21630", _never
    ),
}
ERROR = Finding("GNET001", "etl-before", "no NETWORK connection listed.", "List a connection name.")
WARN = Finding("GNET002", "etl-good", "one connection only.", "Add one per AZ.", Severity.WARNING)
UNVERIFIABLE = Finding("GNET003", "glue-net-a", "type not reported.", "Check it.", status="unverifiable")
REPORT = Report("live:us-east-1", [ERROR, WARN, UNVERIFIABLE], list(RULES), ["moto omits ConnectionType"])


def test_human_lists_each_finding_then_gaps_then_summary() -> None:
    assert format_human(REPORT, RULES).splitlines() == [
        "glue-netcheck: live:us-east-1",
        "GNET001 error etl-before",
        "  what: no NETWORK connection listed.",
        "  fix: List a connection name.",
        "  source: https://docs.aws.amazon.com/glue/vpc",
        "GNET002 warning etl-good",
        "  what: one connection only.",
        "  fix: Add one per AZ.",
        "  source: Glue guide: Failover behavior",
        "GNET003 unverifiable glue-net-a",
        "  what: type not reported.",
        "  fix: Check it.",
        "  source: hashicorp/terraform-provider-aws issue #21630",
        "gaps (facts the source could not provide):",
        "  - moto omits ConnectionType",
        "3 rules, 2 failed, 1 unverifiable",
    ]


def test_summary_counts_rules_not_findings() -> None:
    twice = Report("plan:x", [ERROR, ERROR, UNVERIFIABLE], ["GNET001", "GNET003"], [])
    assert summary_line(twice) == "2 rules, 1 failed, 1 unverifiable"
    # A rule that failed somewhere is counted as failed, not also as unverifiable.
    mixed = Report("plan:x", [ERROR, Finding("GNET001", "j", "m", "f", status="unverifiable")], ["GNET001"], [])
    assert summary_line(mixed) == "1 rules, 1 failed, 0 unverifiable"
    assert format_human(Report("plan:x", [], ["GNET001"], []), RULES).splitlines() == [
        "glue-netcheck: plan:x",
        "1 rules, 0 failed, 0 unverifiable",
    ]


def test_json_carries_every_field() -> None:
    doc = json.loads(format_json(REPORT))
    assert doc == {
        "source": "live:us-east-1",
        "ok": False,
        "summary": {"rules": 3, "failed": 2, "unverifiable": 1},
        "rules_run": ["GNET001", "GNET002", "GNET003"],
        "findings": [
            {
                "rule_id": "GNET001",
                "severity": "error",
                "status": "fail",
                "resource": "etl-before",
                "message": "no NETWORK connection listed.",
                "fix": "List a connection name.",
            },
            {
                "rule_id": "GNET002",
                "severity": "warning",
                "status": "fail",
                "resource": "etl-good",
                "message": "one connection only.",
                "fix": "Add one per AZ.",
            },
            {
                "rule_id": "GNET003",
                "severity": "error",
                "status": "unverifiable",
                "resource": "glue-net-a",
                "message": "type not reported.",
                "fix": "Check it.",
            },
        ],  # fmt: skip
        "gaps": ["moto omits ConnectionType"],
    }


# The parts of the SARIF 2.1.0 schema that consumers (GitHub code scanning) rely on.
SARIF_ESSENTIALS: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "shortDescription"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                },
                                                "helpUri": {"type": "string", "format": "uri"},
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "level", "message", "locations"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {"type": "object", "required": ["text"]},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["logicalLocations"],
                                        "properties": {
                                            "logicalLocations": {
                                                "type": "array",
                                                "minItems": 1,
                                                "items": {"type": "object", "required": ["name"]},
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_sarif_structure_and_content() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(format_sarif(REPORT, RULES))
    jsonschema.validate(doc, SARIF_ESSENTIALS)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "glue-netcheck"
    assert [r["id"] for r in driver["rules"]] == ["GNET001", "GNET002", "GNET003"]
    first = driver["rules"][0]
    assert first["shortDescription"] == {"text": "Job is in a VPC"}
    assert first["helpUri"] == "https://docs.aws.amazon.com/glue/vpc"
    assert "terraform-provider-aws issue #21630" in driver["rules"][2]["fullDescription"]["text"]
    assert driver["rules"][2]["helpUri"] == "https://github.com/hashicorp/terraform-provider-aws/issues/21630"
    assert "helpUri" not in driver["rules"][1]  # no link in the source text
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("GNET001", "error"),
        ("GNET002", "warning"),
        ("GNET003", "note"),
    ]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert run["results"][0]["message"]["text"] == "no NETWORK connection listed. Fix: List a connection name."
    assert run["results"][0]["locations"][0]["logicalLocations"][0]["name"] == "etl-before"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "note", "message": {"text": "moto omits ConnectionType"}}]


def test_help_uri_from_source_text() -> None:
    assert help_uri("see https://example.com/a).") == "https://example.com/a"
    assert help_uri("Glue guide (docs.aws.amazon.com/glue/latest/dg/x.html)") == (
        "https://docs.aws.amazon.com/glue/latest/dg/x.html"
    )
    assert help_uri("hashicorp/terraform-provider-aws issue #4762 (AZ null)") == (
        "https://github.com/hashicorp/terraform-provider-aws/issues/4762"
    )
    assert help_uri("Glue developer guide: Failover behavior between VPCs") is None


def test_sarif_declares_rules_of_findings_outside_the_run_list() -> None:
    stray = Report("plan:x", [Finding("GNET999", "r", "m", "f")], ["GNET001"], [])
    doc = json.loads(format_sarif(stray, RULES))
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["GNET001", "GNET999"]
    assert run["results"][0]["ruleIndex"] == 1

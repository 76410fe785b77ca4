"""Formatters on reports from a small test-local catalogue: human lines, JSON fields, SARIF 2.1.0 structure.

The report comes from ``Catalogue.run``, the public way to judge a deployment, with
rules written here so that every outcome (failed, passed with warnings, unverifiable,
a note, passed, not applicable) occurs once and the expected text is known.
"""

from __future__ import annotations

import json
from importlib import metadata
from typing import Any

import pytest

from glue_netcheck.catalogue import Catalogue, Report, RuleReporter, Severity, cite
from glue_netcheck.formatters import format_human, format_json, format_sarif
from glue_netcheck.model import Deployment, Job

pytestmark = pytest.mark.cli

ISSUE = "https://github.com/hashicorp/terraform-provider-aws/issues/21630"
RULES = Catalogue()


@RULES.rule(
    "TST001",
    "Job is in a VPC",
    cite(("Glue VPC guide", "https://docs.aws.amazon.com/glue/vpc")),
    "List a connection name.",
)
def in_vpc(d: Deployment, report: RuleReporter) -> None:
    report.fail("etl-before", "no NETWORK connection listed.")
    report.passed("etl-good")


@RULES.rule("TST002", "AZ failover", cite(), "Add one per AZ.", Severity.WARNING)
def failover(d: Deployment, report: RuleReporter) -> None:
    report.fail("etl-good", "one connection only.")


@RULES.rule(
    "TST003",
    "Connection type",
    cite(("terraform-provider-aws issue #21630", ISSUE), requirements=("R-NAMES",)),
    "Use NETWORK.",
)
def connection_type(d: Deployment, report: RuleReporter) -> None:
    report.unverifiable("glue-net-a", "type not reported.", "Check it.")


@RULES.rule(
    "TST004",
    "Job needs a VPC",
    cite(("Glue guide", "https://docs.aws.amazon.com/glue/latest/dg/x.html")),
    "Attach one.",
)
def vpc_intent(d: Deployment, report: RuleReporter) -> None:
    report.info("etl-s3", "not in a VPC.", "nothing, if that is intended")


@RULES.rule("TST005", "Role may create ENIs", cite(), "Grant it.")
def role(d: Deployment, report: RuleReporter) -> None:
    report.passed("etl-good")


@RULES.rule("TST006", "Subnets are private", cite(), "Use a private subnet.")
def private(d: Deployment, report: RuleReporter) -> None:
    """Judges nothing: did not apply."""


def _report(gaps: list[str] | None = None) -> Report:
    d = Deployment(source="live:us-east-1", kind="live", jobs={"etl-good": Job("etl-good")})
    d.gaps = list(gaps if gaps is not None else ["moto omits ConnectionType"])
    return RULES.run(d)


def test_report_counts_rules_by_outcome_and_findings_by_kind() -> None:
    assert _report().counts() == {
        "rules": 6,
        "applied": 4,
        "passed": 1,
        "warned": 1,
        "failed": 1,
        "unverifiable": 1,
        "not_applicable": 2,
        "errors": 1,
        "warnings": 1,
        "unverifiable_findings": 1,
        "notes": 1,
    }


def test_a_rule_with_only_notes_did_not_apply() -> None:
    """A note judges nothing (catalogue: 'a rule that judged nothing did not apply'), and never fails."""
    report = _report()
    assert [report.outcome_of(r).value for r in ("TST004", "TST006")] == ["not applicable", "not applicable"]
    assert [f.level for f in report.infos] == ["info"] and report.infos[0] not in report.failures


def test_human_lists_errors_warnings_unverifiable_notes_then_gaps_then_summary() -> None:
    assert format_human(_report(), RULES).splitlines() == [
        "glue-netcheck: live:us-east-1",
        "TST001 error etl-before",
        "  what: no NETWORK connection listed.",
        "  fix: List a connection name.",
        "  source: Glue VPC guide (https://docs.aws.amazon.com/glue/vpc)",
        "TST002 warning etl-good",
        "  what: one connection only.",
        "  fix: Add one per AZ.",
        "  source: ",
        "TST003 unverifiable glue-net-a",
        "  what: cannot verify: type not reported.",
        "  fix: Check it.",
        "  source: terraform-provider-aws issue #21630 (https://github.com/hashicorp/terraform-provider-aws/issues/21630); requirements R-NAMES",
        "TST004 info etl-s3",
        "  what: not in a VPC.",
        "  fix: nothing, if that is intended",
        "  source: Glue guide (https://docs.aws.amazon.com/glue/latest/dg/x.html)",
        "gaps (facts the source could not provide):",
        "  - moto omits ConnectionType",
        "6 rules: 1 failed, 1 unverifiable, 1 passed, 1 passed with warnings, 2 did not apply; "
        "1 errors, 1 warnings, 1 unverifiable facts, 1 notes",
    ]


def test_a_warning_never_reads_as_failed() -> None:
    report = RULES.run(Deployment(source="plan:x"), only=["TST002", "TST005"])
    assert report.ok and report.errors == [] and len(report.warnings) == 1
    assert format_human(report, RULES).splitlines()[-1] == (
        "2 rules: 0 failed, 0 unverifiable, 1 passed, 1 passed with warnings, 0 did not apply; "
        "0 errors, 1 warnings, 0 unverifiable facts, 0 notes"
    )


def test_clean_report_is_the_source_line_and_the_summary() -> None:
    report = RULES.run(Deployment(source="plan:x"), only=["TST005", "TST006"])
    assert format_human(report, RULES).splitlines() == [
        "glue-netcheck: plan:x",
        "2 rules: 0 failed, 0 unverifiable, 1 passed, 0 passed with warnings, 1 did not apply; "
        "0 errors, 0 warnings, 0 unverifiable facts, 0 notes",
    ]


def test_json_carries_every_field() -> None:
    doc = json.loads(format_json(_report()))
    assert doc == {
        "schema_version": "1.0",
        "tool": {"name": "glue-netcheck", "version": metadata.version("glue-netcheck")},
        "source": "live:us-east-1",
        "ok": False,
        "summary": _report().counts(),
        "rules": {
            "TST001": "failed",
            "TST002": "warned",
            "TST003": "unverifiable",
            "TST004": "not applicable",
            "TST005": "passed",
            "TST006": "not applicable",
        },
        "findings": [
            {
                "rule_id": "TST001",
                "severity": "error",
                "status": "fail",
                "resource": "etl-before",
                "address": "",
                "message": "no NETWORK connection listed.",
                "fix": "List a connection name.",
            },
            {
                "rule_id": "TST002",
                "severity": "warning",
                "status": "fail",
                "resource": "etl-good",
                "address": "",
                "message": "one connection only.",
                "fix": "Add one per AZ.",
            },
            {
                "rule_id": "TST003",
                "severity": "error",
                "status": "unverifiable",
                "resource": "glue-net-a",
                "address": "",
                "message": "cannot verify: type not reported.",
                "fix": "Check it.",
            },
            {
                "rule_id": "TST004",
                "severity": "error",
                "status": "info",
                "resource": "etl-s3",
                "address": "",
                "message": "not in a VPC.",
                "fix": "nothing, if that is intended",
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
    doc = json.loads(format_sarif(_report(), RULES))
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed: the schema check is skipped")
    jsonschema.validate(doc, SARIF_ESSENTIALS)


def test_sarif_rules_results_and_notes() -> None:
    run = json.loads(format_sarif(_report(), RULES))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "glue-netcheck"
    assert [r["id"] for r in driver["rules"]] == RULES.ids()  # every rule run, including those that passed
    first = driver["rules"][0]
    assert first["shortDescription"] == {"text": "Job is in a VPC"}
    assert first["helpUri"] == "https://docs.aws.amazon.com/glue/vpc"
    assert first["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "warning"}
    assert "helpUri" not in driver["rules"][1]  # a rule without references has no link
    assert "terraform-provider-aws issue #21630" in driver["rules"][2]["fullDescription"]["text"]
    assert driver["rules"][2]["helpUri"] == "https://github.com/hashicorp/terraform-provider-aws/issues/21630"
    assert driver["rules"][3]["helpUri"] == "https://docs.aws.amazon.com/glue/latest/dg/x.html"
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("TST001", "error"),
        ("TST002", "warning"),
        ("TST003", "note"),
        ("TST004", "note"),
    ]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert run["results"][0]["message"]["text"] == "no NETWORK connection listed. Fix: List a connection name."
    assert run["results"][0]["locations"][0]["logicalLocations"][0]["name"] == "etl-before"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "note", "message": {"text": "moto omits ConnectionType"}}]
    assert run["properties"] == {"deploymentSource": "live:us-east-1"}


def test_sarif_help_links_come_from_the_rules_references() -> None:
    """Rule metadata is data: the help link and text are the rule's first reference and its requirements."""
    from glue_netcheck.rules import CATALOGUE

    doc = json.loads(format_sarif(CATALOGUE.run(Deployment(source="plan:x"), only=["GNET003"]), CATALOGUE))
    (entry,) = doc["runs"][0]["tool"]["driver"]["rules"]
    assert entry["helpUri"] == "https://github.com/hashicorp/terraform-provider-aws/issues/4762"
    assert entry["properties"]["requirements"] == ["R-PHYSICAL"]
    assert (
        "- [AWS Glue developer guide: Connecting to a JDBC data store in a VPC](https://docs.aws.amazon.com/"
        in (entry["help"]["markdown"])
    )


def test_sarif_declares_a_rule_the_catalogue_does_not_know() -> None:
    """A report rendered with another catalogue than the one that produced it still gives valid indexes."""
    doc = json.loads(format_sarif(RULES.run(Deployment(source="plan:x"), only=["TST001"]), Catalogue()))
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rules == [{"id": "TST001", "shortDescription": {"text": "TST001"}}]
    assert doc["runs"][0]["results"][0]["ruleIndex"] == 0

"""``glue-netcheck job`` and ``rules`` in-process against moto with the real catalogue: exit codes, output shapes.

Exit codes: 0 no error finding (warnings, unverifiable facts and notes allowed), 1 error
findings, 2 unusable input or access problem (one line), 3 internal error (one line,
``GLUE_NETCHECK_DEBUG=1`` for the traceback). The plan command's error paths are in
test_cli_plan.py; verdicts on real plans in tests/unit/test_cli_on_plans.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from glue_netcheck.rules import CATALOGUE
from harness.aws_world import REGION, World
from harness.cli_run import findings, one_error_line, run_cli

pytestmark = pytest.mark.cli

RULES = len(CATALOGUE)
# GNET016 judges how a configuration writes security-group rules: a live account does not show it.
LIVE_RULES = RULES - 1


def _summary(applied: int, passed: int, warned: int, failed: int, unverifiable: int, errors: int, warnings: int,
             notes: int, facts: int | None = None) -> str:  # fmt: skip
    """Report.summary() for these counts; 'did not apply' is what is left of the catalogue."""
    return (
        f"{RULES} rules: {failed} failed, {unverifiable} unverifiable, {passed} passed, {warned} passed with "
        f"warnings, {RULES - applied} did not apply; {errors} errors, {warnings} warnings, "
        f"{unverifiable if facts is None else facts} unverifiable facts, {notes} notes"
    )


def _block(out: str, rule_id: str, level: str, resource: str) -> list[str]:
    """The four lines the human format prints for one finding."""
    lines = out.splitlines()
    start = lines.index(f"{rule_id} {level} {resource}")
    return lines[start : start + 4]


# -- exit 0 ------------------------------------------------------------------------------------


def test_guide_conformant_job_exits_0_and_every_rule_passes(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    code, out, err = run_cli(capsys, "job", w.good_job, "--region", REGION)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"glue-netcheck: live:{REGION}"
    # moto leaves ConnectionType out: listed as gaps, not findings.
    assert lines[1] == "gaps (facts the source could not provide):"
    assert all(line.startswith("  - connection glue-net-") for line in lines[2:-1])
    assert lines[-1] == _summary(LIVE_RULES, LIVE_RULES, 0, 0, 0, 0, 0, 0)


def test_warnings_alone_exit_0_and_are_not_counted_as_failed(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    code, out, _ = run_cli(capsys, "job", w.warn_job, "--region", REGION)
    assert code == 0
    what, fix, source = _block(out, "GNET015", "warning", w.warn_job)[1:]
    assert what.startswith("  what: the role lacks ['ec2:DescribeSubnets'")
    assert (fix, source) == (f"  fix: {CATALOGUE['GNET015'].fix}", f"  source: {CATALOGUE['GNET015'].source}")
    assert out.splitlines()[-1] == _summary(LIVE_RULES, LIVE_RULES - 1, 1, 0, 0, 0, 1, 0)


def test_info_note_is_shown_and_exits_0(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    code, out, _ = run_cli(capsys, "job", w.s3_only_job, "--region", REGION)
    assert code == 0
    what = _block(out, "GNET001", "info", w.s3_only_job)[1]
    assert what.startswith("  what: not in a VPC: the job lists no connection and nothing declares it a VPC job")
    assert out.splitlines()[-1] == _summary(1, 1, 0, 0, 0, 0, 0, 1)


def test_region_from_environment(aws: dict[str, Any], capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    code, out, _ = run_cli(capsys, "job", aws["world"].good_job)
    assert code == 0 and out.startswith(f"glue-netcheck: live:{REGION}\n")


# -- exit 1 ------------------------------------------------------------------------------------


def test_seed_before_job_exits_1_with_rule_fix_and_source(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    code, out, _ = run_cli(capsys, "job", w.before_job, "--region", REGION)
    assert code == 1
    what, fix, source = _block(out, "GNET001", "error", w.before_job)[1:]
    assert what.startswith("  what: the job is meant for a VPC (it passes --vpc-security-group-ids, --vpc-subnet-ids)")
    assert "but it lists no connection" in what
    assert (fix, source) == (f"  fix: {CATALOGUE['GNET001'].fix}", f"  source: {CATALOGUE['GNET001'].source}")
    assert _block(out, "GNET005", "error", w.before_job)[0] == f"GNET005 error {w.before_job}"
    assert out.splitlines()[-1] == _summary(2, 0, 0, 2, 0, 2, 0, 0)


def test_unreachable_secrets_manager_exits_1(aws: dict[str, Any], capsys: Any) -> None:
    """SECRET_ID on the connection, a Secrets Manager endpoint with private DNS off and no NAT: GNET014."""
    w: World = aws["world"]
    code, out, _ = run_cli(capsys, "job", w.jdbc_job, "--region", REGION, "--format", "json")
    assert code == 1
    [finding] = [f for f in json.loads(out)["findings"] if f["rule_id"] == "GNET014"]
    assert finding["status"] == "fail" and finding["resource"] == w.jdbc_job
    assert f"the job needs secretsmanager (connection {w.jdbc_connection} reads its credentials" in finding["message"]
    assert f"endpoint {w.secrets_endpoint} has private DNS off" in finding["message"]


# -- --require-vpc -----------------------------------------------------------------------------


def test_require_vpc_turns_a_job_without_evidence_into_a_failure(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    code, out, _ = run_cli(capsys, "job", w.untagged_job, "--region", REGION, "--format", "json")
    assert code == 0 and findings(json.loads(out), "info") == {("GNET001", w.untagged_job)}
    code, out, _ = run_cli(capsys, "job", w.untagged_job, "--region", REGION, "--require-vpc", w.untagged_job)
    assert code == 1
    what = _block(out, "GNET001", "error", w.untagged_job)[1]
    assert "the job is meant for a VPC (--require-vpc names it) but it lists no connection" in what


def test_require_vpc_takes_commas_and_repeats(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    argv = ["job", w.untagged_job, w.s3_only_job, w.good_job, "--region", REGION, "--format", "json"]
    code, out, _ = run_cli(capsys, *argv, "--require-vpc", f"{w.untagged_job}, {w.good_job}", "--require-vpc",
                           w.s3_only_job)  # fmt: skip
    assert code == 1
    # The tag "none" is evidence against, but the user's word wins; the good job still passes.
    assert findings(json.loads(out), "fail") == {("GNET001", w.untagged_job), ("GNET001", w.s3_only_job)}


def test_require_vpc_refuses_a_job_not_being_checked(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    code, out, err = run_cli(capsys, "job", w.good_job, "--region", REGION, "--require-vpc", "etl-typo,etl-other")
    assert (code, out) == (2, "")
    assert one_error_line(err) == "--require-vpc names job(s) not being checked: etl-other, etl-typo"


# -- exit 2 and 3 ------------------------------------------------------------------------------


def test_job_not_found_exits_2_with_one_line(aws: dict[str, Any], capsys: Any) -> None:
    code, out, err = run_cli(capsys, "job", aws["world"].good_job, "no-such-job", "--region", REGION)
    assert (code, out) == (2, "")
    assert one_error_line(err) == f"Glue job not found in {REGION}: no-such-job"


def _adapter_bug(*_: Any, **__: Any) -> None:
    raise KeyError("VpcId")


def test_adapter_bug_exits_3_with_one_line(aws: dict[str, Any], capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLUE_NETCHECK_DEBUG", raising=False)
    monkeypatch.setattr("glue_netcheck.live_adapter._LiveReader._add_vpc", _adapter_bug)
    code, out, err = run_cli(capsys, "job", aws["world"].good_job, "--region", REGION)
    assert (code, out) == (3, "")
    assert one_error_line(err) == (
        "internal error: KeyError: 'VpcId' (a bug in glue-netcheck; set GLUE_NETCHECK_DEBUG=1 for the traceback)"
    )


def test_adapter_bug_with_debug_prints_the_traceback_and_still_exits_3(
    aws: dict[str, Any], capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLUE_NETCHECK_DEBUG", "1")
    monkeypatch.setattr("glue_netcheck.live_adapter._LiveReader._add_vpc", _adapter_bug)
    code, out, err = run_cli(capsys, "job", aws["world"].good_job, "--region", REGION)
    assert (code, out) == (3, "")
    assert err.startswith("Traceback (most recent call last):\n")
    assert "in _adapter_bug\n" in err and "KeyError: 'VpcId'\n" in err
    assert err.splitlines()[-1].startswith("glue-netcheck: error: internal error: KeyError: 'VpcId'")


# -- output shapes -------------------------------------------------------------------------------


def test_json_shape(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    code, out, _ = run_cli(capsys, "job", w.good_job, w.before_job, "--region", REGION, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert set(doc) == {"schema_version", "tool", "source", "ok", "summary", "rules", "findings", "gaps"}
    assert doc["source"] == f"live:{REGION}" and doc["ok"] is False
    assert doc["summary"] == {
        "rules": RULES,
        "applied": LIVE_RULES,
        "passed": LIVE_RULES - 2,
        "warned": 0,
        "failed": 2,
        "unverifiable": 0,
        "not_applicable": RULES - LIVE_RULES,
        "errors": 2,
        "warnings": 0,
        "unverifiable_findings": 0,
        "notes": 0,
    }
    assert list(doc["rules"]) == CATALOGUE.ids()
    assert {k for k, v in doc["rules"].items() if v == "failed"} == {"GNET001", "GNET005"}
    assert set(doc["rules"].values()) == {"passed", "failed", "not applicable"}
    assert [k for k, v in doc["rules"].items() if v == "not applicable"] == ["GNET016"]
    gnet005 = [f for f in doc["findings"] if f["rule_id"] == "GNET005"]
    assert gnet005 == [
        {
            "rule_id": "GNET005",
            "severity": "error",
            "status": "fail",
            "resource": w.before_job,
            "address": w.before_job,
            "message": "job arguments ['--vpc-security-group-ids', '--vpc-subnet-ids'] are handed to the script and "
            "ignored for placement: they do not put the job in a VPC.",
            "fix": CATALOGUE["GNET005"].fix,
        }
    ]
    assert doc["gaps"] and all("ConnectionType" in g for g in doc["gaps"])


def test_sarif_shape_levels_for_error_warning_and_note(aws: dict[str, Any], capsys: Any) -> None:
    w: World = aws["world"]
    jobs = (w.before_job, w.warn_job, w.s3_only_job)
    code, out, _ = run_cli(capsys, "job", *jobs, "--region", REGION, "--format", "sarif")
    assert code == 1
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    driver = run0["tool"]["driver"]
    assert driver["name"] == "glue-netcheck"
    assert [r["id"] for r in driver["rules"]] == CATALOGUE.ids()
    assert driver["rules"][0]["shortDescription"] == {"text": CATALOGUE["GNET001"].title}
    levels = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"], r["level"]) for r in run0["results"]}
    assert levels == {
        ("GNET001", w.before_job, "error"),
        ("GNET005", w.before_job, "error"),
        ("GNET015", w.warn_job, "warning"),
        ("GNET001", w.s3_only_job, "note"),
    }
    for result in run0["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


# -- rules and usage -----------------------------------------------------------------------------


def test_rules_lists_the_catalogue(capsys: Any) -> None:
    code, out, _ = run_cli(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == f"{RULES} rules"
    heads = [line for line in lines if re.match(r"GNET\d{3}  ", line)]
    assert heads == [f"{r.id}  {r.severity.value:<7}  {r.title}" for r in CATALOGUE]
    assert [line for line in lines if line.startswith("    source: ")] == [f"    source: {r.source}" for r in CATALOGUE]
    assert len(lines) == 2 * RULES + 1


def test_rules_as_json(capsys: Any) -> None:
    code, out, _ = run_cli(capsys, "rules", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [row["id"] for row in rows] == CATALOGUE.ids()
    assert rows[0] == {
        "id": "GNET001",
        "severity": "error",
        "title": CATALOGUE["GNET001"].title,
        "source": CATALOGUE["GNET001"].source,
        "requirements": ["R-PLACEMENT"],
        "references": [
            {
                "title": "AWS Glue developer guide: Setting up network access to data stores",
                "url": "https://docs.aws.amazon.com/glue/latest/dg/start-connecting.html",
            }
        ],
        "fix": CATALOGUE["GNET001"].fix,
    }
    assert {row["id"]: row["severity"] for row in rows if row["severity"] == "warning"} == {
        "GNET004": "warning",
        "GNET015": "warning",
    }


@pytest.mark.parametrize(
    "argv",
    [[], ["bogus"], ["job"], ["plan"], ["job", "x", "--format", "xml"], ["plan", "p.json", "--nope"]],
)
def test_usage_errors_exit_2_with_one_line(capsys: Any, argv: list[str]) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert (code, out) == (2, "")
    assert re.fullmatch(r".+ \(see glue-netcheck( job| plan)? --help\)", one_error_line(err))


def test_allow_no_vpc_is_gone(capsys: Any) -> None:
    code, _, err = run_cli(capsys, "plan", "p.json", "--allow-no-vpc")
    assert code == 2 and "unrecognized arguments: --allow-no-vpc" in one_error_line(err)


def test_help_exits_0(capsys: Any) -> None:
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "plan" in out and "job" in out and "rules" in out

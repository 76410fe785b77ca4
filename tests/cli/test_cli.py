"""``glue-netcheck`` in-process: the job, plan and rules commands, exit codes and output shapes."""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from aws_world import REGION

from glue_netcheck import catalogue
from glue_netcheck.cli import main
from glue_netcheck.model import Deployment, Job

pytestmark = pytest.mark.cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("glue-netcheck: error: ")
    assert "Traceback" not in err
    return lines[0]


# -- job ---------------------------------------------------------------------------------


def test_job_clean_exits_0_with_human_report(aws: dict[str, Any], test_rules: Any, capsys: Any) -> None:
    code, out, err = run(capsys, "job", "etl-good", "--region", REGION)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"glue-netcheck: live:{REGION}"
    assert "TEST902 unverifiable glue-net-b" in lines  # moto omits ConnectionType
    assert lines[-1] == "2 rules, 0 failed, 1 unverifiable"


def test_job_outside_vpc_exits_1(aws: dict[str, Any], test_rules: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "job", "etl-before", "--region", REGION)
    assert code == 1
    i = out.splitlines().index("TEST901 error etl-before")
    assert out.splitlines()[i + 1 : i + 4] == [
        "  what: job lists no connection",
        "  fix: list a NETWORK connection",
        "  source: https://example.invalid/glue-vpc",
    ]
    assert out.splitlines()[-1] == "2 rules, 1 failed, 0 unverifiable"


def test_allow_no_vpc_makes_the_before_job_pass(aws: dict[str, Any], test_rules: Any, capsys: Any) -> None:
    code, _, _ = run(capsys, "job", "etl-before", "--region", REGION, "--allow-no-vpc")
    assert code == 0


def test_job_region_from_environment(
    aws: dict[str, Any], test_rules: Any, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    code, out, _ = run(capsys, "job", "etl-good")
    assert code == 0 and f"live:{REGION}" in out


def test_job_json_shape(aws: dict[str, Any], test_rules: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "job", "etl-good", "etl-before", "--region", REGION, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["source"] == f"live:{REGION}" and doc["ok"] is False
    assert doc["rules_run"] == ["TEST901", "TEST902"]
    assert doc["summary"] == {"rules": 2, "failed": 1, "unverifiable": 1}
    assert {"rule_id": "TEST901", "severity": "error", "status": "fail", "resource": "etl-before",
            "message": "job lists no connection", "fix": "list a NETWORK connection"} in doc["findings"]  # fmt: skip
    assert any("ConnectionType" in g for g in doc["gaps"])


def test_job_sarif_shape(aws: dict[str, Any], test_rules: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "job", "etl-good", "etl-before", "--region", REGION, "--format", "sarif")
    assert code == 1
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    assert run0["tool"]["driver"]["name"] == "glue-netcheck"
    assert [r["id"] for r in run0["tool"]["driver"]["rules"]] == ["TEST901", "TEST902"]
    levels = {(r["ruleId"], r["level"]) for r in run0["results"]}
    assert levels == {("TEST901", "error"), ("TEST902", "note")}


def test_job_not_found_exits_2_with_one_line(aws: dict[str, Any], test_rules: Any, capsys: Any) -> None:
    code, out, err = run(capsys, "job", "etl-good", "no-such-job", "--region", REGION)
    assert (code, out) == (2, "")
    assert one_line_error(err) == f"glue-netcheck: error: Glue job not found in {REGION}: no-such-job"


def test_job_with_the_real_catalogue(aws: dict[str, Any], capsys: Any) -> None:
    """Once the GNET rules exist: the guide-conformant job passes, the "before" job fails."""
    from glue_netcheck import rules as _rules  # noqa: F401

    if not any(rule_id.startswith("GNET") for rule_id in catalogue.RULES):
        pytest.skip("no GNET rules registered yet")
    good, out, _ = run(capsys, "job", "etl-good", "--region", REGION)
    assert good == 0, out
    before, out, _ = run(capsys, "job", "etl-before", "--region", REGION)
    assert before == 1, out


# -- plan --------------------------------------------------------------------------------


@pytest.fixture
def fake_plan_adapter(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand-in for the lead's plan_adapter: one job per planned aws_glue_job."""
    seen: list[dict[str, Any]] = []

    def deployment_from_plan(plan: dict[str, Any], source: str = "plan", expect_vpc: bool | None = None) -> Deployment:
        seen.append({"plan": plan, "source": source, "expect_vpc": expect_vpc})
        if "planned_values" not in plan:
            raise ValueError("no planned_values")
        d = Deployment(source=source)
        for res in plan["planned_values"]["root_module"]["resources"]:
            connections = res["values"].get("connections", [])
            d.jobs[res["name"]] = Job(res["name"], connections, expects_vpc=expect_vpc is not False)
        return d

    module = types.ModuleType("glue_netcheck.plan_adapter")
    module.deployment_from_plan = deployment_from_plan  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "glue_netcheck.plan_adapter", module)
    return seen


def _plan(tmp_path: Path, connections: list[str]) -> Path:
    values = {"name": "etl", "connections": connections}
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{"type": "aws_glue_job", "name": "etl", "values": values}]}},
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def test_plan_passes_the_parsed_json_to_the_adapter(
    tmp_path: Path, test_rules: Any, fake_plan_adapter: list[dict[str, Any]], capsys: Any
) -> None:
    path = _plan(tmp_path, ["net-a"])
    code, out, _ = run(capsys, "plan", str(path), "--format", "json")
    assert code == 0
    assert fake_plan_adapter == [{"plan": json.loads(path.read_text()), "source": f"plan:{path}", "expect_vpc": None}]
    assert json.loads(out)["source"] == f"plan:{path}"


def test_plan_with_failures_exits_1(tmp_path: Path, test_rules: Any, fake_plan_adapter: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "plan", str(_plan(tmp_path, [])))
    assert code == 1 and "TEST901 error etl" in out
    code, _, _ = run(capsys, "plan", str(_plan(tmp_path, [])), "--allow-no-vpc")
    assert code == 0 and fake_plan_adapter[-1]["expect_vpc"] is False


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read plan file"),
        ("{not json", "is not JSON"),
        ("[1, 2]", "is not a JSON object"),
        ('{"format_version": "1.2"}', "is not a usable Terraform plan: no planned_values"),
    ],
)
def test_unusable_plan_file_exits_2(
    tmp_path: Path, fake_plan_adapter: Any, capsys: Any, content: str | None, expected: str
) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "plan", str(path))
    assert (code, out) == (2, "")
    assert expected in one_line_error(err)


# -- rules and usage ---------------------------------------------------------------------


def test_rules_lists_the_catalogue(test_rules: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert out.splitlines() == [
        "TEST901  error    Job runs inside a VPC",
        "    source: https://example.invalid/glue-vpc",
        "TEST902  warning  Connection type known",
        "    source: moto gap",
        "2 rules",
    ]
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert json.loads(out)[0] == {
        "id": "TEST901",
        "severity": "error",
        "title": "Job runs inside a VPC",
        "source": "https://example.invalid/glue-vpc",
    }


@pytest.mark.parametrize(
    "argv",
    [[], ["bogus"], ["job"], ["plan"], ["job", "x", "--format", "xml"], ["plan", "p.json", "--nope"]],
)
def test_usage_errors_exit_2_with_one_line(capsys: Any, argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert re.fullmatch(r"glue-netcheck: error: .+ \(see glue-netcheck( job| plan)? --help\)", one_line_error(err))


def test_help_exits_0(capsys: Any) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "plan" in out and "job" in out and "rules" in out

"""`glue-netcheck plan` on real plans of the stack (the session's batched inventory plan, sliced per scenario).

Scenarios are picked by what they are (their module and inputs in tests/fixtures/scenarios.yaml),
so the tests follow the inventory when scenarios are renamed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from glue_netcheck.cli import main
from glue_netcheck.rules import CATALOGUE
from harness.workspace import Inventory

pytestmark = pytest.mark.unit


def _write(tmp_path: Path, plan: dict[str, Any]) -> str:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return str(path)


@pytest.fixture(autouse=True)
def _in_the_root(inventory_workspace: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    # As a user runs it: in the root module's directory, whose sources the CLI reads by default.
    monkeypatch.chdir(inventory_workspace[0])


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _scenario(inventory: Inventory, what: str, test: Callable[[dict[str, Any]], bool]) -> str:
    names = [name for name, s in inventory.scenarios.items() if test(s)]
    if not names:
        pytest.fail(f"no scenario in tests/fixtures/scenarios.yaml is {what}", pytrace=False)
    return names[0]


def _s3_only(s: dict[str, Any]) -> bool:
    inputs = s.get("inputs") or {}
    return s["module"] == "glue" and (inputs.get("network_mode") == "none" or not inputs.get("subnets"))


def _jobs_of(plan: dict[str, Any]) -> list[str]:
    return sorted(rc["change"]["after"]["name"] for rc in plan["resource_changes"] if rc["type"] == "aws_glue_job")


def test_plan_command_passes_the_default_stack(tmp_path: Path, capsys: Any, default_stack_plan: dict) -> None:
    code, out, _ = _run(capsys, "plan", _write(tmp_path, default_stack_plan), "--format", "json")
    doc = json.loads(out)
    errors = [f"{f['rule_id']} {f['resource']}: {f['message']}" for f in doc["findings"] if f["status"] == "fail"]
    assert (code, errors) == (0, [])


def test_plan_command_on_a_stack_with_nat_exits_0(tmp_path: Path, capsys: Any, scenario_plan, inventory) -> None:
    name = _scenario(inventory, "the stack with NAT", lambda s: (s.get("inputs") or {}).get("enable_nat_gateway"))
    code, out, err = _run(capsys, "plan", _write(tmp_path, scenario_plan(name)), "--format", "json")
    doc = json.loads(out)
    assert (code, err) == (0, ""), [f for f in doc["findings"] if f["status"] == "fail"]
    assert (doc["summary"]["errors"], doc["summary"]["failed"]) == (0, 0)
    assert doc["summary"]["rules"] == len(CATALOGUE)
    # Its jobs are VPC jobs with connections: the connection rule passed on them, not merely "did not apply".
    assert doc["rules"]["GNET001"] == "passed"
    assert doc["rules"]["GNET006"] == doc["rules"]["GNET007"] == "passed"


def test_jobs_without_a_vpc_are_notes_and_exit_0(tmp_path: Path, capsys: Any, scenario_plan, inventory) -> None:
    plan = scenario_plan(_scenario(inventory, "a glue module without subnets", _s3_only))
    jobs = _jobs_of(plan)
    code, out, _ = _run(capsys, "plan", _write(tmp_path, plan))
    assert code == 0
    lines = out.splitlines()
    notes = [line.split(" (module.")[0] for line in lines if line.startswith("GNET001 ")]
    assert notes == [f"GNET001 info {job}" for job in jobs]
    assert lines[-1].endswith(f"0 errors, 0 warnings, 0 unverifiable facts, {len(jobs)} notes"), lines[-1]


def test_require_vpc_fails_the_named_job_only(tmp_path: Path, capsys: Any, scenario_plan, inventory) -> None:
    plan = scenario_plan(_scenario(inventory, "a glue module without subnets", _s3_only))
    first, *others = _jobs_of(plan)
    code, out, _ = _run(capsys, "plan", _write(tmp_path, plan), "--require-vpc", first, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    gnet001 = {f["resource"]: f for f in doc["findings"] if f["rule_id"] == "GNET001"}
    assert gnet001[first]["status"] == "fail"
    assert "(--require-vpc names it) but it lists no connection" in gnet001[first]["message"]
    assert {job: gnet001[job]["status"] for job in others} == {job: "info" for job in others}


def test_plan_command_reports_the_seed_before_variant(tmp_path: Path, capsys: Any, scenario_plan) -> None:
    code = main(["plan", _write(tmp_path, scenario_plan("variant_seed_before_known_ids")), "--format", "json"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    fired = {f["rule_id"] for f in report["findings"] if f["status"] == "fail"}
    assert {"GNET001", "GNET005"} <= fired
    gnet001 = [f for f in report["findings"] if f["rule_id"] == "GNET001"]
    assert gnet001 and all("it passes --vpc-security-group-ids, --vpc-subnet-ids" in f["message"] for f in gnet001)
    assert all("aws_glue_job.connections" in f["fix"] for f in gnet001)


def test_plan_command_sarif_names_the_rule(tmp_path: Path, capsys: Any, scenario_plan, inventory) -> None:
    assert inventory.variants["no_self_rule"].expect == ["GNET006"]
    assert main(["plan", _write(tmp_path, scenario_plan("variant_no_self_rule")), "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    gnet006 = [r for r in results if r["ruleId"] == "GNET006"]
    assert gnet006 and {r["level"] for r in gnet006} == {"error"}
    assert all("opens all TCP ports (0-65535) to traffic from its own members" in r["message"]["text"] for r in gnet006)
    names = {r["locations"][0]["logicalLocations"][0]["name"] for r in gnet006}
    assert all(name.startswith("bad-no-self-rule-network-") for name in names), names


def test_plan_of_a_module_without_jobs_exits_2(tmp_path: Path, capsys: Any, scenario_plan, inventory) -> None:
    name = _scenario(inventory, "the vpc module alone", lambda s: s["module"] == "vpc")
    path = _write(tmp_path, scenario_plan(name))
    code, out, err = _run(capsys, "plan", path)
    assert (code, out) == (2, "")
    assert err == (
        f"glue-netcheck: error: plan file {path} holds no aws_glue_job: nothing to check (wrong plan file, or a plan "
        "of a module without jobs?)\n"
    )

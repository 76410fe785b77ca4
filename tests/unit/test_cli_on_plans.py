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


def test_sarif_results_point_at_the_block_that_declares_the_resource(
    tmp_path: Path, capsys: Any, scenario_plan, inventory_workspace
) -> None:
    """Code scanning shows a result only at a file location: every result has one, relative to the repository
    (here the workspace, which has no .git: the current directory), at the line of the resource's block."""
    root = inventory_workspace[0]
    assert main(["plan", _write(tmp_path, scenario_plan("corpus_sg_inline_no_self")), "--format", "sarif"]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["tool"]["driver"]["version"]
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        uri, line = physical["artifactLocation"]["uri"], physical["region"]["startLine"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%" and not uri.startswith("/"), uri
        assert (root / uri).is_file() and line >= 1, (uri, line)
    (gnet006,) = [r for r in run["results"] if r["ruleId"] == "GNET006"]
    physical = gnet006["locations"][0]["physicalLocation"]
    declared = (
        (root / physical["artifactLocation"]["uri"]).read_text().splitlines()[physical["region"]["startLine"] - 1]
    )
    assert physical["artifactLocation"]["uri"] == "corpus/sg_inline_no_self/main.tf"
    assert declared == 'resource "aws_glue_connection" "private" {', declared


def test_plan_of_a_module_without_jobs_exits_2(tmp_path: Path, capsys: Any, scenario_plan, inventory) -> None:
    name = _scenario(inventory, "the vpc module alone", lambda s: s["module"] == "vpc")
    path = _write(tmp_path, scenario_plan(name))
    code, out, err = _run(capsys, "plan", path)
    assert (code, out) == (2, "")
    assert err == (
        f"glue-netcheck: error: plan file {path} holds no aws_glue_job: nothing to check (wrong plan file, or a plan "
        "of a module without jobs?)\n"
    )


@pytest.mark.parametrize(
    ("address", "file", "declaration"),
    [
        (
            "module.default.module.vpc.aws_vpc_security_group_ingress_rule.glue_self_all_tcp",
            "stack/modules/vpc/security_group.tf",
            'resource "aws_vpc_security_group_ingress_rule" "glue_self_all_tcp" {',
        ),
        (
            'module.default.module.glue_pipeline.aws_glue_job.this["feature-engineering"]',
            "stack/modules/glue/jobs.tf",
            'resource "aws_glue_job" "this" {',
        ),
        (
            'module.default.module.glue_pipeline.aws_glue_connection.network["us-east-1a"]',
            "stack/modules/glue/connections.tf",
            'resource "aws_glue_connection" "network" {',
        ),
    ],
)
def test_a_plan_address_is_located_at_its_block_through_the_module_calls(
    address, file, declaration, plan_sources, inventory_workspace
):
    from glue_netcheck.sources import Locator

    locator = Locator(plan_sources)
    uri, line = locator(address)
    assert uri == file
    assert (inventory_workspace[0] / uri).read_text().splitlines()[line - 1] == declaration
    # An address no block declares falls back to the root's main file, line 1.
    assert locator("module.default.module.nope.aws_x.y") is None and locator.fallback == ("main.tf.json", 1)

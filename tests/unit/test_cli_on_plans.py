"""`glue-netcheck plan` on real plans of the stack: clean on the good one, the rule id and fix on a bad one."""

from __future__ import annotations

import json

import pytest

from glue_netcheck.cli import main

pytestmark = pytest.mark.unit


def _write(tmp_path, plan):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return str(path)


def test_plan_command_passes_the_default_stack(tmp_path, capsys, default_stack_plan):
    assert main(["plan", _write(tmp_path, default_stack_plan)]) == 0
    out = capsys.readouterr().out
    assert "13 rules, 0 failed, 0 unverifiable" in out


def test_plan_command_reports_the_seed_before_variant(tmp_path, capsys, scenario_plan):
    code = main(["plan", _write(tmp_path, scenario_plan("variant_seed_before_known_ids")), "--format", "json"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    fired = {f["rule_id"] for f in report["findings"] if f["status"] == "fail"}
    assert {"GNET001", "GNET005"} <= fired
    fixes = [f["fix"] for f in report["findings"] if f["rule_id"] == "GNET001"]
    assert fixes and all("aws_glue_job.connections" in fix for fix in fixes)


def test_plan_command_sarif_names_the_rule(tmp_path, capsys, scenario_plan):
    assert main(["plan", _write(tmp_path, scenario_plan("variant_no_self_rule")), "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results if r["level"] == "error"} == {"GNET006"}

"""The rule catalogue passes every good scenario, and fires the named rule on every known-bad variant."""

from __future__ import annotations

import pytest

from glue_netcheck import RULES, run_rules
from glue_netcheck.plan_adapter import deployment_from_plan
from harness.workspace import load_inventory

pytestmark = pytest.mark.unit

INVENTORY = load_inventory()
STACK_SCENARIOS = [n for n, s in INVENTORY.scenarios.items() if s["module"] == "stack"]


@pytest.mark.parametrize("scenario", list(INVENTORY.scenarios))
def test_good_scenario_passes_every_rule(scenario, scenario_plan):
    report = run_rules(deployment_from_plan(scenario_plan(scenario), source=f"plan:{scenario}"))
    assert report.failures == [], "\n".join(str(f) for f in report.failures)


@pytest.mark.parametrize("scenario", STACK_SCENARIOS)
def test_stack_scenario_is_fully_verifiable_at_plan_time(scenario, scenario_plan):
    # A rule that cannot see a fact passes silently; prove that on the stack
    # every fact the rules need was resolved from the plan.
    deployment = deployment_from_plan(scenario_plan(scenario))
    report = run_rules(deployment)
    assert report.unverifiable == [], "\n".join(str(f) for f in report.unverifiable)
    assert deployment.connections, "no Glue connection in the plan"
    for c in deployment.connections.values():
        assert c.subnet_id in deployment.subnets, f"{c.name}: subnet not resolved ({c.subnet_id})"
        assert c.security_group_ids and all(g in deployment.security_groups for g in c.security_group_ids)
    for job in deployment.jobs.values():
        assert job.expects_vpc and job.role in deployment.roles


@pytest.mark.parametrize("variant", list(INVENTORY.variants))
def test_known_bad_variant_is_caught_by_its_rule(variant, scenario_plan):
    expected = INVENTORY.variants[variant].expect
    report = run_rules(deployment_from_plan(scenario_plan(f"variant_{variant}"), source=f"plan:variant_{variant}"))
    fired = {f.rule_id for f in report.failures}
    for rule_id in expected:
        assert rule_id in fired, f"{variant}: expected {rule_id} ({RULES[rule_id].title}); fired: {sorted(fired)}"
        for finding in report.by_rule(rule_id):
            assert finding.fix and finding.message
    # The variant breaks one thing: other error rules stay silent, so each
    # rule is shown to fire for its own reason.
    unexpected = {f.rule_id for f in report.failures if f.severity.value == "error"} - set(expected)
    assert not unexpected, (
        f"{variant}: unexpected rules fired: {[str(f) for f in report.failures if f.rule_id in unexpected]}"
    )

"""The rule catalogue passes every good scenario, and fires the named rule on every known-bad variant."""

from __future__ import annotations

import pytest

from glue_netcheck import Outcome, run_rules
from glue_netcheck.network import vpc_evidence
from glue_netcheck.plan_adapter import deployment_from_plan
from glue_netcheck.rules import CATALOGUE
from harness.verdicts import assert_no_failures, fail_with
from harness.workspace import load_inventory

pytestmark = pytest.mark.unit

INVENTORY = load_inventory()
STACK_SCENARIOS = [n for n, s in INVENTORY.scenarios.items() if s["module"] == "stack"]
# The AWS provider plans a map with any value unknown as wholly unknown, so a job
# whose arguments embed a bucket name made at apply has arguments unknown at plan
# time: what they might ask for (ARNs, --disable-proxy-v2, PyPI) is checked on the
# deployed job. Scenarios with a fixed bucket name have every fact known.
ARGUMENTS_UNKNOWN = "cannot verify: its arguments are known only after apply"


@pytest.mark.parametrize("scenario", list(INVENTORY.scenarios))
def test_good_scenario_passes_every_rule(scenario, scenario_plan):
    report = run_rules(deployment_from_plan(scenario_plan(scenario), source=f"plan:{scenario}"))
    assert_no_failures(report, scenario)


@pytest.mark.parametrize("scenario", STACK_SCENARIOS)
def test_stack_scenario_is_fully_verifiable_at_plan_time(scenario, scenario_plan):
    # A rule that cannot see a fact reports it as unverifiable; prove that on the
    # stack every fact the rules need was resolved from the plan.
    deployment = deployment_from_plan(scenario_plan(scenario))
    report = run_rules(deployment)
    arguments_known = INVENTORY.scenarios[scenario]["inventory"].get("arguments_known", False)
    fail_with(
        [
            f
            for f in report.unverifiable
            if arguments_known or not (f.rule_id == "GNET014" and f.message.startswith(ARGUMENTS_UNKNOWN + " ("))
        ],
        f"{scenario}: facts the plan adapter could not resolve",
    )
    assert deployment.connections, "no Glue connection in the plan"
    for c in deployment.connections.values():
        assert c.subnet_id in deployment.subnets, f"{c.name}: subnet not resolved ({c.subnet_id})"
        assert c.security_group_ids and all(g in deployment.security_groups for g in c.security_group_ids)
    for job in deployment.jobs.values():
        assert vpc_evidence(deployment, job) and job.role in deployment.roles


@pytest.mark.parametrize("variant", list(INVENTORY.variants))
def test_known_bad_variant_is_caught_by_its_rule(variant, scenario_plan):
    expected = INVENTORY.variants[variant].expect
    undecidable = INVENTORY.variants[variant].expect_unverifiable
    report = run_rules(deployment_from_plan(scenario_plan(f"variant_{variant}"), source=f"plan:variant_{variant}"))
    fired = {f.rule_id for f in report.failures}
    for rule_id in expected:
        if rule_id not in fired:
            fail_with(
                report.findings or [],
                f"{variant}: expected {rule_id} ({CATALOGUE[rule_id].title}) to fire; it did not. All findings",
            )
            pytest.fail(f"{variant}: expected {rule_id} ({CATALOGUE[rule_id].title}); no rule fired", pytrace=False)
        for finding in report.by_rule(rule_id):
            assert finding.fix and finding.message
    for rule_id in undecidable:
        if not [f for f in report.unverifiable if f.rule_id == rule_id]:
            fail_with(report.findings, f"{variant}: expected {rule_id} to report 'cannot verify'; findings")
            pytest.fail(f"{variant}: expected {rule_id} to report 'cannot verify'; no finding at all", pytrace=False)
    # The variant breaks one thing: other error rules stay silent, so each
    # rule is shown to fire for its own reason.
    fail_with(
        [f for f in report.errors if f.rule_id not in expected],
        f"{variant}: rules other than {expected} fired",
    )


def test_default_stack_decides_gnet014_at_plan_time_when_its_arguments_are_known(scenario_plan):
    report = run_rules(deployment_from_plan(scenario_plan("default_named_bucket")))
    assert report.outcome_of("GNET014") == Outcome.PASSED, [str(f) for f in report.findings]


def test_no_route_to_kms_names_the_service_and_both_fixes(scenario_plan):
    report = run_rules(deployment_from_plan(scenario_plan("variant_no_route_to_kms")))
    findings = report.by_rule("GNET014")
    assert findings, [str(f) for f in report.findings]
    for f in findings:
        assert "needs kms (security configuration" in f.message and "kms timeout" in f.message, str(f)
        assert 'interface_endpoints = ["kms"]' in f.fix and "NAT gateway" in f.fix, str(f)

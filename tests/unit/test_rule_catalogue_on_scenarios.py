"""The rule catalogue passes every good scenario, and fires the named rule on every known-bad variant."""

from __future__ import annotations

import pytest

from glue_netcheck import Outcome, run_rules
from glue_netcheck.network import vpc_evidence
from glue_netcheck.rules import CATALOGUE
from harness.verdicts import assert_no_failures, fail_with
from harness.workspace import load_inventory

pytestmark = pytest.mark.unit

INVENTORY = load_inventory()
STACK_SCENARIOS = [n for n, s in INVENTORY.scenarios.items() if s["module"] == "stack"]


@pytest.mark.parametrize("scenario", list(INVENTORY.scenarios))
def test_good_scenario_passes_every_rule(scenario, scenario_deployment):
    report = run_rules(scenario_deployment(scenario))
    assert_no_failures(report, scenario)


@pytest.mark.parametrize("scenario", STACK_SCENARIOS)
def test_stack_scenario_is_fully_verifiable_at_plan_time(scenario, scenario_deployment):
    # A rule that cannot see a fact reports it as unverifiable; prove that on the stack every fact
    # the rules need was resolved from the plan and its sources -- the jobs' arguments too, although
    # the provider plans the whole map as unknown when the bucket is named at apply (issue 18).
    deployment = scenario_deployment(scenario)
    report = run_rules(deployment)
    fail_with(report.unverifiable, f"{scenario}: facts the plan adapter could not resolve")
    assert deployment.connections, "no Glue connection in the plan"
    for c in deployment.connections.values():
        assert c.subnet_id in deployment.subnets, f"{c.name}: subnet not resolved ({c.subnet_id})"
        assert c.security_group_ids and all(g in deployment.security_groups for g in c.security_group_ids)
    for job in deployment.jobs.values():
        assert vpc_evidence(deployment, job) and job.role in deployment.roles


@pytest.mark.parametrize("variant", list(INVENTORY.variants))
def test_known_bad_variant_is_caught_by_its_rule(variant, scenario_deployment):
    expected = INVENTORY.variants[variant].expect
    undecidable = INVENTORY.variants[variant].expect_unverifiable
    report = run_rules(scenario_deployment(f"variant_{variant}"))
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


def test_default_stack_decides_gnet014_at_plan_time_when_its_arguments_are_known(scenario_deployment):
    report = run_rules(scenario_deployment("default_named_bucket"))
    assert report.outcome_of("GNET014") == Outcome.PASSED, [str(f) for f in report.findings]


def test_no_route_to_kms_names_the_service_and_both_fixes(scenario_deployment):
    report = run_rules(scenario_deployment("variant_no_route_to_kms"))
    findings = report.by_rule("GNET014")
    assert findings, [str(f) for f in report.findings]
    for f in findings:
        assert "needs kms (security configuration" in f.message and "kms timeout" in f.message, str(f)
        assert 'interface_endpoints = ["kms"]' in f.fix and "NAT gateway" in f.fix, str(f)


def test_a_list_built_from_ids_in_a_local_fails_only_where_the_sources_show_it(scenario_plan, scenario_deployment):
    """Issue 18: GNET002 fails with the .name fix on reference evidence only; the plan alone holds no locals."""
    from glue_netcheck.plan_adapter import deployment_from_plan

    name = "variant_connection_by_id_through_local"
    with_sources = run_rules(scenario_deployment(name))
    plan_only = run_rules(deployment_from_plan(scenario_plan(name)))

    errors = [f for f in with_sources.errors if f.rule_id == "GNET002"]
    assert len(errors) == 2 and all("built from the .id or .arn of" in f.message for f in errors), errors
    assert all("list aws_glue_connection.<x>.name values" in f.fix for f in errors)
    assert not [f for f in plan_only.errors if f.rule_id == "GNET002"]
    hints = [f for f in plan_only.unverifiable if f.rule_id == "GNET002"]
    assert hints and all("nothing is attached: list .name values" in f.message for f in hints), hints


def test_the_default_stack_decides_gnet014_from_its_plan_and_sources(scenario_plan, scenario_deployment):
    """Issue 18: the bucket is named at apply, so the plan marks every job's argument map wholly unknown;
    the sources keep each argument, and only the bucket-bearing ones are pending -- none can name an API."""
    from glue_netcheck.plan_adapter import deployment_from_plan

    plan = scenario_plan("default")
    jobs = [rc for rc in plan["resource_changes"] if rc["type"] == "aws_glue_job"]
    assert jobs and all(rc["change"]["after_unknown"].get("default_arguments") is True for rc in jobs)

    with_sources = scenario_deployment("default")
    assert all(j.arguments_known and "--TempDir" in j.pending_arguments for j in with_sources.jobs.values())
    assert all(
        ("aws_s3_bucket", "bucket") in j.pending_arguments["--TempDir"].built_from for j in with_sources.jobs.values()
    )
    assert run_rules(with_sources, only=["GNET014"]).outcome_of("GNET014") == Outcome.PASSED

    plan_only = run_rules(deployment_from_plan(plan), only=["GNET014"])
    assert plan_only.outcome_of("GNET014") == Outcome.UNVERIFIABLE
    assert all("its arguments are known only after apply" in f.message for f in plan_only.unverifiable)

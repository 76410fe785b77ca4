"""The vpc module alone: deploy, verify its network facts, plan again (no changes), destroy, leak check.

This is the lifecycle LocalStack Community can run (it serves no Glue), and it runs on moto and
a sandbox account alike. The stack is tests/fixtures/vpc_stack with a KMS interface endpoint (the
route a job with a KMS security configuration needs), so every rule has something to check. The
deployed VPC is read through the EC2 API (glue_netcheck.live_adapter.deployment_from_vpc) and judged
by the same catalogue as every plan and job, not from Terraform's state.
The stack is one module fixture in stages (harness.integration.StackStages): tests in any order,
destroy and the leak check after the last one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from glue_netcheck import Report, run_rules
from glue_netcheck.live_adapter import NETWORK_RULES, deployment_from_vpc
from harness.backends import Backend
from harness.constants import RUN_TAG_KEY
from harness.integration import NOTES, StackStages, require, timed_verification
from harness.localstack.gaps import unexplained_changes
from harness.vpc_stack import VpcStackLifecycle

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# What the vpc stack calls: EC2, and STS for the provider's account id.
VPC_SERVICES = ("ec2", "sts")
# The glue module's default job: 2 workers + the driver, one ENI each.
NEEDED_IPS = 3


@pytest.fixture(scope="module")
def vpc_stack(backend: Backend, stack_factory: Any) -> Iterator[VpcStackLifecycle]:
    require(backend, *VPC_SERVICES)
    with StackStages(stack_factory("vpc", lifecycle=VpcStackLifecycle)) as stages:
        stack: VpcStackLifecycle = stages.stack  # type: ignore[assignment]
        stages.after_destroy("services the leak check could not ask", lambda: note_skipped_leak_checks(stack))
        yield stack


def note_skipped_leak_checks(stack: VpcStackLifecycle) -> None:
    """Not a failure: a service the backend does not serve holds nothing (the summary says which)."""
    for service, reason in stack.leak_check_skipped.items():
        NOTES.append(f"{stack.prefix} leak check: {service} not asked ({reason})")


@pytest.fixture(autouse=True)
def verify_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from timed_verification(request, "vpc_stack")


@pytest.fixture(scope="module")
def report(backend: Backend, vpc_stack: VpcStackLifecycle) -> Report:
    out = vpc_stack.outputs
    deployment = deployment_from_vpc(
        out["vpc_id"],
        {"ec2": backend.client("ec2")},
        backend.region,
        security_group_ids=[out["glue_security_group_id"]],
        subnet_ids=[s["id"] for s in out["private_subnets"]],
        workers=NEEDED_IPS - 1,
    )
    return run_rules(deployment, only=NETWORK_RULES)


@pytest.mark.verify
@pytest.mark.parametrize("rule_id", NETWORK_RULES)
def test_network_rule_passes(report: Report, rule_id: str):
    findings = [str(f) for f in report.findings if f.rule_id == rule_id]
    assert report.outcome_of(rule_id).value == "passed", findings


@pytest.mark.verify
def test_stack_is_what_the_rules_were_checked_on(backend: Backend, vpc_stack: VpcStackLifecycle, report: Report):
    """The rules looked at the deployed VPC: two private subnets in two zones, one KMS endpoint, the run tag."""
    ec2 = backend.client("ec2")
    out = vpc_stack.outputs
    (vpc,) = ec2.describe_vpcs(VpcIds=[out["vpc_id"]])["Vpcs"]
    subnets = ec2.describe_subnets(SubnetIds=[s["id"] for s in out["private_subnets"]])["Subnets"]
    endpoints = ec2.describe_vpc_endpoints(VpcEndpointIds=list(out["interface_endpoint_ids"].values()))

    assert {t["Key"]: t["Value"] for t in vpc.get("Tags", [])}[RUN_TAG_KEY] == vpc_stack.run_id
    assert len({s["AvailabilityZone"] for s in subnets}) == len(subnets) == 2
    assert [e["ServiceName"] for e in endpoints["VpcEndpoints"]] == [f"com.amazonaws.{backend.region}.kms"]
    # Every rule judged something: two candidate connections, the VPC, the job that must reach KMS.
    assert all(result.judged for result in report.results), [r.rule.id for r in report.results if not r.judged]


def test_plan_after_apply_shows_no_changes(backend: Backend, vpc_stack: VpcStackLifecycle):
    """Idempotency. On a LocalStack you run, a known gap explains its own differences and nothing else."""
    code, text = vpc_stack.replan()

    gaps = getattr(backend, "known_gaps", {})
    if code == 2 and gaps:
        left = unexplained_changes(vpc_stack.replan_plan(), gaps)
        assert left == [], f"plan after apply wants changes no known gap explains: {left}"
        NOTES.append(f"{vpc_stack.prefix} on {backend.name}: re-plan differences explained by gaps {sorted(gaps)}")
        return
    changes = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert code == 0, f"plan after apply wants changes: {changes}"

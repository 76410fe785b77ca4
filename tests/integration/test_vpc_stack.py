"""The vpc module alone: deploy, verify its network facts, plan again (no changes), destroy, leak check.

This is the lifecycle LocalStack Community can run (it serves no Glue), and it runs on moto and
a sandbox account alike. The stack is tests/fixtures/vpc_stack with a KMS interface endpoint (the
route a job with a KMS security configuration needs), so every fact has something to check. The
facts are read through the EC2 API by harness.vpc_facts, not from Terraform's state.
The stack is one module fixture in stages (integration_support.StackStages): tests in any order,
destroy and the leak check after the last one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from integration_support import NOTES, StackStages, require, timed_verification

from harness.backends import Backend
from harness.constants import RUN_TAG_KEY
from harness.localstack.gaps import unexplained_changes
from harness.vpc_facts import FACTS, Network, verify_network
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
def network(backend: Backend, vpc_stack: VpcStackLifecycle) -> Network:
    out = vpc_stack.outputs
    return Network(
        vpc_id=out["vpc_id"],
        subnet_ids=tuple(s["id"] for s in out["private_subnets"]),
        group_id=out["glue_security_group_id"],
        region=backend.region,
        needed_ips=NEEDED_IPS,
    )


@pytest.mark.verify
@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f.__name__)
def test_network_fact_holds(backend: Backend, network: Network, fact: Any):
    result = fact(backend.client("ec2"), network)

    assert result.ok is True, str(result)


@pytest.mark.verify
def test_stack_is_what_the_facts_were_checked_on(backend: Backend, vpc_stack: VpcStackLifecycle, network: Network):
    """The facts above looked at the deployed VPC: two private subnets in two zones, one KMS endpoint, the run tag."""
    ec2 = backend.client("ec2")
    (vpc,) = ec2.describe_vpcs(VpcIds=[network.vpc_id])["Vpcs"]
    subnets = ec2.describe_subnets(SubnetIds=list(network.subnet_ids))["Subnets"]
    endpoints = ec2.describe_vpc_endpoints(VpcEndpointIds=list(vpc_stack.outputs["interface_endpoint_ids"].values()))

    assert {t["Key"]: t["Value"] for t in vpc.get("Tags", [])}[RUN_TAG_KEY] == vpc_stack.run_id
    assert len({s["AvailabilityZone"] for s in subnets}) == len(subnets) == 2
    assert [e["ServiceName"] for e in endpoints["VpcEndpoints"]] == [f"com.amazonaws.{backend.region}.kms"]
    assert all(f.ok is not None for f in verify_network(backend.client, network)), "a fact had nothing to check"


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

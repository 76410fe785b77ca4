"""The seed's broken "before" deployed for real: the verifier must say each job runs outside the VPC.

The stack is the root with the `seed_before` patches of tests/fixtures/variants.yaml applied to the
copy: no connection on the jobs, subnet and security-group ids passed as --vpc-* job arguments
(which Glue ignores). At plan time GNET005 is unverifiable (the ids are unknown); deployed, the
ids are known, so both GNET001 and GNET005 must fire, through the CLI a user would run.

This stack also runs with ``restrict_egress = true`` (no extra deployment needed): its plan after
apply covers the egress rules the good stack does not have (self-referencing all-TCP egress, HTTPS
to the S3 prefix list and to the interface endpoints' group), whose descriptions moto dropped
before patch (h).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.backends import Backend
from harness.integration import STACK_SERVICES, WITHOUT_BUCKET_LIFECYCLE, StackStages, cli_failures_by_job, require
from harness.lifecycle import StackLifecycle
from harness.workspace import load_inventory

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def seed_stack(backend: Backend, stack_factory: Any) -> Iterator[StackLifecycle]:
    require(backend, *STACK_SERVICES)
    variant = load_inventory().variants["seed_before"]
    with StackStages(
        stack_factory("seed", variant=variant, extra_vars={"restrict_egress": True, **WITHOUT_BUCKET_LIFECYCLE})
    ) as stages:
        yield stages.stack  # destroyed and leak-checked after the last test (a failure there is an error)


def test_cli_reports_every_job_outside_the_vpc(
    backend: Backend, seed_stack: StackLifecycle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    jobs = sorted(seed_stack.outputs["job_names"].values())

    failed = cli_failures_by_job(backend, jobs, monkeypatch, capsys)

    for job in jobs:
        by_rule = failed[job]
        assert {"GNET001", "GNET005"} <= set(by_rule), (job, failed)
        assert "connection" in by_rule["GNET001"]["fix"].lower(), by_rule["GNET001"]
        # The evidence that the job belongs in a VPC: the tag the glue module writes, and the ignored arguments.
        assert "its tag glue-netcheck:network-mode is 'vpc'" in by_rule["GNET001"]["message"], by_rule["GNET001"]
        assert "it passes --vpc-security-group-ids, --vpc-subnet-ids" in by_rule["GNET001"]["message"]
        assert by_rule["GNET005"]["fix"], by_rule["GNET005"]
        # GNET005 names the ignored arguments.
        assert "--vpc-subnet-ids" in by_rule["GNET005"]["message"], by_rule["GNET005"]
        assert "--vpc-security-group-ids" in by_rule["GNET005"]["message"], by_rule["GNET005"]


def test_jobs_really_have_no_connection_but_vpc_arguments(backend: Backend, seed_stack: StackLifecycle):
    """The deployed jobs are what the CLI judged: no connections, --vpc-* arguments with the real ids."""
    glue = backend.client("glue")
    subnets = ",".join(s["id"] for s in seed_stack.outputs["private_subnets"])
    for name in seed_stack.outputs["job_names"].values():
        job = glue.get_job(JobName=name)["Job"]
        assert not (job.get("Connections") or {}).get("Connections"), name
        assert job["DefaultArguments"]["--vpc-subnet-ids"] == subnets, name
        assert job["DefaultArguments"]["--vpc-security-group-ids"] == seed_stack.outputs["glue_security_group_id"]


def test_plan_after_apply_shows_no_changes_with_restricted_egress(backend: Backend, seed_stack: StackLifecycle):
    rules = backend.client("ec2").describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [seed_stack.outputs["glue_security_group_id"]]}]
    )["SecurityGroupRules"]
    # aws_security_group drops the default allow-all egress: exactly the restricted rules remain,
    # HTTPS to the KMS interface endpoint's group included.
    assert sorted(r.get("Description") or "" for r in rules if r["IsEgress"]) == [
        "Glue driver <-> executors, all TCP ports",
        "HTTPS to S3 through the gateway endpoint",
        "HTTPS to the VPC's interface endpoints",
    ], rules

    code, text = seed_stack.replan()

    changes = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert code == 0, f"plan after apply wants changes: {changes}"

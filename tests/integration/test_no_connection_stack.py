"""The incident as people usually write it, deployed: the jobs' ``connections`` line is missing.

The root with the ``connections_line_removed`` variant of tests/fixtures/variants.yaml: no
``connections`` argument and no ``--vpc-*`` arguments, while the glue module declares the jobs VPC
jobs (``network_mode = "vpc"``, written as the tag ``glue-netcheck:network-mode``). Deployed, each
job must fail GNET001 ("no connection") with its fix, and the only evidence cited is the tag.

The three spellings of "no connection" on the emulator: this stack (the line removed); the seed
stack (test_seed_before.py: ``connections = []`` plus ``--vpc-*`` arguments). ``connections = []``
without arguments deploys the same job as this stack: the Glue API stores no connection list for
either, so what a live check can see is identical. Plan level tells the spellings apart
(variants ``connection_not_attached`` and ``connections_line_removed``).
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
def no_connection_stack(backend: Backend, stack_factory: Any) -> Iterator[StackLifecycle]:
    require(backend, *STACK_SERVICES)
    variant = load_inventory().variants["connections_line_removed"]
    stack = stack_factory("noconn", variant=variant, extra_vars=WITHOUT_BUCKET_LIFECYCLE)
    with StackStages(stack) as stages:
        yield stages.stack  # destroyed and leak-checked after the last test (a failure there is an error)


def test_deployed_jobs_have_no_connection_and_no_vpc_arguments(backend: Backend, no_connection_stack: StackLifecycle):
    """What the CLI judges below: jobs tagged as VPC jobs, with neither a connection nor a --vpc-* argument."""
    glue = backend.client("glue")
    for name in no_connection_stack.outputs["job_names"].values():
        job = glue.get_job(JobName=name)["Job"]
        assert not (job.get("Connections") or {}).get("Connections"), name
        assert not [k for k in job.get("DefaultArguments", {}) if k.startswith("--vpc-")], name
        arn = f"arn:aws:glue:{backend.region}:{backend.account_id}:job/{name}"
        assert glue.get_tags(ResourceArn=arn)["Tags"].get("glue-netcheck:network-mode") == "vpc", name


def test_cli_reports_no_connection_on_every_job(
    backend: Backend,
    no_connection_stack: StackLifecycle,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    jobs = sorted(no_connection_stack.outputs["job_names"].values())

    failed = cli_failures_by_job(backend, jobs, monkeypatch, capsys)

    for job in jobs:
        by_rule = failed[job]
        assert "GNET001" in by_rule, (job, failed)
        assert "connection" in by_rule["GNET001"]["fix"].lower(), by_rule["GNET001"]
        assert "its tag glue-netcheck:network-mode is 'vpc'" in by_rule["GNET001"]["message"], by_rule["GNET001"]
        assert "--vpc-" not in by_rule["GNET001"]["message"], by_rule["GNET001"]
        # Not the wrong diagnosis of the incident: an omitted list is empty, not built from ids.
        assert "GNET002" not in by_rule, by_rule["GNET002"]

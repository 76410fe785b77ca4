"""StackLifecycle.upgrade_to, apply_upgrade and state_ids: one state moved to other sources (the release
gate's upgrade stage), on the vpc stack, the smallest root that deploys.

The candidate renames the VPC's address with a `moved` block and changes its Name tag: the plan must
show the move and one in-place update, and after the apply every resource keeps its id. On moto only:
the upgrade is terraform and files, the same on every backend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.backends import Backend
from harness.integration import require
from harness.provider_blocks import ProviderRefused
from harness.vpc_stack import VpcStackLifecycle
from harness.workspace import Sources, copy_root

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OLD, NEW = "module.vpc.aws_vpc.this", "module.vpc.aws_vpc.main"
# The VPC's tags (the internet gateway's, also `{ Name = var.name }`, are not followed by its lifecycle).
VPC_TAGS = "tags = merge(var.tags, { Name = var.name })\n\n  lifecycle {"


def candidate(sources: Sources, dest: Path) -> Sources:
    """The sources with the VPC at a new address (a `moved` block) and its Name tag changed."""
    module = copy_root(sources, dest) / "modules" / "vpc"
    for path in module.glob("*.tf"):
        text = path.read_text().replace('resource "aws_vpc" "this"', 'resource "aws_vpc" "main"')
        path.write_text(text.replace("aws_vpc.this.", "aws_vpc.main."))
    main = module / "main.tf"
    assert main.read_text().count(VPC_TAGS) == 1, "the VPC's tags were not found: update this test's pattern"
    main.write_text(main.read_text().replace(VPC_TAGS, VPC_TAGS.replace("var.name }", '"${var.name}-upgraded" }')))
    (module / "moved.tf").write_text("moved {\n  from = aws_vpc.this\n  to   = aws_vpc.main\n}\n")
    return Sources.locate(str(dest / "infra"))


def uncovered(sources: Sources, dest: Path) -> Sources:
    """The sources with a provider block in the vpc module, which the harness's override does not reach."""
    module = copy_root(sources, dest) / "modules" / "vpc"
    (module / "provider.tf").write_text('provider "aws" {\n  region = "eu-west-1"\n}\n')
    return Sources.locate(str(dest / "infra"))


def test_upgrade_moves_the_state_to_the_candidate_and_keeps_every_id(
    backend: Backend, moto_server: Any, stack_factory: Any, sources: Sources, tmp_path: Path
):
    require(backend, "ec2", "sts")
    stack: VpcStackLifecycle = stack_factory("upgrade", lifecycle=VpcStackLifecycle)
    with stack:
        before = stack.state_ids()
        # Every managed instance of the module (the root has none), no data source, indexed as Terraform does.
        assert before[OLD] == stack.outputs["vpc_id"]
        assert [before[f"module.vpc.aws_subnet.private[{i}]"] for i in (0, 1)] == [
            s["id"] for s in stack.outputs["private_subnets"]
        ]
        assert all(a.startswith("module.vpc.aws_") for a in before), sorted(before)
        applied_module = (stack.workdir / "infra" / "modules" / "vpc" / "main.tf").read_text()

        with pytest.raises(ProviderRefused, match=r"provider\.tf:1"):
            stack.upgrade_to(uncovered(sources, tmp_path / "uncovered"))
        # Refused before anything was replaced: teardown destroys with the code that was applied.
        assert (stack.workdir / "infra" / "modules" / "vpc" / "main.tf").read_text() == applied_module
        assert sorted(p.name for p in stack.workdir.iterdir()) == sorted(
            [".glue-netcheck-run", "glue_scripts", "infra", "vpc_stack"]
        )

        plan = stack.upgrade_to(candidate(sources, tmp_path / "candidate"))
        changes = {rc["address"]: rc for rc in plan["resource_changes"] if rc["mode"] == "managed"}
        assert {a: rc["change"]["actions"] for a, rc in changes.items() if rc["change"]["actions"] != ["no-op"]} == {
            NEW: ["update"]
        }
        assert changes[NEW]["previous_address"] == OLD

        stack.outputs.clear()
        stack.apply_upgrade()
        after = stack.state_ids()
        assert after == {(NEW if a == OLD else a): i for a, i in before.items()}
        assert set(after) == set(changes)  # the addresses state_ids writes are the plan's
        assert stack.outputs["vpc_id"] == before[OLD]  # read again after the apply
        (vpc,) = backend.client("ec2").describe_vpcs(VpcIds=[before[OLD]])["Vpcs"]
        assert {t["Key"]: t["Value"] for t in vpc["Tags"]}["Name"] == f"{stack.prefix}-upgraded"
        # The root now holds the candidate and the moved state: nothing left to change.
        code, text = stack.replan()
        assert code == 0, text
        assert not (stack.workdir / "upgrade-sources").exists()

    assert stack.destroyed and stack.leftovers == []
    assert {"upgrade_plan", "upgrade_apply"} <= set(stack.timings)

"""The vpc module deployed on its own, with the root stack's lifecycle (apply, re-plan, destroy, leaks).

    with VpcStackLifecycle(sources, tfenv, backend, workdir, run_id=...) as stack:
        stack.outputs["vpc_id"], stack.replan(), stack.replan_plan()

The root is tests/fixtures/vpc_stack, copied beside the copy of infra/ so that it uses the vpc
module of the checkout under test (``--infra-dir`` included). Everything else -- probe, override,
run tag, timeouts, Ctrl-C, destroy-always, RECORDS -- is ``StackLifecycle``'s.

The leak check asks every service the leak lister knows, except those the backend does not serve
(Glue on LocalStack Community): a service that is not there holds nothing, and asking it fails.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from harness.leaks import LISTERS
from harness.lifecycle import StackLifecycle
from harness.paths import FIXTURES
from harness.workspace import IGNORED, Sources

VPC_ROOT = FIXTURES / "vpc_stack"
ROOT_DIR = "vpc_stack"


class VpcStackLifecycle(StackLifecycle):
    """One deployment of tests/fixtures/vpc_stack (the vpc module)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.root = self.workdir / ROOT_DIR
        self.leak_check_skipped: dict[str, str] = {}

    def copy_sources(self, sources: Sources, dest: Path) -> None:
        super().copy_sources(sources, dest)
        shutil.copytree(VPC_ROOT, dest / ROOT_DIR, ignore=IGNORED)

    def tfvars(self) -> dict[str, Any]:
        variables = super().tfvars()
        variables.pop("force_destroy", None)  # a root-stack input (the data bucket); this root has no bucket
        return variables

    def leak_services(self) -> list[str]:
        skipped = {service: self.backend.missing(service) for service in LISTERS}
        self.leak_check_skipped = {service: reason for service, reason in skipped.items() if reason}
        return [service for service, reason in skipped.items() if not reason]

    def replan_plan(self) -> dict[str, Any]:
        """The re-plan as JSON (``plan -out`` + ``show -json``): which resources would change, and how."""
        assert self.tf is not None
        with self.timed("replan"):
            return self.tf.plan_json(refresh=True, timeout=self.timeouts.plan)

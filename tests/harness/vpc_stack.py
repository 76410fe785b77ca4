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

import json
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from harness.backends import Backend
from harness.leaks import find_leftovers
from harness.lifecycle import StackLifecycle
from harness.workspace import IGNORED, REPO

VPC_ROOT = REPO / "tests" / "fixtures" / "vpc_stack"
ROOT_DIR = "vpc_stack"


class _NothingServed:
    """Stands in for the client of a service the backend does not serve: every listing is empty."""

    # The leak listers read a client's region (``client.meta.region_name``); without this the catch-all
    # below answered with a function and the leak check of every LocalStack vpc stack failed.
    meta = SimpleNamespace(region_name=None, endpoint_url=None)

    class _Pages:
        def paginate(self, **kwargs: Any) -> list[Any]:
            return []

    def get_paginator(self, operation: str) -> _Pages:
        return self._Pages()

    def __getattr__(self, operation: str) -> Any:
        return lambda *args, **kwargs: {}


class ServedClients:
    """``backend.client`` for served services, an empty stand-in for the others (named in ``skipped``)."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self.skipped: dict[str, str] = {}

    def client(self, service: str) -> Any:
        reason = self.backend.missing(service)
        if reason:
            self.skipped[service] = reason
            return _NothingServed()
        return self.backend.client(service)


class VpcStackLifecycle(StackLifecycle):
    """One deployment of tests/fixtures/vpc_stack (the vpc module)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.root = self.workdir / ROOT_DIR
        self.leak_check_skipped: dict[str, str] = {}

    def copy_sources(self) -> None:
        super().copy_sources()
        shutil.copytree(VPC_ROOT, self.root, ignore=IGNORED)

    def tfvars(self) -> dict[str, Any]:
        variables = super().tfvars()
        variables.pop("force_destroy", None)  # a root-stack input (the data bucket); this root has no bucket
        return variables

    def find_leftovers(self) -> list[str]:
        clients = ServedClients(self.backend)
        with self.timed("leak_check"):
            self.leftovers = find_leftovers(clients, self.prefix, self.run_id)
        self.leak_check_skipped = clients.skipped
        return self.leftovers

    def replan_plan(self) -> dict[str, Any]:
        """The re-plan as JSON (``plan -out`` + ``show -json``): which resources would change, and how."""
        assert self.tf is not None
        with tempfile.TemporaryDirectory() as tmp, self.timed("replan"):
            out = Path(tmp) / "replan.tfplan"
            self.tf.run("plan", "-input=false", "-no-color", "-lock=false", f"-out={out}", timeout=self.timeouts.plan)
            shown = self.tf.run("show", "-json", str(out), timeout=self.timeouts.plan)
        return json.loads(shown.stdout)

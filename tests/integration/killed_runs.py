"""What the kill tests share (test_killed_runs.py: SIGKILL; test_killed_runs_sigterm.py: SIGTERM).

Two files so that pytest-xdist (--dist loadfile) can run them side by side: each test deploys a
whole stack in a child process and waits for it to be killed, the longest tests of the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from integration_support import WITHOUT_BUCKET_LIFECYCLE, LifecycleChild

from harness.backends import name_prefix
from harness.emulator.moto_server import MotoProcess
from harness.leaks import list_resources
from harness.processes import terraform_children
from harness.workspace import REPO, Sources

BOUND_S = 60  # no terraform or provider process may outlive the child by more than this
# A quick test for the "next session" (its header is what counts).
NEXT = "tests/integration/test_backends.py::test_run_ids_are_unique_short_lower_case_and_dated"


@dataclass
class KilledRun:
    """One child to be signalled in ``phase``: its run id, name prefix and journal directory."""

    child: LifecycleChild
    run_id: str
    prefix: str
    runs: Path


def start_child(
    emulator: MotoProcess, sources: Sources, run_token: str, tmp_path: Path, tag: str, phase: str
) -> KilledRun:
    """A child deploying to ``emulator`` with its journal in the test's own directory; the command
    it is signalled in holds (``LifecycleChild(hold=phase)``). Signalled during apply, it leaves out
    the bucket's lifecycle rules, which only lengthen the apply; signalled during destroy, it deploys
    all."""
    run_id = f"{run_token}-{tag}{phase[0]}"
    runs = tmp_path / "runs"
    during_apply = phase == "apply"
    child = LifecycleChild(
        emulator.endpoint_url,
        emulator.region,
        tmp_path,
        run_id,
        sources.infra,
        runs,
        extra_vars=WITHOUT_BUCKET_LIFECYCLE if during_apply else None,
        hold=phase,
    )
    return KilledRun(child, run_id, name_prefix(run_id), runs)


def sweep(emulator: MotoProcess, runs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """scripts/sweep.py as `tox -e sweep` runs it, pointed at the emulator and the test's journals."""
    command = [sys.executable, str(REPO / "scripts" / "sweep.py"), "--endpoint-url", emulator.endpoint_url]
    command += ["--region", emulator.region, "--runs-dir", str(runs), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=REPO)


def reach(child: LifecycleChild, phase: str, emulator: MotoProcess, prefix: str, run_id: str) -> None:
    """Wait until the child's terraform holds in ``phase`` (see ``start_child``) with part of the
    stack created (apply) or with all deleted but the VPC the hold keeps (destroy). Listing is polled
    once a second: it competes with terraform for moto."""
    child.wait_for_line(f"phase {phase} start", 300)
    child.wait_until(lambda: bool(terraform_children(child.proc.pid)), 60, f"terraform {phase} running")
    child.wait_until_held(300)
    if phase == "apply":
        assert list_resources(emulator, prefix, run_id), "the apply held with nothing of the stack in the emulator"
        return

    def only_the_vpc_left() -> bool:
        # The VPC's default security group carries the run's tags too and goes with the VPC.
        kinds = {r.kind for r in list_resources(emulator, prefix, run_id)}
        return "vpc" in kinds and kinds <= {"vpc", "security group"}

    child.wait_until(only_the_vpc_left, 180, "destroy deleting all but the held VPC", interval=1)


def journal_of(runs: Path, run_id: str) -> dict[str, Any]:
    return json.loads((runs / f"{run_id}.json").read_text())


def watchdog_report(runs: Path, run_id: str) -> str:
    """The journal's events once the watchdog has written its verdict (it runs on after the child died)."""
    deadline = time.monotonic() + BOUND_S
    events = ""
    while time.monotonic() < deadline:
        events = "\n".join(journal_of(runs, run_id).get("events", []))
        if "watchdog: terraform" in events:
            return events
        time.sleep(0.2)
    pytest.fail(f"the watchdog never reported to the journal within {BOUND_S}s:\n{events}", pytrace=False)

"""What the kill tests share (test_killed_runs.py: SIGKILL; test_killed_runs_sigterm.py: SIGTERM).

Two files so that pytest-xdist (--dist loadfile) can run them side by side: each test deploys a
whole stack in a child process and waits for it to be killed, the longest tests of the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from harness.emulator.moto_server import MotoProcess
from harness.paths import REPO, SCRIPTS

BOUND_S = 60  # no terraform or provider process may outlive the child by more than this
# A quick test for the "next session" (its header is what counts).
NEXT = "tests/integration/test_backends.py::test_run_ids_are_unique_short_lower_case_and_dated"


def sweep(emulator: MotoProcess, runs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """scripts/sweep.py as `tox -e sweep` runs it, pointed at the emulator and the test's journals."""
    command = [sys.executable, str(SCRIPTS / "sweep.py"), "--endpoint-url", emulator.endpoint_url]
    command += ["--region", emulator.region, "--runs-dir", str(runs), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=REPO)


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

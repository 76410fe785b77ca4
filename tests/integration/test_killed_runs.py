"""A test process killed during apply or destroy: nothing keeps running, and what is left is found.

The "test process" is a child running one lifecycle (``python -m harness.lifecycle_child``); the emulator
is a moto server in a process of its own, so it outlives the child as an account outlives a CI job.
After the signal:

- within 60 s no terraform or provider process of the child is left (SIGINT from the kernel when
  the child dies, the watchdog's SIGKILL after the grace; harness.terraform, harness.watchdog);
- SIGTERM (a CI timeout) is handled like Ctrl-C: terraform stops cleanly, destroy runs, nothing is
  left, and the run's journal, which reported the run while it ran, is closed;
- SIGKILL cannot be handled: the journal (a persistent directory, here the test's own) reports the
  run as unfinished with its phase, its state, a stale lock and what the watchdog did;
  ``scripts/sweep.py`` lists what the run's tag and name find in the emulator, marking what no state
  knows, and ``--delete`` finishes the run (terraform destroy from the journaled workdir, then
  deletion by tag).

After the SIGKILL during apply the test empties the state file, as the issue found it after a
SIGKILL before the watchdog existed (0 bytes): then only the tag and name can find what the apply
created, and the sweep must still find and delete all of it. After the SIGKILL during destroy the
state terraform saved on its way out is used as is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.emulator.moto_server import MotoProcess
from harness.integration import no_process_left_within, reach, start_child
from harness.journal import RUNS_DIR_ENV, state_identifiers, state_summary, unfinished_runs
from harness.killed_runs import (
    BOUND_S,
    NEXT,
    journal_of,
    sweep,
    watchdog_report,
)
from harness.leaks import list_resources
from harness.paths import REPO
from harness.workspace import Sources

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.mark.parametrize("phase", ["apply", "destroy"])
def test_sigkill_leaves_no_process_and_a_journal_the_sweep_finishes(
    outliving_moto: MotoProcess, sources: Sources, run_token: str, tmp_path: Path, phase: str
):
    run = start_child(outliving_moto, sources, run_token, tmp_path, "k", phase)
    child, run_id, prefix, runs = run.child, run.run_id, run.prefix, run.runs
    try:
        reach(child, phase, outliving_moto, prefix, run_id)
        assert journal_of(runs, run_id)["phase"] == phase

        child.proc.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        child.proc.wait()
    finally:
        child.release()  # the sweep's terraform destroy runs the destroy hold again
        child.kill_if_running()

    assert child.groups, "never saw the child's terraform"
    left = no_process_left_within(child.groups, BOUND_S)
    assert left == [], f"still running {time.monotonic() - killed:.0f}s after the kill: {left}"

    events = watchdog_report(runs, run_id)
    (record,) = unfinished_runs(runs)
    assert record.run_id == run_id and record.doc["phase"] == phase
    assert f"watchdog: the test process died during `terraform {phase} -auto-approve" in events, events
    # Within the grace terraform stopped by itself (SIGINT from the kernel) and saved its state.
    assert "terraform stopped by itself" in events, events
    assert "state: parseable" in events, events
    if phase == "apply":
        (record.root / "terraform.tfstate").write_text("")  # the state the issue found: lost
    state = state_summary(record.root)

    live = list_resources(outliving_moto, prefix, run_id)
    assert live, "nothing left to find: the kill came after the run was done"
    unknown = [r for r in live if r.id not in state_identifiers(record.root)]
    if phase == "apply":
        assert unknown == live and state["state"].startswith("EMPTY (0 bytes)"), state
    else:
        assert state["state"].startswith("parseable") and state["resources"], state

    # The next session says so before it deploys anything.
    next_session = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-m", "integration", "--backend", "moto", NEXT],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, RUNS_DIR_ENV: str(runs), "GLUE_NETCHECK_BENCH_NESTED": "1"},
    )
    header = next_session.stdout.split("collected", 1)[0]
    assert f"unfinished run {run_id} ({prefix})" in header and f"stopped in phase '{phase}'" in header, header
    assert "finish them with `tox -e sweep -- --delete`" in header

    listed = sweep(outliving_moto, runs)

    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert f"unfinished run {run_id} ({prefix}): backend moto at {outliving_moto.endpoint_url}" in out, out
    assert f"stopped in phase '{phase}'" in out and f"  state: {state['state']}" in out
    if state.get("lock"):
        assert f"  lock: {state['lock']}" in out
    for resource in live:
        assert f"  leftover {resource} (" in out, out
    for resource in unknown:
        assert f"  leftover {resource} (NO STATE KNOWS IT;" in out, out

    finished = sweep(outliving_moto, runs, "--delete")

    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert f"finished {run_id}: nothing left in {outliving_moto.endpoint_url}; journal removed" in finished.stdout
    if state["resources"]:
        assert f"finishing {run_id}: terraform destroy in {record.root}" in finished.stdout
    assert list_resources(outliving_moto, prefix, run_id) == []
    assert unfinished_runs(runs) == []

"""A test process stopped by SIGTERM (a CI timeout) during apply or destroy: handled like Ctrl-C.

See test_killed_runs.py for the setting (a child runs one lifecycle against a moto server of its
own process) and harness/killed_runs.py for what both files share.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from harness.emulator.moto_server import MotoProcess
from harness.integration import no_process_left_within, reach, start_child
from harness.killed_runs import (
    BOUND_S,
    journal_of,
    sweep,
)
from harness.leaks import list_resources
from harness.workspace import Sources

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.mark.parametrize("phase", ["apply", "destroy"])
def test_sigterm_is_handled_like_ctrl_c_and_leaves_nothing(
    outliving_moto: MotoProcess, sources: Sources, run_token: str, tmp_path: Path, phase: str
):
    run = start_child(outliving_moto, sources, run_token, tmp_path, "t", phase)
    child, run_id, prefix, runs = run.child, run.run_id, run.prefix, run.runs
    try:
        reach(child, phase, outliving_moto, prefix, run_id)
        during = journal_of(runs, run_id)  # the journal reports the run while it runs

        child.proc.send_signal(signal.SIGTERM)
        if phase == "destroy":  # the destroy goes on to its end (the apply stops): its hold must let it
            child.wait_until(lambda: "SIGTERM" in child.stderr_so_far(), 60, "the child reporting SIGTERM")
            child.release()
        code = child.wait_exit(600)
    finally:
        child.release()
        child.kill_if_running()
    stderr = child.stderr()
    result = child.result()

    assert child.groups, "never saw the child's terraform"
    assert no_process_left_within(child.groups, BOUND_S) == []
    assert during["phase"] == phase and during["endpoint_url"] == outliving_moto.endpoint_url
    assert during["account"] == outliving_moto.account_id
    assert code == 130, (code, stderr[-2000:])
    assert result["outcome"] == "interrupted" and result["signal"] == "SIGTERM", result
    if phase == "apply":
        assert result["applied"] is False, "the apply finished before the signal: the test proved nothing"
        assert "SIGTERM: interrupted: letting terraform stop cleanly, then destroying" in stderr
    else:
        assert "SIGTERM: destroy in progress, stopping after it" in stderr
    assert result["destroyed"] and result["destroy_error"] is None and result["leftovers"] == [], result
    # Cleaned, so the journal is closed, and neither it nor the emulator has anything left of the run.
    assert not (runs / f"{run_id}.json").exists()
    listed = sweep(outliving_moto, runs)
    assert listed.returncode == 0, listed.stderr
    assert f"no unfinished run in {runs}" in listed.stdout
    assert list_resources(outliving_moto, prefix, run_id) == []

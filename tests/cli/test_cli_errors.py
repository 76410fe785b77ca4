"""Access errors without moto: each is exit 2 and one line on stderr, quickly, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from glue_netcheck.cli import main
from harness.paths import SRC

pytestmark = pytest.mark.cli

DEAD_ENDPOINT = "http://127.0.0.1:9"  # discard port: connection refused


def only_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("glue-netcheck: error: "), err
    return lines[0]


def test_no_credentials_exits_2(fake_credentials: None, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code = main(["job", "etl", "--region", "us-east-1", "--endpoint-url", DEAD_ENDPOINT])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "no AWS credentials found" in only_error_line(err)


def test_no_region_exits_2(fake_credentials: None, capsys: Any) -> None:
    code = main(["job", "etl", "--endpoint-url", DEAD_ENDPOINT])
    assert code == 2
    assert "no AWS region" in only_error_line(capsys.readouterr().err)


def test_unknown_profile_exits_2(fake_credentials: None, capsys: Any) -> None:
    code = main(["job", "etl", "--region", "us-east-1", "--profile", "nobody", "--endpoint-url", DEAD_ENDPOINT])
    assert code == 2
    assert "nobody" in only_error_line(capsys.readouterr().err)


def _cli(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glue_netcheck.cli", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "PYTHONPATH": os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])},
    )


def test_endpoint_down_exits_2_quickly(fake_credentials: None) -> None:
    start = time.monotonic()
    proc = _cli("job", "etl", "--region", "us-east-1", "--endpoint-url", DEAD_ENDPOINT, env=dict(os.environ))
    elapsed = time.monotonic() - start
    assert (proc.returncode, proc.stdout) == (2, "")
    line = only_error_line(proc.stderr)
    assert line.endswith('glue GetJob etl: Could not connect to the endpoint URL: "http://127.0.0.1:9/"')
    assert elapsed < 15, f"took {elapsed:.1f}s (3 attempts, connect_timeout 5 s)"


def test_unreadable_plan_file_process_exits_2_without_traceback(fake_credentials: None) -> None:
    proc = _cli("plan", "/nonexistent/plan.json", env=dict(os.environ))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert only_error_line(proc.stderr) == (
        "glue-netcheck: error: cannot read plan file /nonexistent/plan.json: No such file or directory"
    )


# -- plan files that are not files ---------------------------------------------------------------

# A regression would hang (a FIFO) or read until memory runs out (/dev/zero): the CLI runs in a
# child with a deadline and an address-space cap, so either fails this test instead of the machine.
PLAN_DEADLINE_S = 30
PLAN_MEMORY_CAP = 2 * 2**30


def _cli_bounded(*argv: str) -> subprocess.CompletedProcess[str]:
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (PLAN_MEMORY_CAP, PLAN_MEMORY_CAP))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "glue_netcheck.cli", *argv],
        capture_output=True,
        text=True,
        timeout=PLAN_DEADLINE_S,
        env=env,
        preexec_fn=cap,
    )


def test_a_fifo_as_plan_file_exits_2_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)

    proc = _cli_bounded("plan", str(fifo))

    assert (proc.returncode, proc.stdout) == (2, "")
    assert only_error_line(proc.stderr) == (
        f"glue-netcheck: error: plan file {fifo} is not a regular file (a device, FIFO or directory): save the "
        "`terraform show -json` output to a file and pass that"
    )


def test_dev_zero_as_plan_file_exits_2_without_reading_it() -> None:
    proc = _cli_bounded("plan", "/dev/zero")

    assert (proc.returncode, proc.stdout) == (2, "")
    assert "plan file /dev/zero is not a regular file (a device, FIFO or directory)" in only_error_line(proc.stderr)


def test_a_plan_file_over_the_limit_exits_2_naming_the_limit(tmp_path: Path) -> None:
    from glue_netcheck.cli import MAX_PLAN_BYTES

    huge = tmp_path / "plan.json"
    with open(huge, "wb") as fh:
        fh.truncate(MAX_PLAN_BYTES + 1)  # sparse: no disk used

    proc = _cli_bounded("plan", str(huge))

    assert (proc.returncode, proc.stdout) == (2, "")
    assert only_error_line(proc.stderr) == (
        f"glue-netcheck: error: plan file {huge} is larger than 256 MiB, the most glue-netcheck reads: pass the "
        "`terraform show -json` output of one plan"
    )

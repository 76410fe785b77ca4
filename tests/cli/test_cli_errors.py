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

pytestmark = pytest.mark.cli

DEAD_ENDPOINT = "http://127.0.0.1:9"  # discard port: connection refused
SRC = Path(__file__).resolve().parents[2] / "src"


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

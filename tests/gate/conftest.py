"""The release gate on this repository's own history, in a temporary clone (tox -e gate-tests).

Each test makes one commit on top of the clone's HEAD and runs ``scripts/release_gate.py`` on it as a
child process, the way ``tox -e gate`` does. Wall times go to the terminal summary (and
``.cache/gate-test-timings.json``): this env runs in .ci/run, whose budget is tight.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.paths import REPO

GATE = REPO / "scripts" / "release_gate.py"
# test -> {"wall_s": seconds, stage: seconds, ...}
TIMINGS: dict[str, dict[str, float]] = {}
GATE_TIMEOUT = 900


@dataclass
class GateRun:
    code: int
    output: str
    summary: str
    junit: str
    seconds: float


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository's committed history (objects shared, nothing copied), HEAD tagged v0.1.0."""
    clone = tmp_path_factory.mktemp("history") / "repo"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(REPO), str(clone)], check=True, timeout=120)
    git(clone, "config", "user.email", "gate-tests@example.invalid")
    git(clone, "config", "user.name", "gate tests")
    git(clone, "tag", "-f", "v0.1.0")
    return clone


@pytest.fixture
def commit_on(history: Path) -> Iterator[Any]:
    """``commit_on(message, edit)``: a commit on top of v0.1.0 made by ``edit(checkout)``; returns its sha."""

    def make(message: str, edit: Any) -> str:
        git(history, "checkout", "--quiet", "--detach", "v0.1.0")
        edit(history)
        git(history, "add", "-A")
        git(history, "commit", "--quiet", "-m", message)
        return git(history, "rev-parse", "HEAD")

    yield make
    git(history, "checkout", "--quiet", "--detach", "v0.1.0")


@pytest.fixture
def run_gate(history: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    def run(candidate: str, *options: str) -> GateRun:
        summary, junit = tmp_path / "gate.md", tmp_path / "gate.xml"
        command = [sys.executable, str(GATE), candidate, "--repo", str(history), "--summary", str(summary)]
        command += ["--junitxml", str(junit), *options]
        started = time.monotonic()
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=GATE_TIMEOUT)
        seconds = round(time.monotonic() - started, 1)
        stages = dict(re.findall(r'name="(\w+)" time="([0-9.]+)"', junit.read_text())) if junit.is_file() else {}
        TIMINGS[request.node.name] = {"wall_s": seconds, **{k: float(v) for k, v in stages.items()}}
        return GateRun(
            result.returncode,
            result.stdout + result.stderr,
            summary.read_text() if summary.is_file() else "",
            junit.read_text() if junit.is_file() else "",
            seconds,
        )

    return run


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("release gate tests: wall time (s)")
    for name, times in TIMINGS.items():
        stages = ", ".join(f"{k} {v:.0f}" for k, v in times.items() if k != "wall_s")
        terminalreporter.write_line(f"{name}: {times['wall_s']:.1f} ({stages})")
    path = REPO / ".cache" / "gate-test-timings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(TIMINGS, indent=2) + "\n")

"""Running ``glue-netcheck`` in-process and reading what it printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from glue_netcheck.cli import main

ERROR_PREFIX = "glue-netcheck: error: "


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one ``glue-netcheck`` call."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    """The single error line on stderr, without the prefix; fails on anything else (a traceback, two lines)."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(ERROR_PREFIX), err
    return lines[0][len(ERROR_PREFIX) :]


def write_plan(tmp_path: Path, plan: Any, name: str = "plan.json") -> str:
    path = tmp_path / name
    path.write_text(plan if isinstance(plan, str) else json.dumps(plan))
    return str(path)


def findings(doc: dict[str, Any], status: str | None = None) -> set[tuple[str, str]]:
    """(rule id, resource) of the findings of a ``--format json`` report, optionally of one status."""
    return {(f["rule_id"], f["resource"]) for f in doc["findings"] if status is None or f["status"] == status}

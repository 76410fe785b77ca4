"""What a test session reports beyond pass and fail: the provider mirror in the header, every JSON
report a test renders checked against the shipped schema, and the bench file for scripts/bench.py.

Part of the harness plugin (harness.pytest_plugin lists it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from harness.mirror import report_once


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Which provider mirror the session's terraform calls use (unless ./run or a parent said it)."""
    lines: list[str] = []
    report_once(lines.append)
    return lines


@pytest.fixture(autouse=True)
def json_reports_follow_their_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON report any test renders (CLI, adapters, integration) is validated against the schema
    the wheel ships, so a field the schema does not promise fails where it is produced."""
    import glue_netcheck.cli
    import glue_netcheck.formatters
    from harness.report_schema import validate_report

    original = glue_netcheck.formatters.format_json

    def checked(report: Any) -> str:
        text = original(report)
        validate_report(json.loads(text))
        return text

    monkeypatch.setattr(glue_netcheck.formatters, "format_json", checked)
    monkeypatch.setattr(glue_netcheck.cli, "format_json", checked)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """For scripts/bench.py: how many tests ran and every terraform invocation with its duration."""
    target = os.environ.get("GLUE_NETCHECK_BENCH_FILE")
    if not target:
        return
    from harness.terraform import INVOCATIONS

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}
    counts = {k: len(v) for k, v in stats.items() if k in ("passed", "failed", "error", "skipped")}
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = Path(f"{target}.{worker}.{os.getpid()}")
    nested = os.environ.get("GLUE_NETCHECK_BENCH_NESTED") == "1"
    path.write_text(
        json.dumps({"counts": counts, "invocations": INVOCATIONS, "exitstatus": int(exitstatus), "nested": nested})
    )

"""Measured durations of the suites: written by ``tox -e bench`` (docs/timings.json and its table,
docs/timings.md), read by ``./run`` for the "expected" line, so no duration is copied by hand.

Standard library only (``./run`` calls it before any virtualenv exists):

    python3 tests/harness/timings.py expect "./run integration"     # one line, or nothing if never measured
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# ./run runs this file by path with the system Python, before the harness is installed: no harness.paths.
REPO = Path(__file__).resolve().parents[2]
JSON_FILE = REPO / "docs" / "timings.json"
MARKDOWN_FILE = REPO / "docs" / "timings.md"


def load(path: Path = JSON_FILE) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"commands": {}}


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def command_key(command: str, args: list[str]) -> str:
    """``./run tests -e lint`` is measured as ``tox -e lint``; other arguments change nothing we know of."""
    if command == "./run tests":
        envs = [args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-e", "--env")]
        if len(envs) == 1:
            return f"tox -e {envs[0]}"
    return command


def expect(command: str, args: list[str] | None = None, path: Path = JSON_FILE) -> str:
    doc = load(path)
    entry = doc.get("commands", {}).get(command_key(command, args or []))
    if not entry:
        return ""
    return (
        f"expected: about {_minutes(entry['seconds'])} ({entry.get('what', command)}; measured {entry['measured']} "
        f"on {doc.get('machine', 'this kind of machine')}: docs/timings.md)"
    )


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}"


def record(entries: dict[str, dict[str, Any]], path: Path = JSON_FILE, markdown: Path = MARKDOWN_FILE) -> None:
    """Merge measured ``{command: {"seconds", "what", ...}}`` into the file and rewrite its table."""
    doc = load(path)
    today = datetime.now(UTC).date().isoformat()
    for command, entry in entries.items():
        doc.setdefault("commands", {})[command] = {**entry, "seconds": round(entry["seconds"], 1), "measured": today}
    doc["machine"] = machine()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    rows = [
        "# Measured durations",
        "",
        "Written by `tox -e bench` (scripts/bench.py): the unit suite, measured by the bench, and the last",
        "`./run integration` and `./run smoke` pytest sessions (`.cache/integration-timings.json`, or the files",
        "given with `-- --integration-timings FILE`; `-- --integration` runs the suite first). `./run` prints",
        "the line of the command it runs. Do not edit by hand: run the bench.",
        "",
        f"Machine: {doc['machine']}.",
        "",
        "| command | wall time | what | measured |",
        "|---|---|---|---|",
    ]
    for command, entry in sorted(doc["commands"].items()):
        rows.append(f"| `{command}` | {_minutes(entry['seconds'])} | {entry.get('what', '')} | {entry['measured']} |")
    markdown.write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "expect":
        line = expect(sys.argv[2], sys.argv[3:])
        if line:
            print(line)
        sys.exit(0)
    print("usage: timings.py expect COMMAND [ARGS...]", file=sys.stderr)
    sys.exit(2)

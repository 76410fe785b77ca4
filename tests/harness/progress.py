"""Progress lines while a long suite runs: one per stack stage, and a heartbeat inside long ones.

pytest prints a test's result only when it ends, and a stack's first test waits for its whole deploy
(minutes). So the lifecycle says each stage as it starts and ends::

    [gw1 +212s] stack good: apply started
    [gw1 +242s] stack good: apply running for 30s
    [gw1 +290s] stack good: apply done in 78s

and while nothing was said for ``HEARTBEAT`` seconds, the heartbeat names what is running (the
stage, else the test). The lines go to the terminal's stderr as it was when this module was
imported: ``harness.pytest_plugin`` imports it before pytest captures output, so neither capture
nor a pytest-xdist worker (whose stderr is the controller's) hides them. Off unless ``enable()``
was called (the integration suite does); ``GLUE_PROGRESS=0`` keeps it off.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

T0_ENV = "GLUE_PROGRESS_T0"
HEARTBEAT = float(os.environ.get("GLUE_PROGRESS_HEARTBEAT", "30"))

_ERR = os.dup(2)
_LOCK = threading.Lock()
_STATE: dict[str, object] = {"enabled": False, "last": time.monotonic(), "test": None}
_RUNNING: list[tuple[str, float]] = []  # (what, monotonic start), innermost last


def enable() -> None:
    """Turn the lines on for this process and start its heartbeat (idempotent)."""
    if os.environ.get("GLUE_PROGRESS") == "0" or _STATE["enabled"]:
        return
    os.environ.setdefault(T0_ENV, str(time.time()))  # set before xdist starts workers: one clock for all
    _STATE["enabled"] = True
    threading.Thread(target=_beat, name="glue-progress-heartbeat", daemon=True).start()


def enabled() -> bool:
    return bool(_STATE["enabled"])


def say(text: str) -> None:
    if not _STATE["enabled"]:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    elapsed = time.time() - float(os.environ.get(T0_ENV, time.time()))
    with _LOCK:
        os.write(_ERR, f"[{worker} +{elapsed:.0f}s] {text}\n".encode())
        _STATE["last"] = time.monotonic()


def set_test(nodeid: str | None) -> None:
    _STATE["test"] = (nodeid, time.monotonic()) if nodeid else None


@contextmanager
def stage(stack: str, name: str) -> Iterator[None]:
    """``stack <stack>: <name> started`` ... ``done in Ns`` (or ``failed after Ns``)."""
    what = f"stack {stack}: {name}"
    started = time.monotonic()
    say(f"{what} started")
    _RUNNING.append((what, started))
    outcome = "failed after"
    try:
        yield
        outcome = "done in"
    finally:
        _RUNNING.remove((what, started))
        say(f"{what} {outcome} {time.monotonic() - started:.0f}s")


def _beat() -> None:
    while True:
        time.sleep(min(5.0, HEARTBEAT))
        now = time.monotonic()
        if now - float(_STATE["last"]) < HEARTBEAT:  # type: ignore[arg-type]
            continue
        if _RUNNING:
            what, started = _RUNNING[-1]
            say(f"{what} running for {now - started:.0f}s")
        elif _STATE["test"]:
            nodeid, started = _STATE["test"]  # type: ignore[misc]
            say(f"{nodeid} running for {now - started:.0f}s")
        else:
            say("still running")

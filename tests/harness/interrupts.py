"""Ctrl-C and SIGTERM around a stack's lifecycle: let terraform stop cleanly, destroy, then stop.

What the handler does in each phase is described in harness.lifecycle's docstring.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

from harness.processes import terraform_children

# SIGTERM is what CI runners and `timeout` send: the same orderly stop as Ctrl-C.
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class InterruptGuard:
    """SIGINT and SIGTERM handling around a lifecycle (installed only in the main thread)."""

    def __init__(self, label: str):
        self.label = label
        self.interrupted = False
        self.signal_name: str | None = None
        self.phase = "setup"  # setup | in_use | destroy
        self._previous: dict[int, Any] = {}
        self._installed = False
        self._destroy_warned = False
        self.destroy_aborted = False

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            for signum in HANDLED_SIGNALS:
                if signal.getsignal(signum) == signal.SIG_IGN:
                    continue  # started with it ignored (nohup, `cmd &`): the user meant that
                self._previous[signum] = signal.signal(signum, self._handle)
            self._installed = True

    def restore(self) -> None:
        if self._installed:
            for signum, previous in self._previous.items():
                signal.signal(signum, previous)
            self._installed = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        self.signal_name = self.signal_name or name
        running = terraform_children()
        if self.phase in ("setup", "in_use") and not running:
            # Python code is running (tests, copying): behave as Python does on Ctrl-C; destroy follows.
            self.interrupted = True
            raise KeyboardInterrupt
        if self.phase == "destroy" and not self._destroy_warned:
            # Finish the destroy (the best way not to leak), then stop: KeyboardInterrupt after teardown.
            self._destroy_warned = True
            self.interrupted = True
            print(
                f"\n[{self.label}] {name}: destroy in progress, stopping after it; "
                "the same signal again aborts it (resources may leak)",
                file=sys.stderr,
            )
            return
        self.interrupted = True
        if self.phase == "destroy":
            self.destroy_aborted = True
            print(f"\n[{self.label}] {name}: aborting destroy", file=sys.stderr)
        else:
            print(
                f"\n[{self.label}] {name}: interrupted: letting terraform stop cleanly, then destroying",
                file=sys.stderr,
            )
        for pid in running:
            try:
                os.kill(pid, signal.SIGINT)  # terraform only; go-plugin providers ignore SIGINT anyway
            except ProcessLookupError:
                pass

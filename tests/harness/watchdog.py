"""Watchdog for one terraform process group: stops it when the process that started it dies.

    python -m harness.watchdog --pgid PID --grace 30 [--journal FILE] [--root DIR] [--send-sigint]

``Terraform.execute_command`` starts one per apply or destroy (harness.terraform.WATCHED), in its own
session, with a pipe on stdin that only the test process holds. The test process writes ``done`` when terraform finished; if the pipe
reaches end-of-file without it, the test process died (SIGKILL, SIGTERM, a crash), and then:

1. terraform already got SIGINT from the kernel (PR_SET_PDEATHSIG, set when it was started; with
   ``--send-sigint`` the watchdog sends it instead, where that is not available): it stops
   scheduling changes, lets the providers finish the calls in flight and writes its state;
2. when terraform has exited, or after ``--grace`` seconds at the latest, SIGKILL goes to the whole
   process group (terraform's providers are in it and outlive a killed terraform);
3. the run journal gets what happened and what the state file looks like now.

A parent-death signal alone would not do: it reaches terraform but not its providers, it fires
when the spawning *thread* exits, and terraform killed outright loses its state.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group or session is ``pgid``."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] != "Z" and pgid in (int(fields[2]), int(fields[3])):
            found.append(int(entry.name))
    return found


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    # Providers started by terraform stay in its session even if one ever changed its group.
    for pid in group_members(pgid):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def watch(pgid: int, grace: float, journal: Path | None, root: Path | None, send_sigint: bool, command: str) -> int:
    told_done = False
    for line in sys.stdin:
        if line.strip() == "done":
            told_done = True
            break
    if told_done:
        return 0
    # The test process is gone.
    started = time.monotonic()
    record = _journal(journal)
    if record:
        record.update(f"watchdog: the test process died during `{command}` (group {pgid})")
    if send_sigint:
        try:
            os.kill(pgid, signal.SIGINT)
        except ProcessLookupError:
            pass
    deadline = started + grace
    while time.monotonic() < deadline and pgid in group_members(pgid):
        time.sleep(0.2)
    leader_exited = pgid not in group_members(pgid)
    stragglers = [p for p in group_members(pgid) if p != pgid]
    _kill_group(pgid)
    waited = time.monotonic() - started
    for _ in range(50):  # SIGKILL is not instant; say so only once the group is empty
        if not group_members(pgid):
            break
        time.sleep(0.1)
    if leader_exited:
        how = f"terraform stopped by itself {waited:.1f}s after SIGINT"
        if stragglers:
            how += f"; killed {len(stragglers)} leftover provider process(es)"
    else:
        how = f"terraform still running after {grace:.0f}s grace: killed its process group (its state may be lost)"
    if record:
        from harness.journal import state_summary

        summary = state_summary(root)
        lock = f"; {summary['lock']}" if summary.get("lock") else ""
        record.update(
            f"watchdog: {how}; state: {summary['state']}{lock}",
            interrupted_command=command,
            watchdog=how,
        )
    return 0


def _journal(path: Path | None):  # -> Journal | None
    if path is None or not path.exists():
        return None
    from harness.journal import Journal

    return Journal(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.watchdog")
    parser.add_argument("--pgid", type=int, required=True)
    parser.add_argument("--grace", type=float, default=30.0)
    parser.add_argument("--journal", type=Path, default=None)
    parser.add_argument("--root", type=Path, default=None, help="the Terraform root (for its state and lock)")
    parser.add_argument("--command", default="terraform")
    parser.add_argument("--send-sigint", action="store_true", help="no parent-death signal here: send SIGINT")
    args = parser.parse_args(argv)
    # Ctrl-C in the terminal reaches the test process's group, not this session; ignore it anyway.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return watch(args.pgid, args.grace, args.journal, args.root, args.send_sigint, args.command)


if __name__ == "__main__":
    sys.exit(main())

"""Which processes terraform left: read from /proc (Linux), for the lifecycle and the kill tests."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _proc_stat(pid: int) -> tuple[str, int, int, int] | None:
    """(comm, ppid, pgid, sid) of a process from /proc, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return comm, int(fields[1]), int(fields[2]), int(fields[3])


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def terraform_children(parent: int | None = None) -> list[int]:
    """Direct children of ``parent`` (default: this process) that are terraform processes."""
    parent = os.getpid() if parent is None else parent
    found = []
    for pid in _all_pids():
        stat = _proc_stat(pid)
        if stat and stat[1] == parent and stat[0].startswith("terraform"):
            found.append(pid)
    return found


def processes_in_groups(groups: set[int]) -> list[tuple[int, str]]:
    """Live processes (pid, comm) whose process group or session is one of ``groups``.

    ``Terraform.run`` starts terraform as a session leader, so its pid is the group and session
    of its provider plugins too: anything left here after a kill is a leaked process.
    """
    left = []
    for pid in _all_pids():
        stat = _proc_stat(pid)
        if stat and (stat[2] in groups or stat[3] in groups) and not _is_zombie(pid):
            left.append((pid, stat[0]))
    return left


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (children, grandchildren, ...), as they are now."""
    children: dict[int, list[int]] = {}
    for pid in _all_pids():
        stat = _proc_stat(pid)
        if stat:
            children.setdefault(stat[1], []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def pss_kb(pid: int) -> int:
    """A process's proportional set size (a page shared by n processes counts 1/n); 0 once gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:  # gone meanwhile, or not ours to read
        pass
    return 0


class TreeMemory:
    """Peak memory of a process and all its descendants (scripts/bench.py), sampled every
    ``interval`` seconds: the sum of their PSS, so the shared pages of the provider binaries count
    once, not once per process as summed RSS would."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.peak_processes = 0
        self.providers: set[int] = set()  # terraform-provider-* pids seen (each lives > 1 s: the sampling sees it)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="tree-memory", daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            tree = descendants(self.pid)
            self.providers.update(p for p in tree if (_proc_stat(p) or ("",))[0].startswith("terraform-provi"))
            total = sum(pss_kb(pid) for pid in tree)
            if total > self.peak_kb:
                self.peak_kb, self.peak_processes = total, len(tree)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


class TerraformWatcher:
    """Records the pid (= process group) of every terraform this process starts while active."""

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self.groups: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="terraform-watcher", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.groups.update(terraform_children())
            self._stop.wait(self.interval)

    def __enter__(self) -> TerraformWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

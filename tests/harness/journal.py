"""Run journal: what a deployment is doing, kept where a killed run can still be found.

Every lifecycle writes ``<runs dir>/<run id>.json`` (run id, workdir, backend, endpoint, region,
account, identity, profile, phase, owner process) and updates it at every phase. A clean teardown
removes it; anything else leaves it behind: the next integration session and scripts/sweep.py
report it (phase, state, stale lock, what the state still holds), and ``tox -e sweep -- --delete``
finishes it. The runs dir is persistent (``GLUE_NETCHECK_RUNS_DIR``, default ``.cache/runs``):
pytest prunes its own temporary directories, which would take the state with them.

The lifecycle marks the workdir it creates (``RUN_MARKER``, holding the run id) before it copies
anything into it; scripts/sweep.py runs terraform only in a journal's root inside such a workdir
(``RunRecord.not_ours``), so a journal naming any other directory cannot make it destroy there.

The watchdog (harness.watchdog) writes here too, after the owner process died: which terraform
command was running, how it ended, and what the state file looked like afterwards.

Standard library only: the watchdog and scripts/sweep.py import it without the test dependencies.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.paths import RUNS

RUNS_DIR_ENV = "GLUE_NETCHECK_RUNS_DIR"
STATE_FILE = "terraform.tfstate"
LOCK_INFO_FILE = ".terraform.tfstate.lock.info"
RUN_MARKER = ".glue-netcheck-run"
# Phases in order; "done" is written only by a teardown that destroyed everything.
PHASES = ("prepare", "init", "apply", "in_use", "destroy", "done")


def runs_dir() -> Path:
    return Path(os.environ.get(RUNS_DIR_ENV) or RUNS)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def process_start_time(pid: int) -> int | None:
    """The kernel's start time of ``pid`` (clock ticks since boot): tells a live owner from a reused pid."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(text[text.rindex(")") + 2 :].split()[19])


def process_alive(pid: int, start_time: int | None = None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    if Path("/proc").is_dir():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        if state == "Z":
            return False
        if start_time is not None and process_start_time(pid) != start_time:
            return False
    return True


def mark_workdir(workdir: Path, run_id: str) -> None:
    """Create ``workdir`` as the harness's own for ``run_id`` (see RunRecord.not_ours)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / RUN_MARKER).write_text(run_id + "\n")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def _write(path: Path, doc: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


@dataclass
class Journal:
    """One run's journal file; every update is a locked read-modify-write (owner and watchdog both write)."""

    path: Path

    @classmethod
    def create(cls, directory: Path, run_id: str, **fields: Any) -> Journal:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{run_id}.json"
        pid = os.getpid()
        doc = {
            "run_id": run_id,
            "phase": "prepare",
            "owner": {"pid": pid, "start_time": process_start_time(pid), "host": socket.gethostname()},
            "started": _now(),
            "updated": _now(),
            "events": [],
            **fields,
        }
        with _locked(path):
            _write(path, doc)
        return cls(path)

    def update(self, event: str | None = None, **fields: Any) -> None:
        """Merge ``fields`` and append ``event``; a removed journal (a clean teardown) stays removed."""
        if not self.path.exists():
            return
        with _locked(self.path):
            if not self.path.exists():
                return
            doc = read(self.path)
            doc.update(fields)
            doc["updated"] = _now()
            if event:
                doc.setdefault("events", []).append(f"{_now()} {event}")
            _write(self.path, doc)

    def phase(self, phase: str) -> None:
        self.update(f"phase {phase}", phase=phase)

    def remove(self) -> None:
        for path in (self.path, self.path.with_name(self.path.name + ".lock")):
            path.unlink(missing_ok=True)


# --- reading: what a run left ------------------------------------------------------------------


def state_summary(root: Path | None) -> dict[str, Any]:
    """The state file and lock of a Terraform root: parseable?, which resources, a stale lock?"""
    summary: dict[str, Any] = {"root": str(root) if root else None}
    if root is None or not root.is_dir():
        summary["state"] = "workdir gone"
        summary["resources"] = []
        return summary
    state = root / STATE_FILE
    if not state.exists():
        summary["state"] = "no state file"
        summary["resources"] = []
    elif state.stat().st_size == 0:
        summary["state"] = "EMPTY (0 bytes): the state was lost; only a sweep by tag can find what was created"
        summary["resources"] = []
    else:
        try:
            doc = json.loads(state.read_text())
        except ValueError as exc:
            summary["state"] = f"UNPARSEABLE ({exc}); only a sweep by tag can find what was created"
            summary["resources"] = []
        else:
            resources = state_resources(doc)
            summary["state"] = f"parseable, {len(resources)} managed resource instance(s)"
            summary["resources"] = resources
    lock = root / LOCK_INFO_FILE
    if lock.exists():
        try:
            info = json.loads(lock.read_text() or "{}")
            who = f"{info.get('Operation', '?')} by {info.get('Who', '?')} at {info.get('Created', '?')}"
        except ValueError:
            who = "unreadable"
        summary["lock"] = f"stale lock info {lock.name} ({who})"
    return summary


def state_resources(doc: dict[str, Any]) -> list[dict[str, str]]:
    """Managed resource instances in a state document: address and id."""
    found = []
    for res in doc.get("resources", []):
        if res.get("mode") != "managed":
            continue
        base = ".".join(p for p in (res.get("module"), f"{res['type']}.{res['name']}") if p)
        for inst in res.get("instances", []):
            key = inst.get("index_key")
            address = base + (f"[{json.dumps(key)}]" if key is not None else "")
            attrs = inst.get("attributes") or {}
            found.append({"address": address, "id": str(attrs.get("id", ""))})
    return found


def state_identifiers(root: Path | None) -> set[str]:
    """Every id, name and ARN the state holds (to tell a live resource the state knows from one it does not)."""
    state = (root / STATE_FILE) if root else None
    if state is None or not state.is_file() or state.stat().st_size == 0:
        return set()
    try:
        doc = json.loads(state.read_text())
    except ValueError:
        return set()
    ids: set[str] = set()
    for res in doc.get("resources", []):
        for inst in res.get("instances", []):
            attrs = inst.get("attributes") or {}
            for key in ("id", "arn", "name", "bucket", "key_id", "alias", "target_key_id"):
                value = attrs.get(key)
                if isinstance(value, str) and value:
                    ids.add(value)
    return ids


@dataclass
class RunRecord:
    """A journal found in the runs dir, with what its files say now."""

    path: Path
    doc: dict[str, Any]

    @property
    def run_id(self) -> str:
        return self.doc.get("run_id", self.path.stem)

    @property
    def root(self) -> Path | None:
        root = self.doc.get("root")
        return Path(root) if root else None

    def not_ours(self) -> str | None:
        """Why this journal's root is not one the harness created for its run (None: it is)."""
        workdir, root = self.doc.get("workdir"), self.root
        if not workdir or root is None:
            return "the journal names no workdir and root"
        workdir_path = Path(workdir).resolve()
        if not root.resolve().is_relative_to(workdir_path):
            return f"its root {root} is outside its workdir {workdir}"
        marker = workdir_path / RUN_MARKER
        try:
            marked = marker.read_text().strip()
        except OSError:
            return f"{marker} is missing (the harness writes it into every workdir it creates)"
        if marked != self.run_id:
            return f"{marker} names run {marked!r}, not {self.run_id}"
        return None

    @property
    def owner_alive(self) -> bool:
        owner = self.doc.get("owner") or {}
        if owner.get("host") not in (None, socket.gethostname()):
            return True  # another machine's run: never ours to judge
        return bool(owner.get("pid")) and process_alive(owner["pid"], owner.get("start_time"))

    @property
    def unfinished(self) -> bool:
        return not self.owner_alive and (self.doc.get("phase") != "done" or bool(self.doc.get("problem")))

    def describe(self) -> list[str]:
        """Lines for a person: the run, where, how far it got, its state and lock, what the state still holds."""
        d = self.doc
        where = d.get("endpoint_url") or f"AWS account {d.get('account')}"
        owner = d.get("owner") or {}
        lines = [
            f"unfinished run {self.run_id} ({d.get('prefix')}): backend {d.get('backend')} at {where}, "
            f"region {d.get('region')}, account {d.get('account')}, stopped in phase {d.get('phase')!r} "
            f"(owner pid {owner.get('pid')} is gone; last update {d.get('updated')})",
            f"  workdir: {d.get('workdir')}",
        ]
        if d.get("problem"):
            lines.append(f"  problem: {d['problem']}")
        summary = state_summary(self.root)
        lines.append(f"  state: {summary['state']}")
        if summary.get("lock"):
            lines.append(f"  lock: {summary['lock']}")
        for res in summary["resources"]:
            lines.append(f"  in state: {res['address']} ({res['id']})")
        for event in d.get("events", [])[-4:]:
            lines.append(f"  journal: {event}")
        return lines


def find_runs(directory: Path | None = None) -> list[RunRecord]:
    directory = directory or runs_dir()
    if not directory.is_dir():
        return []
    records = []
    for path in sorted(directory.glob("*.json")):
        try:
            records.append(RunRecord(path, read(path)))
        except (OSError, ValueError):
            continue
    return records


def unfinished_runs(directory: Path | None = None) -> list[RunRecord]:
    return [r for r in find_runs(directory) if r.unfinished]

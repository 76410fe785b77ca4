#!/usr/bin/env python3
"""Every ``uses:`` of the workflows and action.yml is pinned to a full commit SHA with its release in a
comment, and (``--verify``, CI) that SHA is the commit the release tag names upstream.

    python scripts/check_pins.py .github/workflows action.yml             # form only (offline: tox -e lint)
    python scripts/check_pins.py --verify .github/workflows action.yml    # + git ls-remote per action (CI)

zizmor --offline checks the form; only the action's repository can say that
``actions/checkout@3d3c42e... # v7.0.1`` really is v7.0.1 (a mistyped or invented SHA passes every
offline check). Local actions (``./``) and ``docker://`` images are not pins of a repository.
Exit 0 all good; 1 a pin is missing, malformed or does not match upstream (one line each).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

USES = re.compile(r"^\s*-?\s*uses:\s*(?P<ref>[^\s#]+)\s*(?:#\s*(?P<comment>.*))?$")
PINNED = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)(?P<path>/[^@]*)?@(?P<sha>[0-9a-f]{40})$")
RELEASE = re.compile(r"^(v\d+(?:\.\d+){0,2})\b")


@dataclass(frozen=True)
class Pin:
    file: str
    line: int
    repo: str
    sha: str
    release: str


def scan(paths: Iterable[Path]) -> tuple[list[Pin], list[str]]:
    """(the pins, one problem line per ``uses:`` that is not a well-formed pin)."""
    pins, problems = [], []
    files = [f for p in paths for f in (sorted(p.glob("*.y*ml")) if p.is_dir() else [p])]
    for path in files:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = USES.match(text)
            if not m:
                continue
            ref, comment = m.group("ref").strip("'\""), (m.group("comment") or "").strip()
            if ref.startswith(("./", "docker://")):
                continue
            where = f"{path}:{number}"
            pinned = PINNED.match(ref)
            if not pinned:
                problems.append(f"{where}: {ref} is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)")
                continue
            release = RELEASE.match(comment)
            if not release:
                problems.append(f"{where}: {ref} has no '# vX.Y.Z' comment naming the release it pins")
                continue
            pins.append(Pin(str(path), number, pinned.group("repo"), pinned.group("sha"), release.group(1)))
    return pins, problems


def ls_remote(repo: str, tag: str) -> str:
    result = subprocess.run(
        ["git", "ls-remote", "--tags", f"https://github.com/{repo}", f"refs/tags/{tag}", f"refs/tags/{tag}^{{}}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise OSError(result.stderr.strip().splitlines()[-1:] or f"git ls-remote exited {result.returncode}")
    return result.stdout


def tag_commit(listing: str, tag: str) -> str | None:
    """The commit a tag names: the peeled ``^{}`` line of an annotated tag, else the tag's own line."""
    refs = dict(reversed(line.split("\t", 1)) for line in listing.splitlines() if "\t" in line)
    return refs.get(f"refs/tags/{tag}^{{}}") or refs.get(f"refs/tags/{tag}")


def verify(pins: list[Pin], remote: Callable[[str, str], str] = ls_remote) -> list[str]:
    problems, seen = [], {}
    for pin in pins:
        key = (pin.repo, pin.release)
        if key not in seen:
            try:
                seen[key] = tag_commit(remote(pin.repo, pin.release), pin.release)
            except OSError as exc:
                seen[key] = exc
        upstream = seen[key]
        where = f"{pin.file}:{pin.line}"
        if isinstance(upstream, OSError):
            problems.append(f"{where}: cannot list the tags of github.com/{pin.repo}: {upstream}")
        elif upstream is None:
            problems.append(f"{where}: github.com/{pin.repo} has no tag {pin.release}")
        elif upstream != pin.sha:
            problems.append(f"{where}: {pin.repo}@{pin.sha} is not {pin.release}, which is {upstream} upstream")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check_pins", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="workflow directories or files, action.yml")
    parser.add_argument("--verify", action="store_true", help="resolve each release tag upstream (network)")
    args = parser.parse_args(argv)
    pins, problems = scan(args.paths)
    if args.verify and not problems:
        problems = verify(pins)
    for line in problems:
        print(f"check_pins: {line}", file=sys.stderr)
    if not problems:
        what = "pinned and resolved upstream" if args.verify else "pinned (form only; --verify resolves them)"
        print(f"check_pins: {len(pins)} uses of {len({p.repo for p in pins})} actions, all {what}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The hashicorp/aws versions CI runs, from the one policy in infra/**/versions.tf.

    python scripts/provider_matrix.py policy                       # the constraint every versions.tf states
    python scripts/provider_matrix.py matrix --versions FILE       # JSON list: the floor, the newest of each major
    python scripts/provider_matrix.py pin 5.100.0                  # CI only: every versions.tf pinned to it

``--versions FILE`` is the registry's answer to GET /v1/providers/hashicorp/aws/versions (CI fetches
it; this machine cannot). The matrix is the policy's floor and the newest release of each major the
policy accepts, so that a provider release the policy lets users take is run before they take it, and
the floor a user may still have is run too. ``pin`` rewrites the checkout's constraints so that the
whole suite runs on exactly one version: CI jobs then differ only in that version.
Exit 0 done; 1 the versions.tf files disagree or a version is outside the policy (one line).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The aws provider's `version = "..."` inside required_providers (the only provider the modules use).
CONSTRAINT = re.compile(r'(source\s*=\s*"hashicorp/aws"\s*\n(?:\s*#.*\n)*\s*version\s*=\s*)"([^"]+)"')
RANGE = re.compile(r"^>=\s*(\d+\.\d+\.\d+),\s*<\s*(\d+)\.0\.0$")
RELEASE = re.compile(r"^\d+\.\d+\.\d+$")


class PolicyError(Exception):
    pass


def version_files(infra: Path) -> list[Path]:
    return sorted(p for p in infra.rglob("versions.tf") if ".terraform" not in p.parts)


def policy(infra: Path) -> str:
    found = {}
    for path in version_files(infra):
        m = CONSTRAINT.search(path.read_text(encoding="utf-8"))
        if not m:
            raise PolicyError(f"{path.relative_to(infra.parent)} states no hashicorp/aws version constraint")
        found[path] = m.group(2)
    if len(set(found.values())) != 1:
        listed = "; ".join(f"{p.relative_to(infra.parent)}: {c}" for p, c in found.items())
        raise PolicyError(f"the versions.tf files disagree on hashicorp/aws (one policy, please): {listed}")
    return next(iter(found.values()))


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def bounds(constraint: str) -> tuple[str, int]:
    """(floor, first major not accepted) of a ``>= X.Y.Z, < N.0.0`` constraint."""
    m = RANGE.match(constraint.strip())
    if not m:
        raise PolicyError(f"hashicorp/aws constraint {constraint!r} is not of the form '>= X.Y.Z, < N.0.0'")
    return m.group(1), int(m.group(2))


def matrix(constraint: str, released: list[str]) -> list[str]:
    floor, ceiling = bounds(constraint)
    accepted = [v for v in released if RELEASE.match(v) and _key(floor) <= _key(v) and _key(v)[0] < ceiling]
    if floor not in released:
        raise PolicyError(f"the policy's floor {floor} is not a released hashicorp/aws version")
    newest_per_major = {}
    for version in sorted(accepted, key=_key):
        newest_per_major[_key(version)[0]] = version
    return sorted({floor, *newest_per_major.values()}, key=_key)


def pin(infra: Path, version: str) -> list[Path]:
    floor, ceiling = bounds(policy(infra))
    if not (RELEASE.match(version) and _key(floor) <= _key(version) and _key(version)[0] < ceiling):
        raise PolicyError(f"{version} is outside the policy {policy(infra)!r}")
    changed = []
    for path in version_files(infra):
        text = path.read_text(encoding="utf-8")
        path.write_text(CONSTRAINT.sub(lambda m: f'{m.group(1)}"= {version}"', text), encoding="utf-8")
        changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="provider_matrix", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--infra-dir", type=Path, default=REPO / "infra")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("policy")
    m = sub.add_parser("matrix")
    m.add_argument("--versions", type=Path, required=True, help="registry JSON: /v1/providers/hashicorp/aws/versions")
    p = sub.add_parser("pin")
    p.add_argument("version")
    args = parser.parse_args(argv)
    try:
        if args.command == "policy":
            print(policy(args.infra_dir))
        elif args.command == "matrix":
            try:
                released = [v["version"] for v in json.loads(args.versions.read_text())["versions"]]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise PolicyError(f"{args.versions} is not the registry's versions JSON: {exc}") from None
            print(json.dumps(matrix(policy(args.infra_dir), released)))
        else:
            for path in pin(args.infra_dir, args.version):
                print(f"pinned {path.relative_to(args.infra_dir.parent)} to = {args.version}")
    except PolicyError as exc:
        print(f"provider_matrix: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

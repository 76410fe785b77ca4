"""Where Terraform gets its providers: the one discovery every tox env, script and ``./run`` uses.

``TF_PLUGIN_MIRROR`` when set; else the first well-known directory that holds a filesystem mirror of
``registry.terraform.io/hashicorp/aws``; else none, and Terraform downloads from the registry as usual.

Standard library only, so that ``./run`` can ask it before any virtualenv exists:

    python3 tests/harness/mirror.py          # one line: which mirror, or that Terraform will download
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV = "TF_PLUGIN_MIRROR"
# Set once the line has been printed (by ./run, or a pytest session header), so that the tox envs and
# child processes started after it do not print it again.
REPORTED_ENV = "GLUE_NETCHECK_MIRROR_REPORTED"
PROVIDER_DIR = Path("registry.terraform.io") / "hashicorp" / "aws"
# Terraform's own implied local mirror directories on Linux (CLI config docs, "Implied Local Mirror
# Directories"), plus the place this project's machines keep one.
WELL_KNOWN = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)


@dataclass(frozen=True)
class Mirror:
    path: str | None  # None: no mirror, the registry
    how: str  # why this one: "TF_PLUGIN_MIRROR", "found", or "none"

    def versions(self) -> list[str]:
        if self.path is None:
            return []
        directory = Path(self.path) / PROVIDER_DIR
        return sorted(p.name for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []

    def describe(self) -> str:
        if self.path is None:
            return (
                "terraform providers: no filesystem mirror found (TF_PLUGIN_MIRROR unset, none in "
                f"{', '.join(WELL_KNOWN)}): terraform downloads them from registry.terraform.io"
            )
        held = ", ".join(self.versions()) or "no hashicorp/aws version"
        source = f"{ENV}={self.path}" if self.how == ENV else f"{self.path} (found; {ENV} overrides)"
        return f"terraform providers: filesystem mirror {source}, hashicorp/aws {held}; no registry access"


def find_mirror(env: Mapping[str, str] = os.environ) -> Mirror:
    given = env.get(ENV)
    if given:
        return Mirror(given, ENV)
    home = env.get("HOME") or str(Path.home())
    for candidate in WELL_KNOWN:
        path = Path(candidate.replace("~", home, 1))
        if (path / PROVIDER_DIR).is_dir():
            return Mirror(str(path), "found")
    return Mirror(None, "none")


def report_once(write=None) -> None:
    """Print ``describe()`` unless this process tree has already said it."""
    if os.environ.get(REPORTED_ENV):
        return
    (write or (lambda line: print(line, file=sys.stderr, flush=True)))(find_mirror().describe())
    os.environ[REPORTED_ENV] = "1"


if __name__ == "__main__":
    print(find_mirror().describe())

"""The installed distribution's version: one source for ``--version``, JSON reports and SARIF."""

from __future__ import annotations

from importlib import metadata


def tool_version() -> str:
    try:
        return metadata.version("glue-netcheck")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"

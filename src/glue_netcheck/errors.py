"""Errors about the input or the environment: the CLI prints each as one line and exits 2.

Anything else that escapes an adapter is a bug in glue-netcheck, reported as an
internal error (exit 3) with ``GLUE_NETCHECK_DEBUG=1`` for the traceback.
"""

from __future__ import annotations


class NetcheckError(Exception):
    """An input or environment problem: one line on stderr, exit code 2."""


class UnusablePlan(NetcheckError):
    """The file is not a complete Terraform plan in JSON form, so no verdict is possible."""


class JobNotFound(NetcheckError):
    def __init__(self, names: list[str], region: str) -> None:
        self.names = names
        self.region = region
        super().__init__(f"Glue job not found in {region}: {', '.join(names)}")


class AccessError(NetcheckError):
    """No usable credentials, endpoint unreachable, or access to the job denied."""

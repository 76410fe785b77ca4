"""Helpers shared by the integration tests and their conftest (imported as a plain module)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

from harness.backends import Backend
from harness.errors import HarnessError
from harness.lifecycle import StackLifecycle

T = TypeVar("T")

# Services the whole stack needs; a backend missing one of them skips every deploying test.
STACK_SERVICES = ("ec2", "iam", "s3", "sts", "kms", "logs", "glue")
# Lines for the terminal summary (unverifiable findings, gaps): shown, never silently dropped.
NOTES: list[str] = []


def harness_call(fn: Callable[[], T]) -> T:
    """A HarnessError fails the test in one line (as the root conftest's one_line)."""
    try:
        return fn()
    except HarnessError as exc:
        message = str(exc)
    pytest.fail(message, pytrace=False)


def require(backend: Backend, *services: str) -> None:
    """Skip (with the backend's reason) when it cannot serve one of ``services``."""
    reason = backend.missing(*services)
    if reason:
        pytest.skip(reason)


def deploy(lifecycle: StackLifecycle) -> StackLifecycle:
    """Enter a lifecycle; harness problems fail in one line (the lifecycle has destroyed already)."""
    return harness_call(lambda: lifecycle.__enter__())


def teardown(lifecycle: StackLifecycle) -> None:
    harness_call(lambda: lifecycle.__exit__(None, None, None))

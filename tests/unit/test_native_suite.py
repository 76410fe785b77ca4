"""The native peer (tests/native, read by scripts/bench.py) is what harness.native_suite makes of the case files."""

from __future__ import annotations

import pytest

from harness.native_suite import build, stale

pytestmark = pytest.mark.unit


def test_native_suite_is_generated_from_the_case_files():
    differing = stale(build())
    assert not differing, f"tests/native differs in {differing}: run python -m harness.native_suite and commit"

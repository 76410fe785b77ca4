"""The backend layer without deploying: run ids, the AWS account guard, a dead endpoint (LocalStack: test_localstack.py)."""

from __future__ import annotations

import re

import pytest

from harness.backends import (
    MAX_PREFIX_LEN,
    BackendRefused,
    BackendUnavailable,
    check_account,
    name_prefix,
    new_run_id,
    probe_endpoint,
)
from harness.leaks import run_key, run_time

pytestmark = [pytest.mark.integration]


def test_run_ids_are_unique_short_lower_case_and_dated():
    ids = {new_run_id("good") for _ in range(50)}

    assert len(ids) == 50
    for run_id in ids:
        prefix = name_prefix(run_id)
        assert re.fullmatch(r"gnt-\d{10}-[0-9a-f]{6}-good", prefix)
        assert len(prefix) <= MAX_PREFIX_LEN
        assert run_key(prefix) == run_id.removesuffix("-good")
        assert run_time(prefix) is not None


@pytest.mark.parametrize(
    ("account", "allowed", "message"),
    [
        ("123456789012", [], "ALLOWED_AWS_ACCOUNT_IDS is empty"),
        ("123456789012", ["111111111111"], "refusing to deploy to AWS account 123456789012: not in"),
    ],
)
def test_aws_account_guard_refuses(account: str, allowed: list[str], message: str):
    with pytest.raises(BackendRefused, match=message) as refused:
        check_account(account, allowed)
    assert "\n" not in str(refused.value)


def test_aws_account_guard_lets_a_listed_account_through():
    check_account("123456789012", ["111111111111", "123456789012"])


def test_unreachable_endpoint_is_a_quick_one_line_error():
    with pytest.raises(BackendUnavailable) as down:
        probe_endpoint("http://127.0.0.1:9", timeout=2, what="LocalStack")
    assert "\n" not in str(down.value)
    assert "LocalStack at http://127.0.0.1:9 is not reachable" in str(down.value)

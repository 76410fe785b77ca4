"""The leak check asks only the services it is given.

LocalStack Community serves no Glue: the vpc stack's leak check must not ask Glue at all
(it once failed there with "AttributeError: 'function' object has no attribute 'region_name'",
through a stand-in client for the unserved service). In-process moto answers the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from harness.leaks import LISTERS, find_leftovers

pytestmark = pytest.mark.emulator

PREFIX = "gnt-2611260000-abcdef"


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], Any]]:
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(key, value)
    services: list[str] = []

    def client_for(service: str) -> Any:
        services.append(service)
        if service == "glue":
            raise AssertionError("the leak check asked Glue, which this backend does not serve")
        return boto3.client(service, region_name="us-east-1")

    with mock_aws():
        yield services, client_for


def test_leak_check_without_glue_never_asks_glue(asked: tuple[list[str], Any]):
    services, client_for = asked
    served = [s for s in LISTERS if s != "glue"]

    assert find_leftovers(client_for, PREFIX, PREFIX, services=served) == []
    assert "glue" not in services
    assert {"logs", "kms", "iam", "s3", "ec2"} <= set(services)


def test_leak_check_asks_every_service_by_default(asked: tuple[list[str], Any]):
    services, client_for = asked

    with pytest.raises(AssertionError, match="asked Glue"):
        find_leftovers(client_for, PREFIX, PREFIX)


def test_unknown_service_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match=r"no leak lister for \['lambda'\]; known: \[.*'ec2'"):
        find_leftovers(lambda service: None, PREFIX, PREFIX, services=["lambda"])

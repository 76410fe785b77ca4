"""Fixtures for the live adapter, CLI and formatter tests (helpers live in aws_world.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_world import aws_test_env, build_world, make_clients, outside_vpc, type_unknown
from moto import mock_aws

from glue_netcheck import catalogue
from glue_netcheck.catalogue import Severity


@pytest.fixture
def fake_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    aws_test_env(monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """In-process moto with the world built once per module (the tests only read it).

    Yields the clients plus ``world``. Building costs ~3 s, mostly moto loading the
    AWS managed policies, so it is shared.
    """
    with pytest.MonkeyPatch.context() as mp, mock_aws():
        aws_test_env(mp, tmp_path_factory.mktemp("aws"))
        clients = make_clients()
        world = build_world(clients)
        yield {**clients, "world": world}


@pytest.fixture
def test_rules() -> Iterator[dict[str, catalogue.Rule]]:
    """Replace the catalogue with two throwaway rules for the test, then restore it."""
    from glue_netcheck import rules as _rules  # noqa: F401  (register the real rules first)

    saved = dict(catalogue.RULES)
    catalogue.RULES.clear()
    try:
        catalogue.rule("TEST901", "Job runs inside a VPC", "https://example.invalid/glue-vpc")(outside_vpc)
        catalogue.rule("TEST902", "Connection type known", "moto gap", Severity.WARNING)(type_unknown)
        yield catalogue.RULES
    finally:
        catalogue.RULES.clear()
        catalogue.RULES.update(saved)

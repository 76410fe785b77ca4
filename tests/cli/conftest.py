"""Fixtures for the live adapter and CLI tests (the moto world is harness/aws_world.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from harness.aws_world import aws_test_env, build_world, make_clients


@pytest.fixture
def fake_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    aws_test_env(monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """In-process moto with the world built once per module (tests only read it, or add objects of their own).

    Yields the clients plus ``world``. Building costs ~3 s, mostly moto loading the
    AWS managed policies, so it is shared.
    """
    with pytest.MonkeyPatch.context() as mp, mock_aws():
        aws_test_env(mp, tmp_path_factory.mktemp("aws"))
        clients = make_clients()
        world = build_world(clients)
        yield {**clients, "world": world}

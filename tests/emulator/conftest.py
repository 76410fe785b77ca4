"""One moto server for the emulator-layer tests (starting one costs about a second)."""

from collections.abc import Iterator

import pytest

from harness.emulator import MotoEmulator, start_moto


@pytest.fixture(scope="session")
def emulator() -> Iterator[MotoEmulator]:
    # GLUE_NETCHECK_NO_MOTO_PATCHES=1 starts it unpatched, to show which tests need which patch.
    with start_moto() as running:
        yield running

"""Fixtures for ``--backend localstack`` (imported by conftest.py).

Without LOCALSTACK_ENDPOINT (or AWS_ENDPOINT_URL) the suite starts LocalStack Community itself from
the virtualenv `tox -e localstack` makes and stops it when the session ends; with it, the suite uses yours and
probes it for the known gaps (harness/localstack/gaps.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from harness.backends import BackendRefused, BackendUnavailable
from harness.errors import HarnessError
from harness.localstack.backend import LocalStackBackend, configured_endpoint, localstack_backend
from harness.localstack.gaps import present_gaps
from harness.localstack.runtime import LocalStackProcess, runtime_python, start_localstack

# What the run says about LocalStack in its summary (start and stop times, patches, gaps).
LOCALSTACK_FACTS: dict[str, object] = {}


@pytest.fixture(scope="session")
def localstack_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStackProcess | None]:
    """The LocalStack the suite started, or None when you gave one (LOCALSTACK_ENDPOINT / AWS_ENDPOINT_URL)."""
    try:
        if configured_endpoint(os.environ) is not None:
            yield None
            return
    except HarnessError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        python = runtime_python()
    except HarnessError as exc:
        pytest.exit(str(exc), returncode=4)  # once, not once per test: no test can start LocalStack
    try:
        process = start_localstack(tmp_path_factory.mktemp("localstack"), python=python)
    except HarnessError as exc:
        pytest.fail(str(exc), pytrace=False)
    LOCALSTACK_FACTS.update(start_s=process.start_seconds, patches=process.patches, log=str(process.log_path))
    try:
        yield process
    finally:
        process.stop()
        LOCALSTACK_FACTS["stop_s"] = process.stop_seconds


def make_localstack_backend(region: str, process: LocalStackProcess | None) -> LocalStackBackend:
    """The backend on the started or the given LocalStack; a refusal stops the run, unavailability skips."""
    try:
        if process is not None:
            backend = localstack_backend(region, process.endpoint_url, started_here=True)
        else:
            backend = localstack_backend(region)
            if not backend.missing("ec2"):
                backend.known_gaps = present_gaps(backend.client)
    except BackendRefused as exc:
        pytest.exit(str(exc), returncode=4)
    except BackendUnavailable as exc:
        pytest.skip(str(exc))
    LOCALSTACK_FACTS.update(describe=backend.describe(), known_gaps=dict(backend.known_gaps))
    return backend

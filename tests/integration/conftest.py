"""Integration suite: deploy the root stack to a backend, verify it through the API, destroy it.

Backends (``--backend``, env GLUE_TEST_BACKEND; see harness/backends.py): ``moto`` (default,
started here in-process), ``localstack`` (started here from its pinned venv, or yours with
LOCALSTACK_ENDPOINT; see harness/localstack/fixtures.py), ``aws`` (a sandbox account listed in
ALLOWED_AWS_ACCOUNT_IDS; refused before any terraform command otherwise).

The run ends with one line saying what it exercised on its backend (harness/deploy_summary.py);
``--require-deploy`` fails it when no stack was deployed.

Before the first deployment the session prints who it deploys as (account, caller ARN, profile),
and every run an earlier session left unfinished (a killed pytest, a failed destroy), from the run
journals in .cache/runs (harness.journal); ``tox -e sweep`` lists their leftovers, ``-- --delete``
finishes them. Each stack's workdir lives next to its journal and goes after a clean teardown.

Wall times of every lifecycle phase go to .cache/integration-timings.json
(GLUE_INTEGRATION_TIMINGS overrides the path) for scripts/bench.py.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness import progress
from harness.backends import (
    Backend,
    BackendRefused,
    BackendUnavailable,
    aws_backend,
    moto_backend,
    new_run_id,
)
from harness.constants import DEFAULT_REGION
from harness.deploy_summary import PAYLOAD, REQUIRE_DEPLOY_MESSAGE, DeployReport, Shipment, deployed_any
from harness.integration import NOTES
from harness.journal import runs_dir, unfinished_runs
from harness.lifecycle import RECORDS, StackLifecycle, deployed_stack
from harness.localstack.fixtures import (  # localstack_process: a fixture, imported to register it
    LOCALSTACK_FACTS,
    localstack_process,  # noqa: F401
    make_localstack_backend,
)
from harness.paths import INTEGRATION_TIMINGS
from harness.terraform import TerraformEnv
from harness.workspace import Sources

TIMINGS_ENV = "GLUE_INTEGRATION_TIMINGS"
_SESSION_STARTED = time.monotonic()
REPORT = DeployReport()
# Where this run deploys and as whom, for the summary (set by the backend fixture, in each worker).
BACKEND_FACTS: dict[str, str] = {}
SHIPMENT = Shipment(RECORDS, NOTES, BACKEND_FACTS)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "verify: a verification of the deployed stack (timed as the verify phase)")
    # A stack's first result comes after its whole deploy: each stage and a heartbeat say what runs
    # meanwhile (harness.progress). Under xdist the workers say it; the controller only fixes the clock.
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        os.environ.setdefault(progress.T0_ENV, str(time.time()))
    else:
        progress.enable()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    progress.set_test(item.nodeid)
    yield
    progress.set_test(None)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Runs an earlier session left unfinished: reported before this one deploys anything."""
    lines = []
    for record in unfinished_runs(runs_dir()):
        lines.extend(record.describe())
    if lines:
        lines.append("(list their leftovers with `tox -e sweep`, finish them with `tox -e sweep -- --delete`)")
    return lines


def say(config: pytest.Config, line: str) -> None:
    """One line on the terminal now, even while output is captured."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        print(line)
        return
    if capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)
    else:
        reporter.write_line(line)


def region_option(config: pytest.Config) -> str:
    return (
        config.getoption("--region")
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )


@pytest.fixture(scope="session")
def run_token() -> str:
    """``<yymmddHHMM>-<6 hex>``: shared by every stack of this session; each adds its own label."""
    return new_run_id()


@pytest.fixture(scope="session")
def moto_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The embedded moto (only for --backend moto); tests that need to own the emulator use it."""
    if request.config.getoption("--backend") != "moto":
        pytest.skip(
            f"needs the embedded moto emulator; this run uses --backend {request.config.getoption('--backend')}"
        )
    from harness.emulator import EmulatorStartError, start_moto

    try:
        emulator = start_moto(region=region_option(request.config))
    except EmulatorStartError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def outliving_moto(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A moto server in a process of its own: it outlives the child the kill tests kill, and the sweep
    tests seed it and sweep it (test_sweep.py)."""
    from harness.emulator.moto_server import start_moto_process

    backend = request.config.getoption("--backend")
    if backend != "moto":
        pytest.skip(f"these tests run on a local moto server of their own; this run uses --backend {backend}")
    emulator = start_moto_process()
    yield emulator
    emulator.stop()


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> Backend:
    chosen = _backend(request)
    try:
        BACKEND_FACTS["identity"] = chosen.identity_line()
    except BackendUnavailable as exc:
        pytest.skip(str(exc))
    say(request.config, f"\n{BACKEND_FACTS['identity']}")  # before the first resource (xdist: in the summary)
    return chosen


def _backend(request: pytest.FixtureRequest) -> Backend:
    name = request.config.getoption("--backend")
    region = region_option(request.config)
    if name == "moto":
        emulator = request.getfixturevalue("moto_server")
        BACKEND_FACTS["where"] = f"embedded moto at {emulator.endpoint_url}"
        return moto_backend(emulator.endpoint_url, emulator.region)
    if name == "localstack":
        localstack = make_localstack_backend(region, request.getfixturevalue("localstack_process"))
        BACKEND_FACTS["where"] = localstack.describe()
        return localstack
    try:
        aws = aws_backend(region)
    except BackendRefused as exc:
        pytest.exit(str(exc), returncode=4)
    BACKEND_FACTS["where"] = f"account {aws.account_id}"
    return aws


@pytest.fixture(scope="session", autouse=True)
def refuse_unlisted_aws_account(request: pytest.FixtureRequest) -> None:
    """--backend aws: check the account (STS) at session start, before any test can run terraform."""
    if request.config.getoption("--backend") == "aws":
        request.getfixturevalue("backend")


@pytest.fixture(scope="session")
def stack_factory(
    sources: Sources, tfenv: TerraformEnv, backend: Backend, run_token: str
) -> Callable[..., StackLifecycle]:
    """``stack_factory(label, **options)``: a lifecycle (not yet entered) with a unique prefix and workdir.

    The workdir is ``<runs dir>/<run id>/``, beside the run's journal, not under pytest's temporary
    directory: pytest prunes those, and a killed run's state must stay for the sweep to finish it.
    """

    def make(label: str, lifecycle: type[StackLifecycle] = deployed_stack, **options: Any) -> StackLifecycle:
        run_id = f"{run_token}-{label}"
        return lifecycle(sources, tfenv, backend, runs_dir() / run_id, run_id=run_id, remove_workdir=True, **options)

    return make


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Each report carries what its worker did since the last one (deploy_summary.Shipment)."""
    outcome = yield
    if LOCALSTACK_FACTS:
        BACKEND_FACTS["localstack"] = ", ".join(f"{k} {v}" for k, v in LOCALSTACK_FACTS.items() if k != "describe")
    setattr(outcome.get_result(), PAYLOAD, SHIPMENT.payload(item, call.when))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    REPORT.log(report)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    backend = config.getoption("--backend")
    records = REPORT.records
    terminalreporter.section("integration: what this run exercised")
    terminalreporter.write_line(REPORT.line(backend, REPORT.facts.get("where", ""), records))
    if "identity" in REPORT.facts:
        terminalreporter.write_line(REPORT.facts["identity"])
    if "localstack" in REPORT.facts:
        terminalreporter.write_line(f"localstack: {REPORT.facts['localstack']}")
    if config.getoption("--require-deploy") and not deployed_any(records):
        terminalreporter.write_line(REQUIRE_DEPLOY_MESSAGE.format(backend=backend), red=True, bold=True)
    if REPORT.notes:
        terminalreporter.section("integration: unverifiable findings and gaps")
        for line in REPORT.notes:
            terminalreporter.write_line(line)
    if records:
        terminalreporter.section("integration: lifecycle wall times (s)")
        for record in records:
            phases = ", ".join(f"{k} {v:.1f}" for k, v in record["timings"].items())
            terminalreporter.write_line(f"{record['prefix']} [{record['outcome']}]: {phases}")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller has every worker's records and decides
    if session.config.getoption("--require-deploy") and not deployed_any(REPORT.records) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if not REPORT.records:
        return
    path = Path(os.environ.get(TIMINGS_ENV) or INTEGRATION_TIMINGS)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "backend": session.config.getoption("--backend"),
        # Which run this was (-m integration: the whole suite; smoke: ./run smoke), for scripts/bench.py.
        "markexpr": session.config.option.markexpr,
        "tests": session.testscollected,
        "session_wall_s": round(time.monotonic() - _SESSION_STARTED, 1),
        "exitstatus": int(exitstatus),
        "lifecycles": REPORT.records,
    }
    path.write_text(json.dumps(doc, indent=2) + "\n")

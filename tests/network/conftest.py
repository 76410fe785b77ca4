"""Fixtures for the network tests: security-group models and namespace labs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
for path in (HERE, SRC):  # the helpers here import each other; src/ if not installed
    if str(path) not in sys.path:
        sys.path.insert(0 if path == HERE else len(sys.path), str(path))

from netns import NetnsLab, unavailable_reason  # noqa: E402
from sg_scenarios import SgScenario, handbuilt_glue_groups, scenario_from_deployment  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "network: needs root, ip netns and nftables (namespace lab)")
    config.addinivalue_line("markers", "slow: takes tens of seconds or more (Spark)")
    # The property test (test_sg_rules_property): a fixed set of examples by default, so CI is
    # repeatable; `--hypothesis-profile netprop-explore` draws new ones. Each example costs a
    # fraction of a second of real packets, hence no deadline and no database of failures.
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:  # then only the property test fails (at its import); the other tests run
        return

    common = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
    settings.register_profile("netprop-ci", max_examples=200, derandomize=True, **common)
    settings.register_profile("netprop-explore", max_examples=1000, **common)
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile("netprop-ci")


@pytest.fixture(scope="session")
def netns_available() -> None:
    """Skip (one line) when namespaces or nftables are unusable here; fail instead under
    GLUE_NETWORK_REQUIRED=1 (.ci/run sets it once it found them usable, so CI cannot pass by skipping)."""
    reason = unavailable_reason()
    if reason and os.environ.get("GLUE_NETWORK_REQUIRED") == "1":
        pytest.fail(f"GLUE_NETWORK_REQUIRED=1 but {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def make_lab(netns_available, request):
    """``make_lab(hosts, **NetnsLab kwargs)`` -> started ``NetnsLab``; every lab is torn down at module end."""
    labs: list[NetnsLab] = []

    def make(hosts, **kwargs):
        lab = NetnsLab(hosts, **kwargs)
        labs.append(lab)
        return lab.start()

    def close_all():
        for lab in labs:
            lab.close()

    request.addfinalizer(close_all)
    return make


@pytest.fixture(scope="session")
def plan_glue_security_groups(request) -> SgScenario:
    """The Glue connection groups of the default stack's plan, via the lead's plan adapter."""
    try:
        from glue_netcheck.plan_adapter import deployment_from_plan
    except ImportError as exc:
        pytest.skip(f"glue_netcheck.plan_adapter.deployment_from_plan not importable yet ({exc})")
    try:
        plan = request.getfixturevalue("default_stack_plan")
    except pytest.FixtureLookupError:
        pytest.skip("no 'default_stack_plan' fixture (the root conftest is to provide it)")
    return scenario_from_deployment(deployment_from_plan(plan), "default-stack-plan")


@pytest.fixture(scope="session")
def glue_security_groups(request) -> SgScenario:
    """The plan's groups when the plan adapter and plan exist, else the hand-built model."""
    try:
        return request.getfixturevalue("plan_glue_security_groups")
    except pytest.skip.Exception:
        return handbuilt_glue_groups()

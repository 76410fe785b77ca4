"""Fixtures for the network tests: security-group models and namespace labs."""

from __future__ import annotations

import os

import pytest

from glue_netcheck.plan_adapter import deployment_from_plan
from harness.network.netns import NetnsLab, unavailable_reason
from harness.network.sg_scenarios import SgScenario, scenario_from_deployment


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
def plan_glue_security_groups(default_stack_plan) -> SgScenario:
    """The Glue connection groups of the default stack's plan (harness.plan_fixtures plans it), through the
    plan adapter. A plan that cannot be made fails the tests that need it: there is no stand-in."""
    return scenario_from_deployment(deployment_from_plan(default_stack_plan), "default-stack-plan")


@pytest.fixture(scope="session")
def glue_security_groups(plan_glue_security_groups) -> SgScenario:
    """The groups the Spark tests put on the wire: the module's, as planned."""
    return plan_glue_security_groups

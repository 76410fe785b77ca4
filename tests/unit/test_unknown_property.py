"""More unknowns never make the checker fail a plan, nor fall silent on it (issue 18, item 3).

Over every plan the unit suite has (scenarios, known-bad variants, corpus cases, examples), some
facts are made unknown the way Terraform and the AWS provider make them (tests/harness/unknowns.py:
whole attributes, block attributes, computed defaults, and everything that refers to them) and the
catalogue runs again. Invariant, per rule and object (by plan address): its verdict stays what it
was or becomes unverifiable -- never a failure it was not, never a pass it was not, never nothing --
and the summary's counts add up. The examples are drawn from a fixed seed; ``tox -e bench`` runs
the same draw for longer (``scripts/bench.py --property N``). It runs twice: on the plan JSON alone
(what ``glue-netcheck plan --no-sources`` sees) and with the root's sources (the CLI's default), whose
reader must not turn an unknown into a guess either.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glue_netcheck import run_rules
from glue_netcheck.plan_adapter import READ_TYPES, deployment_from_plan
from harness import unknowns

pytestmark = pytest.mark.unit

EXAMPLES = int(os.environ.get("GLUE_NETCHECK_PROPERTY_EXAMPLES", "300"))
# Evaluating the sources costs about 40 ms an example: fewer of them, from the same draw.
SOURCE_EXAMPLES = max(EXAMPLES // 3, 1)


def checker(plan: dict[str, Any]) -> Any:
    return run_rules(deployment_from_plan(plan))


@pytest.fixture(scope="session")
def judged_plans(inventory_plan: dict[str, Any], scenario_plan: Any) -> unknowns.JudgedPlans:
    names = sorted(inventory_plan["configuration"]["root_module"]["module_calls"])
    return unknowns.JudgedPlans({name: unknowns.judge(name, scenario_plan(name), checker) for name in names})


def test_every_plan_of_the_suite_is_drawn_from(judged_plans):
    # The property is only as wide as its plans: scenarios, variants, corpus and examples all in.
    kinds = {n.split("_", 1)[0] for n in judged_plans}
    assert {"variant", "corpus", "example", "default"} <= kinds | set(judged_plans)
    assert all(p.candidates for p in judged_plans.values()), [n for n, p in judged_plans.items() if not p.candidates]


def _property_settings(examples: int) -> Any:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _assert_only_unverifiable(rng: Any, plans: unknowns.JudgedPlans, check: Any) -> None:
    """One drawn plan made more unknown: each verdict of ``check`` stays or turns unverifiable, no other way."""
    name, mutations = unknowns.draw(rng, plans, READ_TYPES)
    before = plans[name]
    after = check(unknowns.apply(before.plan, mutations))
    problems = unknowns.violations(before.report, after)
    assert not problems, unknowns.explain(name, mutations, problems)


@_property_settings(EXAMPLES)
@given(rng=st.randoms(use_true_random=False))
def test_more_unknowns_turn_verdicts_only_into_unverifiable(rng, judged_plans):
    _assert_only_unverifiable(rng, judged_plans, checker)


@pytest.fixture(scope="session")
def judged_plans_with_sources(
    inventory_plan: dict[str, Any], scenario_plan: Any, plan_sources: Any
) -> unknowns.JudgedPlans:
    names = sorted(inventory_plan["configuration"]["root_module"]["module_calls"])

    def with_sources(plan: dict[str, Any]) -> Any:
        return run_rules(deployment_from_plan(plan, sources=plan_sources))

    plans = unknowns.JudgedPlans({name: unknowns.judge(name, scenario_plan(name), with_sources) for name in names})
    plans.checker = with_sources  # type: ignore[attr-defined]
    return plans


@_property_settings(SOURCE_EXAMPLES)
@given(rng=st.randoms(use_true_random=False))
def test_more_unknowns_turn_verdicts_only_into_unverifiable_with_sources(rng, judged_plans_with_sources):
    _assert_only_unverifiable(rng, judged_plans_with_sources, judged_plans_with_sources.checker)

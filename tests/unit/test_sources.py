"""The sources reader never contradicts the plan (glue_netcheck.sources, glue_netcheck.hcl_eval).

For every attribute of every resource of the suite's batched plan (scenarios, variants, corpus,
examples) that Terraform planned as known, the evaluation of its expression from the sources is the
same value, or still (partly) unknown -- never a different known value. This is what lets the checker
trust the sources for the values the plan lost.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from glue_netcheck.facts import Known, Unknown
from glue_netcheck.plan_index import PlanIndex

pytestmark = pytest.mark.unit


def _same(planned: Any, evaluated: Any, where: str) -> list[str]:
    if isinstance(evaluated, Unknown):
        return []
    if isinstance(planned, dict) and isinstance(evaluated, dict):
        out = []
        for key in set(planned) | set(evaluated):
            if key not in evaluated:
                # The provider fills in what the configuration leaves out; the sources cannot.
                continue
            if key in planned:
                out += _same(planned[key], evaluated[key], f"{where}.{key}")
        return out
    if isinstance(planned, list) and isinstance(evaluated, list):
        if len(planned) != len(evaluated):
            return [f"{where}: {len(planned)} elements planned, {len(evaluated)} evaluated"]
        return [
            m for i, (a, b) in enumerate(zip(planned, evaluated, strict=True)) for m in _same(a, b, f"{where}[{i}]")
        ]
    if isinstance(planned, str) and isinstance(evaluated, str) and planned.lstrip().startswith(("{", "[")):
        try:
            if json.loads(planned) == json.loads(evaluated):
                return []  # the provider normalises a policy document's JSON
        except ValueError:
            pass
    if planned == evaluated or str(planned) == str(evaluated):
        return []
    if isinstance(planned, int | float) and isinstance(evaluated, int | float) and float(planned) == float(evaluated):
        return []
    return [f"{where}: planned {planned!r}, evaluated {evaluated!r}"]


def test_every_known_value_of_the_suite_evaluates_to_itself(inventory_plan, plan_sources):
    assert plan_sources.notes == [], plan_sources.notes
    ix = PlanIndex(inventory_plan)
    compared = evaluated_known = 0
    mismatches: list[str] = []
    for rc in inventory_plan["resource_changes"]:
        after = rc["change"].get("after") or {}
        flags = rc["change"].get("after_unknown") or {}
        for attr, value in after.items():
            if value is None or flags.get(attr) is True:
                continue
            found = plan_sources.value_of(ix, rc, (attr,))
            if found is None:
                continue  # not set in the configuration, or not a plain attribute
            compared += 1
            if isinstance(found, Known):
                evaluated_known += 1
                mismatches += _same(value, found.value, f"{rc['address']}.{attr}")
    assert mismatches == []
    # The comparison is meaningful only if the evaluator decides most of what it is asked.
    assert compared > 3000 and evaluated_known / compared > 0.9, (compared, evaluated_known)

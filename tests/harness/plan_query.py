"""Small read helpers over plan JSON, for inventory assertions."""

from __future__ import annotations

from typing import Any

from glue_netcheck.plan_adapter import PlanIndex

# The planned values of a resource change (the adapter's own reader).
after = PlanIndex.after


def resources(plan: dict[str, Any], rtype: str, mode: str = "managed") -> list[dict[str, Any]]:
    return [rc for rc in plan.get("resource_changes", []) if rc["type"] == rtype and rc["mode"] == mode]


def by_name(plan: dict[str, Any], rtype: str, name: str) -> list[dict[str, Any]]:
    return [rc for rc in resources(plan, rtype) if rc["name"] == name]

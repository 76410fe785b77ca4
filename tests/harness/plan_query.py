"""Small read helpers over plan JSON, for inventory assertions."""

from __future__ import annotations

import re
from typing import Any

from glue_netcheck.plan_adapter import PlanIndex

# The planned values of a resource change (the adapter's own reader).
after = PlanIndex.after


def resources(plan: dict[str, Any], rtype: str, mode: str = "managed") -> list[dict[str, Any]]:
    return [rc for rc in plan.get("resource_changes", []) if rc["type"] == rtype and rc["mode"] == mode]


def by_name(plan: dict[str, Any], rtype: str, name: str) -> list[dict[str, Any]]:
    return [rc for rc in resources(plan, rtype) if rc["name"] == name]


_MODULE_CALL = re.compile(r"(?:^|\.)module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?")


def config_references(plan: dict[str, Any], rc: dict[str, Any], attribute: str) -> list[str]:
    """What ``attribute`` of a resource change refers to in the configuration (e.g. ``aws_subnet.private``).

    Ids of resources not yet created are unknown in a plan; the configuration still says which
    resource they come from. Module instance keys are ignored (one configuration per module call).
    """
    module: dict[str, Any] = plan.get("configuration", {}).get("root_module", {})
    for name in _MODULE_CALL.findall(rc.get("module_address", "")):
        module = module.get("module_calls", {}).get(name, {}).get("module", {})
    for resource in module.get("resources", []):
        if resource.get("address") == f"{rc['type']}.{rc['name']}" and resource.get("mode") == rc["mode"]:
            return list(resource.get("expressions", {}).get(attribute, {}).get("references", []))
    return []

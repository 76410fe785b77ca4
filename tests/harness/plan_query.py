"""Small read helpers over plan JSON, for inventory assertions."""

from __future__ import annotations

from typing import Any


def resources(plan: dict[str, Any], rtype: str, mode: str = "managed") -> list[dict[str, Any]]:
    return [rc for rc in plan.get("resource_changes", []) if rc["type"] == rtype and rc["mode"] == mode]


def after(rc: dict[str, Any]) -> dict[str, Any]:
    return rc["change"].get("after") or {}


def by_name(plan: dict[str, Any], rtype: str, name: str) -> list[dict[str, Any]]:
    return [rc for rc in resources(plan, rtype) if rc["name"] == name]

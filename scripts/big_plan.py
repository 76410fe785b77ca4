#!/usr/bin/env python3
"""Write a large Terraform plan JSON by repeating one module instance of a real plan.

The bench uses it to show that reading a plan is linear in its size: every copy
is a complete stack (VPC, subnets, groups, connections, jobs, roles) with its
own addresses, so the plan adapter resolves as many references per megabyte as
in the original.

    python scripts/big_plan.py PLAN.json --module default --megabytes 50 --out big.json
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any


def _renamed(value: Any, old: str, new: str, name_prefix: str, copy_no: int) -> Any:
    """``value`` moved from module ``old`` to module ``new``, its AWS names made unique per copy."""
    text = json.dumps(value)
    text = text.replace(f'"module.{old}.', f'"module.{new}.').replace(f'"module.{old}"', f'"module.{new}"')
    text = text.replace(f'"{name_prefix}-', f'"{name_prefix}-c{copy_no}-')
    return json.loads(text)


def _module_part(plan: dict[str, Any], module: str) -> tuple[list[Any], list[Any], dict[str, Any]]:
    prefix = f"module.{module}"
    changes = [
        rc
        for rc in plan.get("resource_changes", [])
        if rc.get("module_address", "") == prefix or rc.get("module_address", "").startswith(prefix + ".")
    ]
    children = [
        c
        for c in (plan.get("prior_state", {}).get("values", {}).get("root_module", {}).get("child_modules") or [])
        if c.get("address") == prefix
    ]
    call = plan["configuration"]["root_module"]["module_calls"][module]
    return changes, children, call


def grow(plan: dict[str, Any], module: str, megabytes: float, name_prefix: str | None = None) -> dict[str, Any]:
    name_prefix = name_prefix or module
    changes, children, call = _module_part(plan, module)
    one_copy = len(json.dumps(changes)) + len(json.dumps(children)) + len(json.dumps(call))
    copies = max(1, int(megabytes * 1_000_000 / one_copy))
    big = {k: v for k, v in plan.items() if k not in ("resource_changes", "prior_state", "configuration")}
    big["resource_changes"] = []
    big["configuration"] = copy.deepcopy(plan["configuration"])
    big["configuration"]["root_module"]["module_calls"] = {}
    big["prior_state"] = {"format_version": "1.0", "values": {"root_module": {"child_modules": []}}}
    for i in range(copies):
        name = f"{module}_copy{i}"
        big["resource_changes"] += _renamed(changes, module, name, name_prefix, i)
        big["prior_state"]["values"]["root_module"]["child_modules"] += _renamed(children, module, name, name_prefix, i)
        big["configuration"]["root_module"]["module_calls"][name] = call
    return big


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan", type=Path, help="a plan from `terraform show -json` with the module instance")
    parser.add_argument("--module", default="default", help="root module call to repeat (default: default)")
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--name-prefix", help="the instance's name_prefix, made unique per copy (default: --module)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text())
    if args.module not in plan.get("configuration", {}).get("root_module", {}).get("module_calls", {}):
        print(f"big_plan: {args.plan} has no module call '{args.module}'", file=sys.stderr)
        return 2
    args.out.write_text(json.dumps(grow(plan, args.module, args.megabytes, args.name_prefix)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

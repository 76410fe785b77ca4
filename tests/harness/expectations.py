"""Planned values as data (fabric's inventory style): ``values`` per resource address, ``counts`` per type.

tests/fixtures/scenarios.yaml holds, beside each scenario's module, inputs and facts::

    default:
      values:                                   # address -> a subset of the planned `after` values
        aws_glue_job.this[*]: {glue_version: "5.0", command: [{name: glueetl}]}
      counts:                                   # resource type -> how many the instance plans
        aws_glue_job: 2

An address is relative to the scenario's module instance, and may leave out the modules in
between (``aws_kms_key.this[0]`` is ``module.glue_pipeline.aws_kms_key.this[0]`` in a stack); ``*``
matches any text (every instance key). Every address must match at least one planned resource.
``subset_mismatches`` is the one matcher: a mapping matches when each of its keys matches, a list
when it has as many items and each matches, anything else when equal.

``python -m harness.expectations [SCENARIO...]`` plans the inventory and prints, per scenario, where
the file and a fresh plan differ; ``--planned`` also prints, for each scenario that differs, its
``values`` and ``counts`` with the planned values in the file's keys, as YAML to paste after review --
an expectation is never copied from the output under test unseen, and the file (its comments and
anchors) is never rewritten by a program.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from harness.paths import FIXTURES

SCENARIOS_FILE = FIXTURES / "scenarios.yaml"


def subset_mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where ``actual`` does not hold ``expected`` (empty: it does), one line per place."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected a mapping, planned {actual!r}"]
        found = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{path}.{key}: missing from the plan")
            else:
                found += subset_mismatches(value, actual[key], f"{path}.{key}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} item(s), planned {actual!r}"]
        return [
            m
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for m in subset_mismatches(e, a, f"{path}[{i}]")
        ]
    if expected != actual:
        return [f"{path}: expected {expected!r}, planned {actual!r}"]
    return []


def _pattern(address: str) -> re.Pattern[str]:
    body = ".*".join(re.escape(part) for part in address.split("*"))
    return re.compile(rf"(?:^|.*\.){body}$")


def relative_address(rc: dict[str, Any], instance: str) -> str:
    return str(rc["address"]).removeprefix(f"module.{instance}.")


def planned_after(rc: dict[str, Any]) -> Any:
    return (rc.get("change") or {}).get("after")


def matching(plan: dict[str, Any], instance: str, address: str) -> list[dict[str, Any]]:
    pattern = _pattern(address)
    return [
        rc
        for rc in plan.get("resource_changes", [])
        if rc.get("mode") == "managed" and pattern.match(relative_address(rc, instance))
    ]


def counts_of(plan: dict[str, Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for rc in plan.get("resource_changes", []):
        if rc.get("mode") == "managed" and "delete" not in rc["change"]["actions"]:
            found[rc["type"]] = found.get(rc["type"], 0) + 1
    return found


def mismatches(plan: dict[str, Any], instance: str, expected: dict[str, Any]) -> list[str]:
    """Every difference between one scenario's ``values``/``counts`` and its plan (a slice of the inventory plan)."""
    found = []
    for address, values in (expected.get("values") or {}).items():
        resources = matching(plan, instance, address)
        if not resources:
            found.append(f"{address}: no planned resource matches")
        for rc in resources:
            found += [f"{relative_address(rc, instance)}{m}" for m in subset_mismatches(values, planned_after(rc))]
    planned = counts_of(plan)
    for rtype, count in (expected.get("counts") or {}).items():
        if planned.get(rtype, 0) != count:
            found.append(f"counts.{rtype}: expected {count}, planned {planned.get(rtype, 0)}")
    return found


def _projection(expected: Any, actual: Any) -> Any:
    """``actual`` cut to the shape of ``expected`` (what --planned prints)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {k: _projection(v, actual.get(k)) for k, v in expected.items()}
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [_projection(e, a) for e, a in zip(expected, actual, strict=True)]
    return actual


def planned_expectations(plan: dict[str, Any], instance: str, expected: dict[str, Any]) -> dict[str, Any]:
    """The same keys as ``expected``, with the planned values (the first matching resource's) and counts."""
    values = {}
    for address, wanted in (expected.get("values") or {}).items():
        resources = matching(plan, instance, address)
        values[address] = _projection(wanted, planned_after(resources[0])) if resources else wanted
    planned = counts_of(plan)
    counts = {rtype: planned.get(rtype, 0) for rtype in expected.get("counts") or {}}
    return {"values": values, "counts": counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.expectations", description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="default: every scenario in the file")
    parser.add_argument(
        "--planned", action="store_true", help="print the planned values and counts of each scenario that differs"
    )
    parser.add_argument("--infra-dir", default=None)
    args = parser.parse_args(argv)

    import tempfile

    from harness.errors import HarnessError
    from harness.terraform import plan_once
    from harness.workspace import Sources, build_inventory_workspace, load_inventory, slice_plan

    inventory = load_inventory()
    expected_all = inventory.scenarios
    names = args.scenarios or list(expected_all)
    unknown = [n for n in names if n not in expected_all]
    if unknown:
        print(f"error: not in {SCENARIOS_FILE.name}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workspace, broken = build_inventory_workspace(Sources.locate(args.infra_dir), inventory, Path(tmp))
            plan = plan_once(workspace, Path(tmp) / "cli", label="inventory")
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    differing = 0
    for name in names:
        if name in broken:
            print(f"{name}: not planned: {broken[name]}")
            differing += 1
            continue
        found = mismatches(slice_plan(plan, name), name, expected_all[name])
        differing += bool(found)
        print(f"{name}: {'as planned' if not found else f'{len(found)} difference(s)'}")
        for line in found:
            print(f"  {line}")
        if args.planned and found:
            planned = planned_expectations(slice_plan(plan, name), name, expected_all[name])
            block = yaml.safe_dump({name: planned}, sort_keys=False, width=110)
            print("  planned (review, then paste over the scenario's values and counts):")
            print("\n".join(f"    {line}" for line in block.splitlines()))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())

"""PlanIndex.named: the instances of one resource of the configuration, wherever its module is called."""

from __future__ import annotations

import pytest

from glue_netcheck.plan_index import PlanIndex

pytestmark = pytest.mark.unit


def _rc(module_address: str, rtype: str, name: str, index: int | None = None, actions=("create",)) -> dict:
    local = f"{rtype}.{name}" + ("" if index is None else f"[{index}]")
    return {
        "address": f"{module_address}.{local}" if module_address else local,
        "module_address": module_address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "index": index,
        "change": {"actions": list(actions), "after": {}, "after_unknown": {}},
    }


def test_named_finds_one_resource_in_every_module_instance_and_nothing_else():
    changes = [
        _rc("module.a", "aws_subnet", "private", 0),
        _rc("module.a", "aws_subnet", "public", 0),
        _rc("module.b.module.vpc", "aws_subnet", "private", 1),
        _rc("", "aws_route_table", "private"),
        _rc("module.a", "aws_subnet", "private", 1, actions=("delete",)),
    ]
    ix = PlanIndex({"format_version": "1.2", "configuration": {"root_module": {}}, "resource_changes": changes})
    assert [rc["address"] for rc in ix.named("aws_subnet", "private")] == [
        "module.a.aws_subnet.private[0]",
        "module.b.module.vpc.aws_subnet.private[1]",
    ]
    assert ix.named("aws_subnet", "isolated") == []

"""The plan adapter reads planned values through one accessor only (issue 18: unknown is never absent).

``facts.PlanFacts.get`` answers known, unknown or absent; any other read of ``after``/``after_unknown``
in the adapter is the habit that read "unknown" as "empty" one attribute at a time. This fails when
``plan_adapter.py`` touches a plan value another way, and shows the accessor's three answers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import glue_netcheck.plan_adapter as plan_adapter
from glue_netcheck.facts import Absent, Known, PlanFacts, Unknown
from glue_netcheck.plan_index import PlanIndex

pytestmark = pytest.mark.unit

# PlanIndex methods that read values (the accessor's own building blocks) and the helpers that dig in them.
VALUE_READERS = {"after", "after_unknown", "is_unknown", "dig", "_flag_at", "_value_at"}


def test_the_plan_adapter_reads_values_only_through_plan_facts():
    tree = ast.parse(Path(plan_adapter.__file__).read_text())
    offending = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in VALUE_READERS:
            offending.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in VALUE_READERS:
            offending.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.Constant) and node.value in ("after", "after_unknown", "change"):
            offending.append(f"line {node.lineno}: {node.value!r}")
    assert offending == [], "plan_adapter.py reads the plan around facts.PlanFacts.get: " + ", ".join(offending)


def _plan(after: dict, unknown: dict, expressions: dict) -> tuple[PlanFacts, dict]:
    rc = {
        "address": "aws_glue_job.j",
        "module_address": "",
        "mode": "managed",
        "type": "aws_glue_job",
        "name": "j",
        "change": {"actions": ["create"], "after": after, "after_unknown": unknown},
    }
    plan = {
        "format_version": "1.2",
        "resource_changes": [rc],
        "configuration": {"root_module": {"resources": [{"address": "aws_glue_job.j", "mode": "managed",
                                                          "type": "aws_glue_job", "name": "j",
                                                          "expressions": expressions}]}},
    }  # fmt: skip
    ix = PlanIndex(plan)
    return PlanFacts(ix), ix.instances["aws_glue_job.j"]


def test_known_unknown_and_absent_are_three_answers():
    facts, rc = _plan(
        {"name": "j", "connections": None, "tags": None, "execution_class": None, "timeout": None},
        {"connections": True, "execution_class": True},
        {"name": {"constant_value": "j"}, "connections": {"references": ["local.names"]}},
    )
    assert facts.get(rc, "name") == Known("j")
    unknown = facts.get(rc, "connections")
    assert isinstance(unknown, Unknown) and unknown.opaque  # a local: the plan cannot follow it
    # Optional + computed and left out of the configuration: absent, with the provider's default.
    assert facts.get(rc, "execution_class", default="STANDARD") == Absent("STANDARD")
    # Computed only (the configuration cannot set it): unknown, not absent.
    assert isinstance(facts.get(rc, "execution_class", computed=True), Unknown)
    assert facts.get(rc, "tags") == Absent(None)


def test_an_unknown_cannot_be_read_as_empty():
    unknown = Unknown()
    for misuse in (bool, list, len):
        with pytest.raises(TypeError, match="handle Unknown explicitly"):
            misuse(unknown)  # type: ignore[arg-type]


def test_a_container_keeps_its_known_parts_and_marks_the_rest():
    facts, rc = _plan(
        {"physical_connection_requirements": [{"availability_zone": "us-east-1a", "subnet_id": None}]},
        {"physical_connection_requirements": [{"subnet_id": True}]},
        {"physical_connection_requirements": [{"subnet_id": {"references": ["aws_subnet.a.id", "aws_subnet.a"]}}]},
    )
    block = facts.get(rc, "physical_connection_requirements")
    assert isinstance(block, Known)
    element = block.value[0]
    assert element["availability_zone"] == "us-east-1a" and isinstance(element["subnet_id"], Unknown)

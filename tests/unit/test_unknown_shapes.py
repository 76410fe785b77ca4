"""Each kind of unknown the property test makes (harness.unknowns) looks like one Terraform really planned.

For each kind, a known value of one corpus case is made unknown and compared with a value of the same
resource type and attribute that Terraform 1.11 and hashicorp/aws 5.100.0 planned as unknown in another
case: the same ``after`` / ``after_unknown`` shape, and an expression with references where there was a
constant. A mutation that drifted from Terraform's shapes would make the property test judge plans that
cannot occur.
"""

from __future__ import annotations

from typing import Any

import pytest

from glue_netcheck.plan_index import dig
from harness import unknowns

pytestmark = pytest.mark.unit


def _rc(plan: dict[str, Any], suffix: str) -> dict[str, Any]:
    found = [rc for rc in plan["resource_changes"] if rc["address"].endswith(suffix)]
    assert len(found) == 1, f"{suffix}: {[rc['address'] for rc in found]}"
    return found[0]


def _expression(plan: dict[str, Any], rc: dict[str, Any], *path: str | int) -> Any:
    from glue_netcheck.plan_index import PlanIndex

    return dig(PlanIndex(plan).resource_config(rc).get("expressions") or {}, *path)


def _shape(plan: dict[str, Any], rc: dict[str, Any], *path: str | int) -> tuple[Any, Any, str]:
    """(planned value, unknown flag, kind of expression) at ``path``."""
    change = rc["change"]
    expr = _expression(plan, rc, *path)
    kind = "none" if expr is None else "references" if "references" in expr else "constant"
    return dig(change["after"], *path), dig(change["after_unknown"], *path), kind


def _mutated(plan: dict[str, Any], suffix: str, path: tuple[str | int, ...], kind: unknowns.Kind) -> dict[str, Any]:
    address = _rc(plan, suffix)["address"]
    return unknowns.apply(plan, [unknowns.Mutation(address, path, kind)])


# kind, (case and resource whose value is known, made unknown), (case and resource Terraform planned unknown), path
SHAPES = [
    # A list with one element known only after apply is wholly unknown (SDKv2).
    ("attribute", ("iam_managed_arns_same_plan", "aws_glue_job.etl"), ("conn_names_from_ids", "aws_glue_job.sessionize"),
     ("connections",)),
    # So is a map: one value from a bucket named at apply hides every key.
    ("attribute", ("pypi_codeartifact", "aws_glue_job.features"), ("pypi_unknown_args", "aws_glue_job.quality"),
     ("default_arguments",)),
    ("attribute", ("conn_names_from_ids", "aws_iam_role.glue"), ("iam_managed_arns_same_plan", "aws_iam_role.glue"),
     ("managed_policy_arns",)),
    # An attribute of a nested block goes unknown on its own; its neighbours stay known.
    ("block-attribute", ("existing_vpc_partial", "aws_glue_connection.platform"), ("conn_names_from_ids", "aws_glue_connection.a"),
     ("physical_connection_requirements", 0, "subnet_id")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "known", "planned", "path"), SHAPES, ids=[f"{k}-{'.'.join(map(str, p))}" for k, _, _, p in SHAPES]
)
def test_a_mutation_has_the_shape_terraform_plans(kind, known, planned, path, scenario_plan):  # fmt: skip
    real_plan = scenario_plan(f"corpus_{planned[0]}")
    real = _shape(real_plan, _rc(real_plan, planned[1]), *path)
    assert real[:2] == (None, True) and real[2] == "references", f"the real plan does not show the shape: {real}"

    source_plan = scenario_plan(f"corpus_{known[0]}")
    before = _shape(source_plan, _rc(source_plan, known[1]), *path)
    assert before[0] is not None and before[1] is not True, f"{known}: the value is not known to begin with: {before}"

    mutated = _mutated(source_plan, known[1], path, kind)
    assert _shape(mutated, _rc(mutated, known[1]), *path) == real

    if kind == "block-attribute":
        # Only that attribute: the block's other fields keep their planned values, as Terraform's do.
        block = _rc(mutated, known[1])["change"]["after"][path[0]][path[1]]
        real_block = _rc(real_plan, planned[1])["change"]["after"][path[0]][path[1]]
        assert block["availability_zone"] is not None and real_block["availability_zone"] is not None


def test_a_computed_default_left_out_is_unknown_with_no_expression(scenario_plan):
    """enable_dns_hostnames left out of aws_vpc plans as unknown (Optional+Computed), with no expression."""
    real_plan = scenario_plan("corpus_dns_hostnames_omitted")
    vpcs = [rc for rc in real_plan["resource_changes"] if rc["type"] == "aws_vpc"]
    assert vpcs and all(_shape(real_plan, rc, "enable_dns_hostnames") == (None, True, "none") for rc in vpcs)

    source_plan = scenario_plan("corpus_default_vpc")
    assert _shape(source_plan, _rc(source_plan, "aws_default_vpc.default"), "enable_dns_hostnames") == (
        True,
        None,
        "none",
    )
    mutated = _mutated(source_plan, "aws_default_vpc.default", ("enable_dns_hostnames",), "computed")
    assert _shape(mutated, _rc(mutated, "aws_default_vpc.default"), "enable_dns_hostnames") == (None, True, "none")


def test_an_unknown_propagates_to_what_refers_to_it(scenario_plan):
    """A connection name known only after apply makes the job's list of it unknown (conn_names_from_ids)."""
    real_plan = scenario_plan("corpus_conn_names_from_ids")
    assert _shape(real_plan, _rc(real_plan, "aws_glue_connection.a"), "name")[:2] == (None, True)
    assert _shape(real_plan, _rc(real_plan, "aws_glue_job.sessionize"), "connections")[:2] == (None, True)

    source_plan = scenario_plan("corpus_iam_managed_arns_same_plan")
    assert _shape(source_plan, _rc(source_plan, "aws_glue_job.etl"), "connections")[0] == ["iam-managed-arns-vpc"]
    mutated = _mutated(source_plan, "aws_glue_connection.vpc", ("name",), "attribute")
    assert _shape(mutated, _rc(mutated, "aws_glue_job.etl"), "connections")[:2] == (None, True)
    # Nothing that does not refer to it changes.
    assert _shape(mutated, _rc(mutated, "aws_glue_job.etl"), "name") == _shape(
        source_plan, _rc(source_plan, "aws_glue_job.etl"), "name"
    )

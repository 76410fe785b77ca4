"""infra/examples: each is planned in the batched inventory plan, and examples with jobs pass every rule."""

from __future__ import annotations

import pytest

from glue_netcheck import run_rules
from glue_netcheck.plan_adapter import deployment_from_plan
from glue_netcheck.plan_index import PlanIndex
from harness.examples import example_module, example_names
from harness.paths import REPO

pytestmark = pytest.mark.unit

EXAMPLES = example_names(REPO / "infra")
WITH_JOBS = [n for n in EXAMPLES if "modules/glue" in (REPO / "infra" / "examples" / n / "main.tf").read_text()]


def test_every_module_has_an_example():
    sources = {
        line.split('"')[1].rsplit("/", 1)[-1]
        for name in EXAMPLES
        for line in (REPO / "infra" / "examples" / name / "main.tf").read_text().splitlines()
        if line.strip().startswith("source") and "modules/" in line
    }
    assert sources == {p.name for p in (REPO / "infra" / "modules").iterdir() if (p / "variables.tf").is_file()}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_is_planned_in_the_batched_plan(name, scenario_plan):
    plan = scenario_plan(example_module(name))
    assert plan["resource_changes"], f"infra/examples/{name}: nothing planned"
    assert plan.get("errored") is not True
    assert PlanIndex(plan).of_type("aws_vpc"), f"infra/examples/{name}: no VPC"


@pytest.mark.parametrize("name", WITH_JOBS)
def test_example_with_jobs_passes_every_rule(name, scenario_plan):
    plan = scenario_plan(example_module(name))
    assert PlanIndex(plan).of_type("aws_glue_job"), f"infra/examples/{name} uses the glue module but plans no job"
    report = run_rules(deployment_from_plan(plan))
    assert not report.failures, "\n".join(str(f) for f in report.failures)

"""The glue module's cron check (infra/modules/glue/cron) accepts Glue's own examples and names each bad field.

The check has no provider, so every case below is one module instance of a single plan that
starts no provider at all. The accepted expressions are the examples of the Glue developer guide,
"Time-based schedules for jobs and crawlers", and one of each wildcard it lists.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from harness.terraform import Terraform, TerraformEnv
from harness.workspace import IGNORED, Sources

pytestmark = pytest.mark.unit

BOTH_DAYS = 'exactly one of Day-of-month and Day-of-week must be "?" (Glue cannot combine them)'

ACCEPTED = {
    "daily_10am": "cron(0 10 * * ? *)",
    "daily_1215": "cron(15 12 * * ? *)",
    "weekdays_6pm": "cron(0 18 ? * MON-FRI *)",
    "first_of_month": "cron(0 8 1 * ? *)",
    "every_15_minutes": "cron(0/15 * * * ? *)",
    "weekdays_every_10_minutes": "cron(0/10 * ? * MON-FRI *)",
    "office_hours_every_5_minutes": "cron(0/5 8-17 ? * MON-FRI *)",
    "last_day_of_month": "cron(0 2 L * ? *)",
    "nearest_weekday": "cron(0 2 15W * ? *)",
    "last_friday": "cron(0 2 ? * 6L *)",
    "second_tuesday": "cron(0 2 ? * 3#2 *)",
    "month_names_and_years": "cron(0 0 1 JAN,JUL ? 2025-2030)",
    "lower_case_day": "cron(30 1 ? * sun *)",
    "every_other_year": "cron(0 0 1 1 ? 2030/2)",
}

REJECTED = {
    "issue_example": (
        "cron(99 99 * * * *)",
        ['Minutes field "99" is outside 0-59', 'Hours field "99" is outside 0-23', BOTH_DAYS],
    ),
    "day_32": ("cron(0 2 32 * ? *)", ['Day-of-month field "32" is outside 1-31']),
    "month_13": ("cron(0 2 ? 13 MON *)", ['Month field "13" is outside 1-12']),
    "weekday_8": ("cron(0 2 ? * 8 *)", ['Day-of-week field "8" is outside 1-7']),
    "year_1969": ("cron(0 2 * * ? 1969)", ['Year field "1969" is outside 1970-2199']),
    "unknown_day_name": ("cron(0 2 ? * funday *)", ['Day-of-week field "funday" is not valid']),
    "sixth_weekday_of_month": ("cron(0 2 ? * 2#6 *)", ['Day-of-week field "2#6" is not valid']),
    "both_days_any": ("cron(0 2 ? * ? *)", [BOTH_DAYS]),
    "minutes_not_a_number": ("cron(x 2 * * ? *)", ['Minutes field "x" is not valid']),
}


@pytest.fixture(scope="module")
def problems(sources: Sources, tfenv: TerraformEnv, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("cron")
    shutil.copytree(sources.infra / "modules" / "glue" / "cron", root / "cron", ignore=IGNORED)
    cases = {**ACCEPTED, **{k: v[0] for k, v in REJECTED.items()}}
    config = {
        "module": {name: {"source": "./cron", "expression": expression} for name, expression in cases.items()},
        "output": {name: {"value": f"${{module.{name}.problems}}"} for name in cases},
    }
    (root / "main.tf.json").write_text(json.dumps(config, indent=2))
    tf = Terraform(root, tfenv, label=f"cron check ({root})")
    tf.init_offline()
    plan = tf.plan_json()
    return {name: out["value"] for name, out in plan["planned_values"]["outputs"].items()}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_glue_examples_are_accepted(case: str, problems: dict[str, Any]):
    assert problems[case] == [], f"{ACCEPTED[case]} was refused"


@pytest.mark.parametrize("case", list(REJECTED))
def test_bad_fields_are_named(case: str, problems: dict[str, Any]):
    expression, expected = REJECTED[case]
    assert problems[case] == expected, expression

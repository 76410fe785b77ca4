"""Bad input fails at plan time with the message the modules promise (expect-failure tests).

Cases live in tests/fixtures/invalid_inputs.yaml; all cases of a stage are
module instances of one plan.
"""

from __future__ import annotations

import pytest

from harness.workspace import load_yaml

pytestmark = pytest.mark.unit

CASES = load_yaml("invalid_inputs.yaml")["cases"]
CHECKED_BY = "\n\nThis was checked by"


def message(diagnostic: dict) -> tuple[str, str]:
    """(summary, detail) without Terraform's pointer to the validation rule."""
    return diagnostic.get("summary", ""), diagnostic.get("detail", "").split(CHECKED_BY)[0]


def stage(case: str) -> str:
    return CASES[case].get("stage", "validation")


@pytest.mark.parametrize("plan_stage", sorted({stage(c) for c in CASES}))
def test_plan_fails(plan_stage, invalid_inputs_plan):
    assert invalid_inputs_plan[plan_stage]["returncode"] == 1, "a plan with invalid inputs must fail"


@pytest.mark.parametrize("case", list(CASES))
def test_case_reports_its_exact_message(case, invalid_inputs_plan):
    expected = (CASES[case]["summary"], CASES[case]["detail"])
    diagnostics = invalid_inputs_plan[stage(case)]["diagnostics"]
    matches = [d for d in diagnostics if message(d) == expected]
    assert matches, f"{case}: no diagnostic {expected}. Got:\n" + "\n".join(f"- {message(d)}" for d in diagnostics)


@pytest.mark.parametrize("plan_stage", sorted({stage(c) for c in CASES}))
def test_no_unexpected_errors(plan_stage, invalid_inputs_plan):
    expected = {(c["summary"], c["detail"]) for c in CASES.values() if c.get("stage", "validation") == plan_stage}
    diagnostics = invalid_inputs_plan[plan_stage]["diagnostics"]
    unexpected = [message(d) for d in diagnostics if message(d) not in expected]
    assert not unexpected, "errors that no case asked for:\n" + "\n".join(map(str, unexpected))
    # One diagnostic per case: a message reported for the wrong case would show as a count mismatch.
    assert len(diagnostics) == len(expected)

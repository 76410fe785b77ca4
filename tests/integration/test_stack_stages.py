"""StackStages, the stages of every deployed stack: its destroy stage fails for each reason it should.

A stand-in lifecycle (no terraform) plays each outcome of a teardown; the real lifecycles are the
deploying tests'. Without these, a destroy stage that never failed would look like a clean one.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.errors import HarnessError
from harness.integration import StackStages
from harness.lifecycle import LeakError

pytestmark = [pytest.mark.integration]


class StandInStack:
    prefix = "gnt-0000000000-000000-stub"
    check_leaks = True

    def __init__(self, *, setup_error: Exception | None = None, teardown_error: Exception | None = None):
        self.setup_error, self.teardown_error = setup_error, teardown_error
        self.destroyed = False
        self.leftovers: list[str] | None = None
        self.interrupted = False
        self.torn_down = 0

    def setup(self) -> None:
        if self.setup_error:
            raise self.setup_error

    def teardown(self) -> None:
        self.torn_down += 1
        if isinstance(self.teardown_error, LeakError):
            self.destroyed, self.leftovers = True, ["ec2 vpc vpc-1"]
        if self.teardown_error:
            raise self.teardown_error
        self.destroyed, self.leftovers = True, []


def stages(stack: Any) -> StackStages:
    return StackStages(stack)


def test_a_clean_destroy_runs_every_after_destroy_check():
    stack, ran = StandInStack(), []
    with stages(stack) as staged:
        staged.after_destroy("first", lambda: ran.append("first"))
        staged.after_destroy("second", lambda: ran.append("second"))

    assert (stack.torn_down, ran) == (1, ["first", "second"])


def test_a_failing_after_destroy_check_fails_the_destroy_stage_naming_it():
    def key_not_scheduled() -> None:
        raise AssertionError("KeyState Enabled")

    with pytest.raises(pytest.fail.Exception) as failed, stages(StandInStack()) as staged:
        staged.after_destroy("KMS key scheduled for deletion", key_not_scheduled)

    assert (
        str(failed.value) == f"{StandInStack.prefix}: destroy stage: KMS key scheduled for deletion: KeyState Enabled"
    )


@pytest.mark.parametrize(
    "error", [LeakError("gnt-x: 1 resource(s) left after destroy: ec2 vpc vpc-1"), HarnessError("destroy failed")]
)
def test_a_leak_or_a_failed_destroy_fails_the_stage_and_skips_the_checks(error: Exception):
    ran: list[str] = []

    with pytest.raises(pytest.fail.Exception) as failed, stages(StandInStack(teardown_error=error)) as staged:
        staged.after_destroy("never", lambda: ran.append("never"))

    assert str(error) in str(failed.value)
    assert ran == []


def test_a_failed_deploy_fails_in_one_line_and_does_not_destroy_again():
    stack = StandInStack(setup_error=HarnessError("apply failed: no such policy"))

    with pytest.raises(pytest.fail.Exception) as failed, stages(stack):
        pytest.fail("the stack should not have deployed")

    assert str(failed.value) == "apply failed: no such policy"
    assert stack.torn_down == 0  # the lifecycle's own setup destroys after a failed apply


def test_an_error_inside_the_stage_is_not_replaced_by_the_destroy_stages():
    with pytest.raises(ZeroDivisionError), stages(StandInStack(teardown_error=HarnessError("destroy failed"))):
        1 / 0  # noqa: B018

"""The lifecycle under faults: every one ends destroyed, with a leak check that finds nothing.

(a) apply fails half way; (b) Ctrl-C during apply (in a child process, so pytest is not the one
interrupted); (c) the emulator is down; (d) terraform hangs past its timeout.
"""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from harness.backends import Backend, BackendUnavailable, moto_backend, new_run_id
from harness.constants import RUN_TAG_KEY
from harness.errors import TerraformCommandError, TerraformTimeout
from harness.integration import STACK_SERVICES, WITHOUT_BUCKET_LIFECYCLE, reach, require, start_child
from harness.leaks import delete_resources, find_leftovers, list_resources
from harness.lifecycle import Timeouts, deployed_stack
from harness.processes import TerraformWatcher, processes_in_groups
from harness.terraform import INVOCATIONS
from harness.workspace import Sources

pytestmark = [pytest.mark.integration]

# Rejected by AWS and moto alike (NoSuchEntity), and only once the role exists: by then the VPC,
# bucket, key and more are being created, so the apply stops half way.
FAULT_TF = """# Added by test_faults.py: attaching a policy that does not exist fails after the role exists.
resource "aws_iam_role_policy_attachment" "fault" {
  role       = module.glue_pipeline.role_name
  policy_arn = "arn:aws:iam::aws:policy/gnt-fault-no-such-policy"
}
"""


@pytest.mark.slow
def test_apply_failing_half_way_is_destroyed(backend: Backend, stack_factory: Any):
    require(backend, *STACK_SERVICES)
    existing_before_destroy: list[str] = []

    def log(message: str) -> None:
        if message == "phase destroy start":
            existing_before_destroy.extend(str(r) for r in list_resources(backend, lifecycle.prefix, lifecycle.run_id))
            # Something of the run's that no state records: without an interrupt it is a leak to
            # report, never deleted by teardown (the interrupt test shows the other case).
            backend.client("logs").create_log_group(logGroupName=orphan, tags={RUN_TAG_KEY: lifecycle.run_id})

    lifecycle = stack_factory(
        "fail", extra_files={"zz_fault.tf": FAULT_TF}, log=log, extra_vars=WITHOUT_BUCKET_LIFECYCLE
    )
    orphan = f"/aws/vpc-flow-logs/{lifecycle.prefix}-orphan"

    with pytest.raises(TerraformCommandError) as failed, lifecycle:
        pytest.fail("apply should have failed on the non-existent policy")

    assert failed.value.command.startswith("terraform apply")
    assert "gnt-fault-no-such-policy" in failed.value.diagnostics
    assert not lifecycle.applied
    assert any(r.startswith("iam role ") for r in existing_before_destroy), existing_before_destroy
    # Half way: more than the role existed when the apply stopped (the VPC, bucket, key are independent of it).
    assert any(not r.startswith("iam role ") for r in existing_before_destroy), existing_before_destroy
    assert lifecycle.destroyed and lifecycle.destroy_error is None
    assert lifecycle.leftovers == [f"log group {orphan}"]
    assert lifecycle.deleted_by_tag == []
    notes = "\n".join(getattr(failed.value, "__notes__", []))
    assert f"1 resource(s) left after destroy: log group {orphan}" in notes, notes
    leftovers = list_resources(backend, lifecycle.prefix, lifecycle.run_id)
    assert [error for _, error in delete_resources(backend, leftovers)] == [None]
    assert find_leftovers(backend, lifecycle.prefix, lifecycle.run_id) == []


@pytest.mark.slow
def test_ctrl_c_during_apply_destroys_and_exits_non_zero(
    backend: Backend, moto_server: Any, sources: Sources, run_token: str, tmp_path: Path
):
    """SIGINT a child whose apply holds once the VPC exists; moto (ours) outlives the child."""
    run = start_child(moto_server, sources, run_token, tmp_path, "int", "apply")
    child, run_id, prefix = run.child, run.run_id, run.prefix
    orphan = f"/aws/vpc-flow-logs/{prefix}-orphan"
    try:
        reach(child, "apply", moto_server, prefix, run_id)
        # What the provider leaves when the interrupt cancels a create whose request reached AWS
        # (seen with a flow log): tagged, named like the run, in no state. Teardown deletes it.
        moto_server.client("logs").create_log_group(logGroupName=orphan, tags={RUN_TAG_KEY: run_id})

        child.proc.send_signal(signal.SIGINT)
        child.wait_exit(300)
    finally:
        child.kill_if_running()
    stderr = child.stderr()
    result = child.result()

    assert child.proc.returncode == 130, (child.proc.returncode, stderr[-2000:])
    assert result["outcome"] == "interrupted", result
    assert result["applied"] is False, "the apply finished before the interrupt: the test proved nothing"
    assert "SIGINT: interrupted: letting terraform stop cleanly" in stderr
    assert result["destroyed"] and result["destroy_error"] is None, result
    assert result["leftovers"] == []
    assert f"log group {orphan}" in result["deleted_by_tag"], result
    assert any("deleted by the run tag what state did not record" in line for line in child.printed()), child.seen
    assert find_leftovers(backend, prefix, run_id) == []
    assert child.groups, "never saw the child's terraform"
    assert processes_in_groups(child.groups) == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_emulator_down_fails_fast_in_one_line_before_terraform(sources: Sources, tfenv: Any, tmp_path: Path):
    port = _closed_port()
    backend = moto_backend(f"http://127.0.0.1:{port}")
    invocations = len(INVOCATIONS)
    lifecycle = deployed_stack(sources, tfenv, backend, tmp_path / "stack", run_id=new_run_id("down"))
    started = time.monotonic()

    with pytest.raises(BackendUnavailable) as down, lifecycle:
        pytest.fail("the lifecycle deployed against a dead endpoint")

    assert time.monotonic() - started < 10
    message = str(down.value)
    assert "\n" not in message
    assert f"127.0.0.1:{port}" in message and "not reachable" in message
    assert len(INVOCATIONS) == invocations, "terraform ran against a dead endpoint"


def test_terraform_hang_times_out_naming_the_command_and_leaves_no_process(backend: Backend, stack_factory: Any):
    require(backend, *STACK_SERVICES)
    lifecycle = stack_factory("hang", timeouts=Timeouts(apply=0.5))

    with TerraformWatcher() as watcher, pytest.raises(TerraformTimeout) as hung, lifecycle:
        pytest.fail("the apply should have timed out")

    message = str(hung.value)
    assert "\n" not in message
    assert message.startswith("`terraform apply -auto-approve")
    assert "did not finish within" in message
    assert watcher.groups, "never saw terraform run"
    assert processes_in_groups(watcher.groups) == []
    assert lifecycle.destroyed and lifecycle.destroy_error is None
    assert lifecycle.leftovers == []

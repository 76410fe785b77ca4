"""``glue-netcheck plan`` on inputs that allow no verdict: exit 2 and one line naming the problem, never a pass.

Each bad plan is the small valid plan below with one thing wrong, so the line it
gets is about that one thing. An adapter bug is exit 3. Verdicts on real plans of
the stack are in tests/unit/test_cli_on_plans.py.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.cli_run import JOB, findings, one_error_line, run_cli, valid_plan, write_plan
from harness.paths import SRC

pytestmark = pytest.mark.cli


def _with(path: list[str | int], value: Any) -> dict[str, Any]:
    plan = copy.deepcopy(valid_plan())
    node: Any = plan
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return plan


def _without(key: str) -> dict[str, Any]:
    plan = valid_plan()
    del plan[key]
    return plan


def test_the_valid_plan_is_checked(tmp_path: Path, capsys: Any) -> None:
    """The baseline every bad plan below differs from: a verdict, exit 0, a note for the S3-only job."""
    code, out, err = run_cli(capsys, "plan", write_plan(tmp_path, valid_plan()), "--format", "json")
    assert (code, err) == (0, "")
    assert findings(json.loads(out)) == {("GNET001", JOB)}
    assert json.loads(out)["findings"][0]["status"] == "info"


def test_require_vpc_on_a_plan(tmp_path: Path, capsys: Any) -> None:
    code, out, _ = run_cli(capsys, "plan", write_plan(tmp_path, valid_plan()), "--require-vpc", JOB)
    assert code == 1
    assert f"GNET001 error {JOB} (aws_glue_job.etl)" in out.splitlines(), out


def test_require_vpc_refuses_a_job_not_in_the_plan(tmp_path: Path, capsys: Any) -> None:
    path = write_plan(tmp_path, valid_plan())
    code, out, err = run_cli(capsys, "plan", path, "--require-vpc", f"{JOB},no-such-job")
    assert (code, out) == (2, "")
    assert one_error_line(err) == "--require-vpc names job(s) not in the plan: no-such-job"


ERRORED = (
    "the plan is errored: `terraform plan` failed, so it lacks the resources it could not plan; fix the errors "
    "Terraform printed and plan again"
)
INCOMPLETE = (
    "the plan is incomplete (Terraform deferred some changes), so some resources are missing; apply in stages or "
    "plan the deferred part separately"
)
NOT_A_PLAN = (
    "not a Terraform plan JSON: no 'configuration' or 'format_version' (use `terraform show -json PLANFILE`, not "
    "state or `plan -json` output)"
)


@pytest.mark.parametrize(
    ("plan", "problem"),
    [
        pytest.param(_with(["errored"], True), ERRORED, id="errored"),
        pytest.param(_with(["complete"], False), INCOMPLETE, id="incomplete"),
        pytest.param(_without("configuration"), NOT_A_PLAN, id="state-or-plan-json"),
        pytest.param(_without("format_version"), NOT_A_PLAN, id="no-format-version"),
        pytest.param(
            _with(["configuration"], []), "not a usable plan: 'configuration' is not an object", id="configuration-list"
        ),
        pytest.param(
            _with(["configuration", "root_module"], "x"),
            "not a usable plan: configuration.root_module is not an object",
            id="root-module-text",
        ),
        pytest.param(
            _with(["configuration", "root_module", "module_calls"], {"vpc": "x"}),
            "not a usable plan: configuration.root_module.module_calls.vpc is not an object",
            id="module-call-text",
        ),
        pytest.param(
            _with(["configuration", "root_module", "resources"], {"a": 1}),
            "not a usable plan: configuration.root_module.resources is not a list",
            id="resources-object",
        ),
        pytest.param(
            _with(["resource_changes"], {}), "not a usable plan: 'resource_changes' is not a list", id="changes-object"
        ),
        pytest.param(
            _with(["resource_changes", 0, "address"], None),
            "not a usable plan: a resource change lacks address/type/name/mode: {'address': None,",
            id="change-without-address",
        ),
        pytest.param(
            _with(["resource_changes", 0], "aws_glue_job.etl"),
            "not a usable plan: a resource change lacks address/type/name/mode: aws_glue_job.etl",
            id="change-not-an-object",
        ),
        pytest.param(
            _with(["resource_changes", 0, "change"], None),
            "not a usable plan: resource change aws_glue_job.etl has no 'change' object",
            id="no-change",
        ),
        pytest.param(
            _with(["resource_changes", 0, "change", "after"], "x"),
            "not a usable plan: resource change aws_glue_job.etl: change.after is not an object",
            id="after-text",
        ),
        pytest.param(
            _with(["resource_changes", 0, "change", "after_unknown"], [True]),
            "not a usable plan: resource change aws_glue_job.etl: change.after_unknown is not an object",
            id="after-unknown-list",
        ),
        pytest.param(
            _with(["resource_changes", 0, "module_address"], 3),
            "not a usable plan: resource change aws_glue_job.etl has a module_address that is not text",
            id="module-address-number",
        ),
    ],
)
def test_unusable_plan_exits_2_naming_the_problem(tmp_path: Path, capsys: Any, plan: Any, problem: str) -> None:
    path = write_plan(tmp_path, plan)
    code, out, err = run_cli(capsys, "plan", path)
    assert (code, out) == (2, "")
    line = one_error_line(err)
    assert line.startswith(f"plan file {path}: {problem}"), line


def test_plan_without_jobs_exits_2(tmp_path: Path, capsys: Any) -> None:
    """A gate pointed at the wrong plan must not pass: a VPC and no aws_glue_job is not a clean result."""
    plan = valid_plan()
    plan["resource_changes"][0].update(address="aws_vpc.this", type="aws_vpc", name="this")
    plan["resource_changes"][0]["change"]["after"] = {"cidr_block": "10.0.0.0/16"}
    path = write_plan(tmp_path, plan)
    code, out, err = run_cli(capsys, "plan", path)
    assert (code, out) == (2, "")
    assert one_error_line(err) == (
        f"plan file {path} holds no aws_glue_job: nothing to check (wrong plan file, or a plan of a module without "
        "jobs?)"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(None, "cannot read plan file {path}: No such file or directory", id="missing"),
        pytest.param("{not json", "plan file {path} is not JSON (", id="not-json"),
        pytest.param(
            "[1, 2]", "plan file {path} is not a JSON object: expected `terraform show -json` output", id="array"
        ),  # fmt: skip
        pytest.param(
            b"PK\x03\x04\x14\x00\x08\x00\x08\x00\xb5\x9c",
            "plan file {path} is not text: expected `terraform show -json` output, not the binary plan",
            id="binary-plan",
        ),
    ],
)
def test_unreadable_plan_file_exits_2(tmp_path: Path, capsys: Any, content: str | bytes | None, problem: str) -> None:
    path = tmp_path / "plan.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out, err = run_cli(capsys, "plan", str(path))
    assert (code, out) == (2, "")
    assert one_error_line(err).startswith(problem.format(path=path))


# -- an adapter bug ----------------------------------------------------------------------------

BUGGY_RUN = """
import sys
from glue_netcheck import plan_adapter
from glue_netcheck.cli import main

def _jobs(self):
    raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

plan_adapter._Builder._jobs = _jobs
sys.exit(main(sys.argv[1:]))
"""


def _buggy_cli(*argv: str, debug: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GLUE_NETCHECK_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    if debug:
        env["GLUE_NETCHECK_DEBUG"] = "1"
    return subprocess.run([sys.executable, "-c", BUGGY_RUN, *argv], capture_output=True, text=True, timeout=60, env=env)


def test_adapter_bug_is_an_internal_error_not_an_unusable_plan(tmp_path: Path) -> None:
    """A TypeError inside the adapter is glue-netcheck's bug (exit 3), not the plan's fault (exit 2)."""
    proc = _buggy_cli("plan", write_plan(tmp_path, valid_plan()), debug=False)
    assert (proc.returncode, proc.stdout) == (3, "")
    assert one_error_line(proc.stderr) == (
        "internal error: TypeError: unsupported operand type(s) for +: 'int' and 'str' (a bug in glue-netcheck; "
        "set GLUE_NETCHECK_DEBUG=1 for the traceback)"
    )


def test_adapter_bug_with_debug_shows_the_traceback_and_exits_3(tmp_path: Path) -> None:
    proc = _buggy_cli("plan", write_plan(tmp_path, valid_plan()), debug=True)
    assert (proc.returncode, proc.stdout) == (3, "")
    assert proc.stderr.startswith("Traceback (most recent call last):\n")
    assert ", in _jobs\nTypeError: unsupported operand type(s) for +: 'int' and 'str'\n" in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("glue-netcheck: error: internal error: TypeError:")

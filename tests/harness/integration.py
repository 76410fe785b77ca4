"""What the integration tests (tests/integration) and their conftest share: stack stages, backend
requirements, and a lifecycle in a child process for the interrupt and kill tests."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.backends import Backend, name_prefix
from harness.constants import STACK_SERVICES  # noqa: F401 - a backend missing one skips every deploying test
from harness.emulator import MotoEmulator
from harness.errors import HarnessError
from harness.leaks import list_resources
from harness.lifecycle import StackLifecycle
from harness.processes import processes_in_groups, terraform_children
from harness.pytest_plugin import one_line
from harness.workspace import Sources

# Lines for the terminal summary (unverifiable findings, gaps): shown, never silently dropped.
NOTES: list[str] = []


def require(backend: Backend, *services: str) -> None:
    """Skip (with the backend's reason) when it cannot serve one of ``services``."""
    reason = backend.missing(*services)
    if reason:
        pytest.skip(reason)


class StackStages:
    """One stack, in stages (as Terratest's and fabric's end-to-end tests): deploy, verify, destroy.

        @pytest.fixture(scope="module")
        def good_stack(backend, stack_factory):
            with StackStages(stack_factory("good")) as stages:
                stages.after_destroy("the KMS key is scheduled for deletion", kms_check)
                yield stages.stack

    *deploy* on enter (init, apply, output; a harness problem fails every test of the stack in one
    line, and the lifecycle has destroyed what it made). *verify*: the tests, each on its own and in
    any order (they only read the stack; the re-plan does not write state). *destroy* on exit:
    destroy, the leak check, then each ``after_destroy`` check. A failure there is a test result:
    pytest reports it as an error in the teardown of the stack's last test ("ERROR at teardown of").
    """

    def __init__(self, stack: StackLifecycle):
        self.stack = stack
        self._after: list[tuple[str, Callable[[], None]]] = []

    def after_destroy(self, what: str, check: Callable[[], None]) -> None:
        """``check`` runs after a clean destroy; an AssertionError fails the destroy stage, named ``what``."""
        self._after.append((what, check))

    def __enter__(self) -> StackStages:
        one_line(self.stack.setup)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        problems = self.destroy_stage()
        if self.stack.interrupted and exc is None:
            raise KeyboardInterrupt
        if problems and exc is None:
            pytest.fail(f"{self.stack.prefix}: destroy stage: " + "; ".join(problems), pytrace=False)

    def destroy_stage(self) -> list[str]:
        """Destroy, leak check, the after-destroy checks: what went wrong, one entry each."""
        problems = []
        try:
            self.stack.teardown()
        except HarnessError as error:  # the destroy failed, or resources were left (LeakError)
            problems.append(str(error))
        if not self.stack.destroyed:
            problems.append("destroy did not finish")
        elif self.stack.check_leaks and self.stack.leftovers != []:
            problems.append(f"leak check: {self.stack.leftovers}")
        if problems:
            return problems  # the checks below look at what a clean destroy leaves
        for what, check in self._after:
            try:
                check()
            except AssertionError as error:
                problems.append(f"{what}: {error}")
        return problems


def timed_verification(request: pytest.FixtureRequest, stack_fixture: str) -> Iterator[None]:
    """Adds a ``verify``-marked test's wall time to its stack's ``verify`` phase (an autouse fixture's body)."""
    if request.node.get_closest_marker("verify") is None:
        yield
        return
    stack: StackLifecycle = request.getfixturevalue(stack_fixture)
    started = time.monotonic()
    yield
    stack.timings["verify"] = round(stack.timings.get("verify", 0.0) + time.monotonic() - started, 2)


def cli_failures_by_job(backend: Backend, jobs: list[str], monkeypatch: Any, capsys: Any) -> dict[str, dict[str, Any]]:
    """``glue-netcheck job JOBS --format json`` on the backend, as a user runs it: it must exit 1 with
    nothing on stderr; returns, per job, its failed findings by rule id."""
    from glue_netcheck.cli import main

    for key, value in backend.cli_env().items():
        monkeypatch.setenv(key, value)
    code = main(["job", *jobs, *backend.cli_args(), "--format", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    failures = [f for f in json.loads(out)["findings"] if f["status"] == "fail"]
    return {job: {f["rule_id"]: f for f in failures if f["resource"] == job} for job in jobs}


# Stacks whose tests are about the harness (a failing apply, the account guard), not about the bucket:
# the lifecycle rules cost about 55 s per apply (the provider waits for three consistent reads at
# 10 s intervals). The default stack (test_good_stack) deploys them; plan level covers both settings.
WITHOUT_BUCKET_LIFECYCLE: dict[str, Any] = {"enable_lifecycle_rules": False}


# --- a lifecycle in a child process (interrupt and kill tests) ------------------------------------


# Added to the child's root by ``LifecycleChild(hold=...)``: a resource whose provisioner waits, once
# the VPC exists, until the test releases it or terraform is stopped. A signal sent once it holds
# always lands mid-apply or mid-destroy, whatever the command's length or the machine's load; racing
# the command did not (under `-p randomly` and under load, children finished before their signal).
# During apply everything but the hold is created meanwhile; during destroy everything but the VPC is
# deleted (the hold depends on it). Stopping terraform kills the provisioner's shell; the loop's
# `sleep 0.2` ends by itself. Bounded (10 min) in case a test neither signals nor releases.
HOLD_TF = """# Added by harness.integration.LifecycleChild(hold=...): the {phase} waits here until released.
resource "terraform_data" "test_{phase}_hold" {{
  triggers_replace = [module.vpc.vpc_id]

  provisioner "local-exec" {{
    {when}command = "[ -e '{release}' ] || touch '{held}'; i=0; while [ ! -e '{release}' ] && [ $i -lt 3000 ]; do sleep 0.2; i=$((i+1)); done"
  }}
}}
"""


class LifecycleChild:
    """``python -m harness.lifecycle_child`` against a running emulator, its output lines in a queue.

    The child is the "test process" that the interrupt and kill tests signal; the emulator it
    deploys to is not in it, so what the child leaves behind can be looked at afterwards.
    """

    def __init__(
        self,
        endpoint_url: str,
        region: str,
        workdir: Path,
        run_id: str,
        infra_dir: Path,
        journal_dir: Path | None = None,
        stop_grace: float | None = None,
        extra_vars: dict[str, Any] | None = None,
        hold: str | None = None,
    ):
        """``hold``: "apply" or "destroy", the command that waits in HOLD_TF until ``release()``."""
        self.result_file = workdir / "result.json"
        self.held_marker = workdir / f"{hold}-held"
        self.release_marker = workdir / f"{hold}-release"
        self.hold = hold
        args = [sys.executable, "-m", "harness.lifecycle_child", "--endpoint-url", endpoint_url, "--region", region]
        args += ["--workdir", str(workdir / "child"), "--run-id", run_id, "--result", str(self.result_file)]
        args += ["--infra-dir", str(infra_dir)]
        if journal_dir is not None:
            args += ["--journal-dir", str(journal_dir)]
        if stop_grace is not None:
            args += ["--stop-grace", str(stop_grace)]
        for name, value in (extra_vars or {}).items():
            args += ["--var", f"{name}={json.dumps(value)}"]
        if hold is not None:
            if hold not in ("apply", "destroy"):
                raise ValueError(f"hold={hold!r}: 'apply' or 'destroy'")
            hold_file = workdir / f"{hold}_hold.tf"
            when = "when = destroy\n    " if hold == "destroy" else ""
            hold_file.write_text(
                HOLD_TF.format(phase=hold, when=when, held=self.held_marker, release=self.release_marker)
            )
            args += ["--extra-file", f"zz_test_{hold}_hold.tf={hold_file}"]
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        # Every terraform the child started: its pid is the process group of its providers too.
        self.groups: set[int] = set()
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()
        self._stderr: list[str] = []
        self._stderr_reader = threading.Thread(target=self._stderr.extend, args=(self.proc.stderr,), daemon=True)
        self._stderr_reader.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("<eof>")

    def watch(self) -> None:
        """Note the child's current terraform (call often while it runs)."""
        self.groups.update(terraform_children(self.proc.pid))

    def printed(self) -> list[str]:
        """Every line the child printed so far (its log, stdout)."""
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return self.seen

    def wait_for_line(self, wanted: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.watch()
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if line == wanted:
                return
            if line == "<eof>":
                break
        outcome = self.result().get("outcome") if self.result_file.exists() else "no result"
        pytest.fail(f"child never printed {wanted!r}; it printed {self.seen}; outcome: {outcome}", pytrace=False)

    def wait_until(
        self, predicate: Callable[[], bool], timeout: float, what: str | Callable[[], str], interval: float = 0.2
    ) -> None:
        """Poll ``predicate`` (noting terraform groups meanwhile) until it holds; ``what`` may be a
        function, asked after the timeout (to say what was seen last)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            self.watch()
            if predicate():
                self.watch()
                return
            pause = time.monotonic() + interval
            while time.monotonic() < pause:
                self.watch()
                time.sleep(0.1)
        what = what() if callable(what) else what
        code = self.proc.poll()
        if code is None:
            pytest.fail(f"{what} did not happen within {timeout:.0f}s (the child still runs)", pytrace=False)
        self._stderr_reader.join(timeout=10)
        tail = "\n".join(self.stderr_so_far().splitlines()[-30:])
        pytest.fail(
            f"{what} did not happen: the child exited with code {code}; its stderr ended:\n{tail}", pytrace=False
        )

    def wait_until_held(self, timeout: float) -> None:
        """Wait until the held command waits in HOLD_TF (the VPC exists; it cannot finish)."""
        assert self.hold is not None, "the child was started without a hold"
        self.wait_until(self.held_marker.exists, timeout, f"the {self.hold} reaching its hold")

    def release(self) -> None:
        """Let the held command go on (and any later run of it: the sweep's terraform destroy)."""
        if self.hold is not None:
            self.release_marker.touch()

    def wait_exit(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.watch()
            time.sleep(0.2)
        return self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))

    def stderr_so_far(self) -> str:
        return "".join(self._stderr)

    def stderr(self) -> str:
        """All the child wrote to stderr (call once it exited)."""
        self._stderr_reader.join(timeout=10)
        return self.stderr_so_far()

    def result(self) -> dict[str, Any]:
        return json.loads(self.result_file.read_text())

    def kill_if_running(self) -> None:
        """Never leave the child behind, even when an assertion failed: SIGINT, then SIGKILL."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=300)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def no_process_left_within(groups: set[int], seconds: float) -> list[tuple[int, str]]:
    """Processes of ``groups`` still alive after up to ``seconds`` (empty: all gone in time)."""
    deadline = time.monotonic() + seconds
    left = processes_in_groups(groups)
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = processes_in_groups(groups)
    return left


@dataclass
class SignalledRun:
    """One child to be signalled in ``phase``: its run id, name prefix and journal directory."""

    child: LifecycleChild
    run_id: str
    prefix: str
    runs: Path


def start_child(
    emulator: MotoEmulator, sources: Sources, run_token: str, tmp_path: Path, tag: str, phase: str
) -> SignalledRun:
    """A child of the interrupt and kill tests, deploying to ``emulator`` with its journal in the
    test's own directory; the command it is signalled in holds (``LifecycleChild(hold=phase)``).
    It leaves out the bucket's lifecycle rules, which only lengthen the apply (about 55 s): what is
    signalled is the lifecycle, not the bucket (test_good_stack deploys them)."""
    run_id = f"{run_token}-{tag}{phase[0]}"
    runs = tmp_path / "runs"
    child = LifecycleChild(
        emulator.endpoint_url,
        emulator.region,
        tmp_path,
        run_id,
        sources.infra,
        runs,
        extra_vars=WITHOUT_BUCKET_LIFECYCLE,
        hold=phase,
    )
    return SignalledRun(child, run_id, name_prefix(run_id), runs)


def reach(child: LifecycleChild, phase: str, emulator: MotoEmulator, prefix: str, run_id: str) -> None:
    """Wait until the child's terraform holds in ``phase`` (see ``start_child``) with part of the
    stack created (apply) or with all deleted but the VPC the hold keeps (destroy). Listing is polled
    once a second: it competes with terraform for moto."""
    child.wait_for_line(f"phase {phase} start", 300)
    child.wait_until(lambda: bool(terraform_children(child.proc.pid)), 60, f"terraform {phase} running")
    child.wait_until_held(300)
    if phase == "apply":
        assert list_resources(emulator, prefix, run_id), "the apply held with nothing of the stack in the emulator"
        return

    left: list[Any] = []

    def only_the_vpc_left() -> bool:
        # The VPC's default security group carries the run's tags too and goes with the VPC.
        left[:] = list_resources(emulator, prefix, run_id)
        kinds = {r.kind for r in left}
        return "vpc" in kinds and kinds <= {"vpc", "security group"}

    def what() -> str:
        return f"destroy deleting all but the held VPC (still there: {', '.join(map(str, left)) or 'nothing'})"

    child.wait_until(only_the_vpc_left, 180, what, interval=1)

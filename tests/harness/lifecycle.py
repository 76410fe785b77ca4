"""Deploy the root stack, hand it to the tests, and always destroy it (Terratest discipline).

    with deployed_stack(sources, tfenv, backend, workdir, run_id=new_run_id("good")) as stack:
        stack.outputs["job_names"] ...
        code, text = stack.replan()          # plan -detailed-exitcode after apply
    # destroyed here, then checked for leftovers (harness.leaks)

What it does, in order: probe the backend's endpoint (a dead emulator fails in seconds, before
any terraform command); copy infra/ and glue_scripts/ side by side into ``workdir`` (the root
reads ``${path.module}/../glue_scripts``; the checkout is never written to); apply a variant's
patches and any extra files; refuse a provider configuration the override would not cover
(harness.provider_blocks); write ``zz_emulator_override.tf`` (emulators) and
``terraform.tfvars.json`` (unique ``gnt-<run id>`` prefix, run tag, ``force_destroy``);
``init`` -> ``apply`` -> ``output -json``; yield; then ``destroy`` and the leak check -- also when
init or apply failed half way, and on Ctrl-C.

Ctrl-C and SIGTERM (what a CI timeout sends) are handled alike. Terraform runs in its own session
(``Terraform.run``), so a terminal's SIGINT reaches only Python. While a terraform command runs,
the handler here forwards SIGINT to terraform itself (not to its providers), which stops
scheduling new changes, finishes those in flight, saves state and exits; then destroy runs and
``KeyboardInterrupt`` is raised. A first signal during destroy lets the destroy finish (with a
message) and raises ``KeyboardInterrupt`` after it; a second one aborts the destroy. Outside
terraform, the signal raises ``KeyboardInterrupt`` and the destroy follows. Lifecycles should nest
LIFO (each restores the handlers it found).

SIGKILL cannot be handled: for that, every terraform gets SIGINT from the kernel when the test
process dies and a watchdog kills its process group after the grace (harness.terraform,
harness.watchdog), and the run journal (harness.journal, in a persistent directory) says what was
left: the next session and scripts/sweep.py report it, and ``tox -e sweep -- --delete`` finishes it.

Every terraform call has a timeout (``Timeouts``); wall times per phase go to ``self.timings`` and
``RECORDS`` (written to .cache/integration-timings.json by the integration suite).

An applied stack can be moved to other sources, as a user upgrades the modules under one state
(the release gate's upgrade stage): ``upgrade_to(sources)`` plans their code on this state and
``apply_upgrade()`` applies that plan; ``state_ids()`` says which resource has which id, before and after.

``python -m harness.lifecycle_child`` deploys and destroys one stack against a running emulator
(the interrupt and kill tests run it as a child process).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from harness import progress
from harness.backends import Backend, name_prefix
from harness.constants import RUN_TAG_KEY
from harness.errors import HarnessError, TerraformCommandError
from harness.interrupts import InterruptGuard
from harness.journal import RUN_MARKER, Journal, mark_workdir, runs_dir
from harness.leaks import Resource, delete_resources, list_resources
from harness.provider_blocks import refuse_uncovered_providers
from harness.terraform import Terraform, TerraformEnv
from harness.workspace import Sources, Variant, apply_patches, copy_root

OVERRIDE_FILE = "zz_emulator_override.tf"
TFVARS_FILE = "terraform.tfvars.json"
# What a run made in its root, as opposed to the copied sources: an upgrade keeps these.
RUN_FILES = frozenset(
    {".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup", OVERRIDE_FILE, TFVARS_FILE}
)
UPGRADE_SOURCES = "upgrade-sources"  # the candidate's copy, checked before it replaces the workdir's
UPGRADE_PLAN = "upgrade.tfplan"
# Every finished lifecycle: {"label", "prefix", "backend", "timings", "outcome"}.
RECORDS: list[dict[str, Any]] = []


@dataclass
class Timeouts:
    """Seconds per terraform command (TF_TEST_TIMEOUT does not apply here; these are per phase)."""

    init: float = 180
    apply: float = 600
    output: float = 60
    plan: float = 300
    destroy: float = 600


class LeakError(HarnessError):
    """Destroy finished but resources of the run are still there."""


# --- the lifecycle ---------------------------------------------------------------------------


class StackLifecycle:
    """One deployment of the root stack; use through ``deployed_stack``."""

    def __init__(
        self,
        sources: Sources,
        tfenv: TerraformEnv,
        backend: Backend,
        workdir: Path,
        *,
        run_id: str,
        variant: Variant | None = None,
        extra_files: dict[str, str] | None = None,
        extra_vars: dict[str, Any] | None = None,
        timeouts: Timeouts | None = None,
        check_leaks: bool = True,
        log: Any = None,
        journal_dir: Path | None = None,
        remove_workdir: bool = False,
        stop_grace: float | None = None,
    ):
        """``journal_dir``: where the run journal goes (default: harness.journal.runs_dir()).
        ``remove_workdir``: delete ``workdir`` after a clean teardown (it lives in a persistent place)."""
        self.sources = sources
        self.tfenv = tfenv
        self.backend = backend
        self.workdir = Path(workdir)
        self.run_id = run_id
        self.prefix = name_prefix(run_id)
        self.variant = variant
        self.extra_files = extra_files or {}
        self.extra_vars = extra_vars or {}
        self.timeouts = timeouts or Timeouts()
        self.check_leaks = check_leaks
        self.root = self.workdir / "infra"
        self.tf: Terraform | None = None
        self.outputs: dict[str, Any] = {}
        self.timings: dict[str, float] = {}
        self.initialised = False
        self.apply_started = False
        self.applied = False
        self.destroyed = False
        self.torn_down = False
        self.destroy_error: BaseException | None = None
        self.leftovers: list[str] | None = None
        # What an interrupted run left outside its state and teardown deleted by the run's tag.
        self.deleted_by_tag: list[str] = []
        self._guard = InterruptGuard(self.prefix)
        self._started = 0.0
        self._log = log or (lambda message: None)
        self.journal_dir = journal_dir
        self.journal: Journal | None = None
        self.remove_workdir = remove_workdir
        self.stop_grace = stop_grace

    # -- helpers --

    @property
    def label(self) -> str:
        return self.run_id.rsplit("-", 1)[-1]

    @contextmanager
    def timed(self, phase: str):
        started = time.monotonic()
        if self.journal is not None and phase in ("init", "apply", "destroy"):
            self.journal.phase(phase)
        self._log(f"phase {phase} start")
        try:
            with progress.stage(self.label, phase):
                yield
        finally:
            self.timings[phase] = round(self.timings.get(phase, 0.0) + time.monotonic() - started, 2)
            self._log(f"phase {phase} end {self.timings[phase]:.1f}s")

    @property
    def interrupted(self) -> bool:
        return self._guard.interrupted

    def tfvars(self) -> dict[str, Any]:
        return {
            "name_prefix": self.prefix,
            "region": self.backend.region,
            "force_destroy": True,
            "tags": {RUN_TAG_KEY: self.run_id},
            **self.extra_vars,
        }

    def prepare(self) -> None:
        """Copy the stack and scripts, patch, write the override and the variables."""
        if self.workdir.exists() and any(self.workdir.iterdir()):
            raise HarnessError(f"workdir {self.workdir} is not empty: each lifecycle needs its own directory")
        mark_workdir(self.workdir, self.run_id)  # what lets the sweeper run terraform here
        self.copy_sources(self.sources, self.workdir)
        if self.variant:
            apply_patches(self.variant, self.root)
        for name, text in self.extra_files.items():
            (self.root / name).parent.mkdir(parents=True, exist_ok=True)
            (self.root / name).write_text(text)
        refuse_uncovered_providers(self.root)  # the code under test as it came, before the override
        # Every backend: allowed_account_ids = the account STS named (and the emulator's endpoints).
        (self.root / OVERRIDE_FILE).write_text(self.backend.override_hcl())
        (self.root / TFVARS_FILE).write_text(json.dumps(self.tfvars(), indent=2, sort_keys=True))
        self.tf = Terraform(
            self.root,
            self.tfenv,
            timeout=self.timeouts.apply,
            label=f"{self.prefix} ({self.root})",
            env=self.backend.terraform_env(),
            journal=self.journal.path if self.journal else None,
            stop_grace=self.stop_grace,
        )

    def open_journal(self) -> None:
        """The run journal, written before anything can be created (see harness.journal)."""
        account, identity = self.backend.identify()
        self.journal = Journal.create(
            self.journal_dir or runs_dir(),
            self.run_id,
            prefix=self.prefix,
            backend=self.backend.name,
            endpoint_url=self.backend.endpoint_url,
            region=self.backend.region,
            account=account,
            identity=identity,
            profile=self.backend.profile,
            workdir=str(self.workdir),
            root=str(self.root),
            variant=self.variant.name if self.variant else None,
        )

    def copy_sources(self, sources: Sources, dest: Path) -> None:
        """infra/ and glue_scripts/ into ``dest`` (a lifecycle of another root adds that root beside them)."""
        copy_root(sources, dest)

    def _check_interrupt(self) -> None:
        if self._guard.interrupted:
            raise KeyboardInterrupt

    # -- phases --

    def setup(self) -> None:
        self._started = time.monotonic()
        self._guard.install()
        try:
            # An apply stopped by a forwarded Ctrl-C exits 1: _interruptible reports the interrupt instead.
            with self._interruptible():
                with self.timed("probe"):
                    self.backend.probe()
                with self.timed("identify"):
                    self._log(self.backend.identity_line())
                    self.open_journal()
                self.prepare()
                assert self.tf is not None
                with self.timed("init"):
                    self.tf.init_offline(timeout=self.timeouts.init)
                self.initialised = True
                self._check_interrupt()
                self.apply_started = True
                with self.timed("apply"):
                    self.tf.apply(timeout=self.timeouts.apply)
                self.applied = True
                self._check_interrupt()
                self._read_outputs()
                self._check_interrupt()
                if self.journal is not None:
                    self.journal.phase("in_use")
        except BaseException as exc:
            self.teardown(exc)
            raise
        self._guard.phase = "in_use"

    def _read_outputs(self) -> None:
        assert self.tf is not None
        with self.timed("output"):
            shown = self.tf.output(timeout=self.timeouts.output)
        if isinstance(shown, str):  # tftest returns the text when it is not JSON
            raise HarnessError(f"{self.prefix}: `terraform output -json` printed no JSON: {shown[:200]!r}")
        self.outputs = {name: shown[name] for name in shown}  # tftest's TerraformValueDict: the values

    @contextmanager
    def _interruptible(self) -> Iterator[None]:
        """A terraform command stopped by a forwarded Ctrl-C exits 1: raise the interrupt, not the exit code."""
        try:
            yield
        except TerraformCommandError:
            if self._guard.interrupted:
                raise KeyboardInterrupt from None
            raise
        self._check_interrupt()

    def state_ids(self) -> dict[str, str]:
        """``{address: id}`` of every managed resource instance in the state, modules included.

        Read with ``terraform state pull`` (tftest's ``state_pull``), which starts no provider, unlike
        ``show -json``; the addresses are written as Terraform writes them (``module.vpc.aws_subnet.private[0]``,
        ``...["key"]``), so they match a plan's."""
        assert self.tf is not None
        # tftest's state_pull, with a timeout (tftest's passes none).
        pulled = self.tf.execute_command("state", "pull", timeout=self.timeouts.output).out
        try:
            state = json.loads(pulled)
        except ValueError:
            raise HarnessError(f"{self.prefix}: `terraform state pull` printed no JSON: {pulled[:200]!r}") from None
        ids: dict[str, str] = {}
        for resource in state.get("resources", []):
            if resource.get("mode") != "managed":
                continue
            address = ".".join(p for p in (resource.get("module"), resource["type"], resource["name"]) if p)
            for instance in resource.get("instances", []):
                if "deposed" in instance:  # an old object create_before_destroy has not deleted yet
                    continue
                key = f"[{json.dumps(instance['index_key'], ensure_ascii=False)}]" if "index_key" in instance else ""
                ids[address + key] = str((instance.get("attributes") or {}).get("id"))
        return ids

    def upgrade_to(self, sources: Sources) -> dict[str, Any]:
        """Move the applied stack to ``sources`` and plan them on its state: returns the plan (``show -json``),
        saved for ``apply_upgrade``.

        The workdir's copy of the sources is replaced by theirs as ``prepare`` lays it out (as they come:
        no variant, no extra files); the root keeps what terraform made there and the override and
        variables (RUN_FILES), so the plan is of the same resources, prefix and run tag. Sources the
        override would not cover are refused before anything is replaced: teardown then still destroys
        with the code that was applied."""
        assert self.tf is not None and self.applied, "upgrade_to moves an applied stack"
        assert self.root.parent == self.workdir, "the root is a directory of the workdir"
        staged = self.workdir / UPGRADE_SOURCES
        try:
            self.copy_sources(sources, staged)
            refuse_uncovered_providers(staged / self.root.name)
            for child in self.workdir.iterdir():
                if child == self.root:
                    for item in child.iterdir():
                        if item.name not in RUN_FILES:
                            _remove(item)
                elif child.name not in (RUN_MARKER, staged.name):
                    _remove(child)
            shutil.copytree(staged, self.workdir, dirs_exist_ok=True)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        self.sources = sources
        plan = self.workdir / UPGRADE_PLAN
        with self.timed("upgrade_plan"), self._interruptible():
            self.tf.init_offline(timeout=self.timeouts.init)
            self.tf.run("plan", "-input=false", "-no-color", f"-out={plan}", timeout=self.timeouts.plan)
            shown = self.tf.run("show", "-json", "-no-color", str(plan), timeout=self.timeouts.output)
        return json.loads(shown.stdout)

    def apply_upgrade(self) -> None:
        """Apply the plan ``upgrade_to`` saved (what was judged is what is applied); read the outputs again."""
        assert self.tf is not None
        if self.journal is not None:
            self.journal.phase("apply")
        with self.timed("upgrade_apply"), self._interruptible():
            self.tf.run(
                "apply", "-input=false", "-no-color", str(self.workdir / UPGRADE_PLAN), timeout=self.timeouts.apply
            )
        self._read_outputs()
        if self.journal is not None:
            self.journal.phase("in_use")

    def replan(self) -> tuple[int, str]:
        """``plan -detailed-exitcode``: (0 no changes | 2 changes, plan text). Errors raise."""
        assert self.tf is not None
        self._guard.phase = "setup"
        try:
            with self.timed("replan"):
                result = self.tf.run(
                    "plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false", timeout=self.timeouts.plan
                )
        finally:
            self._guard.phase = "in_use"
        self._check_interrupt()
        return result.returncode, result.stdout

    def destroy(self) -> None:
        """Destroy (once; a failure is retried once, for eventual-consistency errors on AWS)."""
        if self.destroyed or self.tf is None or not self.initialised:
            self.destroyed = True
            return
        self._guard.phase = "destroy"
        with self.timed("destroy"):
            for attempt in (1, 2):
                try:
                    self.tf.destroy(timeout=self.timeouts.destroy)
                    break
                except TerraformCommandError:
                    if attempt == 2 or self._guard.destroy_aborted:
                        raise
                    self._log("destroy failed; retrying once")
        self.destroyed = True

    def leak_services(self) -> list[str] | None:
        """The services the leak check asks (None: every one harness.leaks knows)."""
        return None

    def leak_check(self) -> list[Resource]:
        """What of the run is still there, by its tag and name."""
        with self.timed("leak_check"):
            return list_resources(self.backend, self.prefix, self.run_id, self.leak_services())

    def _delete_orphans(self, found: list[Resource]) -> list[Resource]:
        """Delete what an interrupted apply created outside its state; return what is still left.

        Terraform forwards the interrupt to the provider, which cancels its calls in flight: a create
        that reached AWS but whose answer was cancelled leaves a resource no state records (seen with
        a VPC flow log), which destroy cannot see. It still carries the run's tag and name, so it is
        deleted here as ``scripts/sweep.py --delete`` would; what is named like the run but untagged
        is not touched and stays a leak."""
        failed = []
        for res, error in delete_resources(self.backend, [r for r in found if r.qualified]):
            if error is None:
                self.deleted_by_tag.append(str(res))
            else:
                failed.append(f"{res}: {type(error).__name__}: {error}")
        message = f"{self.prefix}: after the {self._guard.signal_name or 'interrupt'}, deleted by the run tag what state did not record: "
        self._log(
            message
            + "; ".join(self.deleted_by_tag or ["nothing"])
            + (f"; failed: {'; '.join(failed)}" if failed else "")
        )
        progress.say(message + ", ".join(self.deleted_by_tag or ["nothing"]))
        return self.leak_check()

    def teardown(self, primary: BaseException | None = None) -> None:
        """Destroy, leak check, record (once). Raises only when nothing else is already propagating."""
        if self.torn_down:
            return
        self.torn_down = True
        problem: BaseException | None = None
        try:
            self.destroy()
        except BaseException as exc:  # noqa: BLE001 - reported below, never swallowed silently
            self.destroy_error = exc
            problem = exc
        try:
            # Before apply nothing can have been created: no leak check (the endpoint may be down).
            if self.check_leaks and self.apply_started:
                try:
                    found = self.leak_check()
                    if found and self._guard.interrupted and self.destroyed:
                        found = self._delete_orphans(found)
                    leftovers = [str(r) for r in found]
                except Exception as exc:  # noqa: BLE001 - an unreachable emulator must not hide the first error
                    leftovers = [f"(leak check failed: {type(exc).__name__}: {exc})"]
                self.leftovers = leftovers
                if leftovers and problem is None:
                    problem = LeakError(
                        f"{self.prefix}: {len(leftovers)} resource(s) left after destroy: " + "; ".join(leftovers)
                    )
        finally:
            self._guard.restore()
            self.timings["total"] = round(time.monotonic() - self._started, 2)
            RECORDS.append(self.record(primary or problem))
            self._close_journal(problem)
        if problem is None:
            return
        if primary is not None:
            primary.add_note(f"after it, teardown of {self.prefix} also failed: {str(problem).splitlines()[0]}")
            return
        raise problem

    def _close_journal(self, problem: BaseException | None) -> None:
        """Clean: the journal (and a persistent workdir) go. Otherwise the journal says what is left."""
        if self.journal is None:
            return
        if problem is None and self.destroyed:
            self.journal.remove()
            if self.remove_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
            return
        first = str(problem).splitlines()[0] if problem is not None else "teardown did not destroy"
        fields: dict[str, Any] = {"problem": f"{type(problem).__name__}: {first}" if problem else first}
        if self.destroyed:
            fields["phase"] = "done"
        # Written here, not in the signal handler: the handler may run while the journal is locked.
        signal_note = f" (after {self._guard.signal_name})" if self._guard.signal_name else ""
        self.journal.update(f"teardown left a problem{signal_note}: {fields['problem']}", **fields)

    def record(self, error: BaseException | None = None) -> dict[str, Any]:
        return {
            "label": self.label,
            "prefix": self.prefix,
            "backend": self.backend.name,
            "variant": self.variant.name if self.variant else None,
            "timings": dict(self.timings),
            "outcome": "ok" if error is None else type(error).__name__,
            "applied": self.applied,
            "leftovers": self.leftovers,
            "deleted_by_tag": self.deleted_by_tag,
        }

    # -- context manager --

    def __enter__(self) -> StackLifecycle:
        self.setup()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.teardown(exc)
        if exc is None and self._guard.interrupted:
            raise KeyboardInterrupt


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


# A context manager: deploy on enter (destroying again if that fails), destroy and leak-check on exit.
deployed_stack = StackLifecycle


__all__ = [
    "OVERRIDE_FILE",
    "RECORDS",
    "RUN_FILES",
    "TFVARS_FILE",
    "LeakError",
    "StackLifecycle",
    "Timeouts",
    "deployed_stack",
]

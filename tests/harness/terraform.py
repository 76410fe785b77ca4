"""Terraform for the tests: binary lookup, CLI config, timeouts, JSON diagnostics.

tftest drives the commands (``Terraform``: its setup/plan/apply/output/destroy, all through its
``execute_command``); this module adds what it lacks: a timeout on every call (a hang becomes a
failure naming the command and directory), a CLI config that uses a provider mirror when
``TF_PLUGIN_MIRROR`` names one, and a plugin cache otherwise.

No terraform outlives the test process. Each runs in its own session (its providers join it),
starts with SIGINT and SIGTERM at their defaults (a pytest started with SIGINT ignored, as by
``nohup`` or ``cmd &``, would pass the ignore on), and gets SIGINT from the kernel when the test
process dies (``PR_SET_PDEATHSIG``): it stops as on Ctrl-C and saves its state. For the commands
that can create something (WATCHED: apply, destroy, ...) a watchdog process (harness.watchdog)
kills what is left of the group after the grace.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tftest

from harness.errors import HarnessError, TerraformCommandError, TerraformTimeout
from harness.mirror import WELL_KNOWN, find_mirror, report_once
from harness.paths import PLUGIN_CACHE

DEFAULT_TIMEOUT = float(os.environ.get("TF_TEST_TIMEOUT", "600"))
# Every Terraform invocation, for the benchmark: (binary, command, seconds).
INVOCATIONS: list[tuple[str, str, float]] = []


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock held across processes (pytest-xdist workers, parallel suites)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def find_terraform() -> str:
    binary = os.environ.get("TERRAFORM_BINARY") or shutil.which("terraform")
    if not binary or not os.access(binary, os.X_OK):
        raise HarnessError("terraform not found on PATH (or TERRAFORM_BINARY): install Terraform >= 1.9")
    return binary


def terraform_version(binary: str) -> str:
    # CHECKPOINT_DISABLE: `terraform version` otherwise asks HashiCorp's checkpoint service for news.
    env = {**os.environ, "CHECKPOINT_DISABLE": "1"}
    out = subprocess.run([binary, "version", "-json"], capture_output=True, text=True, timeout=60, check=False, env=env)
    try:
        return json.loads(out.stdout)["terraform_version"]
    except (ValueError, KeyError):
        return out.stdout.strip()


@dataclass
class TerraformEnv:
    """Environment shared by every Terraform call of a test session."""

    binary: str
    cli_config: Path
    plugin_cache: Path
    mirror: str | None
    extra: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TF_VAR_")}
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            AWS_EC2_METADATA_DISABLED="true",
        )
        env.pop("TF_LOG", None)
        env.update(self.extra)
        return env


def make_terraform_env(workdir: Path) -> TerraformEnv:
    """Write the session's CLI config.

    With a provider mirror (``harness.mirror``: TF_PLUGIN_MIRROR, else one found in a well-known
    place), providers come only from it (no registry access). Without: the registry as usual,
    through a shared plugin cache so each fixture's init does not download again. The cache
    directory is created before any worker starts (pytest-xdist workers share it).
    """
    binary = find_terraform()
    report_once()
    mirror = find_mirror().path
    cache = Path(os.environ.get("TF_PLUGIN_CACHE_DIR") or PLUGIN_CACHE)
    cache.mkdir(parents=True, exist_ok=True)
    lines = [f'plugin_cache_dir = "{cache}"', "plugin_cache_may_break_dependency_lock_file = true"]
    if mirror:
        if not Path(mirror).is_dir():
            raise HarnessError(
                f"TF_PLUGIN_MIRROR={mirror} is not a directory: point it at a provider mirror (registry.terraform.io/...)"
            )
        lines += [
            "provider_installation {",
            f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }}',
            '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }',
            "}",
        ]
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "terraformrc"
    config.write_text("\n".join(lines) + "\n")
    return TerraformEnv(binary=binary, cli_config=config, plugin_cache=cache, mirror=mirror)


STOP_GRACE = float(os.environ.get("TF_TEST_STOP_GRACE", "30"))
_PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True) if sys.platform.startswith("linux") else None
HAS_PDEATHSIG = _LIBC is not None


def _terraform_child_setup(parent: int) -> None:
    """Runs in the forked child before exec: default signal handling, SIGINT when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGINT, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: the signal will never come
            os.kill(os.getpid(), signal.SIGINT)


def plan_once(root: Path, cli_dir: Path, label: str) -> dict[str, Any]:
    """init (offline when TF_PLUGIN_MIRROR names a mirror) and plan ``root``: the plan as JSON, with no
    plan cache. For commands that print or write one fresh plan (scripts/plan_root.py,
    ``python -m harness.expectations``); tests go through ``harness.workspace``'s cache."""
    tf = Terraform(root, make_terraform_env(cli_dir), label=label)
    tf.init_offline()
    return tf.plan_json()


# The commands that change what a cloud holds (apply, destroy) or what the state knows of it
# (import, refresh). Killed outright, terraform would forget what it made (a 0-byte state was
# seen): these get a watchdog, which gives terraform the grace to save its state, then kills the
# providers it leaves, and journals what happened. The others (init, validate, plan, show,
# output) create nothing: the parent-death SIGINT stops terraform, which stops its providers as
# it exits, within a second even with a provider call in flight (test_harness shows it). Where
# there is no parent-death signal, every command gets a watchdog (it sends the SIGINT).
WATCHED = frozenset({"apply", "destroy", "import", "refresh"})


class Watchdog:
    """The watchdog process of one terraform group (see harness.watchdog); ``release`` when it ended."""

    def __init__(self, pgid: int, grace: float, command: str, journal: Path | None, root: Path | None):
        args = [sys.executable, "-m", "harness.watchdog", "--pgid", str(pgid), "--grace", str(grace)]
        args += ["--command", command]
        if journal is not None:
            args += ["--journal", str(journal)]
        if root is not None:
            args += ["--root", str(root)]
        if not HAS_PDEATHSIG:
            args.append("--send-sigint")
        # Its own session: a signal to the test process's group (a terminal, a CI runner) leaves it alive.
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, start_new_session=True, text=True)

    def release(self) -> None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write("done\n")
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Terraform(tftest.TerraformTest):
    """tftest, with every command through one funnel: ``execute_command``.

    tftest's methods call ``execute_command``; so do ``run``, for the commands tftest has no method
    for, and the methods below. There each command gets what tftest lacks: a timeout (a hang
    becomes a failure naming the command and directory), its own session (a timeout or Ctrl-C
    stops terraform and its providers), SIGINT when the test process dies (plus a watchdog process
    for the commands in WATCHED), output to files rather than pipes, the JSON diagnostics of a
    failure, and a record in INVOCATIONS. The timeout and whether a failing exit code raises are
    arguments of each call; tftest's ``apply``, ``destroy`` and ``output`` are overridden to take
    the timeout, as is its init (``init_offline``).

    Written by hand, because tftest has no method for them: ``plan_diagnostics`` (``plan -json``, the
    machine-readable diagnostics of a plan that must fail), ``validate_diagnostics`` (``validate
    -json``), a plan that errored but saved its plan file (``plan_json(allow_error=True)``), and
    ``plan -detailed-exitcode`` (harness.lifecycle's re-plan). tftest's cache is not used (see
    harness.workspace.PlanCache for why).
    """

    def __init__(
        self,
        tfdir: str | Path,
        tfenv: TerraformEnv,
        timeout: float = DEFAULT_TIMEOUT,
        label: str = "",
        env: Mapping[str, str | None] | None = None,
        journal: Path | None = None,
        stop_grace: float | None = None,
    ):
        """``env``: variables to set (a value) or remove (None) for this root's commands only.
        ``journal``: the run journal the watchdog reports to if the test process dies."""
        merged = tfenv.env()
        for key, value in (env or {}).items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        super().__init__(str(tfdir), binary=tfenv.binary, env=merged)
        self.env = merged  # exactly these: tftest would add the whole os.environ back
        self.timeout = timeout
        self.label = label or str(tfdir)
        self.tfenv = tfenv
        self.journal = journal
        self.stop_grace = STOP_GRACE if stop_grace is None else stop_grace

    def execute_command(  # type: ignore[override]
        self, cmd: str, *cmd_args: str, timeout: float | None = None, check: bool = True
    ) -> tftest.TerraformCommandOutput:
        """Run one terraform command (see the class docstring); exit codes 0 and 2 are success.

        ``timeout``: seconds (default: the instance's). ``check``: raise on another exit code.
        tftest's own methods call this with neither."""
        limit = timeout or self.timeout
        args = (cmd, *cmd_args)
        command = "terraform " + " ".join(args)
        started = time.monotonic()
        parent = os.getpid()
        # Output goes to files, not pipes: a pipe's reader dies with this process, and terraform's
        # next write would then kill it by SIGPIPE in the middle of saving state (0-byte state).
        with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
            # A new session so that a timeout kills terraform and its provider plugins.
            proc = subprocess.Popen(
                [self.binary, *args],
                cwd=self.tfdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out_file,
                stderr=err_file,
                start_new_session=True,
                # Only signal calls and prctl run between fork and exec (no locks, no imports).
                preexec_fn=lambda: _terraform_child_setup(parent),
            )
            watchdog: Watchdog | None = None
            try:
                if cmd in WATCHED or not HAS_PDEATHSIG:
                    watchdog = Watchdog(proc.pid, self.stop_grace, command, self.journal, Path(self.tfdir))
                proc.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                _stop_process_group(proc, self.stop_grace)
                raise TerraformTimeout(command, self.label, limit) from None
            except BaseException:
                # Ctrl-C or any other interruption: never leave a terraform behind.
                _stop_process_group(proc, self.stop_grace)
                raise
            finally:
                if watchdog is not None:
                    watchdog.release()
                INVOCATIONS.append((self.binary, command, time.monotonic() - started))
            out, err = _read(out_file), _read(err_file)
        if check and proc.returncode not in (0, 2):
            raise self._failure(command, proc.returncode, out, err)
        return tftest.TerraformCommandOutput(proc.returncode, out, err)

    def _failure(self, command: str, code: int, out: str, err: str) -> TerraformCommandError:
        text = diagnostics_text(out, err)
        if "registry.terraform.io" in text and not self.tfenv.mirror:
            text = (
                "the provider registry is unreachable and no provider mirror was found (TF_PLUGIN_MIRROR, "
                f"{', '.join(WELL_KNOWN)}): set TF_PLUGIN_MIRROR to a filesystem mirror directory\n" + text
            )
        return TerraformCommandError(command, self.label, code, text)

    def run(self, *args: str, timeout: float | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A command tftest has no method for, through ``execute_command``."""
        result = self.execute_command(*args, timeout=timeout, check=check)
        return subprocess.CompletedProcess([self.binary, *args], result.retcode, result.out, result.err)

    # tftest's apply, destroy and output (same arguments, same defaults) with a timeout: theirs
    # call execute_command with none. Each is tftest's parse_args and one execute_command.
    def apply(self, timeout: float | None = None, **kw: Any) -> str:  # type: ignore[override]
        return self._tftest_command("apply", timeout, {"input": False, "color": False, "auto_approve": True}, kw)

    def destroy(self, timeout: float | None = None, **kw: Any) -> str:  # type: ignore[override]
        return self._tftest_command("destroy", timeout, {"color": False, "auto_approve": True}, kw)

    def output(self, timeout: float | None = None, **kw: Any) -> str | tftest.TerraformValueDict:  # type: ignore[override]
        """``output -json``: tftest's value mapping, or the text when it is not JSON (as tftest)."""
        out = self._tftest_command("output", timeout, {"color": False, "json_format": True}, kw)
        try:
            return self._output_formatter(out)
        except ValueError:
            return out

    def _tftest_command(self, cmd: str, timeout: float | None, defaults: dict[str, Any], kw: dict[str, Any]) -> str:
        return self.execute_command(cmd, *tftest.parse_args(**{**defaults, **kw}), timeout=timeout).out

    def init_offline(self, timeout: float | None = None) -> None:
        """``init -backend=false`` (tftest's ``setup`` minus its file links and cleanup, which we do not use)."""
        # Terraform's plugin cache is not safe for concurrent writers: pytest-xdist
        # workers (and parallel suites) take turns to init, then plan in parallel.
        with file_lock(self.tfenv.plugin_cache / ".glue-netcheck-init.lock"):
            self._tftest_command("init", timeout, {"input": False, "color": False, "backend": False}, {})

    def plan_json(
        self,
        tf_vars: dict[str, Any] | None = None,
        allow_error: bool = False,
        refresh: bool = False,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """The full plan with configuration, as tftest's ``plan(output=True)`` makes it (``plan
        -out``, ``show -json``), with the plan file in a directory of ours: tftest names its file
        with ``tempfile`` and leaves it behind.

        ``tf_vars``: variables (``-var``). ``refresh``: read the deployed resources first (a re-plan
        after apply; offline plans have nothing to read). ``allow_error``: when planning fails,
        Terraform (measured with 1.11) still saves the plan, with ``"errored": true`` and only
        what was planned before the error; return that plan instead of failing. A failure that
        saved no plan file fails as usual. ``timeout``: for each of the two commands.
        """
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "plan.tfplan"
            flags = tftest.parse_args(input=False, color=False, lock=False, refresh=refresh, tf_vars=tf_vars)
            args = (*flags, f"-out={out}")
            planned = self.execute_command("plan", *args, timeout=timeout, check=not allow_error)
            if planned.retcode not in (0, 2) and not out.is_file():
                raise self._failure("terraform plan " + " ".join(args), planned.retcode, planned.out, planned.err)
            shown = self.execute_command("show", "-no-color", "-json", str(out), timeout=timeout)
        return json.loads(shown.out)

    def plan_diagnostics(self, *extra: str) -> tuple[int, list[dict[str, Any]]]:
        """Plan with ``-json`` and return (exit code, error diagnostics), for expect-failure tests."""
        result = self.run("plan", "-input=false", "-lock=false", "-refresh=false", "-json", *extra, check=False)
        return result.returncode, parse_diagnostics(result.stdout)

    def validate_diagnostics(self) -> tuple[int, list[dict[str, Any]]]:
        result = self.run("validate", "-json", "-no-color", check=False)
        try:
            data = json.loads(result.stdout)
        except ValueError:
            return result.returncode, [{"severity": "error", "summary": result.stderr.strip()}]
        return result.returncode, data.get("diagnostics", [])


def _read(handle: Any) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def _stop_process_group(proc: subprocess.Popen[Any], grace: float = STOP_GRACE) -> None:
    """Stop terraform the way Ctrl-C does, then make sure nothing of its process group survives.

    SIGINT goes to terraform alone: it stops starting changes, lets the provider finish the
    call in flight and writes state, so a later destroy knows every resource. Signalling the
    providers too would abort a create after AWS made the resource but before state has it:
    a leak. After ``grace`` seconds (a provider that hangs for good), SIGKILL the group.
    """
    try:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=grace)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def parse_diagnostics(stream: str) -> list[dict[str, Any]]:
    """Error diagnostics from ``-json`` machine-readable output (one JSON object a line)."""
    found = []
    for line in stream.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        diag = msg.get("diagnostic")
        if msg.get("type") == "diagnostic" and diag and diag.get("severity") == "error":
            found.append(diag)
    return found


def diagnostics_text(stdout: str, stderr: str) -> str:
    """Every error Terraform gave, whole: the start of a message is usually the part that matters."""
    diags = parse_diagnostics(stdout)
    if diags:
        return "\n".join(f"- {d.get('summary')}: {d.get('detail', '')}".rstrip(": ") for d in diags)
    return (stderr or stdout).strip()

"""LocalStack Community started by the suite: its pinned virtualenv, one process, stopped afterwards.

    python = ensure_runtime()                       # build .cache/localstack-runtime-<hash> once
    with start_localstack(python, workdir) as ls:   # 127.0.0.1:<free port>, waits for health
        ls.endpoint_url, ls.patches, ls.start_seconds

No Docker: ``launcher.py`` runs ``localstack.runtime.main`` (host mode) under Python 3.13 in a
virtualenv built from ``requirements.txt`` + ``constraints.txt``, apart from the test environment
(LocalStack brings its own moto fork). The process gets a minimal environment (no AWS_* or
LOCALSTACK_* of the user's shell), its own state directories, no DNS server and no analytics, and
runs in its own session so that ``stop()`` ends LocalStack and anything it started.

``python -m harness.localstack.runtime`` builds the venv (tox runs it before the tests, so the
build time does not count as LocalStack's start time).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Self

from harness.errors import HarnessError
from harness.paths import CACHE, REPO
from harness.terraform import file_lock

HERE = Path(__file__).parent
REQUIREMENTS = HERE / "requirements.txt"
CONSTRAINTS = HERE / "constraints.txt"
LAUNCHER = HERE / "launcher.py"
PYTHON_ENV = "LOCALSTACK_PYTHON"  # a Python 3.13 for the runtime venv (default: found on PATH or in pyenv)
RUNTIME_DIR_ENV = "LOCALSTACK_RUNTIME_DIR"  # where the venv is built (default: .cache/ of this checkout)
NO_PATCHES_ENV = "GLUE_NETCHECK_NO_LOCALSTACK_PATCHES"
PARENT_ENV = "GLUE_NETCHECK_PARENT_PID"
PYTHON_VERSION = (3, 13)
INSTALL_TIMEOUT_S = 900
START_TIMEOUT_S = 90
STOP_GRACE_S = 20
_PATCH_LINE = re.compile(r"^glue-netcheck patch (\S+): (\S+)$", re.M)


class LocalStackStartError(HarnessError):
    """LocalStack could not be built or started: one line that says why and what to do."""


# --- the pinned virtualenv ---------------------------------------------------------------------


def _python_version(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return None
    parts = out.stdout.split()
    return (int(parts[0]), int(parts[1])) if out.returncode == 0 and len(parts) == 2 else None


def find_python() -> str:
    """A Python 3.13: LOCALSTACK_PYTHON, else python3.13 on PATH, else pyenv's 3.13.x."""
    wanted = ".".join(map(str, PYTHON_VERSION))
    explicit = os.environ.get(PYTHON_ENV)
    if explicit:
        if _python_version(explicit) != PYTHON_VERSION:
            raise LocalStackStartError(f"{PYTHON_ENV}={explicit} is not a working Python {wanted}: point it at one")
        return explicit
    candidates = [shutil.which(f"python{wanted}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates += [str(p) for p in sorted(pyenv_root.glob(f"versions/{wanted}.*/bin/python{wanted}"), reverse=True)]
    candidates.append(f"/usr/bin/python{wanted}")
    for candidate in candidates:
        # a pyenv shim exists for every installed version but fails unless that version is selected
        if candidate and Path(candidate).exists() and _python_version(candidate) == PYTHON_VERSION:
            return candidate
    raise LocalStackStartError(
        f"no Python {wanted} found for LocalStack (PATH, {pyenv_root}/versions): install one, or set {PYTHON_ENV}, "
        "or run your own LocalStack and set LOCALSTACK_ENDPOINT"
    )


def runtime_dir(python: str) -> Path:
    """The venv directory, named by a hash of the pins and the interpreter (a change builds a new one)."""
    digest = hashlib.sha256()
    for path in (REQUIREMENTS, CONSTRAINTS):
        digest.update(path.read_bytes())
    digest.update(str(Path(python).resolve()).encode())
    base = Path(os.environ.get(RUNTIME_DIR_ENV) or CACHE)
    return base / f"localstack-runtime-{digest.hexdigest()[:12]}"


def ensure_runtime(log: object = None) -> Path:
    """The runtime venv's Python, building the venv first when it is missing or incomplete."""
    say = log if callable(log) else (lambda message: None)
    python = find_python()
    venv = runtime_dir(python)
    ready = venv / ".ready"
    venv_python = venv / "bin" / "python"
    with file_lock(venv.parent / f".{venv.name}.lock"):
        if ready.is_file() and venv_python.exists():
            return venv_python
        shutil.rmtree(venv, ignore_errors=True)
        started = time.monotonic()
        say(f"building the LocalStack runtime in {venv} (Python {python}; once per change of the pins)")
        _run([python, "-m", "venv", str(venv)], "create the LocalStack venv", timeout=120)
        _run(
            [str(venv_python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
            f"pip install -r {REQUIREMENTS.relative_to(REPO)}",
            timeout=INSTALL_TIMEOUT_S,
            cwd=HERE,
        )
        ready.write_text(json.dumps({"python": python, "seconds": round(time.monotonic() - started, 1)}) + "\n")
        say(f"LocalStack runtime built in {time.monotonic() - started:.0f}s")
    return venv_python


def _run(argv: list[str], what: str, timeout: float, cwd: Path | None = None) -> None:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise LocalStackStartError(f"{what}: did not finish within {timeout:.0f}s") from None
    if out.returncode != 0:
        tail = " | ".join((out.stderr or out.stdout).strip().splitlines()[-3:])
        raise LocalStackStartError(f"{what} failed (exit {out.returncode}): {tail}")


# --- the process -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStackProcess:
    """A LocalStack the suite started; ``stop()`` (or leaving the ``with``) ends it."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int, workdir: Path, log_path: Path, patched: bool):
        self.proc = proc
        self.port = port
        self.workdir = workdir
        self.log_path = log_path
        self.patched = patched
        self.endpoint_url = f"http://127.0.0.1:{port}"
        self.start_seconds: float | None = None
        self.stop_seconds: float | None = None
        self.health: dict = {}

    @property
    def patches(self) -> dict[str, str]:
        """{patch name: applied | native | already | off}, as the launcher reported them."""
        return dict(_PATCH_LINE.findall(self.log_text()))

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 5) -> str:
        return " | ".join(line for line in self.log_text().strip().splitlines()[-lines:])

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LocalStackStartError(
                    f"LocalStack exited with code {self.proc.returncode} while starting (log {self.log_path}): "
                    f"{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.endpoint_url}/_localstack/health", timeout=2) as response:
                    self.health = json.loads(response.read() or b"{}")
                if "Ready." in self.log_text():
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        self.stop()
        raise LocalStackStartError(f"LocalStack did not become ready within {timeout:.0f}s (log {self.log_path})")

    def stop(self) -> None:
        """SIGTERM (LocalStack shuts its services down), then SIGKILL to its whole session. Idempotent."""
        if self.proc.poll() is not None:
            return
        started = time.monotonic()
        try:
            os.kill(self.proc.pid, signal.SIGTERM)
            self.proc.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        finally:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # anything LocalStack started in its session
            except ProcessLookupError:
                pass
            self.proc.wait(10)
            self.stop_seconds = round(time.monotonic() - started, 1)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def runtime_environment(port: int, workdir: Path, patched: bool, parent_pid: int | None = None) -> dict[str, str]:
    """The LocalStack process's whole environment: nothing from the user's shell but PATH and locale.

    Everything LocalStack writes stays in ``workdir``: its HOME (``~/.localstack``, caches), its
    filesystem root, its temp files and its TLS certificate, so a run never depends on what an
    earlier run left in the user's home.
    """
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ")}
    env.update(
        HOME=str(workdir / "home"),
        CUSTOM_SSL_CERT_PATH=str(workdir / "certificate" / "server.test.pem"),
        GATEWAY_LISTEN=f"127.0.0.1:{port}",
        LOCALSTACK_HOST=f"127.0.0.1:{port}",
        # LocalStack's DNS server would bind port 53 on every interface; the suite needs none.
        DNS_ADDRESS="0",
        # No analytics and no certificate download: the machine may be offline (the start then waits
        # for the download to time out); the launcher writes a self-signed certificate instead.
        DISABLE_EVENTS="1",
        SKIP_SSL_CERT_DOWNLOAD="1",
        LOCALSTACK_VOLUME_DIR=str(workdir / "volume"),
        FILESYSTEM_ROOT=str(workdir / "filesystem"),
        TMPDIR=str(workdir / "tmp"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    if not patched:
        env[NO_PATCHES_ENV] = "1"
    # LocalStack stops itself when this process dies, however it dies (launcher.watch_parent).
    env[PARENT_ENV] = str(parent_pid or os.getpid())
    return env


def start_localstack(
    python: Path, workdir: Path, *, patched: bool = True, port: int = 0, parent_pid: int | None = None
) -> LocalStackProcess:
    """Start LocalStack on 127.0.0.1 (a free port unless ``port``) and wait until it reports Ready.

    It stops itself when ``parent_pid`` (default: this process) dies.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    for sub in ("tmp", "home"):
        (workdir / sub).mkdir(exist_ok=True)
    port = port or free_port()
    log_path = workdir / "localstack.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(python), str(LAUNCHER)],
            cwd=workdir,
            env=runtime_environment(port, workdir, patched, parent_pid),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    process = LocalStackProcess(proc, port, workdir, log_path, patched)
    try:
        process.wait_ready()
    except BaseException:
        process.stop()
        raise
    process.start_seconds = round(time.monotonic() - started, 1)
    return process


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m harness.localstack.runtime", description="build the LocalStack runtime venv"
    )
    parser.parse_args(argv)
    from harness.localstack.backend import configured_endpoint

    try:
        configured = configured_endpoint(os.environ)
        if configured is not None:
            print(f"{configured[1]}={configured[0]}: the tests use that LocalStack; no runtime needed")
            return 0
        python = ensure_runtime(log=print)
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"LocalStack runtime: {python}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

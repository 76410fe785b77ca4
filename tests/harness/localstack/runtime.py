"""LocalStack Community started by the suite: one process from its own virtualenv, stopped afterwards.

    with start_localstack(workdir) as ls:   # 127.0.0.1:<free port>, waits until LocalStack says Ready
        ls.endpoint_url, ls.patches, ls.start_seconds

No Docker: ``launcher.py`` runs ``localstack.runtime.main`` (host mode) under the Python 3.13 of
LocalStack's own virtualenv, apart from the test environment (LocalStack brings its own moto
fork). tox makes that virtualenv (``tox.ini``, ``[testenv:localstack]``: venv and pip from
``requirements.txt`` + ``constraints.txt``) and names its interpreter in LOCALSTACK_RUNTIME_PYTHON.
The process gets a minimal environment (no AWS_* or LOCALSTACK_* of the user's shell), its own
state directories, no DNS server and no analytics, and runs in its own session so that ``stop()``
ends LocalStack and anything it started.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

from harness.errors import HarnessError

LAUNCHER = Path(__file__).parent / "launcher.py"
RUNTIME_PYTHON_ENV = "LOCALSTACK_RUNTIME_PYTHON"
NO_PATCHES_ENV = "GLUE_NETCHECK_NO_LOCALSTACK_PATCHES"
PARENT_ENV = "GLUE_NETCHECK_PARENT_PID"
START_TIMEOUT_S = 90
STOP_GRACE_S = 20
_PATCH_LINE = re.compile(r"^glue-netcheck patch (\S+): (\S+)$", re.M)


class LocalStackStartError(HarnessError):
    """LocalStack could not be started: one line that says why and what to do."""


def runtime_python(env: Mapping[str, str] | None = None) -> Path:
    """The interpreter of LocalStack's virtualenv, as tox names it; one line when there is none."""
    env = os.environ if env is None else env
    yours = "or run your own LocalStack and set LOCALSTACK_ENDPOINT"
    value = env.get(RUNTIME_PYTHON_ENV)
    if not value:
        raise LocalStackStartError(
            f"{RUNTIME_PYTHON_ENV} is not set: run the suite as `tox -e localstack` (it makes LocalStack's "
            f"virtualenv), {yours}"
        )
    python = Path(value)
    if not python.exists():
        raise LocalStackStartError(
            f"no LocalStack virtualenv at {python}: `tox -e localstack` makes it with `python3.13 -m venv`, "
            f"which needs a Python 3.13 on PATH (pyenv: any 3.13.x installed): install one, {yours}"
        )
    return python


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
    workdir: Path,
    *,
    patched: bool = True,
    port: int = 0,
    parent_pid: int | None = None,
    python: Path | None = None,
) -> LocalStackProcess:
    """Start LocalStack on 127.0.0.1 (a free port unless ``port``) and wait until it reports Ready.

    It stops itself when ``parent_pid`` (default: this process) dies. ``python``: default ``runtime_python()``.
    """
    python = python or runtime_python()
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

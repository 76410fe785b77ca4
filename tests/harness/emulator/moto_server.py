"""A moto server that the suite points boto3 and Terraform at: in-process, or as its own process.

`start_moto()` configures moto, applies the Glue patches from `moto_patches`, starts
`ThreadedMotoServer` on 127.0.0.1 and returns once the server answers HTTP and serves the AWS
managed policies the stack attaches.

`start_moto_process()` runs the same (`python -m harness.emulator.moto_server`) in a process of
its own, for what the in-process server cannot do: outlive a test process that is killed, or
answer as another account (`MOTO_ACCOUNT_ID`, which moto reads from its process environment).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from types import TracebackType
from typing import Any, Self

# Read by moto each time it builds an IAM backend (moto.settings.load_iam_aws_managed_policies,
# called from IAMBackend.__init__), so it must be in the environment before the first IAM
# request reaches the server. Setting it at import time of this module covers every caller.
MANAGED_POLICIES_ENV = "MOTO_IAM_LOAD_MANAGED_POLICIES"
os.environ[MANAGED_POLICIES_ENV] = "true"

# Set to "1" to start moto without our Glue patches (used to prove each patch is needed).
NO_PATCHES_ENV = "GLUE_NETCHECK_NO_MOTO_PATCHES"

from harness.constants import DEFAULT_REGION  # noqa: E402 - after the environment line above

# A managed policy the stack attaches; its presence proves managed policies were loaded.
PROBE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
_START_TIMEOUT_S = 15.0


class EmulatorStartError(RuntimeError):
    """The emulator could not be started; the message is one line saying why."""


class MotoEmulator:
    """A running moto server: where it listens, and how to reset or stop it."""

    def __init__(self, server: Any, host: str, port: int, region: str, patched: bool) -> None:
        self._server = server
        self.host = host
        self.port = port
        self.region = region
        self.patched = patched
        self.endpoint_url = f"http://{host}:{port}"
        self._stopped = False

    def reset(self) -> None:
        """Drop every resource in every backend (POST /moto-api/reset)."""
        _http_request(f"{self.endpoint_url}/moto-api/reset", method="POST")

    def stop(self) -> None:
        """Stop the server; calling it twice is harmless."""
        if not self._stopped:
            self._stopped = True
            self._server.stop()
            # ThreadedMotoServer.stop() only ends serve_forever(); the listening socket stays
            # open, so later connects hang instead of failing and the port stays taken.
            wsgi_server = getattr(self._server, "_server", None)
            if wsgi_server is not None:
                wsgi_server.server_close()

    def client(self, service_name: str) -> Any:
        """A boto3 client for this server with short timeouts, so a missing API fails fast."""
        from botocore.config import Config

        from harness.emulator.clients import emulator_client

        config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2})
        return emulator_client(service_name, self.endpoint_url, self.region, config)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"MotoEmulator(endpoint_url={self.endpoint_url!r}, region={self.region!r})"


def start_moto(port: int = 0, *, region: str = DEFAULT_REGION, apply_patches: bool | None = None) -> MotoEmulator:
    """Start moto on 127.0.0.1:`port` (0 = a free port the OS picks) and wait until it serves.

    `apply_patches=None` applies the Glue patches unless GLUE_NETCHECK_NO_MOTO_PATCHES=1.
    Raises EmulatorStartError if moto is missing, the port is taken, or the server does not
    answer in time. Patches are process-wide: once applied they stay for the process.
    """
    os.environ[MANAGED_POLICIES_ENV] = "true"
    # One access-log line per request drowns test output; errors (with tracebacks) stay.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        raise EmulatorStartError(
            f"moto server is not importable ({error}); install it: pip install 'moto[server]==5.2.5'"
        ) from None

    if apply_patches is None:
        apply_patches = os.environ.get(NO_PATCHES_ENV, "") != "1"
    if apply_patches:
        from harness.emulator.moto_patches import apply_moto_patches

        apply_moto_patches()

    if port:
        _ensure_port_free(port)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    _start_with_timeout(server, port)
    host, bound_port = server.get_host_and_port()
    emulator = MotoEmulator(server, host, bound_port, region, patched=apply_patches)
    try:
        # start() returns once werkzeug's server is bound and listening (before serve_forever): it
        # answers from here on, so the first request is the managed-policy check.
        _ensure_managed_policies(emulator)
    except Exception:
        emulator.stop()
        raise
    return emulator


def _ensure_port_free(port: int) -> None:
    # ThreadedMotoServer binds inside its thread; a bind error there kills the thread and
    # leaves start() waiting forever. Binding here first turns a clash into a clear error.
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug does
    try:
        probe.bind(("127.0.0.1", port))
    except OSError as error:
        raise EmulatorStartError(f"port {port} on 127.0.0.1 is in use ({error.strerror})") from None
    finally:
        probe.close()


def _start_with_timeout(server: Any, port: int) -> None:
    # start() blocks on an Event that is never set if the bind fails (a race after
    # _ensure_port_free), so run it in a helper thread we can stop waiting for.
    starter = threading.Thread(target=server.start, name="moto-start", daemon=True)
    starter.start()
    starter.join(_START_TIMEOUT_S)
    if starter.is_alive():
        raise EmulatorStartError(f"moto server did not bind 127.0.0.1:{port} within {_START_TIMEOUT_S}s")


def _ensure_managed_policies(emulator: MotoEmulator) -> None:
    # If this process touched moto's IAM backend before the env var was set (e.g. an
    # earlier mock_aws test), that backend has no managed policies; a reset rebuilds it.
    if _has_probe_policy(emulator):
        return
    emulator.reset()
    if not _has_probe_policy(emulator):
        raise EmulatorStartError(f"moto IAM does not serve {PROBE_POLICY_ARN} even after a reset")


def _has_probe_policy(emulator: MotoEmulator) -> bool:
    iam = emulator.client("iam")
    try:
        iam.get_policy(PolicyArn=PROBE_POLICY_ARN)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def _http_request(url: str, method: str = "GET") -> bytes:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


# --- as a process of its own -------------------------------------------------------------------

ACCOUNT_ENV = "MOTO_ACCOUNT_ID"
READY_PREFIX = "moto ready at "


class MotoProcess(MotoEmulator):
    """A moto server in its own process (``stop`` sends SIGTERM, then SIGKILL)."""

    def __init__(self, proc: subprocess.Popen[str], endpoint_url: str, region: str, account_id: str) -> None:
        host, port = endpoint_url.removeprefix("http://").rsplit(":", 1)
        super().__init__(None, host, int(port), region, patched=True)
        self.proc = proc
        self.account_id = account_id

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __repr__(self) -> str:
        return f"MotoProcess(pid={self.proc.pid}, endpoint_url={self.endpoint_url!r}, account={self.account_id})"


def start_moto_process(*, region: str = DEFAULT_REGION) -> MotoProcess:
    """One server of ``start_moto_processes``, answering as moto's default account (123456789012)."""
    return start_moto_processes(None, region=region)[0]


def start_moto_processes(*account_ids: str | None, region: str = DEFAULT_REGION) -> list[MotoProcess]:
    """``python -m harness.emulator.moto_server`` with the Glue patches, one per account (None: moto's
    default), started side by side (each takes seconds to import moto and load policies); each stops
    when this process dies."""
    procs = [_spawn(region, account) for account in account_ids]
    started: list[MotoProcess] = []
    try:
        for proc in procs:
            started.append(_await_ready(proc, region))
    except BaseException:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        raise
    return started


def _spawn(region: str, account_id: str | None) -> subprocess.Popen[str]:
    env = {**os.environ, MANAGED_POLICIES_ENV: "true"}
    env.pop(NO_PATCHES_ENV, None)
    if account_id:
        env[ACCOUNT_ENV] = account_id
    else:
        env.pop(ACCOUNT_ENV, None)
    args = [sys.executable, "-m", "harness.emulator.moto_server", "--region", region, "--exit-with-parent"]
    # Its own session: signals meant for the test process's group (Ctrl-C, a CI runner) pass it by.
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )


def _await_ready(proc: subprocess.Popen[str], region: str) -> MotoProcess:
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the server prints one line when it serves, or exits
    if not line.startswith(READY_PREFIX):
        proc.kill()
        _, err = proc.communicate(timeout=10)
        tail = (err or "").strip().splitlines()[-1:] or ["no output"]
        raise EmulatorStartError(f"moto server process did not start: {tail[0]}")
    endpoint_url, account = line.removeprefix(READY_PREFIX).split()
    threading.Thread(target=_drain, args=(proc.stdout,), daemon=True).start()
    threading.Thread(target=_drain, args=(proc.stderr,), daemon=True).start()
    return MotoProcess(proc, endpoint_url, region, account.strip("()").removeprefix("account="))


def _drain(stream: Any) -> None:
    for _ in stream:
        pass


def _exit_with_parent() -> None:
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.emulator.moto_server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--exit-with-parent", action="store_true", help="stop when the starting process dies")
    args = parser.parse_args(argv)
    if args.exit_with_parent:
        _exit_with_parent()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        emulator = start_moto(args.port, region=args.region)
    except EmulatorStartError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    account = emulator.client("sts").get_caller_identity()["Account"]
    print(f"{READY_PREFIX}{emulator.endpoint_url} (account={account})", flush=True)
    stop.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

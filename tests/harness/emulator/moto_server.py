"""An in-process moto server that the suite points boto3 and Terraform at.

`start_moto()` is the only entry point: it configures moto, applies the Glue patches
from `moto_patches`, starts `ThreadedMotoServer` on 127.0.0.1 and returns once the
server answers HTTP and serves the AWS managed policies the stack attaches.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
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

DEFAULT_REGION = "us-east-1"
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
        import boto3
        from botocore.config import Config

        return boto3.client(
            service_name,
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2}),
        )

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
        _wait_until_answering(emulator.endpoint_url)
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


def _wait_until_answering(endpoint_url: str) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    last_error = ""
    while time.monotonic() < deadline:
        try:
            _http_request(f"{endpoint_url}/moto-api/")
            return
        except OSError as error:
            last_error = str(error)
            time.sleep(0.05)
    raise EmulatorStartError(f"moto server at {endpoint_url} did not answer: {last_error}")


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

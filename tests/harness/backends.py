"""Where the integration suite deploys: embedded moto, a user's LocalStack, or a sandbox AWS account.

Every backend gives the same four things: a region, an endpoint URL (None for real AWS), boto3
clients for it, and the Terraform override that points the provider at it (None for real AWS).

  moto        in-process ``start_moto()`` on 127.0.0.1 (a free port); the default.
  localstack  the LocalStack the suite starts, or yours (LOCALSTACK_ENDPOINT, else AWS_ENDPOINT_URL):
              harness/localstack/. Probed at /_localstack/health; Glue only in the paid image.
  aws         a sandbox account: only when STS says the credentials belong to an account listed
              in ALLOWED_AWS_ACCOUNT_IDS (comma list). Checked before any terraform command.

Errors are one line: ``BackendUnavailable`` (the suite skips) and ``BackendRefused`` (the suite
stops) are ``HarnessError`` subclasses.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.emulator import provider_override_hcl
from harness.errors import HarnessError

BACKENDS = ("moto", "localstack", "aws")
BACKEND_ENV = "GLUE_TEST_BACKEND"
ALLOWED_ACCOUNTS_ENV = "ALLOWED_AWS_ACCOUNT_IDS"
DEFAULT_REGION = "us-east-1"

# Tag on every resource of a run (root var `tags` -> provider default_tags); its value is the run id.
RUN_TAG_KEY = "glue-netcheck-run"
# Every run's names start with this; scripts/sweep.py deletes what earlier runs left by it.
NAME_PREFIX = "gnt-"
# Name prefixes are at most 30 characters (the glue module's name_prefix validation; S3 bucket
# and IAM role name_prefix limits leave exactly that room).
MAX_PREFIX_LEN = 30


class BackendUnavailable(HarnessError):
    """The backend cannot be used here (not running, service missing): tests skip with this line."""


class BackendRefused(HarnessError):
    """The backend must not be used (account not allowed): the suite stops with this line."""


def new_run_id(label: str = "", now: datetime | None = None) -> str:
    """``<UTC yymmddHHMM>-<6 hex>[-label]``: unique, sortable, and its age readable from any name.

    The time is in the id because EC2 gives no creation time for VPCs, subnets, route tables,
    gateways or security groups; scripts/sweep.py reads it back from their tags.
    """
    stamp = (now or datetime.now(UTC)).strftime("%y%m%d%H%M")
    run_id = f"{stamp}-{secrets.token_hex(3)}"
    if label:
        run_id += f"-{label}"
    prefix = name_prefix(run_id)
    if len(prefix) > MAX_PREFIX_LEN or prefix != prefix.lower():
        raise HarnessError(f"run id {run_id!r} gives name prefix {prefix!r}: keep it lower-case and <= 30 characters")
    return run_id


def name_prefix(run_id: str) -> str:
    return f"{NAME_PREFIX}{run_id}"


@dataclass
class Backend:
    """One place to deploy to."""

    name: str
    region: str
    endpoint_url: str | None
    make_client: Callable[[str], Any] = field(repr=False)
    # service -> why this backend cannot serve it (tests that need it skip with the reason)
    missing_services: dict[str, str] = field(default_factory=dict)
    account_id: str | None = None

    @property
    def emulated(self) -> bool:
        return self.endpoint_url is not None

    def client(self, service: str) -> Any:
        return self.make_client(service)

    def override_hcl(self) -> str | None:
        """The ``zz_emulator_override.tf`` text, or None for real AWS (the root's provider as is)."""
        return provider_override_hcl(self.endpoint_url, self.region) if self.endpoint_url else None

    def missing(self, *services: str) -> str | None:
        """The reason the first of ``services`` is unavailable here, or None when all are served."""
        for service in services:
            if service in self.missing_services:
                return self.missing_services[service]
        return None

    def probe(self, timeout: float = 3.0) -> None:
        """Raise a one-line ``BackendUnavailable`` quickly if the endpoint does not answer."""
        if self.endpoint_url:
            probe_endpoint(self.endpoint_url, timeout=timeout, what=f"{self.name} emulator")

    def cli_args(self) -> list[str]:
        """Arguments that point ``glue-netcheck job`` at this backend."""
        args = ["--region", self.region]
        if self.endpoint_url:
            args += ["--endpoint-url", self.endpoint_url]
        return args

    def cli_env(self) -> dict[str, str]:
        """Environment for a boto3 default session on this backend (dummy keys on an emulator)."""
        if not self.endpoint_url:
            return {}
        return {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "test"}


def probe_endpoint(url: str, timeout: float = 3.0, what: str = "endpoint") -> None:
    """TCP connect to the endpoint's host and port, so a dead emulator fails in seconds, not minutes."""
    parsed = urllib.parse.urlsplit(url)
    host = parsed.hostname or "localhost"
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BackendUnavailable(
            f"{what} at {url} is not reachable ({reason} after {time.monotonic() - started:.1f}s): start it, "
            "or choose another --backend"
        ) from None


def _emulator_client_factory(endpoint_url: str, region: str, verify: bool = True) -> Callable[[str], Any]:
    """boto3 clients for an emulator (moto and LocalStack alike); ``verify=False`` only for a self-signed https."""
    import boto3
    from botocore.config import Config

    config = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"})

    def make(service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=config,
            verify=verify,
        )

    return make


def moto_backend(endpoint_url: str, region: str = DEFAULT_REGION) -> Backend:
    """A moto server already running at ``endpoint_url`` (started by the suite or by a parent process)."""
    return Backend("moto", region, endpoint_url.rstrip("/"), _emulator_client_factory(endpoint_url, region))


# LocalStack: harness/localstack/backend.py (one endpoint for Terraform and clients, health, TLS on loopback).


def allowed_accounts(raw: str | None = None) -> list[str]:
    raw = os.environ.get(ALLOWED_ACCOUNTS_ENV, "") if raw is None else raw
    return [a.strip() for a in raw.split(",") if a.strip()]


def check_account(account_id: str, allowed: list[str]) -> None:
    """Raise BackendRefused unless ``account_id`` is explicitly allowed."""
    if not allowed:
        raise BackendRefused(
            f"refusing to deploy to AWS: {ALLOWED_ACCOUNTS_ENV} is empty; list the sandbox account ids "
            "(comma-separated) that tests may create resources in"
        )
    if account_id not in allowed:
        raise BackendRefused(
            f"refusing to deploy to AWS account {account_id}: not in {ALLOWED_ACCOUNTS_ENV} ({', '.join(allowed)})"
        )


def aws_backend(region: str, allowed: list[str] | None = None, session: Any = None) -> Backend:
    """A sandbox account, after STS GetCallerIdentity proves it is one of ``allowed``."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    allowed = allowed_accounts() if allowed is None else allowed
    if not allowed:
        check_account("(not checked)", allowed)
    session = session or boto3.Session(region_name=region)
    config = Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 5, "mode": "standard"})
    try:
        identity = session.client("sts", region_name=region, config=config).get_caller_identity()
    except (BotoCoreError, ClientError) as exc:
        raise BackendRefused(f"refusing to deploy to AWS: STS GetCallerIdentity failed ({exc})") from None
    account = str(identity["Account"])
    check_account(account, allowed)

    def make(service: str) -> Any:
        return session.client(service, region_name=region, config=config)

    return Backend("aws", region, None, make, account_id=account)

"""Where the integration suite deploys: embedded moto, a user's LocalStack, or a sandbox AWS account.

Every backend gives the same four things: a region, an endpoint URL (None for real AWS), boto3
clients for it, and the Terraform override that points the provider at it (None for real AWS).

  moto        in-process ``start_moto()`` on 127.0.0.1 (a free port); the default.
  localstack  the LocalStack the suite starts, or yours (LOCALSTACK_ENDPOINT, else AWS_ENDPOINT_URL):
              harness/localstack/. Probed at /_localstack/health; Glue only in the paid image.
  aws         a sandbox account: only when STS says the credentials belong to an account listed
              in ALLOWED_AWS_ACCOUNT_IDS (comma list). Checked before any terraform command.

One account, checked twice. boto3 and Terraform resolve credentials differently (botocore
prefers AWS_DEFAULT_PROFILE, Terraform's SDK AWS_PROFILE), so the harness resolves ONE profile
(refusing when the two variables disagree), asks STS with it, and hands that same profile to
Terraform; the provider override of every backend (emulators too) lists the account STS named in
``allowed_account_ids``, so Terraform itself refuses any other account before the first resource.
``Backend.identity_line()`` says who the run deploys as; the suite prints it before deploying.

One endpoint. botocore and the provider both take endpoints from AWS_ENDPOINT_URL,
AWS_ENDPOINT_URL_<SERVICE> and the profile's ``endpoint_url`` and ``services`` section, in different
orders, so a service-specific one could send STS (the guard, ``allowed_account_ids``) to one account
and EC2 to another. The aws backend refuses any service-specific setting and pins the one endpoint
left (or AWS's own) in every boto3 client and, through the override, for every stack service in
Terraform; emulator backends send Terraform's every call to the emulator, with no config file.

Errors are one line: ``BackendUnavailable`` (the suite skips) and ``BackendRefused`` (the suite
stops) are ``HarnessError`` subclasses.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.constants import DEFAULT_REGION, NAME_PREFIX
from harness.emulator import aws_provider_override_hcl, provider_override_hcl
from harness.errors import HarnessError

BACKENDS = ("moto", "localstack", "aws")
BACKEND_ENV = "GLUE_TEST_BACKEND"
ALLOWED_ACCOUNTS_ENV = "ALLOWED_AWS_ACCOUNT_IDS"

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
    # The caller ARN STS answered with, and the profile both boto3 and Terraform use (aws only).
    identity: str | None = None
    profile: str | None = None
    # aws only: the one endpoint the environment or profile names for every service (None: AWS's own).
    configured_endpoint: str | None = None

    @property
    def emulated(self) -> bool:
        return self.endpoint_url is not None

    def client(self, service: str) -> Any:
        return self.make_client(service)

    def identify(self) -> tuple[str, str]:
        """(account, caller ARN) of this backend's credentials, from STS GetCallerIdentity (asked once)."""
        if self.account_id is None or self.identity is None:
            try:
                answer = self.client("sts").get_caller_identity()
            except Exception as exc:  # noqa: BLE001 - any failure is one line naming the backend
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise BackendUnavailable(
                    f"{self.name} at {self.where}: STS GetCallerIdentity failed ({first})"
                ) from None
            self.account_id, self.identity = str(answer["Account"]), str(answer["Arn"])
        return self.account_id, self.identity

    @property
    def where(self) -> str:
        return self.endpoint_url or self.configured_endpoint or f"AWS region {self.region}"

    def identity_line(self) -> str:
        """Who a deployment acts as, for the terminal before the first resource."""
        account, arn = self.identify()
        profile = f", profile {self.profile}" if self.profile else ""
        return f"deploying to {self.name} ({self.where}) as {arn} in account {account}{profile}"

    def override_hcl(self) -> str:
        """The ``zz_emulator_override.tf`` text: the checked account always; the emulator's endpoints."""
        account, _ = self.identify()
        if self.endpoint_url:
            return provider_override_hcl(self.endpoint_url, self.region, allowed_account_ids=[account])
        return aws_provider_override_hcl(self.region, [account], self.profile, self.configured_endpoint)

    def terraform_env(self) -> dict[str, str | None]:
        """Environment changes for Terraform (None removes): the profile boto3 used, and nothing that competes."""
        if self.endpoint_url:
            # The override pins the stack's services and gives static "test" keys; any other service
            # the code under test calls goes to the emulator too, whatever the shell or the AWS config
            # files say (no profile, no config file, no AWS_ENDPOINT_URL_<SERVICE>).
            env: dict[str, str | None] = {name: None for name in os.environ if name.startswith(ENDPOINT_ENV)}
            env.update({ENDPOINT_ENV: self.endpoint_url, PROFILE_ENV: None, DEFAULT_PROFILE_ENV: None})
            env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
            return env
        env: dict[str, str | None] = {"AWS_DEFAULT_PROFILE": None}
        if self.profile:
            # An explicit profile makes botocore ignore environment keys; Terraform must do the same.
            env.update(AWS_PROFILE=self.profile, AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None)
            env["AWS_SESSION_TOKEN"] = None
        return env

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
    from botocore.config import Config

    from harness.emulator.clients import emulator_client

    config = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"})

    def make(service: str) -> Any:
        return emulator_client(service, endpoint_url, region, config, verify)

    return make


def moto_backend(endpoint_url: str, region: str = DEFAULT_REGION) -> Backend:
    """A moto server already running at ``endpoint_url`` (started by the suite or by a parent process)."""
    return Backend("moto", region, endpoint_url.rstrip("/"), _emulator_client_factory(endpoint_url, region))


# LocalStack: harness/localstack/backend.py (one endpoint for Terraform and clients, health, TLS on loopback).


def allowed_accounts(raw: str | None = None) -> list[str]:
    raw = os.environ.get(ALLOWED_ACCOUNTS_ENV, "") if raw is None else raw
    return [a.strip() for a in raw.split(",") if a.strip()]


# What a refusal says the harness was about to do: "deploy to AWS", or the sweeper's "sweep AWS".
DEPLOY = "deploy to AWS"


def check_account(account_id: str, allowed: list[str], purpose: str = DEPLOY) -> None:
    """Raise BackendRefused unless ``account_id`` is explicitly allowed."""
    if not allowed:
        raise BackendRefused(
            f"refusing to {purpose}: {ALLOWED_ACCOUNTS_ENV} is empty; list the sandbox account ids "
            "(comma-separated) that tests may create resources in"
        )
    if account_id not in allowed:
        raise BackendRefused(
            f"refusing to {purpose} account {account_id}: not in {ALLOWED_ACCOUNTS_ENV} ({', '.join(allowed)})"
        )


PROFILE_ENV, DEFAULT_PROFILE_ENV = "AWS_PROFILE", "AWS_DEFAULT_PROFILE"


def resolve_profile(environ: Mapping[str, str] | None = None) -> str | None:
    """The one AWS profile for boto3 and Terraform; BackendRefused when the two variables name different ones."""
    env = os.environ if environ is None else environ
    profile, default = env.get(PROFILE_ENV) or None, env.get(DEFAULT_PROFILE_ENV) or None
    if profile and default and profile != default:
        raise BackendRefused(
            f"refusing to deploy to AWS: {PROFILE_ENV}={profile} and {DEFAULT_PROFILE_ENV}={default} disagree "
            f"(boto3 would check {default}, Terraform deploy with {profile}); unset one, or set both to the same profile"
        )
    return profile or default


ENDPOINT_ENV = "AWS_ENDPOINT_URL"


def configured_endpoints(
    session: Any, environ: Mapping[str, str] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Endpoints set outside the code, as ({setting: URL} for every service, {setting: URL} for one service).

    What botocore and the provider both read (AWS SDKs and Tools reference, "Service-specific
    endpoints"; the provider's "Custom Service Endpoint Configuration" guide): AWS_ENDPOINT_URL and
    the profile's ``endpoint_url`` for all services, AWS_ENDPOINT_URL_<SERVICE> and the profile's
    ``services`` section for one. ``ignore_configured_endpoint_urls`` is not honoured here: it is
    read by each tool on its own, and the harness passes its endpoint explicitly anyway.
    """
    env = os.environ if environ is None else environ
    every: dict[str, str] = {}
    one: dict[str, str] = {}
    for name, value in env.items():
        if value.strip() and (name == ENDPOINT_ENV or name.startswith(f"{ENDPOINT_ENV}_")):
            (every if name == ENDPOINT_ENV else one)[name] = value.strip()
    core = session._session  # botocore's: the parsed config files
    profile = core.profile or "default"
    scoped = core.get_scoped_config()
    if scoped.get("endpoint_url"):
        every[f"profile {profile} endpoint_url"] = scoped["endpoint_url"]
    section = scoped.get("services")
    for service, settings in core.full_config.get("services", {}).get(section, {}).items() if section else ():
        if isinstance(settings, dict) and settings.get("endpoint_url"):
            one[f"profile {profile} [services {section}] {service} endpoint_url"] = settings["endpoint_url"]
    return every, one


def one_endpoint(every: Mapping[str, str], one: Mapping[str, str], purpose: str = DEPLOY) -> str | None:
    """The endpoint all of boto3's and Terraform's calls go to (None: AWS's own); BackendRefused if they could split."""
    if one:
        named = ", ".join(f"{k}={v}" for k, v in sorted(one.items()))
        raise BackendRefused(
            f"refusing to {purpose}: {named} sends one service to an endpoint of its own, so the account "
            "guard (STS) and the deployment could reach different accounts: remove it, or send every service to "
            f"one endpoint ({ENDPOINT_ENV} or the profile's endpoint_url)"
        )
    urls = {url.rstrip("/") for url in every.values()}
    if len(urls) > 1:
        named = " and ".join(f"{k}={v}" for k, v in sorted(every.items()))
        raise BackendRefused(
            f"refusing to {purpose}: {named} disagree (boto3 and Terraform do not prefer the same one): keep one"
        )
    return urls.pop() if urls else None


def aws_session(region: str, profile: str | None, purpose: str = DEPLOY, source: str = "") -> Any:
    """A boto3 session on ``profile`` (named by ``source``); a profile missing from the AWS config files is one line."""
    import boto3
    from botocore.exceptions import ProfileNotFound

    try:
        session = boto3.Session(profile_name=profile, region_name=region)
        session.get_credentials()  # reads the profile now, so a missing one fails here and not in a fixture
    except ProfileNotFound:
        files = os.environ.get("AWS_CONFIG_FILE", "~/.aws/config")
        raise BackendRefused(
            f"refusing to {purpose}: profile {profile!r}{source} is not in {files}: add it (aws configure "
            "--profile NAME) or name an existing one"
        ) from None
    return session


def aws_backend(
    region: str,
    allowed: list[str] | None = None,
    session: Any = None,
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    purpose: str = DEPLOY,
) -> Backend:
    """A sandbox account, after STS GetCallerIdentity proves it is one of ``allowed``.

    ``profile``: default AWS_PROFILE / AWS_DEFAULT_PROFILE (resolve_profile). ``endpoint_url``: one
    endpoint for every client (the sweeper's --endpoint-url), else the one the settings name.
    """
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    allowed = allowed_accounts() if allowed is None else allowed
    if not allowed:
        check_account("(not checked)", allowed, purpose)
    source = ""
    if profile is None:
        profile = resolve_profile()
        source = f" (from {PROFILE_ENV}/{DEFAULT_PROFILE_ENV})" if profile else ""
    session = session or aws_session(region, profile, purpose, source)
    endpoint = one_endpoint(*configured_endpoints(session), purpose)  # refuses a split even when given one
    endpoint = endpoint_url or endpoint
    config = Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 5, "mode": "standard"})

    def make(service: str) -> Any:
        return session.client(service, region_name=region, config=config, endpoint_url=endpoint)

    try:
        identity = make("sts").get_caller_identity()
    except (BotoCoreError, ClientError) as exc:
        raise BackendRefused(f"refusing to {purpose}: STS GetCallerIdentity failed ({exc})") from None
    account = str(identity["Account"])
    check_account(account, allowed, purpose)
    return Backend(
        "aws",
        region,
        None,
        make,
        account_id=account,
        identity=str(identity["Arn"]),
        profile=profile,
        configured_endpoint=endpoint,
    )

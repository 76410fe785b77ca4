"""LocalStack as an integration backend: one endpoint for Terraform and for the verifying clients.

Which LocalStack: the one the suite started (``harness.localstack.runtime``), or the one you run,
given by LOCALSTACK_ENDPOINT (else AWS_ENDPOINT_URL). Whatever the choice, the same URL -- scheme,
host, port -- goes into the provider override (every stack service's ``endpoints`` entry) and into
every boto3 client (an explicit ``endpoint_url``, which botocore prefers to any AWS_ENDPOINT_URL*
in the environment; each client is checked after it is built). An AWS_ENDPOINT_URL or
AWS_ENDPOINT_URL_<SERVICE> in the environment that names another endpoint is refused in one line:
the user's shell meant something else, and tox passes AWS_* through.

The clients have the moto backend's timeouts and retries (``harness.backends._emulator_client_factory``).
An https endpoint on a loopback address is LocalStack's self-signed certificate: the health probe
and the clients accept it there, and the provider gets ``insecure = true``; https elsewhere is
verified as usual.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import ssl
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.backends import Backend, BackendRefused, BackendUnavailable, _emulator_client_factory, probe_endpoint
from harness.emulator import provider_override_hcl

ENDPOINT_ENV = "LOCALSTACK_ENDPOINT"
AWS_ENDPOINT_ENV = "AWS_ENDPOINT_URL"
# AWS_ENDPOINT_URL_<service id> of every service the stack calls: botocore and the Terraform
# provider both read them ("Service-specific endpoints" in the AWS SDKs and Tools reference).
SERVICE_ENDPOINT_ENVS = tuple(
    f"{AWS_ENDPOINT_ENV}_{service}" for service in ("EC2", "GLUE", "IAM", "KMS", "CLOUDWATCH_LOGS", "S3", "STS")
)
# What the stack needs from LocalStack, by health-endpoint service name.
from harness.constants import STACK_SERVICES  # noqa: E402

_USABLE = {"available", "running", "ready"}


def normalize_endpoint(url: str, source: str) -> str:
    """``scheme://host:port[/path]`` lower-cased, without a trailing slash; one-line refusal otherwise."""
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise BackendRefused(f"{source}={url!r} is not an http(s) URL: set it like http://localhost:4566")
    try:
        port = parsed.port
    except ValueError:
        raise BackendRefused(f"{source}={url!r} has an invalid port: set it like http://localhost:4566") from None
    host = parsed.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    netloc = f"{host}:{port}" if port else host
    return urllib.parse.urlunsplit((parsed.scheme.lower(), netloc, parsed.path.rstrip("/"), "", ""))


def configured_endpoint(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(endpoint, variable) of the LocalStack the user runs, or None: the suite starts its own."""
    for variable in (ENDPOINT_ENV, AWS_ENDPOINT_ENV):
        value = (env.get(variable) or "").strip()
        if value:
            return normalize_endpoint(value, variable), variable
    return None


def check_one_endpoint(endpoint: str, chosen_by: str, env: Mapping[str, str]) -> None:
    """Refuse when an AWS_ENDPOINT_URL* of the environment would send some call elsewhere."""
    for variable in (AWS_ENDPOINT_ENV, *SERVICE_ENDPOINT_ENVS):
        value = (env.get(variable) or "").strip()
        if value and normalize_endpoint(value, variable) != endpoint:
            raise BackendRefused(
                f"{variable}={value} disagrees with the LocalStack endpoint {endpoint} ({chosen_by}): Terraform and "
                f"the verifying clients must talk to one endpoint; unset {variable} or set it to {endpoint}"
            )


def is_loopback(host: str) -> bool:
    """An IP literal or a name that resolves only to loopback addresses (localhost, ...)."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def self_signed_ok(endpoint: str) -> bool:
    """True for https on loopback: LocalStack's own certificate, which nothing can verify."""
    parsed = urllib.parse.urlsplit(endpoint)
    return parsed.scheme == "https" and is_loopback(parsed.hostname or "")


def health(endpoint: str, timeout: float = 5.0) -> dict[str, Any]:
    """GET /_localstack/health; one-line BackendUnavailable when it does not answer with JSON."""
    context = None
    if self_signed_ok(endpoint):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(f"{endpoint}/_localstack/health", timeout=timeout, context=context) as response:
            return json.loads(response.read() or b"{}")
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise BackendUnavailable(
            f"LocalStack at {endpoint}: /_localstack/health did not answer with JSON ({reason})"
        ) from None


@dataclass
class LocalStackBackend(Backend):
    """A ``Backend`` whose provider override accepts LocalStack's certificate on loopback https."""

    health: dict[str, Any] = field(default_factory=dict, repr=False)
    started_here: bool = False
    insecure_tls: bool = False
    # gap name -> what it does on this LocalStack (see harness.localstack.gaps)
    known_gaps: dict[str, str] = field(default_factory=dict)

    def override_hcl(self) -> str:
        """As every backend's: the checked account only, plus ``insecure`` for LocalStack's own certificate."""
        assert self.endpoint_url
        account, _ = self.identify()
        return provider_override_hcl(
            self.endpoint_url, self.region, allowed_account_ids=[account], insecure=self.insecure_tls
        )

    def describe(self) -> str:
        version = self.health.get("version") or "version unknown"
        how = "started by the suite" if self.started_here else "yours"
        return f"LocalStack {version} at {self.endpoint_url} ({how})"


def localstack_backend(
    region: str, endpoint_url: str | None = None, *, env: Mapping[str, str] | None = None, started_here: bool = False
) -> LocalStackBackend:
    """The LocalStack at ``endpoint_url`` (default: the configured one), probed and checked for one endpoint."""
    env = os.environ if env is None else env
    if endpoint_url is None:
        configured = configured_endpoint(env)
        if configured is None:
            raise BackendUnavailable(f"no LocalStack given: set {ENDPOINT_ENV}, or let `tox -e localstack` start one")
        endpoint, chosen_by = configured
    else:
        endpoint = normalize_endpoint(endpoint_url, "endpoint_url")
        chosen_by = "started by the suite" if started_here else "given"
    check_one_endpoint(endpoint, chosen_by, env)
    probe_endpoint(endpoint, what="LocalStack")
    answer = health(endpoint)
    services: dict[str, str] = answer.get("services") or {}
    missing = {}
    for service in STACK_SERVICES:
        state = services.get(service)
        if state not in _USABLE:
            why = "not listed" if state is None else f"state {state!r}"
            extra = " (Glue is in LocalStack's paid image only)" if service == "glue" else ""
            missing[service] = f"LocalStack at {endpoint} does not serve {service} ({why}){extra}"
    insecure = self_signed_ok(endpoint)
    make = _emulator_client_factory(endpoint, region, verify=not insecure)

    def make_client(service: str) -> Any:
        client = make(service)
        if client.meta.endpoint_url.rstrip("/") != endpoint:  # the same URL Terraform gets, or nothing
            raise BackendRefused(
                f"the {service} client would call {client.meta.endpoint_url}, not the LocalStack endpoint {endpoint}"
            )
        return client

    return LocalStackBackend(
        "localstack",
        region,
        endpoint,
        make_client,
        missing,
        health=answer,
        started_here=started_here,
        insecure_tls=insecure,
    )

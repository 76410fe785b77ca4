"""boto3 clients for the live adapter: one place for sessions, regions, timeouts and retries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ProfileNotFound

from glue_netcheck.errors import AccessError

CLIENT_CONFIG = Config(
    connect_timeout=5,
    read_timeout=20,
    retries={"max_attempts": 3, "mode": "standard"},
)
SERVICES = ("glue", "ec2", "iam", "sts")


@dataclass
class AwsClients:
    glue: Any
    ec2: Any
    iam: Any
    sts: Any = None  # optional: without it, job tags (VPC intent) are not read

    @classmethod
    def from_session(cls, session: Any, region: str, endpoint_url: str | None = None) -> AwsClients:
        def make(service: str) -> Any:
            return session.client(service, region_name=region, endpoint_url=endpoint_url, config=CLIENT_CONFIG)

        try:
            return cls(**{s: make(s) for s in SERVICES})
        except BotoCoreError as exc:
            raise AccessError(f"cannot create AWS clients: {exc}") from None


def _session(profile: str | None) -> Any:
    try:
        return boto3.Session(profile_name=profile) if profile else boto3.Session()
    except ProfileNotFound as exc:
        raise AccessError(str(exc)) from None


def open_clients(region: str, endpoint_url: str | None = None, profile: str | None = None) -> AwsClients:
    """Clients for the CLI: a fresh session (optionally a named profile)."""
    return AwsClients.from_session(_session(profile), region, endpoint_url)


def default_region(profile: str | None = None) -> str | None:
    """The region the AWS configuration (env, profile) names, if any."""
    return _session(profile).region_name

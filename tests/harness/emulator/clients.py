"""boto3 clients for an emulator (moto, LocalStack) that no AWS profile in the environment can disturb.

``boto3.client`` uses boto3's default session, created once per process: it reads the AWS config
file the first time and caches it, but looks ``AWS_PROFILE`` up again on every client. A test that
points ``AWS_CONFIG_FILE`` and ``AWS_PROFILE`` at profiles of its own (the account-guard tests)
then makes every later emulator client fail with ``ProfileNotFound`` when the cached file lacks
that profile -- or, the other way round, binds the default session to the test's files. Which one
depends on which test ran first in the process (seen under pytest-xdist). An emulator needs no
profile: its clients get static keys and a session whose profile is pinned to none.
"""

from __future__ import annotations

from typing import Any


def emulator_client(service: str, endpoint_url: str, region: str, config: Any = None, verify: bool = True) -> Any:
    import boto3
    import botocore.session

    core = botocore.session.Session()
    # Pinned: an environment profile is for real AWS, and is looked up again on every client otherwise.
    # (an override of the config store: a session variable set to None would fall through to the environment)
    core.get_component("config_store").set_config_variable("profile", None)
    session = boto3.Session(botocore_session=core, region_name=region)
    return session.client(
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=config,
        verify=verify,
    )

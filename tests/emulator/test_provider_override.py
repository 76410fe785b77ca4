"""The provider override text: every stack service routed to the emulator, safe settings."""

import re

import pytest

from harness.emulator import STACK_SERVICES, provider_override_hcl

pytestmark = pytest.mark.emulator

ENDPOINT = "http://127.0.0.1:45678"


def test_every_stack_service_points_at_the_emulator():
    text = provider_override_hcl(ENDPOINT, "eu-west-1")

    endpoints = dict(re.findall(r'^\s+(\w+)\s+= "(http://[^"]+)"$', text, flags=re.MULTILINE))
    assert endpoints == {service: ENDPOINT for service in STACK_SERVICES}
    assert {"ec2", "glue", "iam", "kms", "logs", "s3", "sts"} <= set(endpoints)


def test_settings_an_emulator_needs_are_set():
    text = provider_override_hcl(ENDPOINT, "eu-west-1")

    for setting in (
        'region                      = "eu-west-1"',
        'access_key                  = "test"',
        'secret_key                  = "test"',
        "skip_credentials_validation = true",
        "skip_metadata_api_check     = true",
        "skip_region_validation      = true",
        "s3_use_path_style           = true",
    ):
        assert setting in text


def test_account_id_lookup_is_not_skipped():
    # Skipping it makes Glue connection ids ":name" (facts file, "Emulators").
    assert "skip_requesting_account_id" not in provider_override_hcl(ENDPOINT, "eu-west-1")


def test_default_tags_are_left_to_the_root():
    # An override block replaces nested blocks of the same type; default_tags must survive.
    assert "default_tags" not in provider_override_hcl(ENDPOINT, "eu-west-1")

"""The incident's proposed fix cannot work: aws_glue_job has no vpc_config block."""

from __future__ import annotations

import pytest

from harness.workspace import load_yaml

pytestmark = pytest.mark.unit


def test_validate_rejects_vpc_config_block(seed_vpc_config_validation):
    result = seed_vpc_config_validation
    seed = load_yaml("seed_vpc_config.yaml")  # read now: an edit is seen even with the plan cache warm
    summary, detail = seed["summary"], seed["detail"]
    assert result["returncode"] == 1, "terraform validate accepted a vpc_config block on aws_glue_job"
    errors = [d for d in result["diagnostics"] if d.get("severity") == "error"]
    assert [(d.get("summary"), d.get("detail")) for d in errors] == [(summary, detail)] * len(errors)
    assert len(errors) >= 1
    # One error per job: the block is rejected in the glue module's aws_glue_job.
    assert all(d.get("range", {}).get("filename", "").endswith("modules/glue/jobs.tf") for d in errors)

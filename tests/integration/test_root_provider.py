"""The root stack's own provider block reaches an emulator through `endpoint_url` (no override file).

The lifecycle tests use the harness's override file; this proves the path a user
takes by hand: `terraform plan -var endpoint_url=http://...` with infra/providers.tf as committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.backends import Backend
from harness.terraform import Terraform
from harness.workspace import Sources, copy_root

pytestmark = [pytest.mark.integration]


def test_endpoint_url_variable_plans_against_the_emulator(
    backend: Backend, sources: Sources, tfenv: Any, tmp_path: Path
):
    if not backend.emulated:
        pytest.skip(f"{backend.name} is real AWS: endpoint_url is for emulators")
    root = copy_root(sources, tmp_path)
    assert not list(root.glob("*override*")), "the root must be planned as committed"
    keys = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    tf = Terraform(root, tfenv, timeout=300, label="root stack with endpoint_url", env=keys)
    tf.init_offline()
    plan = tf.plan_json(tf_vars={"endpoint_url": backend.endpoint_url, "region": backend.region})
    # With fake "test" credentials and no skip_requesting_account_id, the provider can only
    # configure if every call (STS first) went to the emulator: real AWS would refuse the keys.
    created = [rc for rc in plan["resource_changes"] if rc["change"]["actions"] == ["create"]]
    assert any(rc["type"] == "aws_glue_connection" for rc in created)
    assert plan["errored"] is False

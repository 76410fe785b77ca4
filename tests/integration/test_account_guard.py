"""One account, checked twice (issue 9 item 1), on two moto servers standing for two accounts.

"sandbox" is a moto server answering as 123456789012, "prod" one answering as 222222222222
(``MOTO_ACCOUNT_ID``); both run the suite's Glue patches (without them destroy hangs). AWS profiles
in a config file of the test's own point at them (``endpoint_url``), and the ``[default]`` profile
is prod, as on the machine of the incident.

The incident: with ``AWS_DEFAULT_PROFILE=sandbox AWS_PROFILE=prod`` the guard (boto3, which prefers
AWS_DEFAULT_PROFILE) approved sandbox while Terraform (which prefers AWS_PROFILE) deployed to prod.
Now the harness refuses that before any terraform command; it deploys with one profile that
boto3 and Terraform both use; and if Terraform ever resolved another account anyway, the
``allowed_account_ids`` the override carries on every backend makes the provider refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from integration_support import WITHOUT_BUCKET_LIFECYCLE, StackStages

from harness.backends import BackendRefused, aws_backend, moto_backend, new_run_id
from harness.emulator import aws_provider_override_hcl
from harness.emulator.moto_server import MotoProcess, start_moto_processes
from harness.leaks import list_resources
from harness.lifecycle import OVERRIDE_FILE, deployed_stack
from harness.terraform import INVOCATIONS, Terraform, TerraformEnv
from harness.workspace import Sources, copy_root

pytestmark = [pytest.mark.integration]

SANDBOX, PROD = "123456789012", "222222222222"
CLEARED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
)


@pytest.fixture(scope="module")
def accounts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if request.config.getoption("--backend") != "moto":
        pytest.skip("the account guard tests run two local moto servers; this run uses another --backend")
    sandbox, prod = start_moto_processes(None, PROD)
    assert (sandbox.account_id, prod.account_id) == (SANDBOX, PROD)
    directory = tmp_path_factory.mktemp("aws-config")
    config = directory / "config"
    config.write_text(
        f"[profile sandbox]\nregion = {sandbox.region}\nendpoint_url = {sandbox.endpoint_url}\n\n"
        f"[profile prod]\nregion = {prod.region}\nendpoint_url = {prod.endpoint_url}\n\n"
        f"[default]\nregion = {prod.region}\nendpoint_url = {prod.endpoint_url}\n"
    )
    credentials = directory / "credentials"
    credentials.write_text(
        "".join(f"[{p}]\naws_access_key_id = test\naws_secret_access_key = test\n\n" for p in ("sandbox", "prod"))
        + "[default]\naws_access_key_id = test\naws_secret_access_key = test\n"
    )
    yield {"sandbox": sandbox, "prod": prod, "config": config, "credentials": credentials}
    sandbox.stop()
    prod.stop()


@pytest.fixture
def aws_env(accounts: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(accounts["config"]))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(accounts["credentials"]))
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", SANDBOX)
    return accounts


def run_resources(emulator: MotoProcess, run_id: str) -> list[Any]:
    return list_resources(emulator, f"gnt-{run_id}", run_id)


def test_profiles_that_disagree_are_refused_before_any_terraform(
    aws_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "sandbox")
    monkeypatch.setenv("AWS_PROFILE", "prod")
    invocations = len(INVOCATIONS)

    with pytest.raises(BackendRefused) as refused:
        aws_backend(aws_env["sandbox"].region)

    assert "AWS_PROFILE=prod and AWS_DEFAULT_PROFILE=sandbox disagree" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert len(INVOCATIONS) == invocations


@pytest.mark.slow
def test_terraform_deploys_into_the_account_the_guard_checked(
    aws_env: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    sources: Sources,
    tfenv: TerraformEnv,
    tmp_path: Path,
):
    sandbox, prod = aws_env["sandbox"], aws_env["prod"]
    monkeypatch.setenv("AWS_PROFILE", "sandbox")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "sandbox")
    backend = aws_backend(sandbox.region)  # the sandbox path of the suite, on moto through the profiles
    assert (backend.account_id, backend.profile) == (SANDBOX, "sandbox")
    assert backend.identity_line().endswith(f"in account {SANDBOX}, profile sandbox")
    run_id = new_run_id("acct")
    lifecycle = deployed_stack(
        sources,
        tfenv,
        backend,
        tmp_path / "stack",
        run_id=run_id,
        journal_dir=tmp_path,
        extra_vars=WITHOUT_BUCKET_LIFECYCLE,
    )

    with StackStages(lifecycle):
        override = (lifecycle.root / OVERRIDE_FILE).read_text()
        deployed_in_sandbox = run_resources(sandbox, run_id)
        deployed_in_prod = run_resources(prod, run_id)

    assert f'allowed_account_ids = ["{SANDBOX}"]' in override and 'profile             = "sandbox"' in override
    assert len(deployed_in_sandbox) > 20, deployed_in_sandbox
    assert deployed_in_prod == []
    assert lifecycle.leftovers == [] and run_resources(sandbox, run_id) == []


def _plan_diagnostics(sources: Sources, tfenv: TerraformEnv, tmp_path: Path, override: str, env: dict) -> list[str]:
    root = copy_root(sources, tmp_path)
    (root / OVERRIDE_FILE).write_text(override)
    tf = Terraform(root, tfenv, timeout=300, label="account refusal", env=env)
    tf.init_offline()
    code, diagnostics = tf.plan_diagnostics()
    assert code == 1, diagnostics
    return [d.get("summary", "") for d in diagnostics]


def test_terraform_refuses_another_account_than_the_emulator_override_names(
    accounts: dict[str, Any], sources: Sources, tfenv: TerraformEnv, tmp_path: Path
):
    # The override the harness writes for the sandbox emulator, with Terraform sent to prod instead.
    sandbox, prod = accounts["sandbox"], accounts["prod"]
    override = moto_backend(sandbox.endpoint_url, sandbox.region).override_hcl()
    assert f'allowed_account_ids         = ["{SANDBOX}"]' in override

    summaries = _plan_diagnostics(
        sources, tfenv, tmp_path, override.replace(sandbox.endpoint_url, prod.endpoint_url), {}
    )

    assert f"AWS account ID not allowed: {PROD}" in summaries


def test_terraform_refuses_another_account_than_the_aws_override_names(
    aws_env: dict[str, Any], sources: Sources, tfenv: TerraformEnv, tmp_path: Path
):
    # The guard checked sandbox; Terraform somehow resolves prod (here: the profile, by hand).
    override = aws_provider_override_hcl(aws_env["prod"].region, [SANDBOX], "prod")

    summaries = _plan_diagnostics(sources, tfenv, tmp_path, override, {"AWS_PROFILE": "prod"})

    assert f"AWS account ID not allowed: {PROD}" in summaries

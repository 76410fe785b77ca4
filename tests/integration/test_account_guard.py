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

Issue 22: ``allowed_account_ids`` asks STS, so anything that sends STS to one account and another
service to another gets past both checks: an AWS_ENDPOINT_URL_<SERVICE>, a profile's ``services``
section, the root's own ``endpoints`` block. The aws backend refuses the first two and its override
replaces the third; on an emulator, Terraform's every call goes to the emulator. The tiny roots below
(a VPC, an SNS topic) show where a resource lands with one apply each, not the whole stack.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.backends import BackendRefused, aws_backend, moto_backend, new_run_id
from harness.emulator import aws_provider_override_hcl
from harness.emulator.moto_server import MotoProcess, start_moto_processes
from harness.integration import WITHOUT_BUCKET_LIFECYCLE, StackStages
from harness.leaks import list_resources
from harness.lifecycle import OVERRIDE_FILE, deployed_stack
from harness.provider_blocks import ProviderRefused
from harness.terraform import INVOCATIONS, Terraform, TerraformEnv
from harness.workspace import Sources, copy_root

pytestmark = [pytest.mark.integration]

SANDBOX, PROD = "123456789012", "222222222222"
CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


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
        f"[default]\nregion = {prod.region}\nendpoint_url = {prod.endpoint_url}\n\n"
        # prod for everything but STS, which the guard asks
        f"[profile split]\nregion = {prod.region}\nendpoint_url = {prod.endpoint_url}\nservices = split\n\n"
        f"[services split]\nsts =\n  endpoint_url = {sandbox.endpoint_url}\n"
    )
    credentials = directory / "credentials"
    credentials.write_text(
        "".join(
            f"[{p}]\naws_access_key_id = test\naws_secret_access_key = test\n\n" for p in ("sandbox", "prod", "split")
        )
        + "[default]\naws_access_key_id = test\naws_secret_access_key = test\n"
    )
    yield {"sandbox": sandbox, "prod": prod, "config": config, "credentials": credentials}
    sandbox.stop()
    prod.stop()


@pytest.fixture
def aws_env(accounts: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for name in (*CLEARED, *(n for n in os.environ if n.startswith("AWS_ENDPOINT_URL"))):
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


# --- issue 22: endpoints that split STS from the rest ---------------------------------------------


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"AWS_PROFILE": "prod", "AWS_ENDPOINT_URL_STS": "{sandbox}"}, "AWS_ENDPOINT_URL_STS={sandbox}"),
        ({"AWS_PROFILE": "split"}, "profile split [services split] sts endpoint_url={sandbox}"),
        ({"AWS_PROFILE": "sandbox", "AWS_ENDPOINT_URL_EC2": "{prod}"}, "AWS_ENDPOINT_URL_EC2={prod}"),
    ],
    ids=["sts-env", "profile-services-section", "ec2-env"],
)
def test_a_service_specific_endpoint_is_refused_before_sts_is_asked(
    aws_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], named: str
):
    urls = {"sandbox": aws_env["sandbox"].endpoint_url, "prod": aws_env["prod"].endpoint_url}
    for name, value in settings.items():
        monkeypatch.setenv(name, value.format(**urls))
    invocations = len(INVOCATIONS)

    with pytest.raises(BackendRefused) as refused:
        aws_backend(aws_env["sandbox"].region)

    assert str(refused.value) == (
        f"refusing to deploy to AWS: {named.format(**urls)} sends one service to an endpoint of its own, so the "
        "account guard (STS) and the deployment could reach different accounts: remove it, or send every service "
        "to one endpoint (AWS_ENDPOINT_URL or the profile's endpoint_url)"
    )
    assert len(INVOCATIONS) == invocations


def test_two_endpoints_for_every_service_that_disagree_are_refused(
    aws_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    sandbox, prod = aws_env["sandbox"].endpoint_url, aws_env["prod"].endpoint_url
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setenv("AWS_ENDPOINT_URL", sandbox)

    with pytest.raises(BackendRefused) as refused:
        aws_backend(aws_env["sandbox"].region)

    assert str(refused.value) == (
        f"refusing to deploy to AWS: AWS_ENDPOINT_URL={sandbox} and profile prod endpoint_url={prod} disagree "
        "(boto3 and Terraform do not prefer the same one): keep one"
    )


TINY_ROOT = """
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws" }}
  }}
}}

{provider}

resource "aws_vpc" "this" {{
  cidr_block = "10.9.0.0/16"
  tags       = {{ Name = "{name}" }}
}}

resource "aws_sns_topic" "this" {{
  name = "{name}"
}}
"""


def where_it_landed(emulators: dict[str, MotoProcess], name: str) -> dict[str, list[str]]:
    """Per emulator, which of the tiny root's resources (vpc, sns) it holds."""
    found = {}
    for label, emulator in emulators.items():
        vpcs = emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
        topics = [t["TopicArn"] for t in emulator.client("sns").list_topics()["Topics"] if t["TopicArn"].endswith(name)]
        found[label] = ["vpc"] * len(vpcs) + ["sns"] * len(topics)
    return found


def apply_tiny_root(backend: Any, tfenv: TerraformEnv, root: Path, provider: str, name: str) -> Terraform:
    root.mkdir()
    (root / "main.tf").write_text(TINY_ROOT.format(provider=provider, name=name))
    (root / OVERRIDE_FILE).write_text(backend.override_hcl())
    tf = Terraform(root, tfenv, timeout=300, label=f"tiny root {name}", env=backend.terraform_env())
    tf.init_offline()
    tf.run("apply", "-auto-approve", "-input=false", "-no-color")
    return tf


@pytest.mark.parametrize(
    "provider",
    [
        'provider "aws" {{\n  endpoints {{\n    ec2 = "{prod}"\n    sns = "{prod}"\n  }}\n}}',
        'provider "aws" {{\n  dynamic "endpoints" {{\n    for_each = ["{prod}"]\n'
        "    content {{\n      ec2 = endpoints.value\n      sns = endpoints.value\n    }}\n  }}\n}}",
    ],
    ids=["endpoints-block", "dynamic-endpoints-block"],
)
def test_the_roots_own_endpoints_block_does_not_escape_the_aws_override(
    aws_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tfenv: TerraformEnv, tmp_path: Path, provider: str
):
    # The guard and allowed_account_ids ask sandbox's STS; the root sends EC2 and SNS to prod.
    sandbox, prod = aws_env["sandbox"], aws_env["prod"]
    monkeypatch.setenv("AWS_PROFILE", "sandbox")
    backend = aws_backend(sandbox.region)
    name = f"gnt-{new_run_id('ep')}"

    tf = apply_tiny_root(backend, tfenv, tmp_path / "root", provider.format(prod=prod.endpoint_url), name)
    try:
        landed = where_it_landed({"sandbox": sandbox, "prod": prod}, name)
    finally:
        tf.run("destroy", "-auto-approve", "-input=false", "-no-color")

    # The override's endpoints replace the root's: EC2 pinned, SNS (no stack service) at the profile's endpoint.
    assert landed == {"sandbox": ["vpc", "sns"], "prod": []}


def test_stray_endpoint_settings_do_not_move_an_emulator_run(
    aws_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tfenv: TerraformEnv, tmp_path: Path
):
    # The moto backend on sandbox; the shell and the profile point at prod.
    sandbox, prod = aws_env["sandbox"], aws_env["prod"]
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setenv("AWS_ENDPOINT_URL_EC2", prod.endpoint_url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SNS", prod.endpoint_url)
    backend = moto_backend(sandbox.endpoint_url, sandbox.region)
    name = f"gnt-{new_run_id('stray')}"

    tf = apply_tiny_root(backend, tfenv, tmp_path / "root", 'provider "aws" {}', name)
    try:
        landed = where_it_landed({"sandbox": sandbox, "prod": prod}, name)
    finally:
        tf.run("destroy", "-auto-approve", "-input=false", "-no-color")

    assert landed == {"sandbox": ["vpc", "sns"], "prod": []}


# --- issue 22: provider configurations the override does not reach ------------------------------

# Configured in full, as hostile code would: no environment, profile or config file can redirect it.
ROGUE_PROVIDER = """provider "aws" {{
  {alias}region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true

  endpoints {{
    ec2 = "{endpoint}"
  }}
}}

resource "aws_vpc" "rogue" {{
  {provider}cidr_block = "10.77.0.0/16"
  tags       = {{ Name = "{name}" }}
}}
"""


@pytest.mark.slow
def test_an_aliased_and_a_module_provider_are_refused_before_anything_is_created(
    aws_env: dict[str, Any], sources: Sources, tfenv: TerraformEnv, tmp_path: Path
):
    sandbox, prod = aws_env["sandbox"], aws_env["prod"]
    run_id = new_run_id("rogue")
    rogue = {"endpoint": prod.endpoint_url, "name": f"gnt-{run_id}-rogue"}
    extra_files = {
        "zz_rogue_alias.tf": ROGUE_PROVIDER.format(
            alias='alias = "elsewhere"\n  ', provider="provider   = aws.elsewhere\n  ", **rogue
        ),
        "zz_rogue_module.tf": 'module "rogue" {\n  source = "./modules/rogue"\n}\n',
        "modules/rogue/main.tf": ROGUE_PROVIDER.format(alias="", provider="", **rogue),
    }
    in_prod: list[str] = []

    def log(message: str) -> None:
        if message == "phase destroy start":  # what the run made outside its account, while it existed
            vpcs = prod.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [rogue["name"]]}])
            in_prod.extend(v["VpcId"] for v in vpcs["Vpcs"])

    lifecycle = deployed_stack(
        sources,
        tfenv,
        moto_backend(sandbox.endpoint_url, sandbox.region),
        tmp_path / "stack",
        run_id=run_id,
        journal_dir=tmp_path,
        extra_files=extra_files,
        extra_vars=WITHOUT_BUCKET_LIFECYCLE,
        log=log,
    )
    invocations = len(INVOCATIONS)
    refusal = None
    try:
        with lifecycle:
            pass
    except ProviderRefused as exc:
        refusal = str(exc)

    assert in_prod == [], f"the run created VPC(s) {in_prod} in the other account"
    assert refusal == (
        'refusing to run infra/: infra/zz_rogue_alias.tf:1 configures provider "aws" alias "elsewhere", which the '
        "harness's override of the root's provider \"aws\" does not cover (it would reach AWS with this machine's "
        "own credentials and endpoints): remove it and use the root's provider"
    )
    assert len(INVOCATIONS) == invocations  # not one terraform command
    assert run_resources(sandbox, run_id) == []

"""The harness fails in one clear line, kills hung terraform calls, and never writes to the source tree."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import harness.mirror
import harness.terraform
from harness.backends import BackendRefused, aws_backend, resolve_profile
from harness.emulator import aws_provider_override_hcl
from harness.errors import HarnessError, TerraformTimeout
from harness.examples import build_unit_inventory
from harness.paths import REPO
from harness.processes import descendants, processes_in_groups, terraform_children
from harness.terraform import Terraform, make_terraform_env, terraform_version
from harness.workspace import Sources, Variant, apply_patches, copy_stack, load_inventory, tree_hash

pytestmark = pytest.mark.unit


def test_missing_terraform_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("TERRAFORM_BINARY", str(tmp_path / "no-terraform"))
    with pytest.raises(
        HarnessError, match=r"^terraform not found on PATH \(or TERRAFORM_BINARY\): install Terraform >= 1\.9$"
    ):
        make_terraform_env(tmp_path)


def test_missing_mirror_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("TF_PLUGIN_MIRROR", str(tmp_path / "nowhere"))
    with pytest.raises(HarnessError, match="is not a directory: point it at a provider mirror"):
        make_terraform_env(tmp_path)


def test_cli_config_uses_the_mirror_only_when_given(monkeypatch, tmp_path):
    monkeypatch.setenv("TF_PLUGIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TF_PLUGIN_MIRROR", str(tmp_path))
    with_mirror = make_terraform_env(tmp_path / "a").cli_config.read_text()
    assert "filesystem_mirror" in with_mirror and f'path    = "{tmp_path}"' in with_mirror
    assert 'exclude = ["registry.terraform.io/*/*"]' in with_mirror
    monkeypatch.delenv("TF_PLUGIN_MIRROR")
    monkeypatch.setattr(harness.mirror, "WELL_KNOWN", ())
    without = make_terraform_env(tmp_path / "b").cli_config.read_text()
    assert "provider_installation" not in without and f'plugin_cache_dir = "{tmp_path / "cache"}"' in without


def _mirror_at(root: Path, *versions: str) -> Path:
    for version in versions:
        (root / "registry.terraform.io" / "hashicorp" / "aws" / version / "linux_amd64").mkdir(parents=True)
    return root


def test_a_mirror_in_a_well_known_place_is_used_without_tf_plugin_mirror(monkeypatch, tmp_path):
    """tox -e unit, tox -e gate and the scripts find it as ./run does (they failed offline before)."""
    monkeypatch.delenv("TF_PLUGIN_MIRROR", raising=False)
    monkeypatch.setenv("TF_PLUGIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    _mirror_at(tmp_path / "home" / ".terraform.d" / "plugins", "5.100.0")
    monkeypatch.setattr(harness.mirror, "WELL_KNOWN", (str(tmp_path / "empty"), "~/.terraform.d/plugins"))
    tfenv = make_terraform_env(tmp_path / "cli")
    assert tfenv.mirror == str(tmp_path / "home" / ".terraform.d" / "plugins")
    assert f'path    = "{tfenv.mirror}"' in tfenv.cli_config.read_text()
    line = harness.mirror.find_mirror().describe()
    assert line == (
        f"terraform providers: filesystem mirror {tfenv.mirror} (found; TF_PLUGIN_MIRROR overrides), "
        "hashicorp/aws 5.100.0; no registry access"
    )


def test_tf_plugin_mirror_wins_and_no_mirror_says_terraform_downloads(monkeypatch, tmp_path):
    given = _mirror_at(tmp_path / "given", "5.40.0", "6.2.0")
    monkeypatch.setattr(harness.mirror, "WELL_KNOWN", (str(_mirror_at(tmp_path / "found", "5.100.0")),))
    chosen = harness.mirror.find_mirror({"TF_PLUGIN_MIRROR": str(given), "HOME": str(tmp_path)})
    assert (chosen.path, chosen.versions()) == (str(given), ["5.40.0", "6.2.0"])
    assert chosen.describe().startswith(f"terraform providers: filesystem mirror TF_PLUGIN_MIRROR={given}, ")
    monkeypatch.setattr(harness.mirror, "WELL_KNOWN", (str(tmp_path / "nothing"),))
    none = harness.mirror.find_mirror({"HOME": str(tmp_path)})
    assert none.path is None
    assert none.describe().endswith("terraform downloads them from registry.terraform.io")


def test_mirror_line_is_reported_once_per_process_tree(monkeypatch):
    monkeypatch.delenv(harness.mirror.REPORTED_ENV, raising=False)
    said: list[str] = []
    harness.mirror.report_once(said.append)
    harness.mirror.report_once(said.append)
    assert len(said) == 1 and said[0].startswith("terraform providers: ")
    assert os.environ[harness.mirror.REPORTED_ENV] == "1"  # inherited by tox envs and child processes


@pytest.fixture
def hanging_terraform(monkeypatch, tmp_path):
    """A stand-in terraform that hangs, and records its pid (and a child's) to check they are killed."""
    script = tmp_path / "terraform"
    script.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\nsleep 300 &\necho $! > {tmp_path}/child\nwait\n")
    script.chmod(0o755)
    monkeypatch.setenv("TERRAFORM_BINARY", str(script))
    monkeypatch.delenv("TF_PLUGIN_MIRROR", raising=False)
    return tmp_path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_hung_terraform_times_out_naming_the_command_and_is_killed(hanging_terraform):
    tfenv = make_terraform_env(hanging_terraform / "cli")
    tf = Terraform(hanging_terraform, tfenv, timeout=1.0, label="fixture-x")
    started = time.monotonic()
    with pytest.raises(TerraformTimeout) as exc:
        tf.run("apply", "-auto-approve")
    assert time.monotonic() - started < 15
    assert str(exc.value).startswith("`terraform apply -auto-approve` did not finish within 1s in fixture-x; killed")
    for name in ("pid", "child"):
        pid = int((hanging_terraform / name).read_text())
        for _ in range(50):
            if not _alive(pid):
                break
            time.sleep(0.1)
        assert not _alive(pid), f"{name} process {pid} survived the timeout"


def test_patch_that_no_longer_matches_fails_loudly(tmp_path):
    copy_stack(Sources.locate(None), tmp_path / "stack")
    stale = Variant(
        "stale", "", [], [{"file": "modules/glue/jobs.tf", "replace": "vpc_config_that_never_was", "with": ""}]
    )
    with pytest.raises(
        HarnessError,
        match="variant stale: expected the text to patch exactly once in modules/glue/jobs.tf, found it 0 times",
    ):
        apply_patches(stale, tmp_path / "stack")


def test_stack_copy_has_no_provider_block_and_source_tree_is_untouched(tmp_path):
    before = subprocess.run(["git", "status", "--porcelain", "infra"], cwd=REPO, capture_output=True, text=True).stdout
    copy_stack(Sources.locate(None), tmp_path / "stack")
    assert not (tmp_path / "stack" / "providers.tf").exists()
    assert (tmp_path / "stack" / "modules" / "glue" / "connections.tf").is_file()
    assert not list((REPO / "infra").rglob(".terraform"))
    after = subprocess.run(["git", "status", "--porcelain", "infra"], cwd=REPO, capture_output=True, text=True).stdout
    assert before == after


def test_plan_cache_key_follows_module_sources(tmp_path):
    copy_stack(Sources.locate(None), tmp_path / "stack")
    key = tree_hash(tmp_path, "1.11.4")
    assert tree_hash(tmp_path, "1.11.4") == key
    assert tree_hash(tmp_path, "1.12.0") != key
    jobs = tmp_path / "stack" / "modules" / "glue" / "jobs.tf"
    jobs.write_text(jobs.read_text() + "\n# a change\n")
    assert tree_hash(tmp_path, "1.11.4") != key


def test_infra_dir_that_is_not_a_stack_is_one_clear_line(tmp_path):
    with pytest.raises(HarnessError, match=r"is not a checkout of infra/ \(needs main.tf and modules/glue\)"):
        Sources.locate(str(tmp_path))


def test_inventory_only_plans_the_named_instances_and_says_why_the_others_are_missing(tmp_path):
    sources, inventory = Sources.locate(None), load_inventory()
    workspace, left_out = build_unit_inventory(sources, inventory, tmp_path / "a", frozenset({"default"}))

    planned = json.loads((workspace / "main.tf.json").read_text())["module"]
    assert list(planned) == ["default"]
    assert "variant_no_egress" in left_out and "example_glue_in_vpc" in left_out, sorted(left_out)
    assert left_out["variant_no_egress"] == "variant_no_egress is not planned in this run (--inventory-only default)"
    with pytest.raises(HarnessError, match=r"^--inventory-only: no module instance nope in the inventory \(it has "):
        build_unit_inventory(sources, inventory, tmp_path / "b", frozenset({"default", "nope"}))


def test_suite_runs_against_another_module_checkout(tmp_path):
    # The release gate's use: the same suite on other module code (--infra-dir).
    # A checkout whose VPC turns DNS support off must turn the suite red. The same
    # checkout rewrites the line the no_egress variant patches: that variant's test
    # fails naming the variant and the file, while its sibling no_self_rule is still
    # planned and judged (it fails for the checkout's DNS, not for the broken patch).
    other = tmp_path / "checkout"
    shutil.copytree(REPO / "infra", other / "infra", ignore=shutil.ignore_patterns(".terraform*"))
    shutil.copytree(REPO / "glue_scripts", other / "glue_scripts")
    vpc = other / "infra" / "modules" / "vpc" / "main.tf"
    vpc.write_text(vpc.read_text().replace("enable_dns_support   = true", "enable_dns_support   = false"))
    group = other / "infra" / "modules" / "vpc" / "security_group.tf"
    group.write_text(
        group.read_text().replace("count = var.restrict_egress ? 0 : 1", "count = var.restrict_egress == true ? 0 : 1")
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rf",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            f"--infra-dir={other / 'infra'}",
            # What the selected tests judge, not the whole inventory: a cold plan of 3 instances, not 56.
            "--inventory-only=default,variant_no_egress,variant_no_self_rule",
            "tests/unit/test_rule_catalogue_on_scenarios.py",
            "-k",
            "(good_scenario_passes_every_rule and default and not named_bucket) or no_egress or no_self_rule",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        # Same plan cache as this session: keys are content hashes, so a warm run reuses this checkout's plan.
        env={**os.environ, "GLUE_NETCHECK_BENCH_NESTED": "1", "COLUMNS": "2000"},
    )
    out = result.stdout
    assert result.returncode == 1, out[-2000:]
    assert "GNET010" in out and "enable_dns_support off" in out, out[-3000:]
    # The finding is the failure message: rule id, resource, what, fix.
    assert "GNET010 [error] module.default.module.vpc.aws_vpc.this: enable_dns_support off" in out, out[-3000:]
    assert "3 failed" in out, out[-3000:]
    # "FAILED tests/...::test_x[param] - message": key each failure by its test's parameter.
    failed = {
        line.split()[1].rsplit("[", 1)[-1].rstrip("]"): line for line in out.splitlines() if line.startswith("FAILED")
    }
    assert (
        "variant no_egress: expected the text to patch exactly once in modules/vpc/security_group.tf"
        in (failed["no_egress"])
    )
    assert "no_self_rule: rules other than ['GNET006'] fired" in failed["no_self_rule"]


def test_terraform_errors_are_shown_whole():
    from harness.terraform import diagnostics_text

    long_error = "Error: Unsupported argument\n" + "context line\n" * 600 + "last line"
    assert diagnostics_text("", long_error) == long_error.strip()
    stream = (
        '{"type": "diagnostic", "diagnostic": {"severity": "error", "summary": "S", "detail": "' + "d" * 5000 + '"}}'
    )
    assert diagnostics_text(stream, "") == "- S: " + "d" * 5000


# --- issue 9 item 5: small harness fixes ---------------------------------------------------------


def test_hung_terraform_is_stopped_quickly_when_pytest_started_with_sigint_ignored(hanging_terraform):
    # `nohup pytest` and `pytest &` from a script start with SIGINT ignored; children inherit that
    # across exec, so the stand-in would ignore the harness's SIGINT and the stop would wait its
    # whole 30 s grace. Terraform's children must start with the default disposition.
    tfenv = make_terraform_env(hanging_terraform / "cli")
    tf = Terraform(hanging_terraform, tfenv, timeout=1.0, label="fixture-x", stop_grace=30)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        started = time.monotonic()
        with pytest.raises(TerraformTimeout):
            tf.run("apply", "-auto-approve")
        elapsed = time.monotonic() - started
    finally:
        signal.signal(signal.SIGINT, previous)
    assert elapsed < 15, f"took {elapsed:.0f}s: the stand-in ignored SIGINT and waited out the grace"
    pid = int((hanging_terraform / "pid").read_text())
    assert not _alive(pid)


def test_terraform_version_does_not_call_the_checkpoint_service(monkeypatch, tmp_path):
    script = tmp_path / "terraform"
    script.write_text(
        f'#!/bin/sh\necho "CHECKPOINT_DISABLE=$CHECKPOINT_DISABLE" > {tmp_path}/env\n'
        'echo \'{"terraform_version": "9.9.9"}\'\n'
    )
    script.chmod(0o755)
    monkeypatch.delenv("CHECKPOINT_DISABLE", raising=False)

    assert terraform_version(str(script)) == "9.9.9"
    assert (tmp_path / "env").read_text().strip() == "CHECKPOINT_DISABLE=1"


def test_missing_aws_profile_is_one_line(monkeypatch, tmp_path):
    (tmp_path / "config").write_text("[profile other]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_PROFILE", "sandbox-typo")
    monkeypatch.delenv("AWS_DEFAULT_PROFILE", raising=False)

    with pytest.raises(BackendRefused) as refused:
        aws_backend("us-east-1", allowed=["111111111111"])

    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(
        "refusing to deploy to AWS: profile 'sandbox-typo' (from AWS_PROFILE/AWS_DEFAULT_PROFILE)"
    )
    assert str(tmp_path / "config") in message


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"AWS_PROFILE": "sandbox"}, "sandbox"),
        ({"AWS_DEFAULT_PROFILE": "sandbox"}, "sandbox"),
        ({"AWS_PROFILE": "sandbox", "AWS_DEFAULT_PROFILE": "sandbox"}, "sandbox"),
        ({}, None),
    ],
)
def test_one_profile_is_resolved_for_boto3_and_terraform(env, expected):
    assert resolve_profile(env) == expected


def test_profiles_that_disagree_are_refused_in_one_line():
    with pytest.raises(BackendRefused) as refused:
        resolve_profile({"AWS_PROFILE": "prod", "AWS_DEFAULT_PROFILE": "sandbox"})
    message = str(refused.value)
    assert "\n" not in message
    assert "AWS_PROFILE=prod and AWS_DEFAULT_PROFILE=sandbox disagree" in message
    assert "boto3 would check sandbox, Terraform deploy with prod" in message


def test_aws_override_names_the_checked_account_and_the_resolved_profile():
    text = aws_provider_override_hcl("eu-west-1", ["111111111111"], "sandbox")
    assert 'allowed_account_ids = ["111111111111"]' in text
    assert 'profile             = "sandbox"' in text
    assert "access_key" not in text
    # Empty, it still replaces the root's own endpoints blocks (override merge): AWS's endpoints, as boto3's.
    assert "\n  endpoints {}\n" in text


# --- provider configurations the override does not cover (harness.provider_blocks) ---------------

ROOT_PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n'


@pytest.mark.parametrize(
    ("path", "text", "where", "what"),
    [
        (
            "modules/rogue/main.tf",
            '# its own provider\n\nprovider "aws" {}\n',
            "infra/modules/rogue/main.tf:3",
            'configures provider "aws" inside a module',
        ),
        ("extra.tf", 'provider "aws" {\n  alias = "b"\n}\n', "infra/extra.tf:1", 'configures provider "aws" alias "b"'),
        (
            "zz_mine_override.tf",
            'provider "aws" {\n  profile = "prod"\n\n  dynamic "assume_role" {\n    for_each = []\n    content {}\n  }\n}\n',
            "infra/zz_mine_override.tf:1",
            'sets assume_role, profile in provider "aws"',
        ),
        (
            "versions2.tf",
            'terraform {\n  required_providers {\n    amazon = { source = "hashicorp/aws" }\n  }\n}\n',
            "infra/versions2.tf:1",
            'names hashicorp/aws "amazon" in required_providers',
        ),
        (
            "cc.tf",
            'resource "awscc_s3_bucket" "b" {}\n',
            "infra/cc.tf:1",
            "declares resource awscc_s3_bucket, which implies",
        ),
        (
            "remote.tf",
            'module "m" {\n  source = "git::https://example.com/m.git"\n}\n',
            "infra/remote.tf:1",
            "calls module",
        ),
        ("out.tf", 'module "m" {\n  source = "../../elsewhere"\n}\n', "infra/out.tf:1", "calls module /"),
        (
            "x.tf.json",
            '{"provider": {"aws": [{"alias": "j"}]}}',
            "infra/x.tf.json",
            'configures provider "aws" alias "j"',
        ),
    ],
    ids=[
        "module-provider",
        "alias",
        "root-arguments",
        "second-local-name",
        "implied-provider",
        "remote",
        "outside",
        "json",
    ],
)
def test_a_provider_configuration_the_override_misses_is_refused_by_file_and_line(tmp_path, path, text, where, what):
    from harness.provider_blocks import ProviderRefused, refuse_uncovered_providers

    root = tmp_path / "infra"
    (root / "modules" / "rogue").mkdir(parents=True)
    (root / "main.tf").write_text(ROOT_PROVIDER + 'module "rogue" {\n  source = "./modules/rogue"\n}\n')
    (root / path).write_text(text)

    with pytest.raises(ProviderRefused) as refused:
        refuse_uncovered_providers(root)

    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"refusing to run infra/: {where} {what}"), message


def test_the_committed_roots_are_not_refused():
    from harness.paths import REPO
    from harness.provider_blocks import refuse_uncovered_providers
    from harness.vpc_stack import VPC_ROOT

    refuse_uncovered_providers(REPO / "infra")
    refuse_uncovered_providers(VPC_ROOT)


@pytest.mark.parametrize(
    ("marked", "root", "why"),
    [
        ("r1", "stack/infra", None),
        (None, "stack/infra", "{workdir}/.glue-netcheck-run is missing"),
        ("r2", "stack/infra", "{workdir}/.glue-netcheck-run names run 'r2', not r1"),
        ("r1", "elsewhere/infra", "its root {tmp}/elsewhere/infra is outside its workdir {workdir}"),
    ],
    ids=["its-own", "no-marker", "another-runs-marker", "root-outside"],
)
def test_the_sweeper_finishes_only_roots_the_harness_created_for_the_run(tmp_path, marked, root, why):
    from harness.journal import RunRecord, mark_workdir

    workdir = tmp_path / "stack"
    workdir.mkdir()
    if marked:
        mark_workdir(workdir, marked)
    record = RunRecord(tmp_path / "r1.json", {"run_id": "r1", "workdir": str(workdir), "root": str(tmp_path / root)})

    found = record.not_ours()

    assert found == why if why is None else found.startswith(why.format(workdir=workdir, tmp=tmp_path)), found


# --- --infra-dir DIR (space form) with a full project copy ---------------------------------------


def _project_copy(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(
        ".git", ".tox", ".cache", ".terraform*", "__pycache__", "*.tfstate*", ".pytest_cache"
    )
    shutil.copytree(REPO, dest, ignore=ignore)
    return dest


def test_sources_follow_the_infra_dir_option(sources, request):
    chosen = request.config.getoption("--infra-dir") or os.environ.get("INFRA_DIR") or REPO / "infra"
    print(f"sources.infra = {sources.infra}")
    assert sources.infra == Path(chosen).resolve()


def test_infra_dir_space_form_with_a_full_project_copy(tmp_path):
    copy = _project_copy(tmp_path / "copy")
    # Loading a conftest.py of the copy at all is the bug (a root conftest.py added --infra-dir a second time).
    conftest = copy / "conftest.py"
    conftest.write_text('raise RuntimeError("the copy\'s conftest.py was loaded")\n')
    base = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-p", "no:randomly"]
    env = {**os.environ, "GLUE_NETCHECK_BENCH_NESTED": "1"}
    env.pop("INFRA_DIR", None)

    with_paths = subprocess.run(
        [
            *base,
            "tests/machinery/test_harness.py::test_sources_follow_the_infra_dir_option",
            "--infra-dir",
            str(copy / "infra"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )

    out = with_paths.stdout + with_paths.stderr
    assert with_paths.returncode == 0, out[-3000:]
    assert "already added" not in out and "conftest.py was loaded" not in out
    assert f"sources.infra = {copy / 'infra'}" in out

    # No test paths: pytest picks its rootdir before any option is known, so DIR's project would
    # become the rootdir and run its own tests. One clear usage error instead.
    conftest.unlink()
    without_paths = subprocess.run(
        [*base, "--infra-dir", str(copy / "infra"), "-k", "test_sources_follow_the_infra_dir_option"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert without_paths.returncode == 4, (without_paths.stdout + without_paths.stderr)[-3000:]
    assert f"--infra-dir {copy / 'infra'}: pytest took the directory for a test path" in without_paths.stderr
    assert f"write --infra-dir={copy / 'infra'}" in without_paths.stderr


# --- the funnel: per-call limits, no process-wide state, a watchdog only where something is made --


def _stand_in(tmp_path: Path, monkeypatch, body: str) -> Path:
    script = tmp_path / "terraform"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    monkeypatch.setenv("TERRAFORM_BINARY", str(script))
    monkeypatch.delenv("TF_PLUGIN_MIRROR", raising=False)
    return tmp_path


# Writes the plan file `plan -out=FILE` names and shows it as JSON, as terraform does.
PLANS_AND_SHOWS = """case "$1" in
plan) for a; do case "$a" in -out=*) echo planned > "${a#-out=}";; esac; done ;;
show) echo '{"format_version": "1.2", "shown": "'"$(cat "$4")"'"}' ;;
esac
"""


def test_plan_json_leaves_the_process_wide_temporary_directory_alone(monkeypatch, tmp_path):
    # Other threads (the harness's watchers, xdist's) create temporary files while a plan runs:
    # they must not land in the plan's directory, removed when the plan ends.
    tf = Terraform(_stand_in(tmp_path, monkeypatch, PLANS_AND_SHOWS), make_terraform_env(tmp_path / "cli"))
    seen: list[str | None] = []
    funnel = Terraform.execute_command

    def recording(self, *args, **kw):
        seen.append(tempfile.tempdir)
        return funnel(self, *args, **kw)

    monkeypatch.setattr(Terraform, "execute_command", recording)
    before = tempfile.tempdir
    assert tf.plan_json() == {"format_version": "1.2", "shown": "planned"}
    assert seen == [before, before]


def test_a_timeout_given_to_a_call_is_that_call_s(hanging_terraform):
    tf = Terraform(hanging_terraform, make_terraform_env(hanging_terraform / "cli"), timeout=60, label="fixture-x")
    started = time.monotonic()
    with pytest.raises(TerraformTimeout) as exc:
        tf.apply(timeout=1.0)
    assert time.monotonic() - started < 15
    assert str(exc.value).startswith("`terraform apply -auto-approve -no-color -input=false` did not finish within 1s")


def test_only_the_commands_that_change_a_cloud_or_its_state_get_a_watchdog(monkeypatch, tmp_path):
    tf = Terraform(_stand_in(tmp_path, monkeypatch, PLANS_AND_SHOWS), make_terraform_env(tmp_path / "cli"))
    watched: list[str] = []

    class Recorded(harness.terraform.Watchdog):
        def __init__(self, pgid, grace, command, journal, root):
            watched.append(command)
            super().__init__(pgid, grace, command, journal, root)

    monkeypatch.setattr(harness.terraform, "Watchdog", Recorded)
    tf.init_offline()
    tf.run("validate", "-json")
    tf.plan_json()
    tf.output()
    tf.apply()
    tf.destroy()
    tf.run("apply", "plan.tfplan")
    assert watched == [
        "terraform apply -auto-approve -no-color -input=false",
        "terraform destroy -auto-approve -no-color",
        "terraform apply plan.tfplan",
    ]


# A plan whose provider waits on a cloud that never answers: the kernel's SIGINT must be enough.
HANGING_CLOUD_ROOT = """
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws" }}
  }}
}}
provider "aws" {{
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  endpoints {{
    sts = "http://127.0.0.1:{port}"
  }}
}}
data "aws_caller_identity" "current" {{}}
"""
PLANNER = """
from pathlib import Path
from harness.terraform import Terraform, make_terraform_env
d = Path({d!r})
tf = Terraform(d, make_terraform_env(d / "cli"), timeout=300)
tf.init_offline()
tf.run("plan", "-input=false", "-lock=false")
"""


@pytest.mark.skipif(not harness.terraform.HAS_PDEATHSIG, reason="elsewhere every command gets a watchdog")
def test_a_plan_of_a_killed_test_process_leaves_no_process_without_a_watchdog(tmp_path):
    if not os.environ.get("TF_PLUGIN_MIRROR"):
        pytest.skip("needs the provider (TF_PLUGIN_MIRROR)")
    cloud = socket.create_server(("127.0.0.1", 0))
    cloud.settimeout(120)
    (tmp_path / "main.tf").write_text(HANGING_CLOUD_ROOT.format(port=cloud.getsockname()[1]))
    runner = subprocess.Popen([sys.executable, "-c", PLANNER.format(d=str(tmp_path))], start_new_session=True)
    try:
        with cloud, cloud.accept()[0]:  # the provider's request is in flight and gets no answer
            groups = set(terraform_children(runner.pid))
            assert any(name.startswith("terraform-provi") for _, name in processes_in_groups(groups))
            assert not [pid for pid in descendants(runner.pid) if "harness.watchdog" in _cmdline(pid)]
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
            _wait_for(lambda: not processes_in_groups(groups), 60)
            left = processes_in_groups(groups)
            assert not left, f"left behind 60 s after the test process died: {left}"
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


# --- a test process that dies: terraform gets SIGINT, the watchdog kills what is left ------------

STAND_IN = """#!/bin/sh
echo $$ > {d}/pid
sleep 300 &
echo $! > {d}/provider
{trap}
wait
"""
# Stops on SIGINT as terraform does: says so on stdout, then saves its state (its "provider", a
# background job, ignores SIGINT and stays). Output into a pipe whose reader died would kill it by
# SIGPIPE before the state is saved, as happened to terraform (a 0-byte state).
STOPS_ON_SIGINT = "trap 'echo Interrupt received; echo saved > {d}/state; echo INT > {d}/got-int; exit 1' INT"
# Hangs through SIGINT: only the watchdog's SIGKILL ends it.
IGNORES_SIGINT = "trap 'echo INT > {d}/got-int' INT; while :; do wait; done"

RUNNER = """
from pathlib import Path
from harness.journal import Journal
from harness.terraform import Terraform, make_terraform_env
d = Path({d!r})
journal = Journal.create(d / "runs", "2601010000-abcdef-unit", root=str(d))
tf = Terraform(d, make_terraform_env(d / "cli"), timeout=300, journal=journal.path, stop_grace=2)
tf.run("apply", "-auto-approve")
"""


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.parametrize(
    ("trap", "how"),
    [
        (STOPS_ON_SIGINT, "terraform stopped by itself"),
        (IGNORES_SIGINT, "terraform still running after 2s grace: killed its process group"),
    ],
    ids=["stops-on-sigint", "ignores-sigint"],
)
def test_terraform_of_a_killed_test_process_is_stopped_and_journaled(monkeypatch, tmp_path, trap, how):
    script = tmp_path / "terraform"
    script.write_text(STAND_IN.format(d=tmp_path, trap=trap.format(d=tmp_path)))
    script.chmod(0o755)
    monkeypatch.setenv("TERRAFORM_BINARY", str(script))
    monkeypatch.delenv("TF_PLUGIN_MIRROR", raising=False)
    runner = subprocess.Popen([sys.executable, "-c", RUNNER.format(d=str(tmp_path))], start_new_session=True)
    try:
        assert _wait_for(lambda: (tmp_path / "provider").exists(), 30), "the stand-in never started"
        pids = {name: int((tmp_path / name).read_text()) for name in ("pid", "provider")}

        os.killpg(runner.pid, signal.SIGKILL)  # the test process dies; nothing of it can clean up
        runner.wait()

        gone = _wait_for(lambda: not any(_alive(p) for p in pids.values()), 20)
        assert gone, f"left behind: {[n for n, p in pids.items() if _alive(p)]}"
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    assert (tmp_path / "got-int").exists(), "terraform never got SIGINT when its parent died (or died writing)"
    if trap is STOPS_ON_SIGINT:
        assert (tmp_path / "state").read_text() == "saved\n"
    journal = (tmp_path / "runs" / "2601010000-abcdef-unit.json").read_text()
    assert _wait_for(lambda: how in (tmp_path / "runs" / "2601010000-abcdef-unit.json").read_text(), 10), journal
    assert (
        "watchdog: the test process died during `terraform apply -auto-approve`"
        in (tmp_path / "runs" / "2601010000-abcdef-unit.json").read_text()
    )


PROGRESS_CONFTEST = """
import os, time
import pytest
from harness import progress

def pytest_configure(config):
    if not (getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput")):
        progress.enable()
"""
PROGRESS_TEST = """
import time
from harness import progress

def test_{name}():
    with progress.stage("{name}", "apply"):
        time.sleep(2.5)
"""


def test_progress_lines_reach_the_terminal_from_xdist_workers_with_output_captured(tmp_path):
    """One line per stage with its stack and elapsed time, and a heartbeat inside it, from each worker."""
    (tmp_path / "conftest.py").write_text(PROGRESS_CONFTEST)
    for name in ("alpha", "beta"):
        (tmp_path / f"test_{name}.py").write_text(PROGRESS_TEST.format(name=name))
    env = {**os.environ, "GLUE_PROGRESS_HEARTBEAT": "1"}
    env.pop("GLUE_PROGRESS_T0", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "harness.pytest_plugin",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    for name in ("alpha", "beta"):
        mine = [line for line in lines if f"stack {name}: apply" in line]
        assert re.fullmatch(rf"\[gw[01] \+\d+s\] stack {name}: apply started", mine[0]), lines
        assert any(re.fullmatch(rf"\[gw[01] \+\d+s\] stack {name}: apply running for \d+s", m) for m in mine), lines
        assert re.fullmatch(rf"\[gw[01] \+\d+s\] stack {name}: apply done in [23]s", mine[-1]), lines


def test_measured_durations_are_written_once_and_read_by_run(tmp_path):
    """tox -e bench writes docs/timings.json and its table; ./run prints the line of its command."""
    from harness import timings

    data, table = tmp_path / "timings.json", tmp_path / "timings.md"
    assert timings.expect("./run integration", path=data) == ""  # never measured: nothing is made up
    timings.record({"./run integration": {"seconds": 612.4, "what": "100 tests on moto"}}, data, table)
    timings.record({"tox -e lint": {"seconds": 15.0, "what": "ruff, terraform, zizmor"}}, data, table)
    line = timings.expect("./run integration", path=data)
    assert line.startswith("expected: about 10 min (100 tests on moto; measured 20") and "docs/timings.md" in line
    assert timings.expect("./run tests", ["-e", "lint"], path=data).startswith("expected: about 15 s (ruff")
    assert "| `./run integration` | 10 min | 100 tests on moto |" in table.read_text()

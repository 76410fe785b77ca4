"""The harness fails in one clear line, kills hung terraform calls, and never writes to the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.errors import HarnessError, TerraformTimeout
from harness.terraform import Terraform, make_terraform_env
from harness.workspace import REPO, Sources, Variant, apply_patches, copy_stack, tree_hash

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
    without = make_terraform_env(tmp_path / "b").cli_config.read_text()
    assert "provider_installation" not in without and f'plugin_cache_dir = "{tmp_path / "cache"}"' in without


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
            "tests/unit/test_rule_catalogue_on_scenarios.py",
            "-k",
            "(good_scenario_passes_every_rule and default) or no_egress or no_self_rule",
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

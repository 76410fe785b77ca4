"""The README's CLI recipe runs as written, and ``glue-netcheck terraform`` fails fast and clearly.

The block under "Checking a plan or a deployed job yourself" that the README says runs as written is
taken from README.md each time and run line by line with bash, in a copy of infra/ and glue_scripts/
(the lines write files), with the installed ``glue-netcheck`` and this session's terraform CLI config
(the provider mirror, as a user's own ~/.terraformrc would give it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.paths import REPO
from harness.terraform import TerraformEnv
from harness.workspace import IGNORED

pytestmark = pytest.mark.unit

RUNS_AS_WRITTEN = "These lines run as written"


def readme_recipe() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text.split(RUNS_AS_WRITTEN, 1)
    assert len(after) == 2, f"README.md lost the block introduced by {RUNS_AS_WRITTEN!r}"
    block = re.search(r"```bash\n(.*?)```", after[1], re.S)
    assert block, "no ```bash block after the marker"
    lines = [line.split("  #", 1)[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


@pytest.fixture
def user_dir(tmp_path: Path, tfenv: TerraformEnv) -> tuple[Path, dict[str, str]]:
    for name in ("infra", "glue_scripts"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=IGNORED)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_VAR_", "AWS_"))}
    # The console script of this environment first on PATH, as after `pipx install`.
    env.update(PATH=f"{Path(sys.executable).parent}:{env['PATH']}", TF_CLI_CONFIG_FILE=str(tfenv.cli_config))
    return tmp_path, env


def test_readme_cli_lines_run_verbatim(user_dir: tuple[Path, dict[str, str]]) -> None:
    cwd, env = user_dir
    lines = readme_recipe()
    assert any(line.startswith("glue-netcheck terraform ") for line in lines), lines
    before = sorted(p.name for p in (cwd / "infra").iterdir())
    for line in lines:
        result = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{line}\nexit {result.returncode}\n{result.stdout[-2000:]}{result.stderr}"
        if line.startswith("glue-netcheck terraform "):
            # The verdict on the root stack as committed: every rule applied, no error.
            assert re.search(
                r"; 0 errors, \d+ warnings, \d+ unverifiable facts, \d+ notes$", result.stdout.splitlines()[-1]
            ), result.stdout
    assert sorted(p.name for p in (cwd / "infra").iterdir()) == before  # nothing left in the user's root


NEEDS_AWS_ROOT = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

resource "aws_glue_job" "etl" {
  name     = "etl-${data.aws_caller_identity.current.account_id}"
  role_arn = "arn:aws:iam::123456789012:role/glue"
  command {
    script_location = "s3://bucket/etl.py"
  }
}
"""


def test_offline_plan_of_a_root_that_reads_aws_names_the_data_source_in_seconds(
    tmp_path: Path, tfenv: TerraformEnv
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(NEEDS_AWS_ROOT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["TF_CLI_CONFIG_FILE"] = str(tfenv.cli_config)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "glue_netcheck.cli", "terraform", str(root), "--offline"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    took = time.monotonic() - started
    line = NEEDS_AWS_ROOT.splitlines().index('data "aws_caller_identity" "current" {}') + 1
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == (
        f"glue-netcheck: error: data.aws_caller_identity.current ({root}/main.tf:{line}) reads AWS while planning, "
        "which --offline cannot: plan with your AWS credentials (drop --offline), or run `glue-netcheck plan` on "
        "a plan made where AWS is reachable\n"
    )
    assert took < 60, f"took {took:.0f} s: the SDK retried"
    assert sorted(p.name for p in root.iterdir()) == ["main.tf"]  # no override, lock file or .terraform left


def test_terraform_command_without_terraform_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("")
    env = {**os.environ, "PATH": "/nonexistent", "TERRAFORM_BINARY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "glue_netcheck.cli", "terraform", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("glue-netcheck: error: terraform not found on PATH: install Terraform >= 1.9")
    assert result.stderr.count("\n") == 1

""".pre-commit-hooks.yaml: each hook's entry is this package's console script, called as pre-commit calls it
(entry, the hook's args, then the staged files that match ``files``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.cli_run import valid_plan, write_plan
from harness.paths import REPO

pytestmark = pytest.mark.cli

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}


def _console_script() -> str:
    candidate = Path(sys.executable).with_name("glue-netcheck")
    return str(candidate) if candidate.exists() else (shutil.which("glue-netcheck") or "")


def _call(hook: dict[str, Any], files: list[str], args: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    program, *entry_args = hook["entry"].split()
    assert program == "glue-netcheck", hook
    script = _console_script()
    if not script:
        pytest.skip("glue-netcheck is not installed in this environment (tox installs it)")
    command = [script, *entry_args, *(args or []), *(files if hook.get("pass_filenames", True) else [])]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_the_plan_hook_checks_every_staged_plan_and_fails_on_findings(tmp_path: Path) -> None:
    hook = HOOKS["glue-netcheck-plan"]
    staged = ["plans/plan.json", "plan-prod.json", "infra/main.tf", "docs/planning.json"]
    assert [f for f in staged if re.search(hook["files"], f)] == ["plans/plan.json", "plan-prod.json"]
    first = write_plan(tmp_path, valid_plan(), "plan.json")
    second = write_plan(tmp_path, valid_plan(), "plan-prod.json")
    clean = _call(hook, [first, second])
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.count("glue-netcheck: plan:") == 2  # one report per file
    failing = _call(hook, [first, second], ["--require-vpc", "s3-to-s3"])
    assert failing.returncode == 1


def test_the_terraform_hook_plans_the_root_its_args_name() -> None:
    hook = HOOKS["glue-netcheck-terraform"]
    assert hook["pass_filenames"] is False and re.search(hook["files"], "infra/main.tf")
    result = _call(hook, [], ["--help"])
    assert result.returncode == 0 and "--offline" in result.stdout

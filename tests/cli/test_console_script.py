"""The installed `glue-netcheck` command (console script from pyproject.toml) runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glue_netcheck.rules import CATALOGUE

pytestmark = pytest.mark.cli


@pytest.fixture(scope="module")
def console_script() -> str:
    # The script sits next to the interpreter of the environment the package is installed in.
    candidate = Path(sys.executable).with_name("glue-netcheck")
    script = str(candidate) if candidate.exists() else shutil.which("glue-netcheck")
    if script is None:
        pytest.skip("glue-netcheck is not installed in this environment (pip install -e .; tox installs it)")
    return script


def test_console_script_lists_the_catalogue(console_script: str) -> None:
    result = subprocess.run([console_script, "rules"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"{len(CATALOGUE)} rules"
    for rule_id in CATALOGUE.ids():
        assert f"\n{rule_id}  " in f"\n{result.stdout}"


def test_console_script_usage_error_is_one_line_exit_2(console_script: str) -> None:
    result = subprocess.run(
        [console_script, "plan", "/nonexistent/plan.json"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr

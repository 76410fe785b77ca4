"""Each module README lists exactly the module's inputs and outputs, with their defaults (python-hcl2).

The check is scripts/readme_tables.py (also run by `tox -e lint` and pre-commit, `--fix` rewrites the
tables); here it runs on the modules under test (--infra-dir: a release candidate's READMEs too).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.paths import REPO, SCRIPTS, load_module
from harness.workspace import Sources

pytestmark = pytest.mark.unit

readme_tables = load_module(SCRIPTS / "readme_tables.py")

MODULE_NAMES = sorted(p.name for p in readme_tables.modules(REPO / "infra"))


@pytest.fixture(params=MODULE_NAMES)
def module(request: pytest.FixtureRequest, sources: Sources) -> Path:
    return sources.infra / "modules" / request.param


def test_readme_lists_every_input_and_output(module: Path):
    assert readme_tables.check_module(module) == []


def test_readme_states_the_terraform_version_the_module_requires(module: Path):
    required = re.search(r'required_version\s*=\s*">=\s*([0-9.]+)"', (module / "versions.tf").read_text())
    assert required, f"{module.name}/versions.tf declares no required_version"
    assert f"Terraform >= {required.group(1)}" in (module / "README.md").read_text()


def test_a_stale_table_is_named_and_fixed(tmp_path: Path):
    module = tmp_path / "modules" / "vpc"
    shutil.copytree(REPO / "infra" / "modules" / "vpc", module)
    variables = module / "variables.tf"
    variables.write_text(variables.read_text().replace("default     = 365", "default     = 30"))
    readme = module / "README.md"
    readme.write_text("\n".join(line for line in readme.read_text().splitlines() if "`restrict_egress` |" not in line))

    problems = readme_tables.check_module(module)

    assert [p.split(": ", 1)[1] for p in problems] == [
        "Inputs table lacks `restrict_egress` (variable in vpc/*.tf); run `python scripts/readme_tables.py --fix`",
        "`flow_logs_retention_days` default is `365` in the table but `30` in HCL; run "
        "`python scripts/readme_tables.py --fix`",
    ]
    assert readme_tables.fix_module(module) is True
    assert readme_tables.check_module(module) == []
    assert "| `flow_logs_retention_days` | number | `30` |" in readme.read_text()


@pytest.mark.parametrize("module", ["vpc", "glue"])
def test_module_readme_shows_how_to_consume_a_release(module: str) -> None:
    text = (REPO / "infra" / "modules" / module / "README.md").read_text()
    assert f'source = "git::https://github.com/<owner>/<repo>.git//infra/modules/{module}?ref=vX.Y.Z"' in text

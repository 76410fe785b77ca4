"""Each module README lists exactly the module's inputs and outputs (no Terraform needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.workspace import REPO

pytestmark = pytest.mark.unit

MODULES = sorted(p for p in (REPO / "infra" / "modules").iterdir() if (p / "variables.tf").is_file())


def declared(module: Path, kind: str) -> set[str]:
    text = "".join(p.read_text() for p in sorted(module.glob("*.tf")))
    return set(re.findall(rf'^{kind} "([^"]+)"', text, re.M))


def table_names(readme: str, heading: str) -> set[str]:
    """Backticked names in the first column of the table under ``## <heading>``."""
    section = readme.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for row in re.findall(r"^\| ([^|]+)\|", section, re.M):
        names.update(re.findall(r"`([A-Za-z0-9_]+)`", row))
    return names


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_readme_lists_every_input_and_output(module: Path):
    readme = (module / "README.md").read_text()
    assert table_names(readme, "Inputs") == declared(module, "variable"), f"{module.name}/README.md: Inputs table"
    assert table_names(readme, "Outputs") == declared(module, "output"), f"{module.name}/README.md: Outputs table"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_readme_states_the_terraform_version_the_module_requires(module: Path):
    required = re.search(r'required_version\s*=\s*">=\s*([0-9.]+)"', (module / "versions.tf").read_text())
    assert required, f"{module.name}/versions.tf declares no required_version"
    assert f"Terraform >= {required.group(1)}" in (module / "README.md").read_text()

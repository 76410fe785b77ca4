"""One hashicorp/aws policy in every versions.tf, the CI matrix derived from it, and lock files inside it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.paths import REPO, load_module

pytestmark = pytest.mark.unit

SCRIPT = REPO / "scripts" / "provider_matrix.py"
provider_matrix = load_module(SCRIPT)

RELEASED = ["6.3.0-beta1", "6.2.0", "6.0.0", "5.100.0", "5.99.1", "5.40.0", "4.67.0"]
LOCKED_ROOTS = ["infra", "infra/examples/glue-in-vpc", "infra/examples/vpc-nat"]


def test_every_versions_tf_states_the_one_policy() -> None:
    assert provider_matrix.policy(REPO / "infra") == ">= 5.100.0, < 6.0.0"


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        (">= 5.100.0, < 6.0.0", ["5.100.0"]),
        (">= 5.40.0, < 7.0.0", ["5.40.0", "5.100.0", "6.2.0"]),  # floor, newest 5.x, newest 6.x (no beta)
    ],
)
def test_matrix_is_the_floor_and_the_newest_of_each_accepted_major(constraint: str, expected: list[str]) -> None:
    assert provider_matrix.matrix(constraint, RELEASED) == expected


def test_a_policy_in_two_versions_and_an_unreleased_floor_are_refused(tmp_path: Path) -> None:
    infra = tmp_path / "infra"
    shutil.copytree(REPO / "infra", infra, ignore=shutil.ignore_patterns(".terraform*"))
    other = infra / "modules" / "vpc" / "versions.tf"
    other.write_text(other.read_text().replace('">= 5.100.0, < 6.0.0"', '">= 5.40.0, < 7.0.0"'))
    with pytest.raises(provider_matrix.PolicyError, match="the versions.tf files disagree on hashicorp/aws"):
        provider_matrix.policy(infra)
    with pytest.raises(provider_matrix.PolicyError, match="floor 5.41.0 is not a released"):
        provider_matrix.matrix(">= 5.41.0, < 6.0.0", RELEASED)


def test_pin_makes_every_root_and_module_run_exactly_one_version(tmp_path: Path) -> None:
    infra = tmp_path / "infra"
    shutil.copytree(REPO / "infra", infra, ignore=shutil.ignore_patterns(".terraform*"))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--infra-dir", str(infra), "pin", "5.100.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert provider_matrix.policy(infra) == "= 5.100.0"
    refused = subprocess.run([sys.executable, str(SCRIPT), "pin", "6.2.0"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert refused.stderr == "provider_matrix: 6.2.0 is outside the policy '>= 5.100.0, < 6.0.0'\n"


@pytest.mark.parametrize("root", LOCKED_ROOTS)
def test_committed_lock_pins_a_version_inside_the_policy(root: str) -> None:
    """The root and the examples ship their lock file; CI (providers lock, every platform) keeps it whole."""
    text = (REPO / root / ".terraform.lock.hcl").read_text()
    version = re.search(r'provider "registry.terraform.io/hashicorp/aws" \{\s*version\s*=\s*"([^"]+)"', text)
    assert version, text
    floor, ceiling = provider_matrix.bounds(provider_matrix.policy(REPO / "infra"))
    assert provider_matrix._key(floor) <= provider_matrix._key(version.group(1)) < (ceiling,)
    assert re.search(r'constraints\s*=\s*">= 5.100.0, < 6.0.0"', text), "lock made from another policy"


def test_matrix_command_reads_the_registry_answer(tmp_path: Path) -> None:
    answer = tmp_path / "versions.json"
    answer.write_text(json.dumps({"versions": [{"version": v} for v in RELEASED]}))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "matrix", "--versions", str(answer)], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, '["5.100.0"]\n'), result.stderr

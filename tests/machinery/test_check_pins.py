"""scripts/check_pins.py: every action pinned by full SHA with its release, and the SHA checked upstream."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.paths import REPO, SCRIPTS, load_module

pytestmark = pytest.mark.unit

check_pins = load_module(SCRIPTS / "check_pins.py")

SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1"
OTHER = "de0fac2e4500dabe0009e67214ff5f5447ce83dd"


def test_this_repository_pins_every_action() -> None:
    pins, problems = check_pins.scan([REPO / ".github" / "workflows", REPO / "action.yml"])
    assert problems == []
    assert {p.repo for p in pins} >= {"actions/checkout", "github/codeql-action", "hashicorp/setup-terraform"}


def test_unpinned_or_uncommented_uses_are_named(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.yml"
    workflow.write_text(
        "steps:\n"
        "  - uses: actions/checkout@v7\n"
        f"  - uses: actions/checkout@{SHA}\n"
        f"  - uses: actions/checkout@{SHA[:12]} # v7.0.1\n"
        f"  - uses: github/codeql-action/upload-sarif@{SHA} # v4.37.9\n"
        "  - uses: ./\n"
    )
    pins, problems = check_pins.scan([workflow])
    assert problems == [
        f"{workflow}:2: actions/checkout@v7 is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)",
        f"{workflow}:3: actions/checkout@{SHA} has no '# vX.Y.Z' comment naming the release it pins",
        f"{workflow}:4: actions/checkout@{SHA[:12]} is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)",
    ]
    assert [(p.repo, p.release) for p in pins] == [("github/codeql-action", "v4.37.9")]


def test_verify_follows_annotated_tags_and_names_a_wrong_sha(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.yml"
    workflow.write_text(f"- uses: actions/checkout@{SHA} # v7.0.1\n- uses: owner/gone@{SHA} # v1.0.0\n")
    listings = {
        # An annotated tag: the tag object first, the commit it names on the ^{} line.
        ("actions/checkout", "v7.0.1"): f"{OTHER}\trefs/tags/v7.0.1\n{SHA}\trefs/tags/v7.0.1^{{}}\n",
        ("owner/gone", "v1.0.0"): "",
    }
    pins, _ = check_pins.scan([workflow])
    assert check_pins.verify(pins, lambda repo, tag: listings[(repo, tag)]) == [
        f"{workflow}:2: github.com/owner/gone has no tag v1.0.0"
    ]
    listings[("actions/checkout", "v7.0.1")] = f"{OTHER}\trefs/tags/v7.0.1\n"  # lightweight, another commit
    assert check_pins.verify(pins[:1], lambda repo, tag: listings[(repo, tag)]) == [
        f"{workflow}:1: actions/checkout@{SHA} is not v7.0.1, which is {OTHER} upstream"
    ]

"""scripts/release_gate.py's decisions on plans and states, offline (the gate's runs are tests/gate)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from harness.paths import SCRIPTS, load_module

pytestmark = pytest.mark.unit

gate = load_module(SCRIPTS / "release_gate.py")

BUCKET = "module.glue_pipeline.aws_s3_bucket.data"


def change(address: str, rtype: str, actions: list[str], previous: str | None = None, **extra) -> dict:
    rc = {"address": address, "type": rtype, "mode": "managed", "change": {"actions": actions, **extra}}
    if previous:
        rc["previous_address"] = previous
    return rc


@pytest.mark.parametrize("actions", [["delete", "create"], ["create", "delete"]])
def test_a_stateful_replacement_is_refused_with_what_forces_it(actions):
    plan = {"resource_changes": [change(BUCKET, "aws_s3_bucket", actions, replace_paths=[["bucket"]])]}
    judged = gate.judge_upgrade_plan(plan)
    assert judged.violations == [f"{BUCKET} (aws_s3_bucket) would be replaced (actions {actions}; forces it: bucket)"]


def test_a_renamed_address_is_named_as_the_replacement_of_the_resource():
    plan = {
        "resource_changes": [
            change(BUCKET, "aws_s3_bucket", ["delete"]),
            change("module.glue_pipeline.aws_s3_bucket.pipeline_data", "aws_s3_bucket", ["create"]),
            change("module.vpc.aws_subnet.private[0]", "aws_subnet", ["no-op"]),
        ]
    }
    judged = gate.judge_upgrade_plan(plan)
    assert judged.removed == [BUCKET] and judged.added == ["module.glue_pipeline.aws_s3_bucket.pipeline_data"]
    (violation,) = judged.violations
    assert violation.startswith(f"{BUCKET} (aws_s3_bucket) would be destroyed and module.glue_pipeline.aws_s3_bucket")
    assert "renamed without a `moved` block" in violation


def test_a_moved_block_is_no_replacement_and_is_reported_as_a_move():
    plan = {"resource_changes": [change("module.glue_pipeline.aws_s3_bucket.new", "aws_s3_bucket", ["no-op"], BUCKET)]}
    judged = gate.judge_upgrade_plan(plan)
    assert judged.violations == [] and judged.moved == [(BUCKET, "module.glue_pipeline.aws_s3_bucket.new")]


def test_allow_replace_accepts_exactly_the_named_address():
    alias = "module.glue_pipeline.aws_kms_alias.this"
    plan = {
        "resource_changes": [
            change(alias, "aws_kms_alias", ["delete", "create"]),
            change("module.glue_pipeline.aws_kms_key.this", "aws_kms_key", ["delete"]),
        ]
    }
    judged = gate.judge_upgrade_plan(plan, allow_replace=[alias])
    assert judged.allowed == [alias]
    assert judged.violations == ["module.glue_pipeline.aws_kms_key.this (aws_kms_key) would be destroyed"]


def test_stateless_replacements_pass():
    rule = "module.vpc.aws_vpc_security_group_ingress_rule.glue_self_all_tcp"
    plan = {"resource_changes": [change(rule, "aws_vpc_security_group_ingress_rule", ["delete", "create"])]}
    assert gate.judge_upgrade_plan(plan).violations == []


def test_ids_are_compared_through_moves_and_a_lost_id_is_named():
    before = {BUCKET: "b-1", "module.vpc.aws_vpc.this": "vpc-1", "module.vpc.aws_subnet.private[0]": "subnet-1"}
    after = {"module.glue_pipeline.aws_s3_bucket.new": "b-1", "module.vpc.aws_vpc.this": "vpc-2"}
    problems = gate.changed_ids(before, after, [(BUCKET, "module.glue_pipeline.aws_s3_bucket.new")])
    assert problems == [
        "module.vpc.aws_subnet.private[0]: gone after the upgrade (was subnet-1)",
        "module.vpc.aws_vpc.this: id changed from vpc-1 to vpc-2",
    ]


def test_stateful_ids_keeps_the_stateful_types_of_a_states_ids():
    # The state's ids, modules walked and data sources left out, are StackLifecycle.state_ids'
    # (tests/integration/test_stack_upgrade.py); the gate keeps the resources whose loss it refuses.
    ids = {
        BUCKET: "b",
        "module.glue_pipeline.aws_s3_object.script": "o",
        'module.vpc.aws_subnet.private["a"]': "subnet-1",
        "aws_kms_key.root": "k",
    }
    assert gate.stateful_ids(ids) == {
        BUCKET: "b",
        'module.vpc.aws_subnet.private["a"]': "subnet-1",
        "aws_kms_key.root": "k",
    }


def test_the_summary_and_junit_name_the_failed_stage_and_what_was_not_run():
    report = gate.GateReport("v1.1.0", "a" * 40, "v1.0.0", "b" * 40)
    report.stages = [gate.Stage("unit", True, 3.0), gate.Stage("integration", False, 4.0, "rule GNET006 (x) failed")]
    text = gate.markdown(report)
    assert "**FAILED at stage integration: rule GNET006 (x) failed**" in text
    assert "| upgrade | not run | - |" in text
    junit = gate.junit_xml(report)
    assert 'failures="1"' in junit and 'skipped="1"' in junit and 'message="rule GNET006 (x) failed"' in junit


def test_default_baseline_is_the_newest_v_tag_before_the_candidate_else_its_parent(tmp_path: Path):
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    for n in range(3):
        (tmp_path / "f").write_text(str(n))
        git("add", "f")
        git("commit", "-qm", f"c{n}")
    assert gate.default_baseline(tmp_path, "HEAD") == ("HEAD^", gate.FIRST_RELEASE_NOTE)
    git("tag", "v1.0.0", "HEAD~2")
    git("tag", "v1.1.0", "HEAD")
    # The candidate's own tag is not its baseline.
    assert gate.default_baseline(tmp_path, "v1.1.0") == ("v1.0.0", "")
    with pytest.raises(gate.GateError, match="'nope' is not a commit"):
        gate.resolve(tmp_path, "nope")


def test_a_first_release_says_what_it_was_compared_to():
    report = gate.GateReport("HEAD", "a" * 40, "HEAD^", "b" * 40, baseline_note=gate.FIRST_RELEASE_NOTE)
    report.release_tag = "v0.1.0"
    lines = gate.markdown(report).splitlines()
    assert (
        "No earlier `v*` tag: this is the first release, so the baseline is the candidate's parent commit"
        in (lines[lines.index(gate.FIRST_RELEASE_NOTE)])
    )
    assert "Release v0.1.0: tag and GitHub release are made only if this gate passed." in lines


def test_the_release_workflow_refuses_a_bad_tag_an_existing_one_a_commit_off_the_branch_and_no_changelog(
    tmp_path: Path,
):
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, text=True).stdout

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## 1.2.0\n\n- x\n\n## 1.1.0\n")
    git("add", "CHANGELOG.md")
    git("commit", "-qm", "release 1.2.0")
    git("tag", "v1.1.0")
    head = git("rev-parse", "HEAD").strip()
    git("checkout", "-qb", "side")
    (tmp_path / "f").write_text("side")
    git("add", "f")
    git("commit", "-qm", "off the branch")
    side = git("rev-parse", "HEAD").strip()
    git("checkout", "-q", "main")

    gate.check_release(tmp_path, "v1.2.0", head)  # a new tag, on the branch, with its section: accepted
    for tag, sha, message in [
        ("1.2.0", head, "is not a version tag vMAJOR.MINOR.PATCH"),
        ("v1.1.0", head, "tag v1.1.0 exists already"),
        ("v1.2.0", side, "is not on the checked-out branch"),
        ("v1.3.0", head, "has no '## 1.3.0' section"),
    ]:
        with pytest.raises(gate.GateError, match=re.escape(message)):
            gate.check_release(tmp_path, tag, sha)

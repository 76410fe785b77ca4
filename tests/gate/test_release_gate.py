"""The gate's three runs on real refs: harmless passes, a lost self-ingress rule and a renamed bucket fail.

The failing candidates stop at their first failing stage; the report (stdout, Markdown, JUnit) names
the stage and the rule or the resource.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gate, pytest.mark.slow]

# The unit stage, restricted for these tests (a release runs the whole suite, about 2-3 minutes cold):
# the default stack through the rule catalogue, planned alone (the batch of every scenario and variant
# is tox -e unit's; planning it here cost about 40 s a run).
UNIT_SUBSET = ("--unit-select", "test_good_scenario_passes_every_rule[default]", "--unit-inventory", "default")
# The integration stage, restricted for these tests (a release runs the whole suite): the root stack
# as committed, planned against the embedded moto through its own provider block.
INTEGRATION_SUBSET = "test_endpoint_url_variable_plans_against_the_emulator"
# The upgrade deploys the stack without the bucket's lifecycle rules: the provider waits about 55 s per
# apply for them (three consistent reads, 10 s apart), and no check here is about them (test_good_stack
# deploys them; a release deploys the defaults).
UPGRADE_VARS = ("--upgrade-var", "enable_lifecycle_rules=false")

# The integration stage for a test about the upgrade path: StackStages on a stand-in lifecycle.
STAND_IN_STAGES = "test_a_clean_destroy_runs_every_after_destroy_check"

SELF_INGRESS = re.compile(r'resource "aws_vpc_security_group_ingress_rule" "glue_self_all_tcp" \{.*?\n\}\n', re.S)


def test_harmless_commit_passes_every_stage(commit_on, run_gate):
    def edit(checkout: Path) -> None:
        readme = checkout / "README.md"
        readme.write_text(readme.read_text() + "\nA harmless line.\n")

    candidate = commit_on("docs: a harmless line", edit)

    run = run_gate(candidate, *UNIT_SUBSET, "--integration-select", INTEGRATION_SUBSET, *UPGRADE_VARS)

    assert run.code == 0, run.output
    # Default baseline: the newest v* tag before the candidate.
    assert f"Release gate: {candidate} ({candidate[:10]}) against v0.1.0 (" in run.summary
    assert "**PASSED**" in run.summary
    for stage in ("unit", "integration", "upgrade"):
        assert f"| {stage} | passed |" in run.summary, run.summary
    assert "No resource added, removed or moved." in run.summary
    assert "kept their ids" in run.summary and "re-plan after the upgrade: no changes" in run.summary
    assert 'failures="0"' in run.junit and "<skipped" not in run.junit


def test_removed_self_ingress_rule_fails_at_unit_naming_the_rule(commit_on, run_gate):
    def edit(checkout: Path) -> None:
        path = checkout / "infra" / "modules" / "vpc" / "security_group.tf"
        text, removed = SELF_INGRESS.subn("", path.read_text())
        assert removed == 1, "the self-ingress rule's resource block was not found: update this test's pattern"
        path.write_text(text)

    candidate = commit_on("vpc: drop the self-referencing ingress rule", edit)

    run = run_gate(candidate, "--baseline", "v0.1.0", *UNIT_SUBSET)

    assert run.code == 1, run.output
    assert (
        "FAILED at stage unit: rule GNET006 (A connection security group admits all TCP ports from the connection's own ENIs)"
        in run.output
    )
    assert "| unit | FAILED |" in run.summary and "| integration | not run |" in run.summary
    assert '<testcase classname="release_gate" name="integration"' in run.junit
    assert run.junit.count("<skipped") == 2 and "GNET006" in run.junit


def test_renamed_bucket_without_moved_block_fails_the_upgrade_naming_the_replacement(commit_on, run_gate):
    def edit(checkout: Path) -> None:
        for path in (checkout / "infra" / "modules" / "glue").glob("*.tf"):
            text = path.read_text()
            renamed = text.replace('resource "aws_s3_bucket" "data"', 'resource "aws_s3_bucket" "pipeline_data"')
            renamed = renamed.replace("aws_s3_bucket.data.", "aws_s3_bucket.pipeline_data.")
            path.write_text(renamed)

    candidate = commit_on("glue: rename the data bucket's address (no moved block)", edit)

    # The unit stage on the candidate's READMEs only (no plan), the integration stage on stand-ins (no
    # terraform, no moto): this test is about the upgrade path.
    selected = ("--unit-select", "test_module_readmes", "--integration-select", STAND_IN_STAGES)
    run = run_gate(candidate, *selected, *UPGRADE_VARS)

    assert run.code == 1, run.output
    old, new = "module.glue_pipeline.aws_s3_bucket.data", "module.glue_pipeline.aws_s3_bucket.pipeline_data"
    assert (
        f"FAILED at stage upgrade: {old} (aws_s3_bucket) would be destroyed and {new} created in its place: "
        "a replacement of the aws_s3_bucket" in run.output
    )
    assert "| unit | passed |" in run.summary and "| integration | passed |" in run.summary
    assert f"- removed `{old}`" in run.summary and f"- added `{new}`" in run.summary
    # The baseline it deployed was destroyed and leak-checked (a leak would have been the stage's failure).
    assert "upgrade: phase destroy end" in run.output and "upgrade: phase leak_check end" in run.output

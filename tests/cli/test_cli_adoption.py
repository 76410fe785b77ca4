"""What another team's pipeline relies on: --version, --help, the exit-code switches, --output, the JSON
contract, and the plan path without boto3 (the ``live`` extra is only for ``glue-netcheck job``)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import glue_netcheck.cli
from glue_netcheck.catalogue import Catalogue, Severity
from harness.cli_run import JOB, one_error_line, run_cli, valid_plan, write_plan
from harness.report_schema import report_schema, validate_report

pytestmark = pytest.mark.cli


def test_version_names_the_installed_distribution(capsys: Any) -> None:
    code, out, err = run_cli(capsys, "--version")
    assert (code, err) == (0, "")
    assert out == f"glue-netcheck {metadata.version('glue-netcheck')}\n"


def test_help_states_the_exit_codes_and_the_one_step_recipe(capsys: Any) -> None:
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    exit_codes = out.split("exit codes:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split()[0] for line in exit_codes] == ["0", "1", "2", "3"]
    assert "glue-netcheck terraform infra --offline" in out.split("examples:\n", 1)[1]


def _catalogue_of(*levels: str) -> Catalogue:
    """A catalogue whose rules report one finding each, of the given kinds, on every job."""
    catalogue = Catalogue()
    for number, level in enumerate(levels, start=901):
        severity = Severity.WARNING if level == "warning" else Severity.ERROR

        @catalogue.rule(f"GNET{number}", f"a {level}", "test source", "test fix", severity)
        def check(deployment: Any, report: Any, level: str = level) -> None:
            for job in deployment.jobs:
                if level == "unverifiable":
                    report.unverifiable(job, "a value known only after apply")
                else:
                    report.fail(job, f"a {level} finding")

    return catalogue


@pytest.mark.parametrize(
    ("levels", "fail_on", "code"),
    [
        (("warning", "unverifiable"), "error", 0),
        (("warning", "unverifiable"), "warning", 1),
        (("unverifiable",), "warning", 0),
        (("unverifiable",), "unverifiable", 1),
        (("error",), "error", 1),
    ],
    ids=[
        "warnings-pass-by-default",
        "fail-on-warning",
        "unverifiable-passes-fail-on-warning",
        "fail-on-unverifiable",
        "errors-fail",
    ],
)
def test_fail_on_sets_the_level_that_exits_1(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch, levels: tuple[str, ...], fail_on: str, code: int
) -> None:
    monkeypatch.setattr(glue_netcheck.cli, "catalogue", lambda: _catalogue_of(*levels))
    plan = write_plan(tmp_path, valid_plan())
    got, out, err = run_cli(capsys, "plan", plan, "--fail-on", fail_on, "--format", "json")
    assert (got, err) == (code, "")
    assert len(json.loads(out)["findings"]) == len(levels)


def test_soft_fail_exits_0_on_findings_but_not_on_unusable_input(tmp_path: Path, capsys: Any) -> None:
    plan = write_plan(tmp_path, valid_plan())
    code, out, _ = run_cli(capsys, "plan", plan, "--require-vpc", JOB, "--soft-fail")
    assert code == 0 and any(line.startswith(f"GNET001 error {JOB} (") for line in out.splitlines()), out
    code, _, err = run_cli(capsys, "plan", str(tmp_path / "missing.json"), "--soft-fail")
    assert code == 2 and one_error_line(err).startswith("cannot read plan file")


def test_output_writes_the_report_and_prints_its_summary(tmp_path: Path, capsys: Any) -> None:
    plan = write_plan(tmp_path, valid_plan())
    target = tmp_path / "results.sarif"
    code, out, err = run_cli(capsys, "plan", plan, "--require-vpc", JOB, "--format", "sarif", "--output", str(target))
    assert (code, err) == (1, "")
    assert json.loads(target.read_text())["runs"][0]["results"][0]["ruleId"] == "GNET001"
    assert out.endswith(f" (report: {target})\n") and out.count("\n") == 1
    code, _, err = run_cli(capsys, "plan", plan, "--output", str(tmp_path / "no" / "such" / "dir" / "r.txt"))
    assert code == 2 and one_error_line(err).startswith(f"cannot write --output {tmp_path}/no/such/dir/r.txt: ")


def test_json_report_carries_its_schema_and_tool_version(tmp_path: Path, capsys: Any) -> None:
    code, out, _ = run_cli(capsys, "plan", write_plan(tmp_path, valid_plan()), "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["schema_version"] == "1.0"
    assert doc["tool"] == {"name": "glue-netcheck", "version": metadata.version("glue-netcheck")}
    validate_report(doc)


def test_the_schema_refuses_what_it_does_not_promise(tmp_path: Path, capsys: Any) -> None:
    """So that the validation every JSON report gets in this suite (harness.session_reports) can fail."""
    good = _report_doc(tmp_path, capsys)
    for breaks in (
        lambda d: d.pop("schema_version"),
        lambda d: d["tool"].update(version=""),
        lambda d: d["findings"][0].update(status="failed"),
        lambda d: d["rules"].update(GNET001="ok"),
    ):
        doc = copy.deepcopy(good)
        breaks(doc)
        with pytest.raises(jsonschema.ValidationError):
            validate_report(doc)
    # The lead's planned finding field, and any other added field, stay valid.
    doc = copy.deepcopy(good)
    doc["findings"][0]["address"] = "module.glue.aws_glue_job.etl"
    doc["findings"][0]["new_field"] = 1
    validate_report(doc)
    jsonschema.Draft202012Validator.check_schema(report_schema())


def _report_doc(tmp_path: Path, capsys: Any) -> dict[str, Any]:
    _, out, _ = run_cli(capsys, "plan", write_plan(tmp_path, valid_plan()), "--require-vpc", JOB, "--format", "json")
    return json.loads(out)


def test_every_json_report_a_test_renders_is_validated() -> None:
    """conftest.py's autouse wrapper is in place here as in every test (it raises on a broken report)."""
    import glue_netcheck.formatters

    assert glue_netcheck.cli.format_json is glue_netcheck.formatters.format_json
    assert glue_netcheck.cli.format_json.__name__ == "checked"


NO_BOTO3 = """
import sys
sys.modules["boto3"] = None  # as on a machine where only `pip install glue-netcheck` ran
sys.modules["botocore"] = None
from glue_netcheck.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_plan_needs_no_boto3_and_job_names_the_live_extra(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, valid_plan())
    checked = subprocess.run([sys.executable, "-c", NO_BOTO3, "plan", plan], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    live = subprocess.run(
        [sys.executable, "-c", NO_BOTO3, "job", "etl", "--region", "eu-west-1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert live.returncode == 2
    assert live.stderr == (
        "glue-netcheck: error: `glue-netcheck job` reads AWS through boto3, which is not installed: "
        "pip install 'glue-netcheck[live]'\n"
    )


def test_the_wheel_declares_boto3_only_for_the_live_extra() -> None:
    requires = metadata.requires("glue-netcheck") or []
    boto = [r for r in requires if r.startswith("boto3")]
    assert boto and all('extra == "live"' in r or 'extra == "test"' in r for r in boto), requires
    assert any('extra == "live"' in r for r in boto)
    assert metadata.metadata("glue-netcheck")["License-Expression"] == "Apache-2.0"

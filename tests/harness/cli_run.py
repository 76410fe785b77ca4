"""Running ``glue-netcheck`` in-process and reading what it printed; the small valid plan the CLI tests break."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from glue_netcheck.cli import main

ERROR_PREFIX = "glue-netcheck: error: "
JOB = "s3-to-s3"


def valid_plan() -> dict[str, Any]:
    """A job that lists no connection and declares nothing: a plan `terraform show -json` could print."""
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            {
                "address": "aws_glue_job.etl",
                "mode": "managed",
                "type": "aws_glue_job",
                "name": "etl",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": {"name": JOB, "default_arguments": {"--job-language": "python"}, "tags": None},
                    "after_unknown": {"arn": True, "id": True, "tags_all": True},
                },
            }
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_glue_job.etl",
                        "mode": "managed",
                        "type": "aws_glue_job",
                        "name": "etl",
                        "provider_config_key": "aws",
                        "expressions": {"name": {"constant_value": JOB}},
                    }
                ]
            }
        },
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one ``glue-netcheck`` call."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    """The single error line on stderr, without the prefix; fails on anything else (a traceback, two lines)."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(ERROR_PREFIX), err
    return lines[0][len(ERROR_PREFIX) :]


def write_plan(tmp_path: Path, plan: Any, name: str = "plan.json") -> str:
    path = tmp_path / name
    path.write_text(plan if isinstance(plan, str) else json.dumps(plan))
    return str(path)


def findings(doc: dict[str, Any], status: str | None = None) -> set[tuple[str, str]]:
    """(rule id, resource) of the findings of a ``--format json`` report, optionally of one status."""
    return {(f["rule_id"], f["resource"]) for f in doc["findings"] if status is None or f["status"] == status}

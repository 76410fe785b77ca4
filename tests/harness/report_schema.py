"""The JSON report's published contract (glue_netcheck/report.schema.json, shipped in the wheel),
checked on every report a test renders (harness.session_reports wraps ``format_json``)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema


@cache
def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("glue_netcheck").joinpath("report.schema.json").read_text(encoding="utf-8"))


def validate_report(doc: dict[str, Any]) -> None:
    """Raises ``jsonschema.ValidationError`` naming the first field that breaks the schema."""
    jsonschema.Draft202012Validator(report_schema(), format_checker=jsonschema.FormatChecker()).validate(doc)

"""Input-contract checks shared by the Glue jobs: fail early with a message naming the problem.

Schema checks (:func:`require_columns`, :func:`require_types`) are metadata-only (no Spark job);
:func:`require_rows` runs one cheap action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyspark.sql import DataFrame
from pyspark.sql.types import DataType


class InputValidationError(ValueError):
    """Raised when an input dataset violates the job's input contract."""


def require_columns(df: DataFrame, required: Iterable[str], source: str) -> None:
    """Raise :class:`InputValidationError` listing every required column missing from ``df``."""
    present = set(df.columns)
    missing = [c for c in required if c not in present]
    if missing:
        raise InputValidationError(f"{source}: missing required column(s) {missing}; found columns {sorted(present)}")


def require_types(df: DataFrame, expected: Mapping[str, DataType], source: str) -> None:
    """Raise :class:`InputValidationError` naming each column whose Spark type is not as expected."""
    require_columns(df, expected, source)
    actual = {f.name: f.dataType for f in df.schema.fields}
    wrong = [
        f"{name} is {actual[name].simpleString()}, expected {dtype.simpleString()}"
        for name, dtype in expected.items()
        if actual[name] != dtype
    ]
    if wrong:
        raise InputValidationError(f"{source}: wrong column type(s): {'; '.join(wrong)}")


def require_rows(df: DataFrame, source: str) -> None:
    """Raise :class:`InputValidationError` if ``df`` has no columns or no rows."""
    if not df.columns:
        raise InputValidationError(f"{source}: input is empty (no header / no columns)")
    if df.isEmpty():
        raise InputValidationError(f"{source}: input contains no data rows")

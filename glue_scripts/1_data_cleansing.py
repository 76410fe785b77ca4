"""AWS Glue 5.0 job 1: cleanse raw customers -> partitioned Parquet + rejects Parquet.

Job arguments (Glue style ``--key value``):

* ``--JOB_NAME`` (required)
* ``--input_path`` (required): raw customers (file or prefix), columns per
  ``customer_cleansing.RAW_SCHEMA``.
* ``--input_format`` (optional, ``csv`` default, or ``json``): CSV must have a header row
  (RFC-4180 quoting, ``""`` escapes a quote); JSON is JSON-lines (one object per line).  Every
  value is read as a string (CSV: no inference; JSON: ``primitivesAsString``) and parsed later.
* ``--output_path`` (required): cleansed Parquet (``customer_cleansing.CLEANSED_SCHEMA``),
  partitioned by ``signup_year``; overwritten on every run.
* ``--rejects_path`` (required): rejects Parquet (``customer_cleansing.REJECTS_SCHEMA``);
  overwritten on every run and always written, even with zero rejects.

Failure modes (all raise, so the Glue run fails and nothing misleading is left behind):
empty input (no header or no data rows), missing or non-string raw column, malformed JSON
line(s), unknown ``--input_format``, or every row rejected (rejects are written first so they can
be inspected; the cleansed output is *not* written).

The business rules live in ``lib/customer_cleansing.py``; ``lib/*.py`` reach the job through
Glue's ``--extra-py-files``.  Locally the sibling ``lib/`` directory is put on ``sys.path``.
"""

from __future__ import annotations

import logging
import os
import sys

_LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib")
if os.path.isdir(_LIB) and _LIB not in sys.path:
    sys.path.insert(0, _LIB)

import customer_cleansing as cc  # noqa: E402
import glue_runtime  # noqa: E402
from df_checks import InputValidationError, require_rows  # noqa: E402

LOG = logging.getLogger("1_data_cleansing")

REQUIRED_ARGS = ("JOB_NAME", "input_path", "output_path", "rejects_path")
OPTIONAL_ARGS = {"input_format": "csv"}
INPUT_FORMATS = ("csv", "json")


def read_raw_customers(spark, path: str, input_format: str):
    """Read raw customers as all-string columns projected onto ``RAW_SCHEMA``; validate shape."""
    source = f"customers input {path!r} ({input_format})"
    if input_format == "csv":
        df = (
            spark.read.option("header", True)
            .option("inferSchema", False)
            .option("escape", '"')
            .option("mode", "PERMISSIVE")
            .csv(path)
        )
    elif input_format == "json":
        df = spark.read.option("primitivesAsString", True).option("mode", "PERMISSIVE").json(path)
        if "_corrupt_record" in df.columns:
            raise InputValidationError(f"{source}: contains malformed JSON line(s) (expected JSON-lines)")
    else:
        raise ValueError(f"--input_format must be one of {INPUT_FORMATS}, got {input_format!r}")
    require_rows(df, source)
    cc.validate_raw_customers(df)
    return df.select(*cc.RAW_COLUMNS)


def main(argv: list[str] | None = None) -> dict:
    args = glue_runtime.resolve_args(sys.argv if argv is None else argv, REQUIRED_ARGS, OPTIONAL_ARGS)
    input_format = args["input_format"].strip().lower()
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"--input_format must be one of {INPUT_FORMATS}, got {args['input_format']!r}")

    spark = glue_runtime.spark_session(args["JOB_NAME"])
    job = glue_runtime.init_job(args["JOB_NAME"], args)

    raw = read_raw_customers(spark, args["input_path"], input_format)
    normalised = cc.normalise_customers(raw).persist()
    try:
        counts = {r[0]: r[1] for r in normalised.groupBy("reject_reason").count().collect()}
        valid_rows = counts.pop(None, 0)
        by_reason = dict(sorted(counts.items()))
        rejected_rows = sum(by_reason.values())
        cc.select_rejects(normalised).write.mode("overwrite").parquet(args["rejects_path"])
        if valid_rows == 0:
            raise InputValidationError(
                f"all {rejected_rows} input row(s) were rejected {by_reason}; rejects written to "
                f"{args['rejects_path']}, cleansed output NOT written"
            )
        cleansed_rows = normalised.filter("reject_reason IS NULL").select("customer_id").distinct().count()
        (
            cc.select_cleansed(normalised)
            .write.mode("overwrite")
            .partitionBy(cc.PARTITION_COLUMN)
            .parquet(args["output_path"])
        )
    finally:
        normalised.unpersist()

    glue_runtime.commit_job(job)
    summary = {
        "input_rows": valid_rows + rejected_rows,
        "valid_rows": valid_rows,
        "rejected_rows": rejected_rows,
        "rejects_by_reason": by_reason,
        "cleansed_rows": cleansed_rows,
        "duplicates_dropped": valid_rows - cleansed_rows,
    }
    LOG.info("customer cleansing finished: %s", summary)
    return summary


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    LOG.setLevel(logging.INFO)
    main()

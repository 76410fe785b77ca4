"""AWS Glue 5.0 job 2: customer features (RFM, tenure, rolling spend, flags) -> Parquet.

Job arguments (Glue style ``--key value``):

* ``--JOB_NAME`` (required)
* ``--customers_path`` (required): cleansed customers Parquet written by job 1.
* ``--transactions_path`` (required): raw transactions CSV with header
  ``transaction_id, customer_id, amount, transaction_ts`` (all read as strings).
* ``--output_path`` (required): features Parquet (``customer_features.FEATURES_SCHEMA``),
  unpartitioned, overwritten on every run.
* ``--as_of_date`` (optional, ``YYYY-MM-DD``): feature reference date; absent or empty -> the
  maximum valid ``transaction_date``.

Failure modes (raise, nothing written): bad ``--as_of_date``; empty customers or transactions
input; missing/wrongly-typed column; duplicate ``customer_id`` in customers; no valid transaction
row at all; no customer signed up on or before the as-of date (would be an empty output).
Invalid transaction rows are otherwise dropped and counted per reason in the job log/summary.

Feature definitions live in ``lib/customer_features.py``.
"""

from __future__ import annotations

import logging
import os
import sys

_LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib")
if os.path.isdir(_LIB) and _LIB not in sys.path:
    sys.path.insert(0, _LIB)

import customer_features as cf  # noqa: E402
import glue_runtime  # noqa: E402
from df_checks import InputValidationError, require_rows  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

LOG = logging.getLogger("2_feature_engineering")

REQUIRED_ARGS = ("JOB_NAME", "customers_path", "transactions_path", "output_path")
OPTIONAL_ARGS = {"as_of_date": ""}


def read_customers(spark, path: str):
    source = f"customers input {path!r}"
    df = spark.read.parquet(path)
    require_rows(df, source)
    cf.validate_customers(df)
    dupes = df.groupBy("customer_id").count().filter(F.col("count") > 1).orderBy("customer_id").limit(5).collect()
    if dupes:
        raise InputValidationError(f"{source}: customer_id is not unique, e.g. {[(r[0], r[1]) for r in dupes]}")
    return df


def read_transactions(spark, path: str):
    source = f"transactions input {path!r}"
    df = (
        spark.read.option("header", True)
        .option("inferSchema", False)
        .option("escape", '"')
        .option("mode", "PERMISSIVE")
        .csv(path)
    )
    require_rows(df, source)
    cf.validate_raw_transactions(df)
    return df.select(*cf.RAW_TRANSACTION_COLUMNS)


def main(argv: list[str] | None = None) -> dict:
    args = glue_runtime.resolve_args(sys.argv if argv is None else argv, REQUIRED_ARGS, OPTIONAL_ARGS)
    as_of = cf.parse_as_of_date(args["as_of_date"].strip()) if args["as_of_date"].strip() else None

    spark = glue_runtime.spark_session(args["JOB_NAME"])
    job = glue_runtime.init_job(args["JOB_NAME"], args)

    customers = read_customers(spark, args["customers_path"])
    parsed = cf.parse_transactions(read_transactions(spark, args["transactions_path"])).persist()
    try:
        counts = {r[0]: r[1] for r in parsed.groupBy("invalid_reason").count().collect()}
        valid_rows = counts.pop(None, 0)
        by_reason = dict(sorted(counts.items()))
        if valid_rows == 0:
            raise InputValidationError(
                f"transactions input {args['transactions_path']!r}: no valid row, invalid by reason {by_reason}"
            )
        valid = cf.valid_transactions(parsed)
        if as_of is None:
            as_of = cf.default_as_of_date(valid)
        eligible = customers.filter(F.col("signup_date").isNull() | (F.col("signup_date") <= F.lit(as_of))).count()
        if eligible == 0:
            raise InputValidationError(f"no customer signed up on or before as_of_date {as_of}; nothing to write")
        cf.build_features(customers, valid, as_of).write.mode("overwrite").parquet(args["output_path"])
    finally:
        parsed.unpersist()

    glue_runtime.commit_job(job)
    summary = {
        "as_of_date": as_of.isoformat(),
        "transaction_rows": valid_rows + sum(by_reason.values()),
        "valid_transaction_rows": valid_rows,
        "invalid_transactions_by_reason": by_reason,
        "feature_rows": eligible,
    }
    LOG.info("feature engineering finished: %s", summary)
    return summary


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    LOG.setLevel(logging.INFO)
    main()

"""Customer feature engineering: pure ``DataFrame -> DataFrame`` transformations (no I/O).

Inputs
------
* customers (cleansed Parquet from job 1): needs ``customer_id`` (string, unique) and
  ``signup_date`` (date); other columns are ignored.
* raw transactions (CSV with header, every column a string, :data:`RAW_TRANSACTIONS_SCHEMA`):
  ``transaction_id, customer_id, amount, transaction_ts``.

Transaction parsing (:func:`parse_transactions`)
------------------------------------------------
All values are whitespace-trimmed (empty -> null).  ``amount`` must match :data:`AMOUNT_REGEX`
(optional sign, up to 15 integer digits, optional fraction; no currency symbols or thousands
separators) and becomes ``decimal(18,2)`` (more than 2 decimals rounded half-up).  Negative
amounts (refunds) are valid and reduce spend.  ``transaction_ts`` is ISO-8601 as for
``updated_at`` in ``customer_cleansing`` (no offset -> UTC); ``transaction_date`` is its UTC date.
A row is invalid (``invalid_reason``, first match wins): ``missing_transaction_id``,
``missing_customer_id``, ``invalid_amount``, ``invalid_transaction_ts``.  Invalid rows are
excluded from the features (the job logs their count per reason, and fails if *no* row is valid).
Duplicate ``transaction_id``s are collapsed to one row (earliest ``transaction_ts``, then smallest
``customer_id``, then smallest ``amount``).  Transactions whose ``customer_id`` is not in the
customers input are ignored.

Features as of date ``D`` (:func:`build_features`; output :data:`FEATURES_SCHEMA`)
--------------------------------------------------------------------------------
Only transactions with ``transaction_date <= D`` count.  Customers with ``signup_date > D`` did
not exist yet and are excluded; every other customer yields exactly one row.

* ``tenure_days`` = ``D - signup_date`` in days.
* ``frequency`` = number of transactions; ``monetary`` = sum of amounts;
  ``avg_order_value`` = ``round(monetary / frequency, 2)`` (half-up).
* ``first_txn_date`` / ``last_txn_date``; ``recency_days`` = ``D - last_txn_date``.
* ``spend_30d`` / ``spend_90d`` = sum of amounts with ``D - 29 <= transaction_date <= D`` /
  ``D - 89 <= transaction_date <= D`` (windows of 30 / 90 calendar days ending on and including D).
* ``is_active_30d``: at least one transaction in the 30-day window (``recency_days < 30``).
* ``is_high_value``: ``monetary >= HIGH_VALUE_THRESHOLD`` (1000.00).
* ``is_new_customer``: ``tenure_days < NEW_CUSTOMER_DAYS`` (30).

Customers without transactions: ``frequency = 0``, ``monetary = spend_30d = spend_90d = 0.00``,
``avg_order_value``, ``first_txn_date``, ``last_txn_date``, ``recency_days`` null,
``is_active_30d = is_high_value = false``.  The flags are never null.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from df_checks import InputValidationError, require_types
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import (
    BooleanType,
    DateType,
    DecimalType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

RAW_TRANSACTION_COLUMNS = ("transaction_id", "customer_id", "amount", "transaction_ts")
RAW_TRANSACTIONS_SCHEMA = StructType([StructField(c, StringType(), True) for c in RAW_TRANSACTION_COLUMNS])
CUSTOMER_INPUT_TYPES = {"customer_id": StringType(), "signup_date": DateType()}

MONEY = DecimalType(18, 2)
AMOUNT_REGEX = r"^[+-]?\d{1,15}(\.\d+)?$"
TS_REGEX = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:\d{2})?$"
HIGH_VALUE_THRESHOLD = Decimal("1000.00")
ACTIVE_WINDOW_DAYS = 30
LONG_WINDOW_DAYS = 90
NEW_CUSTOMER_DAYS = 30

INVALID_MISSING_TRANSACTION_ID = "missing_transaction_id"
INVALID_MISSING_CUSTOMER_ID = "missing_customer_id"
INVALID_AMOUNT = "invalid_amount"
INVALID_TRANSACTION_TS = "invalid_transaction_ts"

PARSED_TRANSACTIONS_SCHEMA = StructType(
    [
        StructField("transaction_id", StringType()),
        StructField("customer_id", StringType()),
        StructField("amount", MONEY),
        StructField("transaction_ts", TimestampType()),
        StructField("transaction_date", DateType()),
        StructField("invalid_reason", StringType()),
    ]
)

FEATURES_SCHEMA = StructType(
    [
        StructField("customer_id", StringType()),
        StructField("as_of_date", DateType()),
        StructField("signup_date", DateType()),
        StructField("tenure_days", IntegerType()),
        StructField("frequency", LongType()),
        StructField("monetary", MONEY),
        StructField("avg_order_value", MONEY),
        StructField("first_txn_date", DateType()),
        StructField("last_txn_date", DateType()),
        StructField("recency_days", IntegerType()),
        StructField("spend_30d", MONEY),
        StructField("spend_90d", MONEY),
        StructField("is_active_30d", BooleanType()),
        StructField("is_high_value", BooleanType()),
        StructField("is_new_customer", BooleanType()),
    ]
)

_DATE_ARG = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of_date(value: str) -> dt.date:
    """Strict ``YYYY-MM-DD`` -> ``date``; raises ``ValueError`` naming the bad value."""
    if not _DATE_ARG.match(value or ""):
        raise ValueError(f"--as_of_date must be YYYY-MM-DD, got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"--as_of_date is not a valid date: {value!r} ({exc})") from None


def _clean(col: Column) -> Column:
    stripped = F.regexp_replace(col, r"^[\s\u00A0]+|[\s\u00A0]+$", "")
    return F.when(stripped != "", stripped)


def validate_raw_transactions(raw: DataFrame) -> None:
    require_types(raw, {f.name: f.dataType for f in RAW_TRANSACTIONS_SCHEMA.fields}, "raw transactions")


def validate_customers(customers: DataFrame) -> None:
    require_types(customers, CUSTOMER_INPUT_TYPES, "customers")


def parse_transactions(raw: DataFrame) -> DataFrame:
    """Raw string transactions -> :data:`PARSED_TRANSACTIONS_SCHEMA` (all rows, with ``invalid_reason``)."""
    validate_raw_transactions(raw)
    amount_s = _clean(F.col("amount"))
    ts_s = _clean(F.col("transaction_ts"))
    df = raw.select(
        _clean(F.col("transaction_id")).alias("transaction_id"),
        _clean(F.col("customer_id")).alias("customer_id"),
        F.when(amount_s.rlike(AMOUNT_REGEX), amount_s.cast(MONEY)).alias("amount"),
        F.when(ts_s.rlike(TS_REGEX), F.try_to_timestamp(ts_s)).alias("transaction_ts"),
    )
    reason = (
        F.when(F.col("transaction_id").isNull(), F.lit(INVALID_MISSING_TRANSACTION_ID))
        .when(F.col("customer_id").isNull(), F.lit(INVALID_MISSING_CUSTOMER_ID))
        .when(F.col("amount").isNull(), F.lit(INVALID_AMOUNT))
        .when(F.col("transaction_ts").isNull(), F.lit(INVALID_TRANSACTION_TS))
    )
    return df.withColumn("transaction_date", F.to_date("transaction_ts")).withColumn("invalid_reason", reason)


def valid_transactions(parsed: DataFrame) -> DataFrame:
    """Valid rows of :func:`parse_transactions`, one per ``transaction_id`` (deterministic)."""
    order = Window.partitionBy("transaction_id").orderBy(
        F.col("transaction_ts").asc(), F.col("customer_id").asc(), F.col("amount").asc()
    )
    return (
        parsed.filter(F.col("invalid_reason").isNull())
        .withColumn("_rn", F.row_number().over(order))
        .filter(F.col("_rn") == 1)
        .drop("_rn", "invalid_reason")
    )


def default_as_of_date(transactions: DataFrame) -> dt.date:
    """Max ``transaction_date`` of (valid) transactions; runs a Spark action."""
    value = transactions.agg(F.max("transaction_date")).first()[0]
    if value is None:
        raise InputValidationError("cannot default --as_of_date: no valid transactions")
    return value


def build_features(customers: DataFrame, transactions: DataFrame, as_of_date: dt.date) -> DataFrame:
    """Per-customer features as of ``as_of_date`` (module doc); ``transactions`` = :func:`valid_transactions`."""
    validate_customers(customers)
    if not isinstance(as_of_date, dt.date) or isinstance(as_of_date, dt.datetime):
        raise TypeError(f"as_of_date must be a datetime.date, got {type(as_of_date).__name__}")
    d = F.lit(as_of_date)
    start_30 = F.date_sub(d, ACTIVE_WINDOW_DAYS - 1)
    start_90 = F.date_sub(d, LONG_WINDOW_DAYS - 1)
    txn_date = F.col("transaction_date")

    agg = (
        transactions.filter(txn_date <= d)
        .groupBy("customer_id")
        .agg(
            F.count(F.lit(1)).alias("frequency"),
            F.sum("amount").alias("monetary"),
            F.min(txn_date).alias("first_txn_date"),
            F.max(txn_date).alias("last_txn_date"),
            F.sum(F.when(txn_date >= start_30, F.col("amount"))).alias("spend_30d"),
            F.sum(F.when(txn_date >= start_90, F.col("amount"))).alias("spend_90d"),
        )
    )
    base = customers.select("customer_id", "signup_date").filter(
        F.col("signup_date").isNull() | (F.col("signup_date") <= d)
    )
    zero = F.lit(Decimal("0.00")).cast(MONEY)
    j = base.join(agg, on="customer_id", how="left")
    frequency = F.coalesce(F.col("frequency"), F.lit(0).cast("long"))
    monetary = F.coalesce(F.col("monetary").cast(MONEY), zero)
    tenure = F.datediff(d, F.col("signup_date"))
    recency = F.datediff(d, F.col("last_txn_date"))
    out = j.select(
        F.col("customer_id"),
        d.alias("as_of_date"),
        F.col("signup_date"),
        tenure.alias("tenure_days"),
        frequency.alias("frequency"),
        monetary.alias("monetary"),
        F.when(frequency > 0, F.round(F.col("monetary") / frequency, 2)).alias("avg_order_value"),
        F.col("first_txn_date"),
        F.col("last_txn_date"),
        recency.alias("recency_days"),
        F.coalesce(F.col("spend_30d").cast(MONEY), zero).alias("spend_30d"),
        F.coalesce(F.col("spend_90d").cast(MONEY), zero).alias("spend_90d"),
        F.coalesce(recency < ACTIVE_WINDOW_DAYS, F.lit(False)).alias("is_active_30d"),
        (monetary >= F.lit(HIGH_VALUE_THRESHOLD)).alias("is_high_value"),
        F.coalesce(tenure < NEW_CUSTOMER_DAYS, F.lit(False)).alias("is_new_customer"),
    )
    return out.select(*[F.col(f.name).cast(f.dataType).alias(f.name) for f in FEATURES_SCHEMA.fields])

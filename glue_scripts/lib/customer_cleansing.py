"""Customer cleansing: pure ``DataFrame -> DataFrame`` transformations (no I/O).

Raw input schema (CSV header or JSON-lines keys), schema-on-read, every column a string
---------------------------------------------------------------------------------------
``customer_id, first_name, last_name, email, phone, country, signup_date, updated_at``
(:data:`RAW_SCHEMA`).  Extra columns are ignored; a missing column or a non-string column raises
:class:`df_checks.InputValidationError` naming it.  Parsing into types happens here, not in the
reader, so a bad value never makes the reader drop or null a whole row.

Normalisation rules ("clean" = strip leading/trailing whitespace incl. tabs/NBSP; empty -> null)
---------------------------------------------------------------------------------------------
* ``customer_id``: clean (kept as a string; leading zeros are significant).
* ``first_name``/``last_name``: clean, collapse internal whitespace runs to one space, then
  Spark ``initcap`` (first letter of each space-separated word upper, the rest lower:
  ``"  mARY   ann "`` -> ``"Mary Ann"``).
* ``country``: clean, upper-case (``" gb"`` -> ``"GB"``).
* ``email``: clean, lower-case, then valid iff it matches :data:`EMAIL_REGEX`
  (dot-separated local-part atoms of ``[a-z0-9_%+-]``, one ``@``, dot-separated domain labels of
  ``[a-z0-9-]`` not starting/ending with ``-``, alphabetic TLD of >= 2 letters).
* ``phone``: clean; keep a leading ``+`` if the cleaned value starts with ``+``; drop every other
  non-digit character.  The result is kept only if it has 7..15 digits (E.164 maximum), else
  null.  An unusable phone never rejects a row.  ``"+44 (20) 7946-0958"`` -> ``"+442079460958"``.
* ``signup_date`` -> ``date``; accepted formats (:data:`SIGNUP_DATE_FORMATS`), month/day may
  have 1 or 2 digits except in ``yyyyMMdd``:
  ``yyyy-MM-dd`` (optionally followed by ``T``/space and ``HH:mm...``; the time is ignored),
  ``yyyy/MM/dd``, ``dd/MM/yyyy`` (day first; US month-first is NOT accepted), ``yyyyMMdd``.
  Impossible calendar dates (``2023-02-30``) are unparsable.
* ``updated_at`` -> ``timestamp``; ISO-8601 ``yyyy-MM-dd`` optionally followed by
  ``T``/space ``HH:mm[:ss[.fraction]]`` and an optional ``Z`` / ``+HH:MM`` offset.  Values without
  an offset are read in the session time zone (the jobs pin it to UTC).  Unparsable -> null
  (not a reject).

Rejects (one ``reject_reason`` per row; first matching rule wins, in this precedence)
------------------------------------------------------------------------------------
1. ``missing_customer_id`` - customer_id null/blank.
2. ``invalid_email`` - email null/blank or not matching :data:`EMAIL_REGEX`.
3. ``invalid_signup_date`` - signup_date null/blank or not parsable.
Reject rows carry the *original* raw strings (:data:`REJECTS_SCHEMA`) for investigation.

De-duplication
--------------
Valid rows are de-duplicated on ``customer_id``: the row with the latest ``updated_at`` wins
(null ``updated_at`` sorts last).  Ties are broken by the normalised columns ``signup_date``
DESC, then ``email, last_name, first_name, phone, country`` ASC (nulls last), so the survivor
does not depend on input order or partitioning; fully identical rows are interchangeable.
Superseded versions are dropped (they are not rejects).

Output
------
:data:`CLEANSED_SCHEMA` in this column order; ``signup_year`` (= year(signup_date), never null)
is last because the job writes Parquet partitioned by it.
"""

from __future__ import annotations

from typing import NamedTuple

from df_checks import require_types
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DateType, IntegerType, StringType, StructField, StructType, TimestampType

RAW_COLUMNS = (
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "country",
    "signup_date",
    "updated_at",
)
RAW_SCHEMA = StructType([StructField(c, StringType(), True) for c in RAW_COLUMNS])

EMAIL_REGEX = r"^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
PHONE_MIN_DIGITS = 7
PHONE_MAX_DIGITS = 15

# (format name, regex with groups, (year group, month group, day group))
SIGNUP_DATE_FORMATS = (
    ("yyyy-MM-dd[(T| )time]", r"^(\d{4})-(\d{1,2})-(\d{1,2})([T ]\d{2}:\d{2}\S*)?$", (1, 2, 3)),
    ("yyyy/MM/dd", r"^(\d{4})/(\d{1,2})/(\d{1,2})$", (1, 2, 3)),
    ("dd/MM/yyyy", r"^(\d{1,2})/(\d{1,2})/(\d{4})$", (3, 2, 1)),
    ("yyyyMMdd", r"^(\d{4})(\d{2})(\d{2})$", (1, 2, 3)),
)
UPDATED_AT_REGEX = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:\d{2})?$"

REJECT_MISSING_CUSTOMER_ID = "missing_customer_id"
REJECT_INVALID_EMAIL = "invalid_email"
REJECT_INVALID_SIGNUP_DATE = "invalid_signup_date"
REJECT_REASONS = (REJECT_MISSING_CUSTOMER_ID, REJECT_INVALID_EMAIL, REJECT_INVALID_SIGNUP_DATE)

CLEANSED_SCHEMA = StructType(
    [
        StructField("customer_id", StringType()),
        StructField("first_name", StringType()),
        StructField("last_name", StringType()),
        StructField("email", StringType()),
        StructField("phone", StringType()),
        StructField("country", StringType()),
        StructField("signup_date", DateType()),
        StructField("updated_at", TimestampType()),
        StructField("signup_year", IntegerType()),
    ]
)
PARTITION_COLUMN = "signup_year"
REJECTS_SCHEMA = StructType([*RAW_SCHEMA.fields, StructField("reject_reason", StringType())])

_RAW_PREFIX = "_raw_"
_WS = r"[\s\u00A0]"


class CleansingResult(NamedTuple):
    cleansed: DataFrame
    rejects: DataFrame


def clean_string(col: Column) -> Column:
    """Strip leading/trailing whitespace (incl. tabs, NBSP); empty string -> null."""
    stripped = F.regexp_replace(col, rf"^{_WS}+|{_WS}+$", "")
    return F.when(stripped != "", stripped)


def normalise_name(col: Column) -> Column:
    collapsed = F.regexp_replace(clean_string(col), rf"{_WS}+", " ")
    return F.initcap(collapsed)


def normalise_email(col: Column) -> Column:
    return F.lower(clean_string(col))


def is_valid_email(normalised_email: Column) -> Column:
    """Null-safe: null email -> False."""
    return F.coalesce(normalised_email.rlike(EMAIL_REGEX), F.lit(False))


def normalise_phone(col: Column) -> Column:
    cleaned = clean_string(col)
    digits = F.regexp_replace(cleaned, r"[^0-9]", "")
    n = F.length(digits)
    prefix = F.when(cleaned.startswith("+"), F.lit("+")).otherwise(F.lit(""))
    return F.when(n.between(PHONE_MIN_DIGITS, PHONE_MAX_DIGITS), F.concat(prefix, digits))


def parse_signup_date(col: Column) -> Column:
    """Parse ``col`` with :data:`SIGNUP_DATE_FORMATS`; null when blank, unmatched or impossible.

    Each format's regex extracts y/m/d which are rebuilt as a zero-padded ``yyyy-MM-dd`` string
    and parsed with ``try_to_timestamp``: null (never an exception, ANSI on or off) for impossible
    dates, and no Spark-3 "legacy parser" upgrade error since the input is always canonical.
    """
    cleaned = clean_string(col)
    parsed = None
    for _name, regex, (yg, mg, dg) in SIGNUP_DATE_FORMATS:
        canonical = F.format_string(
            "%04d-%02d-%02d",
            F.regexp_extract(cleaned, regex, yg).cast("int"),
            F.regexp_extract(cleaned, regex, mg).cast("int"),
            F.regexp_extract(cleaned, regex, dg).cast("int"),
        )
        candidate = F.when(cleaned.rlike(regex), F.try_to_timestamp(canonical, F.lit("yyyy-MM-dd")))
        parsed = candidate if parsed is None else parsed.when(cleaned.rlike(regex), candidate)
    return F.to_date(parsed)


def parse_updated_at(col: Column) -> Column:
    """ISO-8601 date/date-time (see module doc) -> timestamp; anything else -> null."""
    cleaned = clean_string(col)
    return F.when(cleaned.rlike(UPDATED_AT_REGEX), F.try_to_timestamp(cleaned))


def validate_raw_customers(raw: DataFrame) -> None:
    """Raise ``InputValidationError`` if a raw column is missing or not a string."""
    require_types(raw, {f.name: f.dataType for f in RAW_SCHEMA.fields}, "raw customers")


def normalise_customers(raw: DataFrame) -> DataFrame:
    """Typed, normalised columns + ``reject_reason`` (null for valid rows) + ``_raw_*`` originals."""
    validate_raw_customers(raw)
    df = raw.select(*[F.col(c).alias(_RAW_PREFIX + c) for c in RAW_COLUMNS])
    r = {c: F.col(_RAW_PREFIX + c) for c in RAW_COLUMNS}
    df = df.select(
        "*",
        clean_string(r["customer_id"]).alias("customer_id"),
        normalise_name(r["first_name"]).alias("first_name"),
        normalise_name(r["last_name"]).alias("last_name"),
        normalise_email(r["email"]).alias("email"),
        normalise_phone(r["phone"]).alias("phone"),
        F.upper(clean_string(r["country"])).alias("country"),
        parse_signup_date(r["signup_date"]).alias("signup_date"),
        parse_updated_at(r["updated_at"]).alias("updated_at"),
    )
    reason = (
        F.when(F.col("customer_id").isNull(), F.lit(REJECT_MISSING_CUSTOMER_ID))
        .when(~is_valid_email(F.col("email")), F.lit(REJECT_INVALID_EMAIL))
        .when(F.col("signup_date").isNull(), F.lit(REJECT_INVALID_SIGNUP_DATE))
    )
    return df.withColumn("reject_reason", reason)


def select_rejects(normalised: DataFrame) -> DataFrame:
    """Rows with a ``reject_reason``, as :data:`REJECTS_SCHEMA` (original raw strings)."""
    return normalised.filter(F.col("reject_reason").isNotNull()).select(
        *[F.col(_RAW_PREFIX + c).alias(c) for c in RAW_COLUMNS], "reject_reason"
    )


def deduplicate_latest(valid: DataFrame) -> DataFrame:
    """One row per ``customer_id``: latest ``updated_at``, deterministic tie-break (module doc)."""
    order = Window.partitionBy("customer_id").orderBy(
        F.col("updated_at").desc_nulls_last(),
        F.col("signup_date").desc_nulls_last(),
        F.col("email").asc_nulls_last(),
        F.col("last_name").asc_nulls_last(),
        F.col("first_name").asc_nulls_last(),
        F.col("phone").asc_nulls_last(),
        F.col("country").asc_nulls_last(),
    )
    return valid.withColumn("_rn", F.row_number().over(order)).filter(F.col("_rn") == 1).drop("_rn")


def select_cleansed(normalised: DataFrame) -> DataFrame:
    """Valid rows, de-duplicated, projected onto :data:`CLEANSED_SCHEMA`."""
    valid = normalised.filter(F.col("reject_reason").isNull())
    deduped = deduplicate_latest(valid)
    return deduped.select(
        *[
            (F.year("signup_date") if f.name == PARTITION_COLUMN else F.col(f.name)).cast(f.dataType).alias(f.name)
            for f in CLEANSED_SCHEMA.fields
        ]
    )


def cleanse_customers(raw: DataFrame) -> CleansingResult:
    """Full cleansing: ``raw`` (:data:`RAW_SCHEMA`) -> (cleansed, rejects).

    Callers running both outputs should ``persist()`` ``normalise_customers(raw)`` themselves
    and use :func:`select_cleansed` / :func:`select_rejects`; this wrapper is for convenience.
    """
    normalised = normalise_customers(raw)
    return CleansingResult(select_cleansed(normalised), select_rejects(normalised))

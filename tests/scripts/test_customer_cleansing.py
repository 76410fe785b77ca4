"""customer_cleansing: normalisation, parsing, rejects, de-dup, output schema (tiny hand-built data)."""

from __future__ import annotations

import datetime as dt

import customer_cleansing as cc
import pytest
from df_checks import InputValidationError
from pyspark.sql.types import IntegerType, StringType, StructField, StructType

# one JVM: with pytest-xdist run `--dist loadgroup` so these stay on one worker
pytestmark = [pytest.mark.scripts, pytest.mark.xdist_group("pyspark")]

VALID = {
    "customer_id": "C1",
    "first_name": "ann",
    "last_name": "lee",
    "email": "ann@example.com",
    "phone": "+44 20 7946 0958",
    "country": "gb",
    "signup_date": "2024-03-05",
    "updated_at": "2024-03-06T10:00:00Z",
}


def raw_df(spark, rows):
    """rows: list of dicts overriding VALID; every column a string (or None)."""
    data = [tuple({**VALID, **r}[c] for c in cc.RAW_COLUMNS) for r in rows]
    return spark.createDataFrame(data, cc.RAW_SCHEMA)


def normalised_rows(spark, rows):
    df = cc.normalise_customers(raw_df(spark, rows))
    return df.orderBy("_raw_customer_id").collect()


VALID_EMAILS = ["a_b%c-d@x-y.io", "o.k@sub.domain.com", "UPPER@CASE.ORG", "  John.Doe+X@Example.CO.UK \t"]
INVALID_EMAILS = [
    "no-at.example.com",
    "a@b",
    "a..b@x.com",
    ".a@x.com",
    "a.@x.com",
    "a@-x.com",
    "a@x.c",
    "a b@x.com",
    "a@@x.com",
    "a@x.com1",
    "",
    "   ",
    None,
]
PHONES = [
    ("+44 (20) 7946-0958", "+442079460958"),
    ("020 7946 0958", "02079460958"),
    ("123+456-7890", "1234567890"),  # only a *leading* + is kept
    (" +1.555.010.9999 ", "+15550109999"),
    ("1234567", "1234567"),  # 7 digits: minimum kept
    ("123456", None),  # 6 digits: too short
    ("123456789012345", "123456789012345"),  # 15 digits: maximum kept
    ("+1234567890123456", None),  # 16 digits: too long
    ("call me", None),
    (None, None),
]
SIGNUP_OK = [
    ("2024-03-05", dt.date(2024, 3, 5)),
    ("2024-3-5", dt.date(2024, 3, 5)),
    ("  2024-03-05T23:59:59Z ", dt.date(2024, 3, 5)),
    ("2024-03-05 10:11", dt.date(2024, 3, 5)),
    ("2024/03/05", dt.date(2024, 3, 5)),
    ("05/03/2024", dt.date(2024, 3, 5)),  # day first
    ("5/3/2024", dt.date(2024, 3, 5)),
    ("20240305", dt.date(2024, 3, 5)),
    ("2024-02-29", dt.date(2024, 2, 29)),
]
SIGNUP_BAD = [
    "2023-02-29",
    "2024-13-01",
    "31/02/2024",
    "03-05-2024",
    "12/31/2024",
    "March 5 2024",
    "2024-03-05x",
    "2024-03-05 garbage",
    "2024",
    "",
    None,
]
UPDATED_AT = [
    ("2024-03-01T10:00:00+02:00", dt.datetime(2024, 3, 1, 8, 0, 0)),
    ("2024-03-01 10:00:00.5", dt.datetime(2024, 3, 1, 10, 0, 0, 500000)),
    ("2024-03-01", dt.datetime(2024, 3, 1)),
    ("01/03/2024 10:00", None),
    ("2024", None),
    ("not a time", None),
]


@pytest.fixture(scope="module")
def cases(spark):
    """All single-field cases normalised in ONE Spark job; ``{customer_id: Row}``."""
    rows = []
    for field, values in [
        ("email", VALID_EMAILS + INVALID_EMAILS),
        ("phone", [raw for raw, _ in PHONES]),
        ("signup_date", [raw for raw, _ in SIGNUP_OK] + SIGNUP_BAD),
        ("updated_at", [raw for raw, _ in UPDATED_AT]),
    ]:
        rows += [{"customer_id": f"{field}:{value!r}", field: value} for value in values]
    return {r.customer_id: r for r in cc.normalise_customers(raw_df(spark, rows)).collect()}


def test_customer_id_trimmed_not_case_changed(spark):
    row = cc.normalise_customers(raw_df(spark, [{"customer_id": "  c-007 "}])).collect()[0]
    assert row.customer_id == "c-007"


def test_email_lowercased_and_trimmed(cases):
    row = cases[f"email:{VALID_EMAILS[-1]!r}"]
    assert row.email == "john.doe+x@example.co.uk"


@pytest.mark.parametrize("email", VALID_EMAILS)
def test_valid_emails_not_rejected(cases, email):
    assert cases[f"email:{email!r}"].reject_reason is None


@pytest.mark.parametrize("email", INVALID_EMAILS)
def test_invalid_emails_rejected(cases, email):
    assert cases[f"email:{email!r}"].reject_reason == cc.REJECT_INVALID_EMAIL


@pytest.mark.parametrize("raw, expected", PHONES)
def test_phone_normalisation(cases, raw, expected):
    row = cases[f"phone:{raw!r}"]
    assert row.phone == expected
    assert row.reject_reason is None  # a bad phone never rejects


@pytest.mark.parametrize("raw, expected", SIGNUP_OK)
def test_signup_date_accepted_formats(cases, raw, expected):
    row = cases[f"signup_date:{raw!r}"]
    assert row.signup_date == expected
    assert row.reject_reason is None


@pytest.mark.parametrize("raw", SIGNUP_BAD)
def test_signup_date_unparsable_is_rejected(cases, raw):
    row = cases[f"signup_date:{raw!r}"]
    assert row.signup_date is None
    assert row.reject_reason == cc.REJECT_INVALID_SIGNUP_DATE


@pytest.mark.parametrize("raw, expected", UPDATED_AT)
def test_updated_at_parsing_never_rejects(cases, raw, expected):
    row = cases[f"updated_at:{raw!r}"]
    assert row.updated_at == expected
    assert row.reject_reason is None


def test_reject_reasons_precedence_and_raw_values_kept(spark):
    rows = [
        {"customer_id": "  ", "email": "bad", "signup_date": "bad"},  # all three wrong
        {"customer_id": None, "email": "ok@x.com"},
        {"customer_id": "R2", "email": " BAD@ ", "signup_date": "nope"},  # email before date
        {"customer_id": "R3", "signup_date": " 2024-02-30 "},
        {"customer_id": "OK", "first_name": "  ann "},
    ]
    normalised = cc.normalise_customers(raw_df(spark, rows))
    rejects = cc.select_rejects(normalised)
    assert [(f.name, f.dataType) for f in rejects.schema.fields] == [
        (f.name, f.dataType) for f in cc.REJECTS_SCHEMA.fields
    ]
    got = sorted((r.customer_id or "", r.email, r.signup_date, r.reject_reason) for r in rejects.collect())
    assert got == [
        ("", "ok@x.com", "2024-03-05", "missing_customer_id"),
        ("  ", "bad", "bad", "missing_customer_id"),  # raw (untrimmed) values are kept
        ("R2", " BAD@ ", "nope", "invalid_email"),
        ("R3", "ann@example.com", " 2024-02-30 ", "invalid_signup_date"),
    ]
    cleansed = cc.select_cleansed(normalised).collect()
    assert [(r.customer_id, r.first_name) for r in cleansed] == [("OK", "Ann")]


def test_dedup_keeps_latest_updated_at_null_last(spark):
    rows = [
        {"customer_id": "D1", "email": "old@x.com", "updated_at": "2024-01-01T00:00:00Z"},
        {"customer_id": " D1", "email": "new@x.com", "updated_at": "2024-01-02T00:00:00Z"},
        {"customer_id": "D1 ", "email": "null@x.com", "updated_at": None},
        {"customer_id": "D1", "email": "mid@x.com", "updated_at": "2024-01-01T12:00:00+01:00"},
        {"customer_id": "D2", "email": "only-null@x.com", "updated_at": "garbage"},
        {"customer_id": "D2", "email": "rejected-but-latest", "updated_at": "2030-01-01"},
    ]
    out = cc.cleanse_customers(raw_df(spark, rows)).cleansed
    got = {r.customer_id: (r.email, r.updated_at) for r in out.collect()}
    assert got == {
        "D1": ("new@x.com", dt.datetime(2024, 1, 2)),
        "D2": ("only-null@x.com", None),  # a rejected row never wins the de-dup
    }


@pytest.mark.parametrize("reverse", [False, True])
def test_dedup_tie_break_is_deterministic(spark, reverse):
    ts = "2024-05-01T00:00:00Z"
    rows = [
        {"customer_id": "T1", "email": "b@x.com", "updated_at": ts},
        {"customer_id": "T1", "email": "a@x.com", "updated_at": ts},
        {"customer_id": "T2", "email": "a@x.com", "signup_date": "2024-01-01", "updated_at": ts},
        {"customer_id": "T2", "email": "z@x.com", "signup_date": "2024-02-01", "updated_at": ts},
    ]
    rows = rows[::-1] if reverse else rows
    df = raw_df(spark, rows).repartition(2)
    got = {r.customer_id: r.email for r in cc.cleanse_customers(df).cleansed.collect()}
    # equal updated_at: later signup_date wins first, then smallest email
    assert got == {"T1": "a@x.com", "T2": "z@x.com"}


def test_output_schema_exact_and_signup_year(spark):
    out = cc.cleanse_customers(raw_df(spark, [{"signup_date": "31/12/2023"}])).cleansed
    assert [(f.name, f.dataType) for f in out.schema.fields] == [
        (f.name, f.dataType) for f in cc.CLEANSED_SCHEMA.fields
    ]
    assert out.columns[-1] == "signup_year"
    row = out.collect()[0]
    assert row.asDict() == {
        "customer_id": "C1",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@example.com",
        "phone": "+442079460958",
        "country": "GB",
        "signup_date": dt.date(2023, 12, 31),
        "updated_at": dt.datetime(2024, 3, 6, 10, 0, 0),
        "signup_year": 2023,
    }


def test_missing_column_raises_naming_it(spark):
    df = raw_df(spark, [{}]).drop("email", "phone")
    with pytest.raises(InputValidationError, match=r"missing required column\(s\) \['email', 'phone'\]"):
        cc.normalise_customers(df)


def test_wrong_type_raises_naming_column(spark):
    schema = StructType([StructField(c, IntegerType() if c == "customer_id" else StringType()) for c in cc.RAW_COLUMNS])
    df = spark.createDataFrame([(1, "a", "b", "a@x.com", None, None, "2024-01-01", None)], schema)
    with pytest.raises(InputValidationError, match="customer_id is int, expected string"):
        cc.cleanse_customers(df)

"""customer_features: transaction parsing, RFM / tenure / rolling windows / flags vs hand-computed values.

As-of date D = 2024-06-30 throughout.  Window boundaries: D-29 = 2024-06-01, D-30 = 2024-05-31,
D-89 = 2024-04-02, D-90 = 2024-04-01.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import customer_features as cf
import pytest
from df_checks import InputValidationError
from pyspark.sql.types import DateType, StringType, StructField, StructType

# one JVM: with pytest-xdist run `--dist loadgroup` so these stay on one worker
pytestmark = [pytest.mark.scripts, pytest.mark.xdist_group("pyspark")]

D = dt.date(2024, 6, 30)
CUSTOMER_SCHEMA = StructType([StructField("customer_id", StringType()), StructField("signup_date", DateType())])

CUSTOMERS = [
    ("A", dt.date(2024, 1, 1)),
    ("B", dt.date(2024, 6, 15)),
    ("C", dt.date(2023, 6, 30)),  # no transactions
    ("E", dt.date(2024, 7, 1)),  # signs up after D -> excluded
    ("F", None),  # unknown signup date
    ("G", dt.date(2024, 6, 1)),
    ("H", dt.date(2024, 5, 31)),
]

TRANSACTIONS = [
    # A: the window boundaries
    ("a1", "A", "10.00", "2024-07-01T01:00:00+02:00"),  # = 2024-06-30 23:00 UTC -> day D, in both windows
    ("a2", "A", "20.50", "2024-06-01 08:00:00"),  # D-29: last day inside 30d
    ("a3", "A", "100", "2024-05-31T23:59:59Z"),  # D-30: outside 30d, inside 90d
    ("a4", "A", "200.00", "2024-04-02"),  # D-89: last day inside 90d
    ("a5", "A", "300.00", "2024-04-01T00:00:00Z"),  # D-90: outside 90d, still in totals
    ("a6", "A", "5000.00", "2024-07-01T00:00:00Z"),  # after D: ignored everywhere
    ("a2", "A", "20.50", "2024-06-01 08:00:00"),  # exact duplicate transaction_id: counted once
    # B: two same-day transactions (tie on last date), total exactly at the high-value threshold
    ("b1", "B", "999.99", "2024-05-01T10:00:00Z"),
    ("b2", "B", " 0.01 ", "2024-05-01T10:00:00Z"),
    # G: average rounds down; H: average rounds half-up; H has a refund
    ("g1", "G", "10.00", "2024-06-10"),
    ("g2", "G", "10.00", "2024-06-11"),
    ("g3", "G", "10.01", "2024-06-12"),
    ("h1", "H", "0.01", "2024-06-30"),
    ("h2", "H", "0.025", "2024-06-29"),  # rounds half-up to 0.03
    ("h3", "H", "-0.01", "2024-06-28"),  # refund
    # invalid rows: excluded
    ("x1", "C", "12,50", "2024-06-30"),
    ("x2", "C", "$5", "2024-06-30"),
    ("x3", "C", "7.00", "yesterday"),
    ("x4", "C", "7.00", "2024-02-30 10:00:00"),
    (None, "C", "7.00", "2024-06-30"),
    ("x5", "  ", "7.00", "2024-06-30"),
    # orphan: customer not in the customers input
    ("z1", "Z", "50.00", "2024-06-30"),
]
RAW_TXN_SCHEMA = cf.RAW_TRANSACTIONS_SCHEMA


@pytest.fixture(scope="module")
def features(spark):
    customers = spark.createDataFrame(CUSTOMERS, CUSTOMER_SCHEMA)
    raw = spark.createDataFrame(TRANSACTIONS, RAW_TXN_SCHEMA)
    valid = cf.valid_transactions(cf.parse_transactions(raw))
    df = cf.build_features(customers, valid, D)
    return df, {r.customer_id: r.asDict() for r in df.collect()}


def test_one_row_per_eligible_customer(features):
    _, rows = features
    assert sorted(rows) == ["A", "B", "C", "F", "G", "H"]  # E signed up after D, Z is an orphan


def test_output_schema_exact(features):
    df, _ = features
    assert [(f.name, f.dataType) for f in df.schema.fields] == [(f.name, f.dataType) for f in cf.FEATURES_SCHEMA.fields]


def test_customer_a_rfm_and_window_boundaries(features):
    a = features[1]["A"]
    assert a == {
        "customer_id": "A",
        "as_of_date": D,
        "signup_date": dt.date(2024, 1, 1),
        "tenure_days": 181,  # Jan 1 -> Jun 30 in a leap year: 30+29+31+30+31+30
        "frequency": 5,
        "monetary": Decimal("630.50"),  # 10 + 20.50 + 100 + 200 + 300
        "avg_order_value": Decimal("126.10"),
        "first_txn_date": dt.date(2024, 4, 1),
        "last_txn_date": D,
        "recency_days": 0,
        "spend_30d": Decimal("30.50"),  # a1 + a2
        "spend_90d": Decimal("330.50"),  # a1 + a2 + a3 + a4
        "is_active_30d": True,
        "is_high_value": False,
        "is_new_customer": False,
    }


def test_customer_b_ties_threshold_new_customer(features):
    b = features[1]["B"]
    assert b["frequency"] == 2
    assert b["monetary"] == Decimal("1000.00")
    assert b["is_high_value"] is True  # threshold is inclusive
    assert b["avg_order_value"] == Decimal("500.00")
    assert (b["first_txn_date"], b["last_txn_date"]) == (dt.date(2024, 5, 1), dt.date(2024, 5, 1))
    assert b["recency_days"] == 60
    assert b["is_active_30d"] is False
    assert (b["spend_30d"], b["spend_90d"]) == (Decimal("0.00"), Decimal("1000.00"))
    assert b["tenure_days"] == 15
    assert b["is_new_customer"] is True


def test_customer_without_transactions(features):
    c = features[1]["C"]
    assert c == {
        "customer_id": "C",
        "as_of_date": D,
        "signup_date": dt.date(2023, 6, 30),
        "tenure_days": 366,  # spans 2024-02-29
        "frequency": 0,
        "monetary": Decimal("0.00"),
        "avg_order_value": None,
        "first_txn_date": None,
        "last_txn_date": None,
        "recency_days": None,
        "spend_30d": Decimal("0.00"),
        "spend_90d": Decimal("0.00"),
        "is_active_30d": False,
        "is_high_value": False,
        "is_new_customer": False,
    }


def test_null_signup_date_gives_null_tenure_and_false_flag(features):
    f = features[1]["F"]
    assert f["tenure_days"] is None
    assert f["is_new_customer"] is False
    assert f["frequency"] == 0


def test_average_rounding_and_new_customer_boundary(features):
    g, h = features[1]["G"], features[1]["H"]
    assert g["avg_order_value"] == Decimal("10.00")  # 30.01 / 3 = 10.0033
    assert g["tenure_days"] == 29 and g["is_new_customer"] is True
    assert h["monetary"] == Decimal("0.03")  # 0.01 + 0.03 (0.025 rounded half-up) - 0.01
    assert h["avg_order_value"] == Decimal("0.01")  # 0.03 / 3
    assert h["tenure_days"] == 30 and h["is_new_customer"] is False


def test_parse_transactions_invalid_reasons(spark):
    raw = spark.createDataFrame(
        [
            (None, None, "abc", "bad"),
            ("t1", None, "abc", "bad"),
            ("t2", "C", "1.2.3", "bad"),
            ("t3", "C", "1.00", "2024-06-31"),
            ("t4", "C", "1e3", "2024-06-01"),
            ("t5", "C", "1234567890123456", "2024-06-01"),  # 16 integer digits: too large
            ("t6", "C", " -12.345 ", " 2024-06-01T10:00:00Z "),
        ],
        RAW_TXN_SCHEMA,
    )
    parsed = cf.parse_transactions(raw)
    assert [(f.name, f.dataType) for f in parsed.schema.fields] == [
        (f.name, f.dataType) for f in cf.PARSED_TRANSACTIONS_SCHEMA.fields
    ]
    got = {r.transaction_id: r for r in parsed.collect()}
    assert {k: r.invalid_reason for k, r in got.items()} == {
        None: "missing_transaction_id",
        "t1": "missing_customer_id",
        "t2": "invalid_amount",
        "t3": "invalid_transaction_ts",
        "t4": "invalid_amount",
        "t5": "invalid_amount",
        "t6": None,
    }
    assert got["t6"].amount == Decimal("-12.35")
    assert got["t6"].transaction_date == dt.date(2024, 6, 1)


def test_duplicate_transaction_id_keeps_earliest(spark):
    raw = spark.createDataFrame(
        [
            ("t1", "A", "5.00", "2024-06-02"),
            ("t1", "A", "7.00", "2024-06-01"),
            ("t2", "A", "1.00", "2024-06-03"),
        ],
        RAW_TXN_SCHEMA,
    )
    got = sorted((r.transaction_id, r.amount) for r in cf.valid_transactions(cf.parse_transactions(raw)).collect())
    assert got == [("t1", Decimal("7.00")), ("t2", Decimal("1.00"))]


def test_default_as_of_date_is_max_valid_transaction_date(spark):
    raw = spark.createDataFrame(
        [
            ("t1", "A", "5.00", "2024-06-02"),
            ("t2", "A", "x", "2025-01-01"),
            ("t3", "B", "1", "2024-06-05T23:00:00Z"),
        ],
        RAW_TXN_SCHEMA,
    )
    assert cf.default_as_of_date(cf.valid_transactions(cf.parse_transactions(raw))) == dt.date(2024, 6, 5)


def test_default_as_of_date_without_transactions_raises(spark):
    raw = spark.createDataFrame([("t2", "A", "x", "2025-01-01")], RAW_TXN_SCHEMA)
    with pytest.raises(InputValidationError, match="no valid transactions"):
        cf.default_as_of_date(cf.valid_transactions(cf.parse_transactions(raw)))


@pytest.mark.parametrize("value", ["2024-6-30", "30/06/2024", "2024-02-30", "", "2024-06-30T00:00"])
def test_parse_as_of_date_rejects_bad_values(value):
    with pytest.raises(ValueError, match="as_of_date"):
        cf.parse_as_of_date(value)


def test_parse_as_of_date_ok():
    assert cf.parse_as_of_date("2024-02-29") == dt.date(2024, 2, 29)


def test_customers_wrong_type_raises(spark):
    customers = spark.createDataFrame([("A", "2024-01-01")], "customer_id string, signup_date string")
    txns = cf.valid_transactions(cf.parse_transactions(spark.createDataFrame([], RAW_TXN_SCHEMA)))
    with pytest.raises(InputValidationError, match="signup_date is string, expected date"):
        cf.build_features(customers, txns, D)


def test_transactions_missing_column_raises(spark):
    raw = spark.createDataFrame([("t1", "A", "1.00")], "transaction_id string, customer_id string, amount string")
    with pytest.raises(InputValidationError, match=r"missing required column\(s\) \['transaction_ts'\]"):
        cf.parse_transactions(raw)

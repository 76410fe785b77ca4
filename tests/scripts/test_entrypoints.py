"""End-to-end: run each Glue entry script's main() on local files (awsglue absent), read Parquet back."""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal

import customer_cleansing as cc
import customer_features as cf
import pytest
from df_checks import InputValidationError

# one JVM: with pytest-xdist run `--dist loadgroup` so these stay on one worker
pytestmark = [pytest.mark.scripts, pytest.mark.xdist_group("pyspark")]

CUSTOMERS_CSV = '''customer_id,first_name,last_name,email,phone,country,signup_date,updated_at
C1,  alice ,SMITH,Alice@Example.com,+1 (555) 010-0001,us,2023-01-15,2024-01-01T00:00:00Z
C1,Alice,"smith, ""jr""",alice.new@example.com,,US,2023-01-15,2024-02-01T00:00:00Z
C2,bob,o'brien,bob@example.org,020 7946 0958,gb,05/03/2024,2024-03-05 09:00:00
,nobody,x,x@example.com,,,2024-01-01,
C3,carol,c,not-an-email,,de,2024-01-01,
C4,dan,d,dan@example.com,,fr,2024-02-30,
'''

TRANSACTIONS_CSV = """transaction_id,customer_id,amount,transaction_ts
t1,C1,100.00,2024-03-01T10:00:00Z
t2,C1,50.25,2024-03-10T10:00:00Z
t3,C2,10.00,2024-03-09T12:00:00Z
t4,C2,abc,2024-03-09T12:00:00Z
t5,ZZ,1.00,2024-03-10T00:00:00Z
"""


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def cleansing_argv(inp, out, rej, *extra):
    return ["1_data_cleansing.py", "--JOB_NAME", "cleanse", "--input_path", inp, "--output_path", out,
            "--rejects_path", rej, *extra]  # fmt: skip


def features_argv(customers, txns, out, *extra):
    return ["2_feature_engineering.py", "--JOB_NAME", "features", "--customers_path", customers,
            "--transactions_path", txns, "--output_path", out, *extra]  # fmt: skip


def test_scripts_import_without_awsglue(cleansing_script, features_script):
    assert "awsglue" not in sys.modules
    assert cleansing_script.REQUIRED_ARGS == ("JOB_NAME", "input_path", "output_path", "rejects_path")
    assert cleansing_script.OPTIONAL_ARGS == {"input_format": "csv"}
    assert features_script.REQUIRED_ARGS == ("JOB_NAME", "customers_path", "transactions_path", "output_path")
    assert features_script.OPTIONAL_ARGS == {"as_of_date": ""}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, cleansing_script, features_script):
    """Run job 1 then job 2 (default as_of_date) once; return paths and summaries."""
    tmp = tmp_path_factory.mktemp("pipeline")
    inp = write(tmp / "customers.csv", CUSTOMERS_CSV)
    txn = write(tmp / "transactions.csv", TRANSACTIONS_CSV)
    out, rej, feat = str(tmp / "cleansed"), str(tmp / "rejects"), str(tmp / "features")
    s1 = cleansing_script.main(cleansing_argv(inp, out, rej))
    s2 = features_script.main(features_argv(out, txn, feat))
    return {"tmp": tmp, "out": out, "rej": rej, "feat": feat, "txn": txn, "s1": s1, "s2": s2}


def test_cleansing_e2e_output(spark, pipeline):
    df = spark.read.parquet(pipeline["out"])
    assert [(f.name, f.dataType) for f in df.schema.fields] == [(f.name, f.dataType) for f in cc.CLEANSED_SCHEMA.fields]
    rows = {r.customer_id: r.asDict() for r in df.collect()}
    assert rows == {
        "C1": {
            "customer_id": "C1",
            "first_name": "Alice",
            "last_name": 'Smith, "jr"',  # RFC-4180 quoted field (comma, "" escape); latest version wins
            "email": "alice.new@example.com",
            "phone": None,
            "country": "US",
            "signup_date": dt.date(2023, 1, 15),
            "updated_at": dt.datetime(2024, 2, 1),
            "signup_year": 2023,
        },
        "C2": {
            "customer_id": "C2",
            "first_name": "Bob",
            "last_name": "O'brien",
            "email": "bob@example.org",
            "phone": "02079460958",
            "country": "GB",
            "signup_date": dt.date(2024, 3, 5),
            "updated_at": dt.datetime(2024, 3, 5, 9, 0),
            "signup_year": 2024,
        },
    }
    partitions = sorted(p.name for p in (pipeline["tmp"] / "cleansed").iterdir() if p.is_dir())
    assert partitions == ["signup_year=2023", "signup_year=2024"]


def test_cleansing_e2e_rejects_and_summary(spark, pipeline):
    rej = spark.read.parquet(pipeline["rej"])
    assert rej.columns == [*cc.RAW_COLUMNS, "reject_reason"]
    got = sorted((r.first_name, r.reject_reason) for r in rej.collect())
    assert got == [
        ("carol", "invalid_email"),
        ("dan", "invalid_signup_date"),
        ("nobody", "missing_customer_id"),
    ]
    assert pipeline["s1"] == {
        "input_rows": 6,
        "valid_rows": 3,
        "rejected_rows": 3,
        "rejects_by_reason": {"invalid_email": 1, "invalid_signup_date": 1, "missing_customer_id": 1},
        "cleansed_rows": 2,
        "duplicates_dropped": 1,
    }


def test_features_e2e_default_as_of_date(spark, pipeline):
    df = spark.read.parquet(pipeline["feat"])
    assert [(f.name, f.dataType) for f in df.schema.fields] == [(f.name, f.dataType) for f in cf.FEATURES_SCHEMA.fields]
    rows = {r.customer_id: r for r in df.collect()}
    assert sorted(rows) == ["C1", "C2"]
    c1, c2 = rows["C1"], rows["C2"]
    assert c1.as_of_date == dt.date(2024, 3, 10)  # max valid transaction date (t5 is an orphan but valid)
    assert (c1.frequency, c1.monetary, c1.avg_order_value) == (2, Decimal("150.25"), Decimal("75.13"))
    assert (c1.recency_days, c1.tenure_days) == (0, 420)  # 2023-01-15 -> 2024-03-10
    assert (c2.frequency, c2.monetary, c2.recency_days, c2.tenure_days) == (1, Decimal("10.00"), 1, 5)
    assert c2.is_new_customer is True and c1.is_new_customer is False
    assert pipeline["s2"]["invalid_transactions_by_reason"] == {"invalid_amount": 1}
    assert pipeline["s2"]["as_of_date"] == "2024-03-10"
    assert pipeline["s2"]["feature_rows"] == 2


def test_features_explicit_as_of_date_and_overwrite(spark, pipeline, features_script):
    out = str(pipeline["tmp"] / "features_explicit")
    for _ in range(2):  # second run overwrites, no duplicated rows
        summary = features_script.main(
            features_argv(pipeline["out"], pipeline["txn"], out, "--as_of_date", "2024-03-05")
        )
    assert summary["as_of_date"] == "2024-03-05"
    rows = {r.customer_id: r for r in spark.read.parquet(out).collect()}
    assert sorted(rows) == ["C1", "C2"]  # C2 signed up on 2024-03-05 itself: included
    c1 = rows["C1"]
    assert (c1.frequency, c1.monetary, c1.recency_days, c1.spend_30d) == (
        1,
        Decimal("100.00"),
        4,
        Decimal("100.00"),
    )
    assert (rows["C2"].frequency, rows["C2"].tenure_days, rows["C2"].recency_days) == (0, 0, None)


def test_cleansing_json_lines(spark, tmp_path, cleansing_script):
    lines = [
        {"customer_id": 42, "first_name": "eve", "last_name": "x", "email": "EVE@X.IO", "phone": 4420794609,
         "country": "nl", "signup_date": "20240102", "updated_at": "2024-01-02", "extra": {"ignored": True}},
        {"customer_id": "43", "first_name": "f", "last_name": "g", "email": "bad", "signup_date": "2024-01-01"},
    ]  # fmt: skip
    inp = write(tmp_path / "c.json", "\n".join(json.dumps(x) for x in lines) + "\n")
    out, rej = str(tmp_path / "o"), str(tmp_path / "r")
    cleansing_script.main(cleansing_argv(inp, out, rej, "--input_format", "JSON"))
    rows = [r.asDict() for r in spark.read.parquet(out).collect()]
    assert [(r["customer_id"], r["email"], r["phone"], r["country"], r["signup_date"]) for r in rows] == [
        ("42", "eve@x.io", "4420794609", "NL", dt.date(2024, 1, 2))
    ]
    assert [(r.customer_id, r.phone, r.reject_reason) for r in spark.read.parquet(rej).collect()] == [
        ("43", None, "invalid_email")
    ]


# ---------------------------------------------------------------- bad input: cleansing


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "input is empty"),
        ("customer_id,first_name,last_name,email,phone,country,signup_date,updated_at\n", "no data rows"),
        ("customer_id,first_name,last_name,phone,country,signup_date\nC1,a,b,1,GB,2024-01-01\n",
         r"missing required column\(s\) \['email', 'updated_at'\]"),
    ],
    ids=["empty-file", "header-only", "missing-columns"],
)  # fmt: skip
def test_cleansing_bad_csv_raises_and_writes_nothing(tmp_path, cleansing_script, content, message):
    inp = write(tmp_path / "c.csv", content)
    with pytest.raises(InputValidationError, match=message):
        cleansing_script.main(cleansing_argv(inp, str(tmp_path / "o"), str(tmp_path / "r")))
    assert not (tmp_path / "o").exists() and not (tmp_path / "r").exists()


def test_cleansing_all_rows_rejected_raises_after_writing_rejects(spark, tmp_path, cleansing_script):
    inp = write(tmp_path / "c.csv", CUSTOMERS_CSV.splitlines()[0] + "\nC9,a,b,nope,,GB,2024-01-01,\n")
    with pytest.raises(InputValidationError, match=r"all 1 input row\(s\) were rejected"):
        cleansing_script.main(cleansing_argv(inp, str(tmp_path / "o"), str(tmp_path / "r")))
    assert not (tmp_path / "o").exists()
    assert [r.reject_reason for r in spark.read.parquet(str(tmp_path / "r")).collect()] == ["invalid_email"]


def test_cleansing_malformed_json_raises(tmp_path, cleansing_script):
    inp = write(tmp_path / "c.json", '{"customer_id": "1", "email": "a@b.co"}\n{not json\n')
    with pytest.raises(InputValidationError, match="malformed JSON"):
        cleansing_script.main(cleansing_argv(inp, str(tmp_path / "o"), str(tmp_path / "r"), "--input_format", "json"))


def test_cleansing_nested_json_value_is_wrong_type(tmp_path, cleansing_script):
    row = {c: "x" for c in cc.RAW_COLUMNS} | {"email": {"addr": "a@b.co"}}
    inp = write(tmp_path / "c.json", json.dumps(row) + "\n")
    with pytest.raises(InputValidationError, match="email is struct<addr:string>, expected string"):
        cleansing_script.main(cleansing_argv(inp, str(tmp_path / "o"), str(tmp_path / "r"), "--input_format", "json"))


def test_cleansing_bad_format_and_missing_arg(tmp_path, cleansing_script):
    with pytest.raises(ValueError, match="--input_format must be one of"):
        cleansing_script.main(cleansing_argv("i", "o", "r", "--input_format", "xml"))
    with pytest.raises(ValueError, match="--rejects_path"):
        cleansing_script.main(["1_data_cleansing.py", "--JOB_NAME", "j", "--input_path", "i", "--output_path", "o"])


# ---------------------------------------------------------------- bad input: features


def test_features_bad_as_of_date_fails_before_reading(tmp_path, features_script):
    with pytest.raises(ValueError, match="--as_of_date must be YYYY-MM-DD, got '30/06/2024'"):
        features_script.main(features_argv("nope", "nope", str(tmp_path / "f"), "--as_of_date", "30/06/2024"))


@pytest.mark.parametrize(
    "txn_csv, message",
    [
        ("transaction_id,customer_id,amount,transaction_ts\n", "no data rows"),
        ("transaction_id,customer_id,transaction_ts\nt1,C1,2024-01-01\n", r"\['amount'\]"),
        ("transaction_id,customer_id,amount,transaction_ts\nt1,C1,ten,2024-01-01\nt2,C1,1,soon\n",
         r"no valid row, invalid by reason \{'invalid_amount': 1, 'invalid_transaction_ts': 1\}"),
    ],
    ids=["header-only", "missing-amount", "all-invalid"],
)  # fmt: skip
def test_features_bad_transactions_raise(tmp_path, pipeline, features_script, txn_csv, message):
    txn = write(tmp_path / "t.csv", txn_csv)
    with pytest.raises(InputValidationError, match=message):
        features_script.main(features_argv(pipeline["out"], txn, str(tmp_path / "f")))
    assert not (tmp_path / "f").exists()


def test_features_as_of_before_all_signups_raises(tmp_path, pipeline, features_script):
    with pytest.raises(InputValidationError, match="no customer signed up on or before as_of_date 2020-01-01"):
        features_script.main(features_argv(pipeline["out"], pipeline["txn"], str(tmp_path / "f"), "--as_of_date",
                                           "2020-01-01"))  # fmt: skip
    assert not (tmp_path / "f").exists()


def test_features_duplicate_or_mistyped_customers_raise(spark, tmp_path, pipeline, features_script):
    dup = str(tmp_path / "dup")
    spark.read.parquet(pipeline["out"]).unionByName(spark.read.parquet(pipeline["out"])).write.parquet(dup)
    with pytest.raises(InputValidationError, match=r"customer_id is not unique, e.g. \[\('C1', 2\), \('C2', 2\)\]"):
        features_script.main(features_argv(dup, pipeline["txn"], str(tmp_path / "f")))
    typed = str(tmp_path / "typed")
    spark.createDataFrame([("C1", "2024-01-01")], "customer_id string, signup_date string").write.parquet(typed)
    with pytest.raises(InputValidationError, match="signup_date is string, expected date"):
        features_script.main(features_argv(typed, pipeline["txn"], str(tmp_path / "f")))
    assert not (tmp_path / "f").exists()

"""glue_runtime shim: argument resolution (fallback + awsglue), session settings, job commit."""

from __future__ import annotations

import sys
import types

import glue_runtime
import pytest

# one JVM: with pytest-xdist run `--dist loadgroup` so these stay on one worker
pytestmark = [pytest.mark.scripts, pytest.mark.xdist_group("pyspark")]

REQ = ("JOB_NAME", "input_path", "output_path")
OPT = {"input_format": "csv", "as_of_date": ""}


def test_awsglue_absent_in_test_env():
    assert glue_runtime.awsglue_available() is False


def test_fallback_parses_glue_style_args_and_ignores_unknown():
    argv = [
        "script.py",
        "--JOB_NAME",
        "job-1",
        "--job-bookmark-option",
        "job-bookmark-enable",
        "--input_path",
        "s3://bucket/raw/",
        "--output_path=s3://bucket/out/",
        "--TempDir",
        "s3://tmp/",
        "--input_format",
        "json",
    ]
    args = glue_runtime.resolve_args(argv, REQ, OPT)
    assert args == {
        "JOB_NAME": "job-1",
        "input_path": "s3://bucket/raw/",
        "output_path": "s3://bucket/out/",
        "input_format": "json",
        "as_of_date": "",
    }


def test_fallback_optional_absent_or_empty_takes_default():
    base = ["p", "--JOB_NAME", "j", "--input_path", "i", "--output_path", "o"]
    assert glue_runtime.resolve_args(base, REQ, OPT)["input_format"] == "csv"
    assert glue_runtime.resolve_args(base + ["--input_format", ""], REQ, OPT)["input_format"] == "csv"


def test_argv0_is_ignored():
    # argv[0] looks like a flag: it must not be parsed (Glue passes the script path there).
    with pytest.raises(ValueError, match="--JOB_NAME"):
        glue_runtime.resolve_args(["--JOB_NAME", "--input_path", "i", "--output_path", "o"], REQ, OPT)


@pytest.mark.parametrize(
    "argv, missing",
    [
        (["p", "--JOB_NAME", "j", "--input_path", "i"], "--output_path"),
        (["p", "--JOB_NAME", "j", "--input_path", "", "--output_path", "o"], "--input_path"),
    ],
)
def test_missing_required_arg_raises_naming_it(argv, missing):
    with pytest.raises(ValueError, match=missing):
        glue_runtime.resolve_args(argv, REQ, OPT)


def test_session_has_network_timeout_and_utc(spark):
    assert spark.sparkContext.getConf().get("spark.network.timeout") == "600s"
    assert spark.sparkContext.master == "local[2]"
    spark.conf.set("spark.sql.session.timeZone", "Asia/Tokyo")
    try:
        assert glue_runtime.spark_session("again") is spark  # gets the existing session ...
        assert spark.conf.get("spark.sql.session.timeZone") == "UTC"  # ... and pins UTC again
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


@pytest.fixture
def fake_awsglue(monkeypatch, spark):
    """Minimal stand-in for the awsglue package recording how the shim calls it."""
    calls = {"resolved": [], "job": []}

    def get_resolved_options(args, options):
        calls["resolved"].append(list(options))
        out = {}
        for name in options:
            idx = args.index("--" + name)
            out[name] = args[idx + 1]
        return out

    class GlueContext:
        def __init__(self, sc):
            calls["sc"] = sc
            self.spark_session = spark

    class Job:
        def __init__(self, glue_context):
            assert isinstance(glue_context, GlueContext)

        def init(self, name, args):
            calls["job"].append(("init", name, dict(args)))

        def commit(self):
            calls["job"].append(("commit",))

    pkg = types.ModuleType("awsglue")
    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = get_resolved_options
    context = types.ModuleType("awsglue.context")
    context.GlueContext = GlueContext
    job = types.ModuleType("awsglue.job")
    job.Job = Job
    pkg.utils, pkg.context, pkg.job = utils, context, job
    for name, mod in {
        "awsglue": pkg,
        "awsglue.utils": utils,
        "awsglue.context": context,
        "awsglue.job": job,
    }.items():
        monkeypatch.setitem(sys.modules, name, mod)
    monkeypatch.setattr(glue_runtime, "_GLUE_CONTEXT", None)
    return calls


def test_awsglue_path_uses_get_resolved_options_only_for_present_optionals(fake_awsglue):
    argv = ["p", "--JOB_NAME", "j", "--input_path", "i", "--output_path", "o", "--as_of_date", "2024-01-31"]
    args = glue_runtime.resolve_args(argv, REQ, OPT)
    assert fake_awsglue["resolved"] == [["JOB_NAME", "input_path", "output_path", "as_of_date"]]
    assert args["as_of_date"] == "2024-01-31"
    assert args["input_format"] == "csv"


def test_awsglue_path_session_and_job_commit(fake_awsglue, spark):
    session = glue_runtime.spark_session("job-x")
    assert session is spark
    assert fake_awsglue["sc"] is spark.sparkContext
    job = glue_runtime.init_job("job-x", {"JOB_NAME": "job-x"})
    glue_runtime.commit_job(job)
    assert fake_awsglue["job"] == [("init", "job-x", {"JOB_NAME": "job-x"}), ("commit",)]


def test_local_job_is_noop():
    job = glue_runtime.init_job("j", {"JOB_NAME": "j"})
    assert job is None
    glue_runtime.commit_job(job)  # must not raise

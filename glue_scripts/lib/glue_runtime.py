"""Thin runtime shim so the Glue entry scripts run both on AWS Glue 5.0 and on local PySpark.

Everything that touches ``awsglue`` lives here and imports it lazily, so this module (and the
entry scripts importing it) load fine where ``awsglue`` is not installed (laptops, CI).

* :func:`resolve_args` - Glue job arguments.  With ``awsglue`` it delegates to
  ``awsglue.utils.getResolvedOptions``; otherwise an ``argparse`` fallback parses the same
  Glue-style ``--key value`` (or ``--key=value``) pairs.  ``argv`` is a full ``sys.argv``-style
  list (element 0 is the program name and is ignored, as Glue does).  Unknown arguments (Glue
  adds ``--job-bookmark-option``, ``--TempDir`` ...) are ignored.  An optional argument that is
  absent *or passed as an empty string* takes its default, so the Terraform module may always
  pass the key.  A missing required argument raises :class:`ValueError` naming it.
* :func:`spark_session` - builds (or gets) the SparkSession.  With ``awsglue`` it goes through
  a ``GlueContext``; otherwise a plain ``SparkSession``.  Always sets
  ``spark.network.timeout=600s`` (the pipeline relies on it; it is a core Spark setting so it
  must be on the ``SparkConf`` before the SparkContext starts) and pins
  ``spark.sql.session.timeZone=UTC`` so date/timestamp parsing is reproducible.
* :func:`init_job` / :func:`commit_job` - ``awsglue.job.Job.init`` / ``Job.commit`` (job
  bookmarks) on Glue; no-ops locally.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Mapping, Sequence
from typing import Any

NETWORK_TIMEOUT = "600s"
SESSION_TIME_ZONE = "UTC"

LOG = logging.getLogger("glue_runtime")

_GLUE_CONTEXT: Any = None


def awsglue_available() -> bool:
    """True when the ``awsglue`` library can be imported (evaluated at call time)."""
    try:
        import awsglue.utils  # noqa: F401
    except ImportError:
        return False
    return True


def _present_in_argv(argv: Sequence[str], key: str) -> bool:
    flag = f"--{key}"
    return any(a == flag or a.startswith(flag + "=") for a in argv[1:])


def resolve_args(
    argv: Sequence[str],
    required: Sequence[str],
    optional_defaults: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Resolve Glue job arguments into a ``{name: value}`` dict.

    ``required`` names must be present (non-empty); ``optional_defaults`` maps optional names to
    their default (used when the argument is absent or empty).
    """
    optional_defaults = dict(optional_defaults or {})
    argv = list(argv)
    if awsglue_available():
        from awsglue.utils import getResolvedOptions

        wanted = list(required) + [k for k in optional_defaults if _present_in_argv(argv, k)]
        resolved = dict(getResolvedOptions(argv, wanted))
    else:
        parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
        for name in list(required) + list(optional_defaults):
            parser.add_argument(f"--{name}", dest=name, default=None)
        namespace, _unknown = parser.parse_known_args(argv[1:])
        resolved = {k: v for k, v in vars(namespace).items() if v is not None}

    missing = [name for name in required if not resolved.get(name)]
    if missing:
        raise ValueError(f"missing required job argument(s): {', '.join('--' + m for m in missing)}")
    result = {name: resolved[name] for name in required}
    for name, default in optional_defaults.items():
        value = resolved.get(name)
        result[name] = value if value not in (None, "") else default
    return result


def spark_session(
    app_name: str,
    master: str | None = None,
    extra_conf: Mapping[str, str] | None = None,
):
    """Build or get the SparkSession (through a GlueContext when ``awsglue`` is importable).

    ``master`` and ``extra_conf`` are for local use/tests; on Glue the service owns the master.
    """
    global _GLUE_CONTEXT
    conf_items = {"spark.network.timeout": NETWORK_TIMEOUT, **dict(extra_conf or {})}

    if awsglue_available():
        from awsglue.context import GlueContext
        from pyspark import SparkConf
        from pyspark.context import SparkContext

        conf = SparkConf().setAppName(app_name)
        for key, value in conf_items.items():
            conf.set(key, value)
        sc = SparkContext.getOrCreate(conf=conf)
        _GLUE_CONTEXT = GlueContext(sc)
        spark = _GLUE_CONTEXT.spark_session
    else:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName(app_name)
        if master:
            builder = builder.master(master)
        for key, value in conf_items.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()

    actual = spark.sparkContext.getConf().get("spark.network.timeout", None)
    if actual != NETWORK_TIMEOUT:
        # Only possible when a SparkContext already existed before this call.
        LOG.warning("spark.network.timeout is %r, expected %r (context pre-existed)", actual, NETWORK_TIMEOUT)
    spark.conf.set("spark.sql.session.timeZone", SESSION_TIME_ZONE)
    return spark


def init_job(job_name: str, args: Mapping[str, str]):
    """``Job.init`` on Glue (enables bookmarks/metrics); returns the job handle, ``None`` locally."""
    if not awsglue_available() or _GLUE_CONTEXT is None:
        return None
    from awsglue.job import Job

    job = Job(_GLUE_CONTEXT)
    job.init(job_name, dict(args))
    return job


def commit_job(job) -> None:
    """``Job.commit`` on Glue; no-op when ``job`` is ``None`` (local run)."""
    if job is not None:
        job.commit()

"""Shared fixtures for the PySpark Glue-script tests (marker ``scripts``).

One session-scoped local SparkSession (``local[2]``, UI off, 2 shuffle partitions, 1g driver),
built through ``glue_runtime.spark_session`` so the shim itself is exercised.  If pyspark or a
Java runtime is missing, every module in this directory is reported as skipped with one reason.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from harness.paths import GLUE_SCRIPTS, load_module

LIB_DIR = GLUE_SCRIPTS / "lib"


def _skip_reason() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark not installed (pip install 'pyspark==3.5.*')"
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        return "no Java runtime found (java on PATH or JAVA_HOME) for PySpark"
    return None


SKIP_REASON = _skip_reason()

# PySpark converts collected timestamps with the Python process time zone; pin it to UTC (the jobs
# pin the Spark session time zone to UTC too) so expected datetimes are unambiguous.
os.environ["TZ"] = "UTC"
time.tzset()

if str(LIB_DIR) not in sys.path:
    sys.path.insert(0, str(LIB_DIR))


class _SkippedModule(pytest.Module):
    def collect(self):
        pytest.skip(SKIP_REASON, allow_module_level=True)


if SKIP_REASON:

    def pytest_pycollect_makemodule(module_path, parent):
        return _SkippedModule.from_parent(parent, path=module_path)


def pytest_configure(config):
    config.addinivalue_line("markers", "scripts: PySpark tests of the Glue scripts (need pyspark + Java)")
    if not config.pluginmanager.hasplugin("xdist"):
        config.addinivalue_line("markers", "xdist_group(name): pytest-xdist grouping (no-op without xdist)")


TEST_SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "1g",
    "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
}


@pytest.fixture(scope="session")
def spark():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    import glue_runtime

    session = glue_runtime.spark_session("glue-scripts-tests", master="local[2]", extra_conf=TEST_SPARK_CONF)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def load_script(filename: str):
    """Import a digit-named entry script (e.g. ``1_data_cleansing.py``) as a module."""
    path = GLUE_SCRIPTS / filename
    return load_module(path, "glue_entry_" + path.stem)


@pytest.fixture(scope="session")
def cleansing_script():
    return load_script("1_data_cleansing.py")


@pytest.fixture(scope="session")
def features_script():
    return load_script("2_feature_engineering.py")

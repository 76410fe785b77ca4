"""Spark standalone across namespaces under security-group rules (the incident, reproduced).

Hosts: ``master`` (the Spark master; it stands for the Glue service, so every
Glue host trusts it in every variant), ``driver`` and ``executor1`` (a worker,
which launches the executor). Only the driver <-> executor traffic is governed
by the security group, exactly the traffic the self-referencing rule exists for.

Good group: the job (a sum over a range, with a shuffle) succeeds. Broken
groups: the executor cannot reach the driver RPC port; its stderr in the
worker's work dir says so, and the run fails within a bounded time because the
master gives up after one failed executor (``spark.deploy.maxExecutorRetries=1``)
and a watchdog kills whatever is still running after ``WATCHDOG`` seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.network import SPARK_JOB
from harness.network.sg_nft import build_rulesets
from harness.network.sg_scenarios import SgScenario, handbuilt_glue_groups, narrow_self_ingress, without_self_ingress

pyspark = pytest.importorskip("pyspark", reason='pyspark not installed (pip install "pyspark==3.5.*")')

pytestmark = [pytest.mark.network, pytest.mark.slow]

SPARK_HOME = Path(pyspark.__file__).parent
MASTER_PORT, WORKER_PORT = 7077, 7078
DRIVER_PORT, DRIVER_BM_PORT, EXECUTOR_BM_PORT = 41234, 41235, 43210
WATCHDOG = 150  # seconds for one driver run, good or broken
# Broken runs: give up on the driver after 3 x 5 s instead of 3 x 120 s.
FAST_FAIL = ["spark.rpc.io.connectionCreationTimeout=5s", f"spark.blockManager.port={EXECUTOR_BM_PORT}"]
GOOD = [f"spark.blockManager.port={EXECUTOR_BM_PORT}"]


def spark_env(lab, host: str, tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPARK_", "PYSPARK_"))}
    conf_dir = tmp / "conf"
    conf_dir.mkdir(exist_ok=True)
    env.update(
        SPARK_HOME=str(SPARK_HOME),
        SPARK_CONF_DIR=str(conf_dir),
        SPARK_LOCAL_IP=lab.addresses[host],
        SPARK_DAEMON_MEMORY="256m",
        SPARK_DAEMON_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
        PYSPARK_PYTHON=sys.executable,
        **extra,
    )
    return env


def wait_for(path: Path, pattern: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and re.search(pattern, path.read_text(errors="replace")):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    tail = path.read_text(errors="replace")[-3000:] if path.exists() else "(no log)"
    raise AssertionError(f"{pattern!r} not seen in {path}:\n{tail}")


@pytest.fixture(scope="module")
def spark_cluster(make_lab, tmp_path_factory):
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark (scripts/network_setup.sh installs one)")
    tmp = tmp_path_factory.mktemp("spark")
    lab = make_lab(["master", "driver", "executor1"])
    master_ip = lab.addresses["master"]
    apply_scenario(lab, handbuilt_glue_groups())
    spark_class = str(SPARK_HOME / "bin" / "spark-class")
    master_log, worker_log = tmp / "master.log", tmp / "worker.log"
    master = lab.popen(
        "master",
        [spark_class, "org.apache.spark.deploy.master.Master", "--host", master_ip]
        + ["--port", str(MASTER_PORT), "--webui-port", "8080"],
        env=spark_env(lab, "master", tmp, SPARK_MASTER_OPTS="-Dspark.deploy.maxExecutorRetries=1"),
        stdout=master_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    wait_for(master_log, r"I have been elected leader", master)
    work_dir = tmp / "work"
    worker = lab.popen(
        "executor1",
        [spark_class, "org.apache.spark.deploy.worker.Worker", f"spark://{master_ip}:{MASTER_PORT}"]
        + ["--host", lab.addresses["executor1"], "--port", str(WORKER_PORT), "--webui-port", "8081"]
        + ["--cores", "1", "--memory", "768m", "--work-dir", str(work_dir)],
        env=spark_env(lab, "executor1", tmp),
        stdout=worker_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    wait_for(worker_log, r"Successfully registered with master", worker)
    return {"lab": lab, "tmp": tmp, "work_dir": work_dir, "master_url": f"spark://{master_ip}:{MASTER_PORT}"}


def apply_scenario(lab, scenario: SgScenario, reset: bool = False) -> None:
    members = {host: scenario.attached for host in ("driver", "executor1")}
    trusted = [lab.addresses["master"]]
    rulesets = build_rulesets(scenario.groups, members, lab.addresses, trusted=trusted)
    for ruleset in rulesets.values():
        ruleset.reject_tcp_with_reset = reset
    lab.apply_rulesets({host: r.render() for host, r in rulesets.items()})


def run_driver(
    cluster, scenario: SgScenario, conf: list[str], reset: bool = False
) -> tuple[int | None, str, float, Path | None]:
    """Run the job; returns (exit code or None if the watchdog fired, output, seconds, executor stderr)."""
    lab = cluster["lab"]
    apply_scenario(lab, scenario, reset)
    before = set(cluster["work_dir"].glob("app-*")) if cluster["work_dir"].exists() else set()
    argv = [sys.executable, str(SPARK_JOB), cluster["master_url"], lab.addresses["driver"]]
    argv += [str(DRIVER_PORT), str(DRIVER_BM_PORT), *conf]
    started = time.monotonic()
    proc = lab.popen(
        "driver",
        argv,
        env=spark_env(lab, "driver", cluster["tmp"]),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        out, _ = proc.communicate(timeout=WATCHDOG)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        lab.stop([proc])
        out, code = proc.communicate()[0] or "", None
    elapsed = time.monotonic() - started
    apps = sorted(set(cluster["work_dir"].glob("app-*")) - before)
    stderr_files = sorted(apps[-1].glob("*/stderr")) if apps else []
    print(f"[{scenario.name}] exit={code} in {elapsed:.1f}s; executor logs: {[str(p) for p in stderr_files]}")
    return code, out, elapsed, (stderr_files[0] if stderr_files else None)


def test_good_security_group_runs_the_job(spark_cluster, glue_security_groups):
    code, out, _, _ = run_driver(spark_cluster, glue_security_groups, GOOD)
    assert code == 0 and "RESULT 4999950000" in out, out[-4000:]


# variant -> (transform of the good model, answer unmatched TCP with a reset, expected executor error)
BROKEN = {
    "no-self-ingress": (without_self_ingress, False, "Connecting to {driver} timed out"),
    "self-ingress-443-only": (
        lambda sc: narrow_self_ingress(sc, 443),
        False,
        "Connecting to {driver} timed out",
    ),
    # Not an SG behaviour (SGs drop): a closed port or REJECT gives the incident's exact message.
    "no-self-ingress-reset": (without_self_ingress, True, "Connection refused: {driver}"),
}


@pytest.mark.parametrize("variant", BROKEN)
def test_broken_security_group_starves_the_executor(spark_cluster, glue_security_groups, variant):
    transform, reset, expected = BROKEN[variant]
    scenario = transform(glue_security_groups)
    code, out, elapsed, executor_stderr = run_driver(spark_cluster, scenario, FAST_FAIL, reset)
    assert code != 0, out[-4000:]
    assert elapsed < WATCHDOG, "the run did not fail on its own; the watchdog killed it"
    assert executor_stderr is not None, f"no executor was launched:\n{out[-4000:]}"
    log = executor_stderr.read_text(errors="replace")
    driver = f"/{spark_cluster['lab'].addresses['driver']}:{DRIVER_PORT}"
    lines = [ln for ln in log.splitlines() if driver in ln and ("timed out" in ln or "refused" in ln)]
    print(f"[{variant}] executor stderr:\n" + "\n".join(lines))
    # A dropped SYN surfaces as Spark's "Connecting to X timed out" or, when netty's connect timeout
    # fires first (seen under load), as netty's "connection timed out: X": the same failure.
    wanted = [expected.format(driver=driver)]
    if "timed out" in expected:
        wanted.append(f"connection timed out: {driver}")
    assert any(w in line for w in wanted for line in lines), log[-4000:]
    assert "Master removed our application: FAILED" in out, out[-4000:]

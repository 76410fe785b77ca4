"""The network suite's machinery (tests/network): security-group models, their nftables translation,
network-namespace labs, and the two programs run inside a namespace (by path, under the lab's
interpreter: tcp_probe has no third-party imports, spark_job needs only pyspark)."""

from pathlib import Path

TCP_PROBE = Path(__file__).with_name("tcp_probe.py")
SPARK_JOB = Path(__file__).with_name("spark_job.py")

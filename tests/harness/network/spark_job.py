"""The driver side of the Spark test, run inside the driver namespace.

    python spark_job.py MASTER_URL DRIVER_IP DRIVER_PORT BLOCK_MANAGER_PORT [KEY=VALUE ...]

Prints ``RESULT <sum>`` on success; exits non-zero when the job fails.
"""

from __future__ import annotations

import sys

from pyspark.sql import SparkSession

N = 100_000
# A short-lived JVM starts faster with C1 only and the serial collector.
FAST_JVM = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"


def main(argv: list[str]) -> int:
    master, driver_ip, driver_port, block_manager_port, *extra = argv
    builder = (
        SparkSession.builder.master(master)
        .appName("glue-sg-netcheck")
        .config("spark.driver.host", driver_ip)
        .config("spark.driver.bindAddress", driver_ip)
        .config("spark.driver.port", driver_port)
        .config("spark.driver.blockManager.port", block_manager_port)
        .config("spark.driver.memory", "512m")
        .config("spark.driver.extraJavaOptions", FAST_JVM)
        .config("spark.executor.extraJavaOptions", FAST_JVM)
        .config("spark.executor.memory", "512m")
        .config("spark.executor.cores", "1")
        .config("spark.cores.max", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.port.maxRetries", "0")
    )
    for item in extra:
        key, value = item.split("=", 1)
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    try:
        df = spark.range(0, N, numPartitions=2).selectExpr("id % 10 AS k", "id")
        total = sum(row["sum(id)"] for row in df.groupBy("k").sum("id").collect())  # with a shuffle
        print(f"RESULT {total}", flush=True)
        return 0 if total == N * (N - 1) // 2 else 3
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

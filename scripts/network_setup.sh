#!/usr/bin/env bash
# Prepare a machine for `pytest tests/network -m network` (tox -e network).
# Installs, only when missing: iproute2 (ip netns), nftables (nft), a Java
# runtime for Spark, and pyspark 3.5 for the slow Spark test. Needs root for apt.
set -euo pipefail

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "network_setup: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import pyspark, sys; sys.exit(not pyspark.__version__.startswith("3.5."))' 2>/dev/null; then
    "$PYTHON" -m pip install -q "pyspark==3.5.*"
fi

ip netns list >/dev/null && nft --version && java -version 2>&1 | head -1
"$PYTHON" -c 'import pyspark; print("pyspark", pyspark.__version__)'

"""The bench's tree memory (harness.processes.TreeMemory): summed PSS of a process and every
descendant, not just the first."""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness.processes import TreeMemory

pytestmark = pytest.mark.unit

# A grandchild (a shell's child) that touches 160 MiB of its own pages, so they count in its PSS.
GRANDCHILD = "import time; b = bytearray(160 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/smaps_rollup")
def test_tree_memory_counts_the_grandchildren():
    proc = subprocess.Popen(["/bin/sh", "-c", f'"{sys.executable}" -c "{GRANDCHILD}"; true'])
    memory = TreeMemory(proc.pid, interval=0.1)
    proc.wait(timeout=60)
    memory.stop()

    assert memory.peak_kb >= 150 * 1024, f"peak {memory.peak_kb} KiB: the grandchild's 160 MiB were not counted"
    assert memory.peak_processes >= 2

"""``./run`` on a distribution's own Python: its virtualenv, never the interpreter's site-packages.

The first test needs a real system interpreter marked EXTERNALLY-MANAGED (PEP 668), such as Debian 12's
/usr/bin/python3: pip skips that check inside any virtualenv, so running it from tox's venv would prove
nothing. ``./run setup`` makes the venv and stops before tox runs anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from harness.paths import REPO

pytestmark = pytest.mark.unit

SYSTEM_PYTHON = Path("/usr/bin/python3")


def _externally_managed(python: Path) -> bool:
    if not python.exists():
        return False
    stdlib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    return (Path(stdlib) / "EXTERNALLY-MANAGED").is_file()


def run_script(*args: str, path: str, venv: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHON", "GLUE_NETCHECK_MIRROR_REPORTED")}
    env.update(PATH=path, RUN_VENV=str(venv))
    return subprocess.run(
        [str(REPO / "run"), *args], capture_output=True, text=True, env=env, timeout=timeout, stdin=subprocess.DEVNULL
    )


@pytest.mark.skipif(
    not _externally_managed(SYSTEM_PYTHON), reason=f"{SYSTEM_PYTHON} is not an EXTERNALLY-MANAGED system Python"
)
def test_run_setup_on_the_system_python_makes_and_reuses_its_own_venv(tmp_path):
    path = f"/usr/bin:{os.environ['PATH']}"
    venv = tmp_path / "run-venv"
    first = run_script("setup", path=path, venv=venv)
    assert first.returncode == 0, first.stderr
    lines = [line for line in first.stderr.splitlines() if line.startswith("./run: ")]
    assert lines[0] == f"./run: creating {venv} (tox inside) with Python {_version(SYSTEM_PYTHON)} from {SYSTEM_PYTHON}"
    assert f"./run: installing tox (with tox-uv) into {venv}" in lines
    assert any(line.startswith("./run: terraform providers: ") for line in lines), lines
    assert lines[-1].startswith("./run: ready: ") and str(venv) in lines[-1]
    assert (venv / "bin" / "tox").exists()
    assert subprocess.run([str(venv / "bin" / "python"), "-c", "import tox_uv"], timeout=60).returncode == 0
    # Nothing went into the interpreter it was given.
    untouched = subprocess.run([str(SYSTEM_PYTHON), "-c", "import tox"], capture_output=True, text=True, timeout=60)
    assert untouched.returncode != 0 and "No module named 'tox'" in untouched.stderr

    again = run_script("setup", path=path, venv=venv)
    assert again.returncode == 0, again.stderr
    assert "creating" not in again.stderr and "installing tox" not in again.stderr, again.stderr


def _version(python: Path) -> str:
    return subprocess.run([str(python), "-V"], capture_output=True, text=True, timeout=30).stdout.split()[1]


def test_run_names_the_venv_package_when_the_distribution_split_it_off(tmp_path):
    """Debian and Ubuntu without python3.X-venv: ``python3 -m venv`` fails for want of ensurepip."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "python3"
    stub.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then\n'
        '  mkdir -p "$3"\n'
        "  echo 'The virtual environment was not created successfully because ensurepip is not' >&2\n"
        "  echo 'available.  On Debian/Ubuntu systems, you need to install the python3-venv' >&2\n"
        "  exit 1\n"
        "fi\n"
        f'exec {sys.executable} "$@"\n'
    )
    stub.chmod(0o755)
    venv = tmp_path / "run-venv"
    result = run_script("setup", path=f"{bin_dir}:{os.environ['PATH']}", venv=venv, timeout=60)
    assert result.returncode == 2
    version = sysconfig.get_python_version()
    assert result.stderr.splitlines()[-1] == (
        f"./run: {stub} cannot make a virtualenv: its venv/ensurepip is packaged apart; install "
        f"python{version}-venv (apt-get install python{version}-venv) and run again"
    )
    assert not venv.exists()  # no half-made venv for the next run to trip on


def test_run_refuses_an_unknown_command_in_one_line(tmp_path):
    result = run_script("integrate", path=os.environ["PATH"], venv=tmp_path / "v", timeout=30)
    assert result.returncode == 2
    assert result.stderr == "./run: usage: ./run smoke|integration|tests|setup [tox args]\n"

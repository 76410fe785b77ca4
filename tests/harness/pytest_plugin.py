"""The harness as a pytest plugin: every option, and the modules with the fixtures and hooks.

Installed with the harness distribution (tests/pyproject.toml, entry point ``pytest11``), so every
suite, from any directory and under tox, has the same fixtures without a conftest.py at the root.

Options (group "glue"):
  --infra-dir PATH   run against another checkout of infra/ (INFRA_DIR too)
  --no-plan-cache    plan every fixture again (TF_PLAN_CACHE=0 too)
  --inventory-only   plan only these module instances of the batched inventory
  --backend NAME     integration backend: moto | localstack | aws (GLUE_TEST_BACKEND too)
  --region NAME      integration region (AWS_REGION too)
  --require-deploy   integration: fail when no stack was deployed (every deploying test skipped)

pytest finds its rootdir and its initial conftest.py files from the command line *before* any
conftest.py has added options. An option added only in conftest.py is unknown then, so in
``--infra-dir DIR`` (space form) pytest took DIR for a test path and loaded ``DIR/../conftest.py``:
with a full project copy, that copy's conftest.py added ``--infra-dir`` a second time ("option
names {'--infra-dir'} already added"). Registered here, by a plugin pytest loads before the
conftest files are looked for, DIR is the option's value and nothing else.

Also ``one_line``, the suites' one way to turn a HarnessError into a one-line failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

# Imported here, before pytest captures output, so that its lines reach the terminal (see there).
import harness.progress  # noqa: F401
from harness.errors import HarnessError

# Registered by pytest when it registers this module (entry point or ``-p``).
pytest_plugins = ("harness.plan_fixtures", "harness.session_reports")

INFRA_DIR_OPTION = "--infra-dir"
T = TypeVar("T")


def one_line(fn: Callable[[], T]) -> T:
    """Harness problems (no terraform, no provider, no emulator) fail in one line, not a traceback."""
    try:
        return fn()
    except HarnessError as exc:
        message = str(exc)
    pytest.fail(message, pytrace=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("glue", "Glue module suite")
    group.addoption(
        INFRA_DIR_OPTION, default=None, help="checkout of infra/ to test (default: this repo's; env INFRA_DIR)"
    )
    group.addoption("--no-plan-cache", action="store_true", help="ignore cached plans (env TF_PLAN_CACHE=0)")
    group.addoption(
        "--inventory-only",
        default=None,
        metavar="NAMES",
        help="plan only these module instances of the batched inventory (comma-separated: scenarios, "
        "variant_<name>, corpus and example modules), for a run that selects their tests (-k); "
        "a test of another instance fails naming this option",
    )
    # The integration suite (tests/integration): where to deploy. See tests/harness/backends.py.
    group.addoption(
        "--backend",
        choices=("moto", "localstack", "aws"),
        default=os.environ.get("GLUE_TEST_BACKEND") or "moto",
        help="integration backend: moto (embedded, default), localstack (LOCALSTACK_ENDPOINT), "
        "aws (sandbox; needs ALLOWED_AWS_ACCOUNT_IDS) (env GLUE_TEST_BACKEND)",
    )
    group.addoption(
        "--region",
        default=None,
        help="AWS region of the integration backend (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)",
    )
    group.addoption(
        "--require-deploy",
        action="store_true",
        help="integration: fail the run when no stack was deployed (CI: a green run that deployed nothing)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Without test paths, pytest picks its rootdir from ``--infra-dir DIR`` before any option is known:
    a full project copy then becomes the rootdir and its own tests would run. Say so instead."""
    args = [str(a) for a in config.invocation_params.args]
    if INFRA_DIR_OPTION not in args or args.index(INFRA_DIR_OPTION) + 1 >= len(args):
        return
    value = Path(config.invocation_params.dir, args[args.index(INFRA_DIR_OPTION) + 1]).resolve()
    invocation = Path(config.invocation_params.dir).resolve()
    rootpath = config.rootpath.resolve()
    if value.is_relative_to(rootpath) and not invocation.is_relative_to(rootpath):
        raise pytest.UsageError(
            f"{INFRA_DIR_OPTION} {value}: pytest took the directory for a test path and chose {rootpath} as its "
            f"rootdir (that checkout's own tests would run); give the test paths (e.g. tests/unit) or write "
            f"{INFRA_DIR_OPTION}={value}"
        )

"""Options pytest must know before it reads its arguments: loaded with ``-p harness.pytest_plugin``.

pytest finds its rootdir and its initial conftest.py files from the command line *before* any
conftest.py has added options. An option added only in conftest.py is unknown then, so in
``--infra-dir DIR`` (space form) pytest took DIR for a test path and loaded ``DIR/../conftest.py``:
with a full project copy, that copy's conftest.py added ``--infra-dir`` a second time ("option
names {'--infra-dir'} already added"). Registered here, from a plugin that pyproject's ``addopts``
loads before the conftest files are looked for, DIR is the option's value and nothing else.

Also ``one_line``, the suites' one way to turn a HarnessError into a one-line failure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

# Imported here, before pytest captures output, so that its lines reach the terminal (see there).
import harness.progress  # noqa: F401
from harness.errors import HarnessError

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
    parser.getgroup("glue", "Glue module suite").addoption(
        INFRA_DIR_OPTION, default=None, help="checkout of infra/ to test (default: this repo's; env INFRA_DIR)"
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

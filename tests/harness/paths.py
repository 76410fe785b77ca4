"""Where things are in this checkout: the only module that knows the repository's layout.

The harness is installed editable from tests/ (tests/pyproject.toml), so this file is always
``<checkout>/tests/harness/paths.py``. An environment variable that moves one of these places
(TF_PLAN_CACHE_DIR, GLUE_NETCHECK_RUNS_DIR, ...) is read where the place is used, not here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
GLUE_SCRIPTS = REPO / "glue_scripts"
SRC = REPO / "src"
SCRIPTS = REPO / "scripts"
DOCS = REPO / "docs"
FIXTURES = REPO / "tests" / "fixtures"
CORPUS = REPO / "tests" / "corpus"

# Inside the checkout, not the home directory: a fresh clone starts with nothing from an earlier run.
CACHE = REPO / ".cache"
PLAN_CACHE = CACHE / "plans"
PLUGIN_CACHE = CACHE / "plugin-cache"
RUNS = CACHE / "runs"
INTEGRATION_TIMINGS = CACHE / "integration-timings.json"


def load_module(path: Path, name: str | None = None) -> ModuleType:
    """Import a file that is not on sys.path (``scripts/*.py``, the digit-named Glue scripts) as a module.

    Registered in sys.modules under ``name`` (default: the file's stem) before it runs, as an import
    would, so that its dataclasses and pickling find their module."""
    name = name or path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module

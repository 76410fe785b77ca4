"""Test workspaces: copies of the modules under test plus generated roots.

Nothing is ever written to the source tree. A workspace directory holds:
  stack/            the root stack as a module (infra/ without providers.tf)
  variant_<name>/   a patched copy of stack/ per known-bad variant
  glue_scripts/     the job scripts the modules upload
  corpus/<case>/     configurations we did not write (tests/corpus), as modules
  <root>/main.tf.json  a generated root calling them with the fixture's inputs
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.constants import DEFAULT_REGION
from harness.corpus import Case, copy_case, load_corpus
from harness.errors import HarnessError
from harness.paths import FIXTURES, GLUE_SCRIPTS, INFRA

OFFLINE_REGION = DEFAULT_REGION
IGNORED = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate*", "*.tfplan", "__pycache__", "zz_*override.tf"
)

# Dummy credentials and skip flags: the plan makes no AWS API call at all.
OFFLINE_PROVIDER: dict[str, Any] = {
    "region": OFFLINE_REGION,
    "access_key": "offline-test",
    "secret_key": "offline-test",
    "skip_credentials_validation": True,
    "skip_requesting_account_id": True,
    "skip_metadata_api_check": True,
    "skip_region_validation": True,
}


@dataclass(frozen=True)
class Sources:
    """Where the modules under test and the scripts come from."""

    infra: Path
    scripts: Path

    @classmethod
    def locate(cls, infra_dir: str | None) -> Sources:
        infra = Path(infra_dir or os.environ.get("INFRA_DIR") or INFRA).resolve()
        if not (infra / "main.tf").is_file() or not (infra / "modules" / "glue").is_dir():
            raise HarnessError(f"--infra-dir {infra} is not a checkout of infra/ (needs main.tf and modules/glue)")
        scripts = infra.parent / "glue_scripts"
        if not scripts.is_dir():
            scripts = GLUE_SCRIPTS
        return cls(infra, scripts)


@dataclass
class Variant:
    name: str
    description: str
    expect: list[str]
    patches: list[dict[str, str]]
    module: str = "stack"
    inputs: dict[str, Any] = field(default_factory=dict)
    # Rules that must say "cannot verify" (not fail) on this variant.
    expect_unverifiable: list[str] = field(default_factory=list)


@dataclass
class Inventory:
    scenarios: dict[str, dict[str, Any]]
    variants: dict[str, Variant] = field(default_factory=dict)


def load_yaml(name: str) -> Any:
    with open(FIXTURES / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# One schema for a scenario (tests/fixtures/scenarios.yaml explains each key).
SCENARIO_KEYS = frozenset({"module", "inputs", "facts", "values", "counts"})


def load_scenarios(path: Path = FIXTURES / "scenarios.yaml") -> dict[str, dict[str, Any]]:
    scenarios: dict[str, dict[str, Any]] = yaml.safe_load(path.read_text())["scenarios"]
    for name, scenario in scenarios.items():
        # A misspelt key would otherwise hold expectations that nothing checks.
        unknown = sorted(set(scenario) - SCENARIO_KEYS)
        if unknown or "module" not in scenario:
            raise HarnessError(
                f"{path.name}: scenario {name}: needs `module`, may have {', '.join(sorted(SCENARIO_KEYS))}; "
                f"unknown: {', '.join(unknown) or 'none'}"
            )
    return scenarios


def load_inventory() -> Inventory:
    scenarios = load_scenarios()
    variants = {
        name: Variant(
            name,
            v["description"],
            list(v["expect"]),
            list(v["patches"]),
            v.get("module", "stack"),
            v.get("inputs") or {},
            list(v.get("expect_unverifiable") or []),
        )
        for name, v in load_yaml("variants.yaml")["variants"].items()
    }
    return Inventory(scenarios, variants)


def copy_stack(sources: Sources, dest: Path) -> None:
    """The root stack as a callable module: providers come from the caller."""
    shutil.copytree(sources.infra, dest, ignore=IGNORED)
    (dest / "providers.tf").unlink(missing_ok=True)


def copy_root(sources: Sources, dest: Path) -> Path:
    """The root stack as committed (providers.tf included) at ``dest/infra``, scripts beside it; returns the root."""
    shutil.copytree(sources.infra, dest / "infra", ignore=IGNORED)
    shutil.copytree(sources.scripts, dest / "glue_scripts", ignore=IGNORED)
    return dest / "infra"


def apply_patches(variant: Variant, root: Path) -> None:
    """Patch a copy of the real modules; a patch that no longer matches is an error, not a silent pass."""
    for p in variant.patches:
        path = root / p["file"]
        if not path.is_file():
            raise HarnessError(
                f"variant {variant.name}: {p['file']} does not exist in the modules; update tests/fixtures/variants.yaml"
            )
        text = path.read_text()
        count = text.count(p["replace"])
        if count != 1:
            raise HarnessError(
                f"variant {variant.name}: expected the text to patch exactly once in {p['file']}, found it {count} "
                f"times; the module changed, update tests/fixtures/variants.yaml: {p['replace']!r}"
            )
        path.write_text(text.replace(p["replace"], p["with"]))


def module_source(kind: str, variant: str | None = None) -> str:
    base = f"./variant_{variant}" if variant else "./stack"
    return {"stack": base, "vpc": f"{base}/modules/vpc", "glue": f"{base}/modules/glue"}[kind]


def module_block(kind: str, inputs: dict[str, Any], variant: str | None = None) -> dict[str, Any]:
    block = {"source": module_source(kind, variant), **inputs}
    if kind == "glue" and "scripts_dir" not in inputs:
        block["scripts_dir"] = "${path.root}/glue_scripts"
    return block


def write_root(root: Path, modules: dict[str, dict[str, Any]]) -> None:
    config: dict[str, Any] = {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.40, < 7.0"}}},
        "provider": {"aws": OFFLINE_PROVIDER},
        "module": modules,
    }
    (root / "main.tf.json").write_text(json.dumps(config, indent=2, sort_keys=True))


def new_workspace(sources: Sources, dest: Path) -> Path:
    """``dest`` with the stack as a module and the scripts it uploads beside it."""
    dest.mkdir(parents=True, exist_ok=True)
    copy_stack(sources, dest / "stack")
    shutil.copytree(sources.scripts, dest / "glue_scripts", ignore=IGNORED)
    return dest


def build_inventory_workspace(sources: Sources, inventory: Inventory, dest: Path) -> tuple[Path, dict[str, str]]:
    """One root with every good scenario, every known-bad variant and every corpus case as module instances.

    A variant whose patch no longer matches the modules is left out of the root and
    returned as ``{"variant_<name>": error}``: only that variant's tests fail (with
    the error naming the variant and the file), the rest of the batch still plans.
    Corpus cases marked ``standalone`` (a plan that must fail) are planned on their own.
    """
    new_workspace(sources, dest)
    modules: dict[str, dict[str, Any]] = {}
    broken: dict[str, str] = {}
    for name, scenario in inventory.scenarios.items():
        modules[name] = module_block(scenario["module"], scenario.get("inputs") or {})
    for name, variant in inventory.variants.items():
        vdir = dest / f"variant_{name}"
        copy_stack(sources, vdir)
        try:
            apply_patches(variant, vdir)
        except HarnessError as exc:
            shutil.rmtree(vdir)
            broken[f"variant_{name}"] = str(exc)
            continue
        prefix = ("bad-" + name.replace("_", "-"))[:24].rstrip("-")
        inputs = {"name_prefix": prefix, **variant.inputs}
        modules[f"variant_{name}"] = module_block(variant.module, inputs, variant=name)
    try:
        cases = list(load_corpus().values())
    except HarnessError as exc:
        # A malformed expectations.yaml fails the corpus tests (they load it too), not the batch.
        broken["corpus"] = str(exc)
        cases = []
    for case in cases:
        if not case.standalone:
            modules[case.module] = corpus_module(case, dest)
    write_root(dest, modules)
    return dest, broken


def corpus_module(case: Case, root: Path) -> dict[str, Any]:
    """Copy a corpus case below ``root`` and return its module block (no inputs: the case stands alone)."""
    copy_case(case, root / "corpus" / case.name)
    return {"source": f"./corpus/{case.name}"}


def build_corpus_case_workspace(case: Case, dest: Path) -> Path:
    """A root with one corpus case only, for a case whose plan must fail (it would break the batch)."""
    dest.mkdir(parents=True, exist_ok=True)
    write_root(dest, {case.module: corpus_module(case, dest)})
    return dest


def build_cases_workspace(sources: Sources, cases: dict[str, dict[str, Any]], dest: Path) -> Path:
    """One root whose every module instance has one bad input: the plan must fail with every message."""
    new_workspace(sources, dest)
    write_root(dest, {name: module_block(c["module"], c.get("inputs") or {}) for name, c in cases.items()})
    return dest


def tree_hash(root: Path, *extra: str) -> str:
    """Content hash of every file below root (paths relative), plus extra strings."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".terraform" not in p.parts):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    for e in extra:
        digest.update(e.encode())
    return digest.hexdigest()[:32]


def plan_cache_key(label: str, workspace: Path, terraform_version: str, mirror: str | None) -> str:
    """The key a planned workspace is cached under (the conftest fixtures and scripts/bench.py share it)."""
    return f"{label}-{tree_hash(workspace, terraform_version, str(mirror))}"


class PlanCache:
    """Plans stored by the hash of the workspace (module sources + inputs) and Terraform version."""

    def __init__(self, directory: Path, enabled: bool = True):
        self.directory = directory
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> dict[str, Any] | None:
        path = self.directory / f"{key}.json"
        if not self.enabled or not path.is_file():
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(path.read_text())

    def put(self, key: str, value: dict[str, Any]) -> None:
        if not self.enabled:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(value))
        tmp.replace(self.directory / f"{key}.json")


def slice_plan(plan: dict[str, Any], module_name: str) -> dict[str, Any]:
    """The part of a batched plan that belongs to one module instance (configuration kept whole)."""
    prefix = f"module.{module_name}"
    sliced = dict(plan)
    sliced["resource_changes"] = [
        rc
        for rc in plan.get("resource_changes", [])
        if rc.get("module_address", "") == prefix or rc.get("module_address", "").startswith(prefix + ".")
    ]
    return sliced

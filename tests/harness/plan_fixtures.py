"""The Terraform fixtures every suite shares: sources under test, terraform env, plan cache, the
batched inventory plan and its slices, corpus, bad-input and seed plans.

Part of the harness plugin (harness.pytest_plugin lists it). ``--infra-dir``, ``--no-plan-cache``
(TF_PLAN_CACHE=0 too; TF_PLAN_CACHE_DIR moves the cache) and ``--inventory-only`` are its options.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.errors import HarnessError
from harness.examples import build_unit_inventory
from harness.paths import PLAN_CACHE
from harness.pytest_plugin import one_line
from harness.terraform import Terraform, TerraformEnv, file_lock, make_terraform_env, terraform_version
from harness.workspace import (
    Inventory,
    PlanCache,
    Sources,
    load_inventory,
    plan_cache_key,
    slice_plan,
)


@pytest.fixture(scope="session")
def sources(request: pytest.FixtureRequest) -> Sources:
    return one_line(lambda: Sources.locate(request.config.getoption("--infra-dir")))


@pytest.fixture(scope="session")
def tfenv(tmp_path_factory: pytest.TempPathFactory) -> TerraformEnv:
    return one_line(lambda: make_terraform_env(tmp_path_factory.mktemp("terraform-cli")))


@pytest.fixture(scope="session")
def plan_cache(request: pytest.FixtureRequest) -> PlanCache:
    enabled = not request.config.getoption("--no-plan-cache") and os.environ.get("TF_PLAN_CACHE", "1") != "0"
    directory = Path(os.environ.get("TF_PLAN_CACHE_DIR") or PLAN_CACHE)
    return PlanCache(directory, enabled)


@pytest.fixture(scope="session")
def tf_version(tfenv: TerraformEnv) -> str:
    return terraform_version(tfenv.binary)


def cached_plan(
    workspace: Path, tfenv: TerraformEnv, cache: PlanCache, version: str, label: str, run: Callable[[Terraform], Any]
) -> Any:
    """Run ``run`` on a workspace unless a result for the same sources and inputs is cached."""
    key = plan_cache_key(label, workspace, version, tfenv.mirror)
    if key in _FAILED:
        pytest.fail(_FAILED[key], pytrace=False)
    with file_lock(cache.directory / f".{key}.lock"):
        hit = cache.get(key)
        if hit is not None:
            return hit
        tf = Terraform(workspace, tfenv, label=f"{label} ({workspace})")
        try:
            result = run_init_and(tf, run)
        except HarnessError as exc:
            # Every test that needs this plan fails with the same line, without planning again.
            _FAILED[key] = str(exc)
            pytest.fail(_FAILED[key], pytrace=False)
        cache.put(key, result)
        return result


_FAILED: dict[str, str] = {}


def run_init_and(tf: Terraform, run: Callable[[Terraform], Any]) -> Any:
    tf.init_offline()
    return run(tf)


@pytest.fixture(scope="session")
def inventory() -> Inventory:
    return load_inventory()


@pytest.fixture(scope="session")
def inventory_workspace(
    sources: Sources, inventory: Inventory, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Path, dict[str, str]]:
    """The batched root, and the variants left out of it because their patch no longer matches."""
    # infra/examples/* are module instances of the same root (harness.examples): a broken example fails here.
    only = request.config.getoption("--inventory-only")
    names = frozenset(n.strip() for n in only.split(",") if n.strip()) if only else None
    return one_line(lambda: build_unit_inventory(sources, inventory, tmp_path_factory.mktemp("inventory"), names))


@pytest.fixture(scope="session")
def inventory_plan(
    inventory_workspace: tuple[Path, dict[str, str]],
    tfenv: TerraformEnv,
    plan_cache: PlanCache,
    tf_version: str,
) -> dict[str, Any]:
    """One plan of every good scenario and every known-bad variant (tests/fixtures/*.yaml)."""
    workspace, _ = inventory_workspace
    return cached_plan(workspace, tfenv, plan_cache, tf_version, "inventory", lambda tf: tf.plan_json())


@pytest.fixture(scope="session")
def scenario_plan(
    inventory_plan: dict[str, Any], inventory_workspace: tuple[Path, dict[str, str]]
) -> Callable[[str], dict[str, Any]]:
    """The slice of the batched plan for one module instance (scenario, variant, corpus case, example);
    a broken variant, or an instance --inventory-only left out, fails only its own tests."""
    _, broken = inventory_workspace

    def plan_of(name: str) -> dict[str, Any]:
        if name in broken:
            pytest.fail(broken[name], pytrace=False)
        return slice_plan(inventory_plan, name)

    return plan_of


@pytest.fixture(scope="session")
def plan_sources(inventory_workspace: tuple[Path, dict[str, str]], inventory_plan: dict[str, Any]) -> Any:
    """The batched root's Terraform sources (glue_netcheck.sources), for the values its plan lost;
    one ``Sources`` serves every slice of the plan, as the CLI's ``--root`` does for a user's root."""
    from glue_netcheck.sources import Sources

    workspace, _ = inventory_workspace
    return Sources(workspace, inventory_plan)


@pytest.fixture(scope="session")
def scenario_deployment(scenario_plan: Callable[[str], dict[str, Any]], plan_sources: Any) -> Callable[..., Any]:
    """The model of one module instance of the batched plan, read with its sources (as a user's CLI run)."""
    from glue_netcheck.plan_adapter import deployment_from_plan

    def build(name: str, **kwargs: Any) -> Any:
        return deployment_from_plan(scenario_plan(name), source=f"plan:{name}", sources=plan_sources, **kwargs)

    return build


@pytest.fixture(scope="session")
def corpus_plan(
    scenario_plan: Callable[[str], dict[str, Any]],
    tfenv: TerraformEnv,
    plan_cache: PlanCache,
    tf_version: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], dict[str, Any]]:
    """The plan of one corpus case (tests/corpus): a slice of the batched inventory plan, or for a
    ``standalone`` case (a plan that must fail) its own plan, kept even when Terraform errors."""
    from harness.corpus import load_corpus
    from harness.workspace import build_corpus_case_workspace

    cases = one_line(load_corpus)

    def plan_of(name: str) -> dict[str, Any]:
        case = cases[name]
        if not case.standalone:
            return scenario_plan(case.module)
        workspace = one_line(lambda: build_corpus_case_workspace(case, tmp_path_factory.mktemp(case.module)))
        return cached_plan(
            workspace, tfenv, plan_cache, tf_version, case.module, lambda tf: tf.plan_json(allow_error=True)
        )

    return plan_of


@pytest.fixture(scope="session")
def default_stack_plan(scenario_plan: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The plan of the root stack with its defaults (sliced from the inventory plan)."""
    return scenario_plan("default")


@pytest.fixture(scope="session")
def invalid_input_cases() -> dict[str, dict[str, Any]]:
    from harness.workspace import load_yaml

    return load_yaml("invalid_inputs.yaml")["cases"]


@pytest.fixture(scope="session")
def invalid_inputs_plan(
    sources: Sources,
    invalid_input_cases: dict[str, dict[str, Any]],
    tfenv: TerraformEnv,
    plan_cache: PlanCache,
    tf_version: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, Any]]:
    """Per stage (validation, plan): one plan over its bad-input cases, exit code and error diagnostics."""
    from harness.workspace import build_cases_workspace

    def run(tf: Terraform) -> dict[str, Any]:
        code, diagnostics = tf.plan_diagnostics()
        return {"returncode": code, "diagnostics": diagnostics}

    results = {}
    for stage in sorted({c.get("stage", "validation") for c in invalid_input_cases.values()}):
        cases = {n: c for n, c in invalid_input_cases.items() if c.get("stage", "validation") == stage}
        workspace = one_line(
            lambda cases=cases, stage=stage: build_cases_workspace(sources, cases, tmp_path_factory.mktemp(stage))
        )
        results[stage] = cached_plan(workspace, tfenv, plan_cache, tf_version, f"invalid-{stage}", run)
    return results


@pytest.fixture(scope="session")
def seed_vpc_config_validation(
    sources: Sources,
    tfenv: TerraformEnv,
    plan_cache: PlanCache,
    tf_version: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """`terraform validate` of the stack with the seed's vpc_config block patched into the glue module."""
    from harness.workspace import Variant, apply_patches, copy_stack, load_yaml

    seed = load_yaml("seed_vpc_config.yaml")
    workspace = tmp_path_factory.mktemp("seed-vpc-config")
    stack = workspace / "stack"

    def build() -> None:
        copy_stack(sources, stack)
        apply_patches(Variant("seed_vpc_config", seed["description"], [], seed["patches"]), stack)

    one_line(build)

    def run(tf: Terraform) -> dict[str, Any]:
        code, diagnostics = tf.validate_diagnostics()
        # The expected summary and detail are not cached: the test reads them from the YAML each run.
        return {"returncode": code, "diagnostics": diagnostics}

    return cached_plan(stack, tfenv, plan_cache, tf_version, "seed-vpc-config", run)

"""infra/examples/<name>/ planned inside the batched inventory plan (no extra provider start).

The stack copy in an inventory workspace (``stack/``) carries infra/examples along, so an example's
``source = "../../modules/vpc"`` resolves to the modules under test and its ``scripts_dir`` of
``${path.module}/../../../glue_scripts`` to the workspace's scripts. Its ``providers.tf`` (for running
the example by hand) is dropped: the batched root's offline provider plans it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES = "examples"


def example_module(name: str) -> str:
    """The module name an example gets in the batched root (``glue-in-vpc`` -> ``example_glue_in_vpc``)."""
    return "example_" + name.replace("-", "_")


def example_names(infra: Path) -> list[str]:
    directory = infra / EXAMPLES
    return sorted(p.name for p in directory.iterdir() if (p / "main.tf").is_file()) if directory.is_dir() else []


def add_examples(workspace: Path, broken: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """Add every example of ``workspace/stack`` to ``workspace/main.tf.json``; returns the arguments."""
    stack = workspace / "stack"
    root = workspace / "main.tf.json"
    config: dict[str, Any] = json.loads(root.read_text())
    for name in example_names(stack):
        (stack / EXAMPLES / name / "providers.tf").unlink(missing_ok=True)
        config.setdefault("module", {})[example_module(name)] = {"source": f"./stack/{EXAMPLES}/{name}"}
    root.write_text(json.dumps(config, indent=2, sort_keys=True))
    return workspace, broken


def build_unit_inventory(
    sources: Any, inventory: Any, dest: Path, only: frozenset[str] | None = None
) -> tuple[Path, dict[str, str]]:
    """The batched root the unit suite plans (scenarios, variants, corpus cases and infra/examples)
    and what was left out of it: the variants whose patch no longer matches and, with ``only``
    (``--inventory-only``), every module instance not named there. The bench builds it here too,
    so its cache key is the suite's."""
    from harness.errors import HarnessError
    from harness.workspace import build_inventory_workspace

    workspace, broken = add_examples(*build_inventory_workspace(sources, inventory, dest))
    if only is None:
        return workspace, broken
    root = workspace / "main.tf.json"
    config: dict[str, Any] = json.loads(root.read_text())
    modules = config.get("module", {})
    unknown = sorted(only - set(modules) - set(broken))
    if unknown:
        raise HarnessError(
            f"--inventory-only: no module instance {', '.join(unknown)} in the inventory "
            f"(it has {', '.join(sorted(modules))})"
        )
    for name in set(modules) - only:
        del modules[name]
        broken[name] = f"{name} is not planned in this run (--inventory-only {','.join(sorted(only))})"
    root.write_text(json.dumps(config, indent=2, sort_keys=True))
    return workspace, broken

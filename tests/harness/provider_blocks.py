"""Refuse code under test that configures the AWS provider where the harness's override cannot reach.

The harness sends a deployment to one account and endpoint by overriding the root's one
``provider "aws"`` (harness.emulator.terraform_override, ``allowed_account_ids`` included).
Any other configuration of the provider deploys with this machine's own credentials, profile and
endpoints, and the run stays green: an aliased ``provider "aws"``, a provider block in a module, a
second local name for hashicorp/aws, another provider (a ``required_providers`` entry, a resource
type it implies). Root provider arguments that choose credentials or endpoints the override does
not replace (``profile``, ``assume_role``, ``shared_config_files``, ...) are refused too: only
ROOT_ARGUMENTS may stay. Module sources must be local paths: other code cannot be read before init.

``refuse_uncovered_providers(root)`` reads the root and every module it calls (python-hcl2 for
``.tf``, json for ``.tf.json``) before any terraform command, and raises ``ProviderRefused``
naming the first such block by file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import HarnessError

AWS_SOURCES = {"hashicorp/aws", "registry.terraform.io/hashicorp/aws"}
# What a root's provider "aws" may set: what the override replaces, and what chooses no account or endpoint.
ROOT_ARGUMENTS = frozenset(
    {
        "region",
        "default_tags",
        "ignore_tags",
        "endpoints",
        "s3_use_path_style",
        "skip_credentials_validation",
        "skip_metadata_api_check",
        "skip_region_validation",
    }
)
# Resource types Terraform serves itself (terraform_data, terraform_remote_state): no provider.
BUILTIN_PREFIX = "terraform"


class ProviderRefused(HarnessError):
    """The code under test configures the AWS provider outside the override: one line, before terraform runs."""


@dataclass(frozen=True)
class Block:
    kind: str
    labels: tuple[str, ...]
    body: dict[str, Any]
    where: str  # file:line (file alone for JSON), relative to the root's parent


def _unquote(text: Any) -> str:
    return text[1:-1] if isinstance(text, str) and len(text) >= 2 and text[0] == text[-1] == '"' else str(text)


def _blocks(directory: Path, base: Path) -> Iterator[Block]:
    import hcl2

    for path in sorted(directory.glob("*.tf")):
        where = path.relative_to(base)
        for rule in hcl2.parses(path.read_text(encoding="utf-8")).body.children:
            if type(rule).__name__ == "BlockRule":
                kind, *labels = (_unquote(label.serialize()) for label in rule.labels)
                # python-hcl2 8 ignores with_meta: the line is on the rule's parse metadata.
                yield Block(kind, tuple(labels), rule.body.serialize(), f"{where}:{rule._meta.line}")
    for path in sorted(directory.glob("*.tf.json")):
        for kind, value in json.loads(path.read_text(encoding="utf-8")).items():
            yield from _json_blocks(kind, value, str(path.relative_to(base)))


def _json_blocks(kind: str, value: Any, where: str) -> Iterator[Block]:
    """JSON syntax: ``{"provider": {"aws": {...} | [{...}]}}``, ``{"resource": {"aws_vpc": {"x": {...}}}}``, ..."""
    depth = {"provider": 1, "module": 1, "resource": 2, "data": 2}.get(kind, 0)

    def walk(node: Any, labels: tuple[str, ...]) -> Iterator[Block]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item, labels)
        elif len(labels) < depth and isinstance(node, dict):
            for label, inner in node.items():
                yield from walk(inner, (*labels, label))
        elif isinstance(node, dict):
            yield Block(kind, labels, node, where)

    yield from walk(value, ())


def _required_providers(block: Block) -> Iterator[tuple[str, str]]:
    """(local name, source) of a ``terraform`` block's required_providers."""
    for entry in block.body.get("required_providers") or []:
        for name, spec in entry.items() if isinstance(entry, dict) else ():
            if name.startswith("__"):
                continue
            source = _unquote(spec.get("source", "")) if isinstance(spec, dict) else ""
            yield name, (source or f"hashicorp/{name}").lower()


def _problem(block: Block, in_root: bool) -> tuple[str, str] | None:
    """(what ``block`` does that escapes the override, the fix), or None."""
    if block.kind == "provider":
        name = block.labels[0] if block.labels else "?"
        if not in_root:
            return f'configures provider "{name}" inside a module', "remove it: a module inherits the root's provider"
        if name != "aws":
            return f'configures provider "{name}"', 'remove it: only the root\'s provider "aws" is overridden'
        if "alias" in block.body:
            alias = _unquote(block.body["alias"])
            return f'configures provider "aws" alias "{alias}"', "remove it and use the root's provider"
        dynamic = {_unquote(label) for entry in block.body.get("dynamic") or [] for label in entry}
        arguments = {k for k in set(block.body) | dynamic if not k.startswith("__")} - {"dynamic"}
        extra = sorted(arguments - ROOT_ARGUMENTS)
        if extra:
            allowed = ", ".join(sorted(ROOT_ARGUMENTS))
            return f'sets {", ".join(extra)} in provider "aws"', f"remove it (a root's provider may set {allowed})"
    elif block.kind == "terraform":
        for name, source in _required_providers(block):
            if source not in AWS_SOURCES:
                return f'requires provider {name} = "{source}"', "remove it: only hashicorp/aws is overridden"
            if name != "aws":
                return f'names hashicorp/aws "{name}" in required_providers', 'call it "aws"'
    elif block.kind in ("resource", "data") and block.labels:
        prefix = block.labels[0].split("_", 1)[0]
        if prefix not in ("aws", BUILTIN_PREFIX):
            return f"declares {block.kind} {block.labels[0]}, which implies provider {prefix}", "remove it"
    elif block.kind == "module":
        source = _unquote(block.body.get("source", ""))
        if not source.startswith(("./", "../")):
            return f'calls module "{source}", whose code cannot be read before init', "use a local path (./ or ../)"
    return None


def refuse_uncovered_providers(root: Path) -> None:
    """ProviderRefused naming the first block of ``root`` or its modules that the override does not cover."""
    root = root.resolve()
    base = root.parent  # the workspace copy: everything the run may read
    pending, seen = [root], set()
    while pending:
        directory = pending.pop(0)
        if directory in seen:
            continue
        seen.add(directory)
        for block in _blocks(directory, base):
            problem = _problem(block, directory == root)
            target = (directory / _unquote(block.body.get("source", ""))).resolve()
            if block.kind == "module" and not problem and not target.is_relative_to(base):
                problem = f"calls module {target}, outside the code under test", "keep modules inside it"
            if problem:
                what, fix = problem
                raise ProviderRefused(
                    f"refusing to run {root.name}/: {block.where} {what}, which the harness's override of the root's "
                    'provider "aws" does not cover (it would reach AWS with this machine\'s own credentials and '
                    f"endpoints): {fix}"
                )
            if block.kind == "module":
                pending.append(target)

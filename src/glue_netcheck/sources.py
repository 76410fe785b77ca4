"""The Terraform sources of a plan's root: one HCL reader for values the plan lost and for locations.

``Sources.load(root, plan)`` parses the root module's ``*.tf`` / ``*.tf.json`` files and those of
every module the plan calls (local ``source`` paths, or the directories ``terraform init`` recorded in
``.terraform/modules/modules.json``). A module's sources are used only when they declare exactly the
resources the plan's configuration says that module has; otherwise they are left out with a note
(stale sources never answer for a plan).

It serves two readers:

* ``value_of(ix, rc, path)``: an attribute known only after apply, evaluated from its expression
  (``hcl_eval``), so that a map or list keeps its known elements and a local can be followed;
* ``location(address)``: the file and line of a resource block, or of the ``module`` call that
  brings a module whose sources are outside the root.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Token, Tree

from glue_netcheck.facts import Fact, Known, Unknown
from glue_netcheck.hcl_eval import Evaluator, JsonExpr, ModuleInstance, Scope, _Namespace, opaque
from glue_netcheck.plan_index import PlanIndex, Rc, config_path, dig

_INSTANCE = re.compile(r'^(?P<name>[^\[]+)(?:\[(?P<key>"(?:[^"\\]|\\.)*"|\d+)\])?$')


@dataclass
class Block:
    kind: str  # resource | data | module | variable | output | locals
    labels: tuple[str, ...]
    attributes: dict[str, Any]  # name -> expression (a Lark tree, or JsonExpr)
    blocks: dict[str, list[Block]]  # nested blocks by type ("dynamic" blocks under "dynamic:<name>")
    file: Path
    line: int


@dataclass
class ModuleSources:
    directory: Path
    resources: dict[str, Block] = field(default_factory=dict)  # "aws_x.y" / "data.aws_x.y"
    module_calls: dict[str, Block] = field(default_factory=dict)
    variables: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, tuple[Any, Path, int]] = field(default_factory=dict)


# Parsed files by content: the suite's workspaces hold many copies of the same modules.
_TREES: dict[str, Any] = {}


def _label(node: Any) -> str:
    if isinstance(node, Token):
        return node.value
    if node.data in ("identifier", "keyword", "literal_value"):
        return node.children[0].value
    if node.data == "string":
        return "".join(
            p.children[0].value for p in node.children if isinstance(p, Tree) and isinstance(p.children[0], Token)
        )
    return str(node)


def _hcl_body(body: Tree, file: Path) -> tuple[dict[str, Any], dict[str, list[Block]], list[Block]]:
    attributes: dict[str, Any] = {}
    blocks: dict[str, list[Block]] = {}
    ordered: list[Block] = []
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _label(child.children[0])
            attributes[name] = child.children[-1]
        elif child.data == "block":
            parts = [
                c for c in child.children if not (isinstance(c, Token) or c.data in ("new_line_or_comment", "body"))
            ]
            inner = next(c for c in child.children if isinstance(c, Tree) and c.data == "body")
            kind = _label(parts[0])
            labels = tuple(_label(p) for p in parts[1:])
            sub_attrs, sub_blocks, _ = _hcl_body(inner, file)
            block = Block(kind, labels, sub_attrs, sub_blocks, file, child.meta.line if hasattr(child, "meta") else 0)
            key = f"dynamic:{labels[0]}" if kind == "dynamic" and labels else kind
            blocks.setdefault(key, []).append(block)
            ordered.append(block)
    return attributes, blocks, ordered


def _json_blocks(data: Any, file: Path) -> list[Block]:
    """Top-level blocks of a .tf.json document (line numbers are not kept: 1)."""
    out: list[Block] = []
    if not isinstance(data, dict):
        return out

    def body(value: Any) -> tuple[dict[str, Any], dict[str, list[Block]]]:
        attrs = {k: JsonExpr(v) for k, v in (value or {}).items()} if isinstance(value, dict) else {}
        return attrs, {}

    for kind, value in data.items():
        if kind in ("resource", "data") and isinstance(value, dict):
            for rtype, named in value.items():
                for name, spec in (named or {}).items():
                    for one in spec if isinstance(spec, list) else [spec]:
                        attrs, _ = body(one)
                        out.append(Block(kind, (rtype, name), attrs, {}, file, 1))
        elif kind in ("module", "variable", "output") and isinstance(value, dict):
            for name, spec in value.items():
                for one in spec if isinstance(spec, list) else [spec]:
                    attrs, _ = body(one)
                    out.append(Block(kind, (name,), attrs, {}, file, 1))
        elif kind == "locals":
            for one in value if isinstance(value, list) else [value]:
                attrs, _ = body(one)
                out.append(Block("locals", (), attrs, {}, file, 1))
    return out


def parse_directory(directory: Path) -> ModuleSources:
    """The blocks of every ``*.tf`` and ``*.tf.json`` file of one module directory."""
    import hcl2

    files = sorted([*directory.glob("*.tf"), *directory.glob("*.tf.json")])
    module = ModuleSources(directory)
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.name.endswith(".tf.json"):
            blocks = _json_blocks(json.loads(text), f)
        else:
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest not in _TREES:
                _TREES[digest] = hcl2.parses_to_tree(text)
            _, _, blocks = _hcl_body(_TREES[digest].children[0], f)
        for b in blocks:
            if b.kind == "resource" and len(b.labels) == 2:
                module.resources[f"{b.labels[0]}.{b.labels[1]}"] = b
            elif b.kind == "data" and len(b.labels) == 2:
                module.resources[f"data.{b.labels[0]}.{b.labels[1]}"] = b
            elif b.kind == "module" and b.labels:
                module.module_calls[b.labels[0]] = b
            elif b.kind == "variable" and b.labels:
                module.variables[b.labels[0]] = b
            elif b.kind == "output" and b.labels:
                module.outputs[b.labels[0]] = b
            elif b.kind == "locals":
                for name, expr in b.attributes.items():
                    module.locals[name] = (expr, b.file, b.line)
    return module


def split_instance(module_address: str) -> tuple[str, str, Any]:
    """``module.a["k"].module.b[0]`` -> (``module.a["k"]``, ``b``, 0); the key is None without one."""
    parts = _module_segments(module_address)
    parent = ".".join(f"module.{p}" for p in parts[:-1])
    m = _INSTANCE.match(parts[-1])
    if m is None:
        return parent, parts[-1], None
    raw = m.group("key")
    key: Any = None if raw is None else (json.loads(raw) if raw.startswith('"') else int(raw))
    return parent, m.group("name"), key


def _module_segments(address: str) -> list[str]:
    """The call segments of a module instance address, keys kept: ['a["x.y"]', 'b']."""
    out: list[str] = []
    i = 0
    while address.startswith("module.", i):
        i += len("module.")
        j = i
        depth = 0
        in_string = False
        while j < len(address):
            ch = address[j]
            if in_string:
                if ch == "\\":
                    j += 1
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
            elif ch == "." and depth == 0:
                break
            j += 1
        out.append(address[i:j])
        i = j + 1
    return out


class Sources:
    """The parsed sources of a root and its modules, checked against one plan."""

    def __init__(self, root: Path, plan: dict[str, Any]):
        self.root = root.resolve()
        self.plan = plan
        self.modules: dict[str, ModuleSources] = {}  # by configuration path ("", "module.a.module.b")
        self.notes: list[str] = []
        self.evaluator = Evaluator()
        self._locals: dict[tuple[str, str], Any] = {}
        self._outputs: dict[tuple[str, str], Any] = {}
        self._each: dict[tuple[str, str, Any], Any] = {}
        self._ix: PlanIndex | None = None
        self._module_json = self._read_modules_json()
        self._load("", self.root, (plan.get("configuration") or {}).get("root_module") or {})

    @classmethod
    def load(cls, root: Path, plan: dict[str, Any]) -> Sources | None:
        """The sources of ``root`` for ``plan``, or None when ``root`` holds no Terraform file."""
        if not root.is_dir() or not ([*root.glob("*.tf")] or [*root.glob("*.tf.json")]):
            return None
        return cls(root, plan)

    # --- loading ----------------------------------------------------------------------------
    def _read_modules_json(self) -> dict[str, Path]:
        manifest = self.root / ".terraform" / "modules" / "modules.json"
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {m.get("Key", ""): self.root / m.get("Dir", ".") for m in data.get("Modules", []) if isinstance(m, dict)}

    def _load(self, path: str, directory: Path, config: dict[str, Any]) -> None:
        try:
            module = parse_directory(directory)
        except Exception as exc:  # a file python-hcl2 cannot read: the module's sources are not used
            self.notes.append(f"sources of {path or 'the root module'} in {directory} could not be read ({exc})")
            return
        planned = {r.get("address") for r in config.get("resources") or [] if isinstance(r, dict)}
        declared = set(module.resources)
        if planned != declared:
            missing = sorted(planned - declared)[:3]
            extra = sorted(declared - planned)[:3]
            self.notes.append(
                f"sources of {path or 'the root module'} in {directory} do not match the plan "
                f"(plan only: {missing}, sources only: {extra}); values the plan lost there stay unknown"
            )
            return
        self.modules[path] = module
        for name, call in (config.get("module_calls") or {}).items():
            child = f"{path}.module.{name}" if path else f"module.{name}"
            source = str(call.get("source") or "")
            key = ".".join(child.split(".")[1::2])
            if key in self._module_json:
                child_dir = self._module_json[key]
            elif source.startswith(("./", "../")):
                child_dir = directory / source
            else:
                self.notes.append(f"module {child} ({source}) has no local sources (run terraform init in {self.root})")
                continue
            self._load(child, child_dir, call.get("module") or {})

    # --- what the evaluator asks ---------------------------------------------------------------
    def module_dir(self, module_address: str) -> Path | None:
        module = self.modules.get(config_path(module_address))
        return module.directory if module else None

    def path_object(self, module_address: str) -> dict[str, str]:
        module_dir = self.module_dir(module_address) or self.root
        return {"module": _relative(module_dir, self.root), "root": ".", "cwd": str(self.root)}

    def _scope(self, module_address: str) -> Scope:
        assert self._ix is not None
        return Scope(self, self._ix, module_address)

    def variable(self, scope: Scope, name: str) -> Any:
        module = self.modules.get(config_path(scope.module_address))
        declared = module.variables.get(name) if module else None
        if not scope.module_address:
            variables = self.plan.get("variables") or {}
            if name in variables and isinstance(variables[name], dict):
                value = variables[name].get("value")
                if value is None and declared is not None and self._not_nullable(declared, scope):
                    return self._default(declared, scope)
                return value
            return self._default(declared, scope)
        parent, call_name, key = split_instance(scope.module_address)
        parent_module = self.modules.get(config_path(parent))
        call = parent_module.module_calls.get(call_name) if parent_module else None
        if call is None:
            return opaque(f"the module call of {scope.module_address} is not in the sources")
        if name not in call.attributes:
            return self._default(declared, scope)
        parent_scope = self._instance_scope(parent, call, key)
        value = self.evaluator.evaluate(call.attributes[name], parent_scope)
        if value is None and declared is not None and self._not_nullable(declared, scope):
            return self._default(declared, scope)
        if declared is not None and "type" in declared.attributes:
            value = apply_type_defaults(value, declared.attributes["type"], self.evaluator, parent_scope)
        return value

    def _not_nullable(self, declared: Block, scope: Scope) -> bool:
        return (
            "nullable" in declared.attributes
            and self.evaluator.evaluate(declared.attributes["nullable"], scope) is False
        )

    def _default(self, declared: Block | None, scope: Scope) -> Any:
        if declared is None:
            return opaque("a variable the sources do not declare")
        if "default" not in declared.attributes:
            return None
        value = self.evaluator.evaluate(declared.attributes["default"], scope)
        if "type" in declared.attributes:
            value = apply_type_defaults(value, declared.attributes["type"], self.evaluator, scope)
        return value

    def _instance_scope(self, module_address: str, block: Block, key: Any) -> Scope:
        """The scope of a block with count/for_each (resource or module call) for one instance key."""
        scope = self._scope(module_address)
        if key is None:
            return scope
        if isinstance(key, int) and "count" in block.attributes:
            scope.count_index = key
            return scope
        if "for_each" in block.attributes:
            memo = (module_address, f"{block.kind}.{'.'.join(block.labels)}", key)
            if memo not in self._each:
                collection = self.evaluator.evaluate(block.attributes["for_each"], self._scope(module_address))
                if isinstance(collection, Unknown):
                    value: Any = collection
                elif isinstance(collection, dict):
                    value = collection.get(str(key), opaque(f"for_each has no key {key}"))
                elif isinstance(collection, list):
                    value = key if key in collection else opaque(f"for_each has no element {key}")
                else:
                    value = opaque("for_each of something that is not a collection")
                self._each[memo] = value
            scope.has_each = True
            scope.each_key = key
            scope.each_value = self._each[memo]
        return scope

    def local(self, scope: Scope, name: str) -> Any:
        memo = (scope.module_address, name)
        if memo in self._locals:
            return self._locals[memo]
        module = self.modules.get(config_path(scope.module_address))
        if module is None or name not in module.locals:
            return opaque(f"local.{name} is not in the sources")
        self._locals[memo] = opaque(f"local.{name} refers to itself")  # a cycle resolves to opaque
        value = self.evaluator.evaluate(module.locals[name][0], self._scope(scope.module_address))
        self._locals[memo] = value
        return value

    def module_value(self, scope: Scope, call_name: str) -> Any:
        module = self.modules.get(config_path(scope.module_address))
        call = module.module_calls.get(call_name) if module else None
        if call is None:
            return opaque(f"module.{call_name} is not in the sources")
        child = f"{scope.module_address}.module.{call_name}" if scope.module_address else f"module.{call_name}"
        if "count" not in call.attributes and "for_each" not in call.attributes:
            return ModuleInstance(child)
        assert self._ix is not None
        instances = sorted(self._ix.module_instances(config_path(child)))
        own = [
            a for a in instances if split_instance(a)[0] == scope.module_address and split_instance(a)[1] == call_name
        ]
        keyed = {split_instance(a)[2]: ModuleInstance(a) for a in own}
        if "count" in call.attributes:
            return [keyed[k] for k in sorted(k for k in keyed if isinstance(k, int))]
        return {str(k): v for k, v in sorted(keyed.items(), key=lambda kv: str(kv[0]))}

    def output(self, module_address: str, name: str) -> Any:
        memo = (module_address, name)
        if memo in self._outputs:
            return self._outputs[memo]
        module = self.modules.get(config_path(module_address))
        block = module.outputs.get(name) if module else None
        if block is None or "value" not in block.attributes:
            return opaque(f"output {name} of {module_address} is not in the sources")
        self._outputs[memo] = opaque(f"output {name} refers to itself")
        value = self.evaluator.evaluate(block.attributes["value"], self._scope(module_address))
        self._outputs[memo] = value
        return value

    def resource_value(self, scope: Scope, local: str) -> Any:
        from glue_netcheck.hcl_eval import resource_object

        assert self._ix is not None
        module = self.modules.get(config_path(scope.module_address))
        block = module.resources.get(local) if module else None
        instances = self._ix.instances_of(scope.module_address, local)
        if block is not None and "count" in block.attributes:
            return [resource_object(self._ix, rc) for rc in instances if isinstance(rc.get("index"), int)]
        if block is not None and "for_each" in block.attributes:
            return {str(rc.get("index")): resource_object(self._ix, rc) for rc in instances}
        if len(instances) == 1:
            return resource_object(self._ix, instances[0])
        return opaque(f"{local} is not in the plan")

    # --- what PlanFacts asks -----------------------------------------------------------------------
    def value_of(self, ix: PlanIndex, rc: Rc, path: tuple[str | int, ...]) -> Fact | None:
        """The attribute at ``path`` of a resource instance, evaluated from the sources; None when they cannot say."""
        if ix is not self._ix:
            # Evaluations read resource values: a new plan (or a slice, or a mutated copy) starts afresh.
            self._ix = ix
            self._locals.clear()
            self._outputs.clear()
            self._each.clear()
        module_address = rc.get("module_address", "")
        module = self.modules.get(config_path(module_address))
        local = f"{rc['type']}.{rc['name']}" if rc.get("mode") == "managed" else f"data.{rc['type']}.{rc['name']}"
        block = module.resources.get(local) if module else None
        if block is None or not path or not isinstance(path[0], str):
            return None
        expr = None
        if len(path) == 1:
            expr = block.attributes.get(path[0])
        scope = self._instance_scope(module_address, block, rc.get("index"))
        if len(path) == 3 and isinstance(path[1], int) and isinstance(path[2], str):
            nested = self._matching_block(rc, block, path[0], path[1], scope)
            expr = nested.attributes.get(path[2]) if nested is not None else None
        if expr is None:
            return None
        value = self.evaluator.evaluate(expr, scope)
        if isinstance(value, ModuleInstance | _Namespace):
            return None
        return value if isinstance(value, Unknown) else Known(value)

    def _matching_block(self, rc: Rc, block: Block, kind: str, index: int, scope: Scope) -> Block | None:
        """The nested block of the sources that planned element ``index`` of ``kind`` came from.

        Blocks of a set (a group's ``ingress``) are planned in another order than written, so an
        element is matched by its known fields: the one block whose every literal field agrees.
        With ``dynamic`` blocks of that kind the sources cannot say.
        """
        if f"dynamic:{kind}" in block.blocks:
            return None
        nested = block.blocks.get(kind, [])
        if len(nested) == 1:
            return nested[0] if index == 0 else None
        element = dig((rc.get("change") or {}).get("after") or {}, kind, index)
        if not isinstance(element, dict):
            return None
        matches = []
        for candidate in nested:
            agrees = True
            for name, expr in candidate.attributes.items():
                planned = element.get(name)
                if planned is None or isinstance(planned, list | dict):
                    continue
                value = self.evaluator.evaluate(expr, scope)
                if isinstance(value, Unknown):
                    continue
                if value != planned and str(value) != str(planned):
                    agrees = False
                    break
            if agrees:
                matches.append(candidate)
        return matches[0] if len(matches) == 1 else None

    # --- where a resource is written --------------------------------------------------------------
    def location(self, address: str) -> tuple[Path, int] | None:
        """The file and line of a resource block (or of the module call that brings it), for reports."""
        module_address, local = _split_resource_address(address)
        path = config_path(module_address)
        while True:
            module = self.modules.get(path)
            if module is not None and _inside(module.directory, self.root):
                block = module.resources.get(local)
                return (block.file, block.line) if block else None
            if not path:
                return None
            parent_path = ".".join(path.split(".")[:-2])
            parent = self.modules.get(parent_path)
            call_name = path.split(".")[-1]
            if parent is not None and _inside(parent.directory, self.root) and call_name in parent.module_calls:
                call = parent.module_calls[call_name]
                return call.file, call.line
            path = parent_path


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root)) or "."
    except ValueError:
        return str(path)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return ".terraform" not in path.resolve().relative_to(root).parts


def _split_resource_address(address: str) -> tuple[str, str]:
    segments = _module_segments(address)
    module_address = ".".join(f"module.{s}" for s in segments)
    rest = address[len(module_address) + 1 :] if module_address else address
    rest = re.sub(r"\[[^\]]*\]$", "", rest)
    return module_address, rest


def apply_type_defaults(value: Any, type_expr: Any, evaluator: Evaluator, scope: Scope) -> Any:
    """Fill ``optional(T, default)`` attributes of an object type, as Terraform does for a module input."""
    if isinstance(value, Unknown) or value is None or not isinstance(type_expr, Tree):
        return value
    call = _type_call(type_expr)
    if call is None:
        return value
    name, args = call
    if name in ("map",) and isinstance(value, dict) and args:
        return {k: apply_type_defaults(v, args[0], evaluator, scope) for k, v in value.items()}
    if name in ("list", "set") and isinstance(value, list) and args:
        return [apply_type_defaults(v, args[0], evaluator, scope) for v in value]
    if name == "object" and isinstance(value, dict) and args:
        attrs = _object_type_attrs(args[0])
        out = dict(value)
        for attr, attr_type in attrs.items():
            inner = _type_call(attr_type)
            if (attr not in out or out[attr] is None) and inner is not None and inner[0] == "optional":
                out[attr] = evaluator.evaluate(inner[1][1], scope) if len(inner[1]) > 1 else None
                if out[attr] is not None:
                    out[attr] = apply_type_defaults(out[attr], inner[1][0], evaluator, scope)
                continue
            if attr in out:
                target = inner[1][0] if inner is not None and inner[0] == "optional" else attr_type
                out[attr] = apply_type_defaults(out[attr], target, evaluator, scope)
        return out
    return value


def _type_call(node: Any) -> tuple[str, list[Any]] | None:
    """``map(string)`` -> ("map", [string]); an identifier (``string``) or anything else -> None."""
    while (
        isinstance(node, Tree)
        and node.data == "expr_term"
        and len([c for c in node.children if isinstance(c, Tree)]) == 1
    ):
        node = next(c for c in node.children if isinstance(c, Tree))
    if not isinstance(node, Tree) or node.data != "function_call":
        return None
    name = next(c.children[0].value for c in node.children if isinstance(c, Tree) and c.data == "identifier")
    args_node = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
    args = (
        [a for a in args_node.children if isinstance(a, Tree) and a.data != "new_line_or_comment"] if args_node else []
    )
    return name, args


def _object_type_attrs(node: Any) -> dict[str, Any]:
    while isinstance(node, Tree) and node.data == "expr_term":
        node = next(c for c in node.children if isinstance(c, Tree))
    out: dict[str, Any] = {}
    if not isinstance(node, Tree) or node.data != "object":
        return out
    for elem in node.children:
        if isinstance(elem, Tree) and elem.data == "object_elem":
            trees = [c for c in elem.children if isinstance(c, Tree)]
            key_tree = trees[0]
            out[_key_text(key_tree)] = trees[-1]
    return out


def _key_text(node: Tree) -> str:
    for sub in node.iter_subtrees_topdown():
        if sub.data == "identifier":
            return sub.children[0].value
        if sub.data == "string":
            return _label(sub)
    return ""


__all__ = ["Sources", "dig"]


class Locator:
    """Where a plan address is written, as a code scanner wants it: a path relative to the repository
    that holds the root (its ``.git``; else the current directory) and the block's first line.

    ``fallback`` is the root's main file, line 1, for a finding no block can be found for (a live
    fact, a finding about several jobs): code scanning shows a result only at a file location.
    """

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.base = _repository_of(sources.root)
        files = sorted(sources.root.glob("*.tf")) or sorted(sources.root.glob("*.tf.json"))
        main = sources.root / "main.tf"
        first = main if main.is_file() else (files[0] if files else sources.root)
        self.fallback = (self._uri(first), 1)

    def _uri(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.base).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def __call__(self, address: str) -> tuple[str, int] | None:
        found = self.sources.location(address) if address else None
        return (self._uri(found[0]), max(found[1], 1)) if found else None


def _repository_of(directory: Path) -> Path:
    for candidate in [directory.resolve(), *directory.resolve().parents]:
        if (candidate / ".git").exists():
            return candidate
    return Path.cwd().resolve()

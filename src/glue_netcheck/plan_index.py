"""Read a Terraform plan (``terraform show -json``) and resolve references through its configuration.

Generic Terraform knowledge only; the Glue mapping lives in ``plan_adapter``.

Values known only after apply are ``null`` in ``after`` and flagged in
``after_unknown``. The plan's ``configuration`` still says which resources an
expression refers to, so ``PlanIndex.resolve`` follows an expression's references
across ``var.`` (module inputs), ``module.X.out`` (module outputs, with an
element index such as ``module.vpc.private_subnets[0]``), ``each.value`` (the
``for_each`` collection), ``count.index`` and explicit indexes down to resource
instances. ``local.`` values are not in the plan JSON: what hides behind a local
stays unresolved, and callers report it as unknown rather than guess.

Every lookup is a dictionary access, so reading a plan is linear in its size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from glue_netcheck.errors import UnusablePlan

_INDEX = re.compile(r"\[[^\]]*\]")
_SEGMENT = re.compile(r'([^.\[]+)((?:\[(?:"[^"]*"|[^\]]*)\])*)')
_ONE_INDEX = re.compile(r'\[("(?:[^"]*)"|[^\]]*)\]')

Rc = dict[str, Any]  # one entry of resource_changes (or a data source read at plan time)


@dataclass(frozen=True)
class Target:
    """A resource instance an expression refers to, and the attribute path it reads (``id``, ``arn`` ...)."""

    rc: Rc
    attr: str


def _segments(ref: str) -> list[tuple[str, list[Any]]]:
    """``module.vpc.private_subnets[0]`` -> [(module, []), (vpc, []), (private_subnets, [0])]."""
    out = []
    for name, indexes in _SEGMENT.findall(ref):
        keys: list[Any] = []
        for raw in _ONE_INDEX.findall(indexes):
            if raw.startswith('"'):
                keys.append(json.loads(raw))
            elif raw.isdigit():
                keys.append(int(raw))
            else:
                keys.append(None)  # a computed index such as count.index or each.key
        out.append((name, keys))
    return out


def validate(plan: Any) -> None:
    """Raise ``UnusablePlan`` unless ``plan`` is a complete, error-free plan in JSON form."""
    if not isinstance(plan, dict):
        raise UnusablePlan("not a Terraform plan: expected a JSON object from `terraform show -json PLANFILE`")
    if "configuration" not in plan or "format_version" not in plan:
        raise UnusablePlan(
            "not a Terraform plan JSON: no 'configuration' or 'format_version' (use `terraform show -json PLANFILE`, "
            "not state or `plan -json` output)"
        )
    if plan.get("errored") is True:
        raise UnusablePlan(
            "the plan is errored: `terraform plan` failed, so it lacks the resources it could not plan; fix the "
            "errors Terraform printed and plan again"
        )
    if plan.get("complete") is False:
        raise UnusablePlan(
            "the plan is incomplete (Terraform deferred some changes), so some resources are missing; apply in "
            "stages or plan the deferred part separately"
        )
    if not isinstance(plan["configuration"], dict):
        raise UnusablePlan("not a usable plan: 'configuration' is not an object")
    _validate_module(plan["configuration"].get("root_module", {}), "configuration.root_module")
    changes = plan.get("resource_changes", [])
    if not isinstance(changes, list):
        raise UnusablePlan("not a usable plan: 'resource_changes' is not a list")
    for rc in changes:
        if not isinstance(rc, dict) or not all(isinstance(rc.get(k), str) for k in ("address", "type", "name", "mode")):
            raise UnusablePlan(f"not a usable plan: a resource change lacks address/type/name/mode: {str(rc)[:120]}")
        if not isinstance(rc.get("module_address", ""), str):
            raise UnusablePlan(
                f"not a usable plan: resource change {rc['address']} has a module_address that is not text"
            )
        change = rc.get("change")
        if not isinstance(change, dict):
            raise UnusablePlan(f"not a usable plan: resource change {rc['address']} has no 'change' object")
        for key in ("after", "after_unknown"):
            if change.get(key) is not None and not isinstance(change[key], dict):
                raise UnusablePlan(f"not a usable plan: resource change {rc['address']}: change.{key} is not an object")


def _validate_module(module: Any, where: str) -> None:
    """The configuration's module tree has the shape the index walks (objects and lists where expected)."""
    if not isinstance(module, dict):
        raise UnusablePlan(f"not a usable plan: {where} is not an object")
    if not isinstance(module.get("resources", []), list):
        raise UnusablePlan(f"not a usable plan: {where}.resources is not a list")
    calls = module.get("module_calls", {})
    if not isinstance(calls, dict):
        raise UnusablePlan(f"not a usable plan: {where}.module_calls is not an object")
    for name, call in calls.items():
        if not isinstance(call, dict):
            raise UnusablePlan(f"not a usable plan: {where}.module_calls.{name} is not an object")
        _validate_module(call.get("module", {}), f"{where}.module_calls.{name}.module")


def local_address(rc: Rc) -> str:
    """``aws_x.y`` or ``data.aws_x.y``: the resource's address inside its module, without index."""
    return f"{rc['type']}.{rc['name']}" if rc["mode"] == "managed" else f"data.{rc['type']}.{rc['name']}"


def config_path(module_address: str) -> str:
    return _INDEX.sub("", module_address)


def dig(value: Any, *path: str | int) -> Any:
    for p in path:
        if isinstance(p, int):
            value = value[p] if isinstance(value, list) and len(value) > p else None
        else:
            value = value.get(p) if isinstance(value, dict) else None
        if value is None:
            return None
    return value


class PlanIndex:
    """Resource instances and configuration of one plan, with reference resolution."""

    def __init__(self, plan: dict[str, Any]):
        validate(plan)
        self.plan = plan
        self.instances: dict[str, Rc] = {}
        for rc in plan.get("resource_changes", []):
            if rc["change"].get("actions") == ["delete"]:
                continue
            self.instances[rc["address"]] = rc
        # Data sources read while planning are in prior_state, not resource_changes.
        for rc in _prior_state_data(plan):
            self.instances.setdefault(rc["address"], rc)
        self._by_local: dict[tuple[str, str], list[Rc]] = {}
        self._by_type: dict[tuple[str, str], list[Rc]] = {}
        for rc in self.instances.values():
            self._by_local.setdefault((rc.get("module_address", ""), local_address(rc)), []).append(rc)
            self._by_type.setdefault((rc["mode"], rc["type"]), []).append(rc)
        for group in self._by_local.values():
            group.sort(key=lambda c: (str(type(c.get("index"))), c.get("index") if c.get("index") is not None else 0))
        self._modules: dict[str, dict[str, Any]] = {}
        self._config: dict[tuple[str, str], dict[str, Any]] = {}
        self._index_config("", plan["configuration"].get("root_module") or {})
        self._memo: dict[tuple[str, str, str], list[Target]] = {}
        # Module instances (count/for_each on a call) by their configuration path.
        self._module_instances: dict[str, set[str]] = {}
        for rc in self.instances.values():
            addr = rc.get("module_address", "")
            while addr:
                self._module_instances.setdefault(config_path(addr), set()).add(addr)
                addr = _parent_and_call(addr)[0]

    def _index_config(self, path: str, module: dict[str, Any]) -> None:
        self._modules[path] = module
        for r in module.get("resources") or []:
            if isinstance(r, dict) and "address" in r:
                self._config[(path, r["address"])] = r
        for name, call in (module.get("module_calls") or {}).items():
            child = f"{path}.module.{name}" if path else f"module.{name}"
            self._index_config(child, call.get("module") or {})

    # --- instances ----------------------------------------------------------
    def of_type(self, rtype: str, mode: str = "managed") -> list[Rc]:
        return list(self._by_type.get((mode, rtype), []))

    def named(self, rtype: str, name: str) -> list[Rc]:
        """The managed instances of ``rtype.name`` in every module instance, in plan order."""
        return [rc for rc in self.of_type(rtype) if rc["name"] == name]

    def instances_of(self, module_address: str, local: str) -> list[Rc]:
        """The instances of ``aws_x.y`` (or ``data.aws_x.y``) in one module instance, in index order."""
        return list(self._by_local.get((module_address, local), []))

    def module_instances(self, path: str) -> set[str]:
        """The instance addresses of a module call by its configuration path (``module.a.module.b``)."""
        return set(self._module_instances.get(path, set()))

    @staticmethod
    def after(rc: Rc) -> dict[str, Any]:
        return rc.get("change", {}).get("after") or {}

    @staticmethod
    def after_unknown(rc: Rc) -> dict[str, Any]:
        return rc.get("change", {}).get("after_unknown") or {}

    def is_unknown(self, rc: Rc, *path: str | int) -> bool:
        """Whether the value at ``path`` is (or contains) a value known only after apply."""
        flag = dig(self.after_unknown(rc), *path)
        if flag is True:
            return True
        if isinstance(flag, list | dict):
            return _any_true(flag)
        # A parent that is wholly unknown hides its children.
        return any(dig(self.after_unknown(rc), *path[:i]) is True for i in range(len(path) - 1, 0, -1))

    def key(self, rc: Rc) -> str:
        """The object's key in the model: its id when known, else its address."""
        rid = self.after(rc).get("id")
        return rid if isinstance(rid, str) and rid else rc["address"]

    # --- configuration --------------------------------------------------------
    def resource_config(self, rc: Rc) -> dict[str, Any]:
        return self._config.get((config_path(rc.get("module_address", "")), local_address(rc)), {})

    def expression(self, rc: Rc, *path: str | int) -> dict[str, Any] | None:
        """The configuration expression of an attribute, or None when the configuration does not set it."""
        expr = dig(self.resource_config(rc).get("expressions") or {}, *path)
        return expr if isinstance(expr, dict) else None

    def in_configuration(self, rc: Rc, *path: str | int) -> bool:
        return self.expression(rc, *path) is not None

    def configured(self, rc: Rc, *path: str | int) -> bool | None:
        """Whether the configuration sets the attribute at ``path``.

        None when an enclosing attribute is one opaque expression (``route = [...]``
        with references): whether it sets this element's field cannot be told.
        """
        node: Any = self.resource_config(rc).get("expressions") or {}
        for p in path:
            if isinstance(node, dict) and ("references" in node or "constant_value" in node):
                return None
            node = dig(node, p)
            if node is None:
                return False
        return True

    def nearest_targets(self, rc: Rc, *path: str | int) -> tuple[list[Target], bool]:
        """The targets of the expression at ``path``, or of the nearest enclosing expression.

        The flag says whether the expression holds an opaque reference (``local.``)
        that cannot be followed, in which case the targets may be incomplete.
        """
        for depth in range(len(path), 0, -1):
            expr = self.expression(rc, *path[:depth])
            if expr is not None and ("references" in expr or "constant_value" in expr or depth == len(path)):
                refs = expr.get("references") or []
                opaque = any(r.split(".", 1)[0] == "local" for r in refs)
                cfg = self.resource_config(rc)
                return self._resolve(rc.get("module_address", ""), refs, rc.get("index"), cfg), opaque
        return [], False

    def resolve(self, rc: Rc, *path: str | int) -> list[Rc]:
        """Resource instances the expression at ``path`` refers to."""
        return [t.rc for t in self.targets(rc, *path)]

    def targets(self, rc: Rc, *path: str | int) -> list[Target]:
        expr = self.expression(rc, *path)
        if expr is None:
            return []
        cfg = self.resource_config(rc)
        return self._resolve(rc.get("module_address", ""), expr.get("references") or [], rc.get("index"), cfg)

    def _resolve(self, module_addr: str, refs: list[str], index: Any, cfg: dict[str, Any] | None) -> list[Target]:
        """``index`` and ``cfg`` belong to the referencing resource (for count.index and each.*)."""
        uses_count = "count.index" in refs
        uses_each_key = "each.key" in refs
        found: list[Target] = []
        taken: list[str] = []
        for ref in refs:
            # Terraform lists the most specific form first (a.b[0].id, a.b[0], a.b): keep that one.
            if any(t.startswith(ref + ".") or t.startswith(ref + "[") for t in taken):
                continue
            taken.append(ref)
            segs = _segments(ref)
            if not segs:
                continue
            head = segs[0][0]
            if head in ("count", "local", "path", "terraform", "self"):
                continue
            if head == "each":
                found += self._resolve_each(module_addr, cfg, index)
            elif head == "var" and len(segs) > 1:
                found += _select(self._resolve_var(module_addr, segs[1][0]), segs[1][1])
            elif head == "module" and len(segs) > 2:
                found += _select(self._resolve_output(module_addr, segs[1][0], segs[2][0]), segs[2][1])
            else:
                n = 3 if head == "data" else 2
                if len(segs) < n:
                    continue
                local = ".".join(s[0] for s in segs[:n])
                attr = ".".join(s[0] for s in segs[n:])
                candidates = self._by_local.get((module_addr, local), [])
                keys = segs[n - 1][1]
                if keys and keys[0] is not None:
                    candidates = [c for c in candidates if c.get("index") == keys[0]]
                elif (uses_count or uses_each_key) and index is not None:
                    same = [c for c in candidates if c.get("index") == index]
                    candidates = same or candidates
                found += [Target(c, attr) for c in candidates]
        unique: dict[tuple[str, str], Target] = {}
        for t in found:
            unique.setdefault((t.rc["address"], t.attr), t)
        return list(unique.values())

    def _resolve_each(self, module_addr: str, cfg: dict[str, Any] | None, index: Any) -> list[Target]:
        # The referencing resource's for_each collection; pick the element whose
        # key matches this instance's key.
        if not cfg:
            return []
        refs = (cfg.get("for_each_expression") or {}).get("references") or []
        collection = self._resolve(module_addr, refs, None, None)
        return _select_by_key(collection, index)

    def _resolve_var(self, module_addr: str, var: str) -> list[Target]:
        if not module_addr:
            return []  # root variables are constants
        memo = ("var", module_addr, var)
        if memo not in self._memo:
            self._memo[memo] = []  # a cycle resolves to nothing
            parent_addr, call = _parent_and_call(module_addr)
            parent_cfg = self._modules.get(config_path(parent_addr), {})
            expr = ((parent_cfg.get("module_calls") or {}).get(call) or {}).get("expressions", {}).get(var)
            refs = expr.get("references") or [] if isinstance(expr, dict) else []
            self._memo[memo] = self._resolve(parent_addr, refs, None, None)
        return self._memo[memo]

    def _resolve_output(self, module_addr: str, call: str, output: str) -> list[Target]:
        child_addr = f"{module_addr}.module.{call}" if module_addr else f"module.{call}"
        memo = ("output", child_addr, output)
        if memo not in self._memo:
            self._memo[memo] = []
            cfg = self._modules.get(config_path(child_addr), {})
            expr = ((cfg.get("outputs") or {}).get(output) or {}).get("expression")
            refs = expr.get("references") or [] if isinstance(expr, dict) else []
            # Module instances (count/for_each on the call) share one configuration.
            instances = sorted(
                a
                for a in self._module_instances.get(config_path(child_addr), ())
                if a == child_addr or a.startswith(child_addr + "[")
            )
            found: list[Target] = []
            for addr in instances or [child_addr]:
                found += self._resolve(addr, refs, None, None)
            self._memo[memo] = found
        return self._memo[memo]


def _any_true(flag: Any) -> bool:
    if flag is True:
        return True
    if isinstance(flag, list):
        return any(_any_true(f) for f in flag)
    if isinstance(flag, dict):
        return any(_any_true(f) for f in flag.values())
    return False


def _prior_state_data(plan: dict[str, Any]) -> Iterator[Rc]:
    root = dig(plan, "prior_state", "values", "root_module")
    stack = [root] if isinstance(root, dict) else []
    while stack:
        module = stack.pop()
        for r in module.get("resources") or []:
            if isinstance(r, dict) and r.get("mode") == "data" and isinstance(r.get("address"), str):
                address = r["address"]
                module_address = address.rsplit(".data.", 1)[0] if ".data." in address else ""
                yield {
                    "address": address,
                    "module_address": module_address,
                    "mode": "data",
                    "type": r.get("type", ""),
                    "name": r.get("name", ""),
                    "index": r.get("index"),
                    "change": {"actions": ["read"], "after": r.get("values") or {}, "after_unknown": {}},
                }
        stack.extend(c for c in module.get("child_modules") or [] if isinstance(c, dict))


def _parent_and_call(module_addr: str) -> tuple[str, str]:
    parts = module_addr.split(".")
    # ... module.<call>[idx]
    return ".".join(parts[:-2]), _INDEX.sub("", parts[-1])


def _select(targets: list[Target], keys: list[Any]) -> list[Target]:
    """An element of a module output or variable: ``module.vpc.private_subnets[0]``.

    Resolvable when the collection is the instances of one counted (or keyed)
    resource; otherwise the whole collection is returned and callers treat more
    than one candidate as ambiguous.
    """
    if not keys or keys[0] is None:
        return targets
    want = keys[0]
    groups = {(t.rc.get("module_address", ""), local_address(t.rc)) for t in targets}
    if len(groups) == 1:
        picked = [t for t in targets if t.rc.get("index") == want]
        if picked:
            return picked
        if isinstance(want, int) and all(t.rc.get("index") is None for t in targets) and len(targets) > want:
            return [targets[want]]
    return targets


def _select_by_key(collection: list[Target], key: Any) -> list[Target]:
    """The element of a for_each collection that produced instance ``key``.

    Works when the collection is itself a keyed resource (same key), or a list
    of objects keyed by one of their known attributes (such as subnets keyed by
    availability zone). Ambiguity returns nothing, so callers report the fact as
    unknown instead of checking the wrong object.
    """
    if key is None:
        return collection
    same = [c for c in collection if c.rc.get("index") == key]
    if len(same) == 1:
        return same
    by_attr = [c for c in collection if key in _known_scalars(PlanIndex.after(c.rc))]
    if len(by_attr) == 1:
        return by_attr
    if len(collection) == 1:
        return collection
    return []


def _known_scalars(after: dict[str, Any]) -> set[Any]:
    return {v for v in after.values() if isinstance(v, str | int) and not isinstance(v, bool)}

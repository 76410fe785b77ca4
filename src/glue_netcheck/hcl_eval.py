"""Evaluate Terraform expressions from a configuration's sources, with values known only after apply kept as holes.

The plan JSON keeps no locals and, for an SDKv2 map or list with one element known only after apply,
no elements at all. The sources still say what each element is. This evaluates an expression of a
module instance the way Terraform would at plan time, over values that may contain ``Unknown``:

* resource and data attributes come from the plan (``after`` / ``after_unknown``; an unknown
  attribute is an ``Unknown`` whose target names the resource and attribute, so a reader can tell
  ``aws_glue_connection.x.id`` from ``.name``);
* ``var.`` from the module call in the parent (or the plan's root variables, or the default),
  ``local.`` and ``module.<call>.<output>`` from the sources, ``each``/``count`` from the instance;
* the common functions (``merge``, ``concat``, ``join``, ``replace``, ``lookup``, ``fileset`` ...).

Anything it cannot evaluate -- a function it does not know, a template directive, a reference to
something missing -- becomes an ``Unknown`` marked ``opaque``: never a guess. A known part of the
result is what Terraform computes (tests/unit/test_sources.py compares every known value of every
plan of the suite with its evaluation from the sources).
"""

from __future__ import annotations

import base64
import glob
import hashlib
import ipaddress
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lark import Token, Tree

from glue_netcheck.facts import Unknown, holes
from glue_netcheck.plan_index import PlanIndex, Rc, Target

if TYPE_CHECKING:
    from glue_netcheck.sources import Sources

OPAQUE = Unknown("cannot be evaluated from the sources", opaque=True)


class _Fail(Exception):
    """An expression Terraform itself would reject (a missing key, a type error): the value is opaque."""


def opaque(why: str = "cannot be evaluated from the sources") -> Unknown:
    return Unknown(why, opaque=True)


def combine(*values: Any, pieces: tuple[str, ...] = ()) -> Unknown:
    """An unknown that depends on every hole of ``values``."""
    found = [u for v in values for u in holes(v)]
    targets = _unique_targets(t for u in found for t in u.targets)
    return Unknown(
        found[0].reason if found else "known only after apply",
        targets,
        any(u.opaque for u in found),
        pieces,
    )


def has_holes(value: Any) -> bool:
    return bool(holes(value))


# --- references -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Namespace:
    """A partial reference (``var``, ``module.vpc``, ``aws_subnet``, ``data.aws_x``) awaiting its next step."""

    kind: str
    parts: tuple[str, ...] = ()


@dataclass
class Scope:
    """Where an expression is evaluated: a module instance, and the resource instance's ``each``/``count``."""

    sources: Sources
    ix: PlanIndex
    module_address: str  # instance address: "" (root), module.a, module.a["k"].module.b
    each_key: Any = None
    each_value: Any = None
    has_each: bool = False
    count_index: int | None = None
    names: dict[str, Any] = field(default_factory=dict)  # for-expression variables

    def with_names(self, **names: Any) -> Scope:
        return Scope(
            self.sources,
            self.ix,
            self.module_address,
            self.each_key,
            self.each_value,
            self.has_each,
            self.count_index,
            {**self.names, **names},
        )


def _children(tree: Tree) -> list[Any]:
    """The meaningful children: punctuation tokens and new lines dropped."""
    return [
        c
        for c in tree.children
        if not (isinstance(c, Token) and c.type in _PUNCTUATION)
        and not (isinstance(c, Tree) and c.data == "new_line_or_comment")
        and c is not None
    ]


_PUNCTUATION = frozenset(
    {
        "LPAR",
        "RPAR",
        "LBRACE",
        "RBRACE",
        "LSQB",
        "RSQB",
        "COMMA",
        "DOT",
        "EQ",
        "COLON",
        "DBLQUOTE",
        "INTERP_START",
        "QMARK",
        "FOR",
        "IN",
        "IF",
        "FOR_OBJECT_ARROW",
        "NL_OR_COMMENT",
    }
)


class Evaluator:
    """Evaluates expression trees (python-hcl2's raw Lark trees) in a ``Scope``."""

    def __init__(self) -> None:
        self.functions: dict[str, Callable[..., Any]] = dict(FUNCTIONS)

    def evaluate(self, node: Any, scope: Scope) -> Any:
        try:
            return self._eval(node, scope)
        except _Fail as exc:
            return opaque(str(exc) or "an expression Terraform would reject")
        except RecursionError:
            return opaque("the expression nests too deeply")

    # The dispatcher: one method per grammar rule of hcl2.lark.
    def _eval(self, node: Any, scope: Scope) -> Any:
        if isinstance(node, Token):
            return self._token(node)
        if isinstance(node, JsonExpr):
            return self._json(node.value, scope)
        method = getattr(self, f"_r_{node.data}", None)
        if method is None:
            return opaque(f"{node.data} is not evaluated")
        return method(node, scope)

    def _json(self, value: Any, scope: Scope) -> Any:
        """A ``.tf.json`` value: objects and arrays as they are, strings as templates."""
        if isinstance(value, dict):
            return {k: self._json(v, scope) for k, v in value.items()}
        if isinstance(value, list):
            return [self._json(v, scope) for v in value]
        if isinstance(value, str) and ("${" in value or "%{" in value):
            return self._eval(_template_tree(value), scope)
        return value

    def _token(self, tok: Token) -> Any:
        if tok.type == "INT_LITERAL":
            return int(tok.value)
        if tok.type == "FLOAT_LITERAL":
            return float(tok.value)
        raise _Fail(f"unexpected token {tok.type}")

    def _r_expr_term(self, node: Tree, scope: Scope) -> Any:
        kids = _children(node)
        return self._eval(kids[0], scope)

    def _r_int_lit(self, node: Tree, scope: Scope) -> Any:
        return int(node.children[0].value)

    def _r_float_lit(self, node: Tree, scope: Scope) -> Any:
        return float(node.children[0].value)

    def _r_literal_value(self, node: Tree, scope: Scope) -> Any:
        return {"true": True, "false": False, "null": None}[node.children[0].value]

    def _r_string(self, node: Tree, scope: Scope) -> Any:
        parts: list[Any] = []
        for part in _children(node):
            parts.append(self._string_part(part, scope))
        return _join_template(parts)

    def _string_part(self, part: Tree, scope: Scope) -> Any:
        inner = part.children[0]
        if isinstance(inner, Token):
            if inner.type == "STRING_CHARS":
                return _unescape(inner.value)
            if inner.type == "ESCAPED_INTERPOLATION":
                return inner.value[1:]
            if inner.type == "ESCAPED_DIRECTIVE":
                return inner.value[1:]
            raise _Fail(f"unexpected string part {inner.type}")
        if inner.data == "interpolation":
            return self._eval(_children(inner)[0], scope)
        return opaque("a template directive (%{...}) is not evaluated")

    def _r_template_string(self, node: Tree, scope: Scope) -> Any:
        return opaque("a template string is not evaluated")

    def _r_heredoc_template(self, node: Tree, scope: Scope) -> Any:
        return self._heredoc(node.children[0].value, trim=False)

    def _r_heredoc_template_trim(self, node: Tree, scope: Scope) -> Any:
        return self._heredoc(node.children[0].value, trim=True)

    def _heredoc(self, raw: str, trim: bool) -> Any:
        lines = raw.split("\n")
        body = lines[1:-2]  # the marker line, the closing marker and the trailing newline
        if trim:
            indent = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
            body = [x[indent:] for x in body]
        text = "\n".join(body) + ("\n" if body else "")
        if "${" in text or "%{" in text:
            return opaque("a heredoc with interpolations is not evaluated")
        return text

    def _r_tuple(self, node: Tree, scope: Scope) -> Any:
        return [self._eval(c, scope) for c in _children(node)]

    def _r_object(self, node: Tree, scope: Scope) -> Any:
        out: dict[str, Any] = {}
        for elem in _children(node):
            key_node, value_node = _children(elem)
            key = self._object_key(key_node, scope)
            value = self._eval(value_node, scope)
            if isinstance(key, Unknown):
                return combine(key, value, *out.values())
            out[str(key)] = value
        return out

    def _object_key(self, node: Tree, scope: Scope) -> Any:
        inner = _children(node)[0]
        if isinstance(inner, Tree) and inner.data == "keyword":
            return inner.children[0].value
        # A bare identifier as a key is the name itself, not a reference.
        if isinstance(inner, Tree) and inner.data == "expr_term":
            first = _children(inner)[0]
            if isinstance(first, Tree) and first.data == "identifier":
                return first.children[0].value
        key = self._eval(inner, scope)
        if isinstance(key, bool | int | float) and not isinstance(key, Unknown):
            return json.dumps(key) if isinstance(key, bool) else str(key)
        return key

    def _r_identifier(self, node: Tree, scope: Scope) -> Any:
        name = node.children[0].value
        if name in scope.names:
            return scope.names[name]
        if name in ("var", "local", "module", "data", "path", "terraform", "each", "count", "self"):
            if name == "each":
                if not scope.has_each:
                    raise _Fail("each outside for_each")
                return {"key": scope.each_key, "value": scope.each_value}
            if name == "count":
                if scope.count_index is None:
                    raise _Fail("count outside count")
                return {"index": scope.count_index}
            if name == "path":
                return scope.sources.path_object(scope.module_address)
            if name == "terraform":
                return {"workspace": "default"}
            return _Namespace(name)
        return _Namespace("resource", (name,))

    def _r_get_attr_expr_term(self, node: Tree, scope: Scope) -> Any:
        base_node, attr_node = _children(node)
        base = self._eval(base_node, scope)
        attr = _children(attr_node)[0]
        name = attr.children[0].value if isinstance(attr, Tree) else attr.value
        return self._get_attr(base, name, scope)

    def _get_attr(self, base: Any, name: str, scope: Scope) -> Any:
        if isinstance(base, _Namespace):
            return self._step(base, name, scope)
        if isinstance(base, ModuleInstance):
            return scope.sources.output(base.address, name)
        if isinstance(base, Unknown):
            return combine(base)
        if isinstance(base, dict):
            if name not in base:
                raise _Fail(f"no attribute {name}")
            return base[name]
        raise _Fail(f"cannot read .{name} of a {type(base).__name__}")

    def _step(self, ns: _Namespace, name: str, scope: Scope) -> Any:
        sources = scope.sources
        if ns.kind == "var":
            return sources.variable(scope, name)
        if ns.kind == "local":
            return sources.local(scope, name)
        if ns.kind == "module" and not ns.parts:
            return sources.module_value(scope, name)
        if ns.kind == "data" and not ns.parts:
            return _Namespace("data", (name,))
        if ns.kind == "data":
            return sources.resource_value(scope, f"data.{ns.parts[0]}.{name}")
        if ns.kind == "resource":
            return sources.resource_value(scope, f"{ns.parts[0]}.{name}")
        raise _Fail(f"cannot follow {ns.kind}.{name}")

    def _r_index_expr_term(self, node: Tree, scope: Scope) -> Any:
        base_node, index_node = _children(node)
        base = self._eval(base_node, scope)
        if index_node.data == "short_index":
            key: Any = int(_children(index_node)[0].value)
        else:
            key = self._eval(_children(index_node)[0], scope)
        return _index(base, key)

    def _r_full_splat_expr_term(self, node: Tree, scope: Scope) -> Any:
        base_node, splat = _children(node)
        return self._splat(self._eval(base_node, scope), _children(splat), scope)

    def _r_attr_splat_expr_term(self, node: Tree, scope: Scope) -> Any:
        base_node, splat = _children(node)
        return self._splat(self._eval(base_node, scope), _children(splat), scope)

    def _splat(self, base: Any, steps: list[Any], scope: Scope) -> Any:
        steps = [s for s in steps if isinstance(s, Tree)]
        if isinstance(base, Unknown):
            return combine(base)
        if base is None:
            return []
        items = list(base.values()) if isinstance(base, dict) else base if isinstance(base, list) else [base]
        out = []
        for item in items:
            value = item
            for step in steps:
                if step.data == "get_attr":
                    attr = _children(step)[0]
                    value = self._get_attr(value, attr.children[0].value, scope)
                elif step.data == "short_index":
                    value = _index(value, int(_children(step)[0].value))
                else:
                    value = _index(value, self._eval(_children(step)[0], scope))
            out.append(value)
        return out

    def _r_function_call(self, node: Tree, scope: Scope) -> Any:
        kids = _children(node)
        names = [k.children[0].value for k in kids if isinstance(k, Tree) and k.data == "identifier"]
        args_node = next((k for k in kids if isinstance(k, Tree) and k.data == "arguments"), None)
        arg_nodes = _children(args_node) if args_node is not None else []
        expand = any(isinstance(a, Token) and a.type == "ELLIPSIS" for a in arg_nodes)
        arg_nodes = [a for a in arg_nodes if not isinstance(a, Token)]
        name = "::".join(names)
        if name in ("try", "can"):
            return self._try(name, arg_nodes, scope)
        args = [self._eval(a, scope) for a in arg_nodes]
        if expand and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return combine(last, *args)
            args += list(last)
        function = self.functions.get(name)
        if function is None:
            return _opaque_with(args, f"function {name}() is not evaluated")
        if name in ("fileset", "file", "filebase64", "fileexists"):
            # Relative paths are relative to the directory Terraform runs in (the root), as path.module is.
            return function(scope.sources.root, *args)
        try:
            result = function(*args)
        except _Fail:
            raise
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            if any(has_holes(a) for a in args):
                return combine(*args)
            raise _Fail(f"{name}(): {exc}") from None
        # Only a conversion returns its argument itself; any other function computes a new value.
        if isinstance(result, Unknown) and result.direct and name not in _CONVERSIONS:
            return combine(result)
        return result

    def _try(self, name: str, arg_nodes: list[Any], scope: Scope) -> Any:
        for a in arg_nodes:
            try:
                value = self._eval(a, scope)
            except _Fail:
                continue
            if isinstance(value, Unknown) and value.opaque and not value.targets:
                return value if name == "try" else opaque("can() of an expression not evaluated")
            if name == "can":
                return True if not has_holes(value) else combine(value)
            return value
        if name == "can":
            return False
        raise _Fail("try(): no argument could be evaluated")

    def _r_conditional(self, node: Tree, scope: Scope) -> Any:
        cond_node, yes_node, no_node = _children(node)
        cond = self._eval(cond_node, scope)
        if isinstance(cond, Unknown):
            return combine(cond, self.evaluate(yes_node, scope), self.evaluate(no_node, scope))
        if not isinstance(cond, bool):
            raise _Fail("a condition that is not a bool")
        return self._eval(yes_node if cond else no_node, scope)

    def _r_unary_op(self, node: Tree, scope: Scope) -> Any:
        op, operand_node = node.children[0], node.children[1]
        value = self._eval(operand_node, scope)
        if isinstance(value, Unknown):
            return combine(value)
        if op.value == "!":
            return not value
        return -value

    def _r_binary_op(self, node: Tree, scope: Scope) -> Any:
        left_node, term = _children(node)
        op_node, right_node = _children(term)
        op = op_node.children[0].value
        left = self._eval(left_node, scope)
        if op == "&&" and left is False:
            return False
        if op == "||" and left is True:
            return True
        right = self._eval(right_node, scope)
        if op == "&&" and right is False:
            return False
        if op == "||" and right is True:
            return True
        if isinstance(left, Unknown) or isinstance(right, Unknown) or has_holes(left) or has_holes(right):
            if op in ("==", "!=") and not has_holes(left) and not has_holes(right):
                pass
            else:
                return combine(left, right)
        return _binary(op, left, right)

    def _for_scopes(self, intro: Tree, cond: Tree | None, scope: Scope) -> Iterator[Scope | Unknown]:
        """The scope of each element a ``for`` keeps; an Unknown, then nothing more, when the collection
        or an element's condition is unknown (the whole result is then unknown)."""
        for bound in self._iterate(intro, scope):
            if isinstance(bound, Unknown):
                yield bound
                return
            inner = scope.with_names(**bound)
            if cond is not None:
                keep = self._eval(_children(cond)[0], inner)
                if isinstance(keep, Unknown):
                    yield combine(keep)
                    return
                if not keep:
                    continue
            yield inner

    def _r_for_tuple_expr(self, node: Tree, scope: Scope) -> Any:
        kids = [k for k in _children(node) if isinstance(k, Tree)]
        intro, value_node = kids[0], kids[1]
        cond = kids[2] if len(kids) > 2 and kids[2].data == "for_cond" else None
        out = []
        for inner in self._for_scopes(intro, cond, scope):
            if isinstance(inner, Unknown):
                return inner
            out.append(self._eval(value_node, inner))
        return out

    def _r_for_object_expr(self, node: Tree, scope: Scope) -> Any:
        kids = _children(node)
        grouping = any(isinstance(k, Token) and k.type == "ELLIPSIS" for k in kids)
        trees = [k for k in kids if isinstance(k, Tree)]
        intro, key_node, value_node = trees[0], trees[1], trees[2]
        cond = trees[3] if len(trees) > 3 and trees[3].data == "for_cond" else None
        out: dict[str, Any] = {}
        for inner in self._for_scopes(intro, cond, scope):
            if isinstance(inner, Unknown):
                return inner
            key = self._eval(key_node, inner)
            value = self._eval(value_node, inner)
            if isinstance(key, Unknown):
                return combine(key, value)
            key = str(key).lower() if isinstance(key, bool) else str(key)
            if grouping:
                out.setdefault(key, []).append(value)
            elif key in out:
                raise _Fail(f"duplicate key {key} in a for expression")
            else:
                out[key] = value
        return out

    def _iterate(self, intro: Tree, scope: Scope) -> Any:
        kids = [k for k in _children(intro)]
        names = [k.children[0].value for k in kids if isinstance(k, Tree) and k.data == "identifier"]
        collection_node = [k for k in kids if isinstance(k, Tree) and k.data != "identifier"][-1]
        collection = self._eval(collection_node, scope)
        if isinstance(collection, Unknown):
            yield combine(collection)
            return
        if isinstance(collection, dict):
            pairs = sorted(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            raise _Fail("a for expression over something that is not a collection")
        for key, value in pairs:
            if len(names) == 2:
                yield {names[0]: key, names[1]: value}
            else:
                yield {names[0]: value}


@dataclass(frozen=True)
class JsonExpr:
    """An expression of a ``.tf.json`` file: a JSON value whose strings are templates."""

    value: Any


@dataclass(frozen=True)
class ModuleInstance:
    """``module.x`` (or one instance of it) inside an expression: its outputs are read on demand."""

    address: str


_TEMPLATES: dict[str, Any] = {}


def _template_tree(text: str) -> Any:
    """A JSON string of a ``.tf.json`` file parsed as the HCL template it is."""
    if text not in _TEMPLATES:
        import hcl2

        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        tree = hcl2.parses_to_tree(f'x = "{escaped}"\n')
        _TEMPLATES[text] = next(c for c in tree.children[0].children if isinstance(c, Tree)).children[-1]
    return _TEMPLATES[text]


def _opaque_with(args: list[Any], why: str) -> Unknown:
    found = [u for a in args for u in holes(a)]
    return Unknown(why, _unique_targets(t for u in found for t in u.targets), True)


def _unique_targets(targets: Any) -> tuple[Target, ...]:
    seen: dict[tuple[str, str], Target] = {}
    for t in targets:
        seen.setdefault((t.rc["address"], t.attr), t)
    return tuple(seen.values())


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    table = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in table:
                out.append(table[nxt])
                i += 2
                continue
            if nxt == "u" and i + 5 < len(text):
                out.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _to_string(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, str):
        return value
    if value is None:
        raise _Fail("null in a string template")
    raise _Fail("a collection in a string template")


def _join_template(parts: list[Any]) -> Any:
    strings = [_to_string(p) for p in parts]
    if not any(isinstance(s, Unknown) for s in strings):
        return "".join(strings)
    pieces: list[str] = []
    run = ""
    for s in strings:
        if isinstance(s, Unknown):
            pieces.append(run)
            pieces.extend(s.pieces)
            run = ""
        else:
            run += s
    pieces.append(run)
    return combine(*strings, pieces=tuple(p for p in pieces if p))


def _index(base: Any, key: Any) -> Any:
    if isinstance(base, Unknown):
        return combine(base)
    if isinstance(key, Unknown):
        return combine(key, base)
    if isinstance(base, dict):
        k = str(key).lower() if isinstance(key, bool) else str(key) if isinstance(key, int | float) else key
        if k not in base:
            raise _Fail(f"no element {key!r}")
        return base[k]
    if isinstance(base, list):
        try:
            i = int(key)
        except (TypeError, ValueError):
            raise _Fail(f"a list index that is not a number: {key!r}") from None
        if not 0 <= i < len(base):
            raise _Fail(f"index {i} out of range")
        return base[i]
    raise _Fail(f"cannot index a {type(base).__name__}")


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Fail("not a number")
    if isinstance(value, str):
        try:
            return int(value) if value.lstrip("-").isdigit() else float(value)
        except ValueError:
            raise _Fail(f"not a number: {value!r}") from None
    return value


def _binary(op: str, left: Any, right: Any) -> Any:
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op in ("&&", "||"):
        if not isinstance(left, bool) or not isinstance(right, bool):
            raise _Fail("a logical operator on something that is not a bool")
        return (left and right) if op == "&&" else (left or right)
    a, b = _number(left), _number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise _Fail("division by zero")
        result = a / b
        return int(result) if result == int(result) else result
    if op == "%":
        return a % b
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right if isinstance(left, bool) and isinstance(right, bool) else False
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return type(left) is type(right) and left == right


# --- functions ----------------------------------------------------------------------------------------


def _need_known(*values: Any) -> None:
    if any(has_holes(v) for v in values):
        raise TypeError("unknown")


def _f_merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if isinstance(m, Unknown):
            return combine(*maps)
        if not isinstance(m, dict):
            raise _Fail("merge() of something that is not a map")
        out.update(m)
    return out


def _f_concat(*lists: Any) -> Any:
    out: list[Any] = []
    for item in lists:
        if isinstance(item, Unknown):
            return combine(*lists)
        out += list(item)
    return out


def _f_flatten(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    out: list[Any] = []
    for item in value:
        if isinstance(item, Unknown):
            return combine(value)
        if isinstance(item, list):
            flat = _f_flatten(item)
            if isinstance(flat, Unknown):
                return flat
            out += flat
        else:
            out.append(item)
    return out


def _f_distinct(value: Any) -> Any:
    if isinstance(value, Unknown) or has_holes(value):
        return combine(value) if isinstance(value, Unknown) else _distinct_with_holes(value)
    out: list[Any] = []
    for item in value:
        if item not in out:
            out.append(item)
    return out


def _distinct_with_holes(value: list[Any]) -> Any:
    # Two unknown elements may turn out equal: the list's length is unknown.
    return combine(value)


def _f_toset(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if has_holes(value):
        return combine(value)
    try:
        return sorted(set(value), key=lambda v: (str(type(v)), v))
    except TypeError:
        raise _Fail("toset() of mixed values") from None


def _f_sort(value: Any) -> Any:
    _need_known(value)
    return sorted(str(v) for v in value)


def _f_join(sep: Any, *lists: Any) -> Any:
    items: list[Any] = []
    for item in lists:
        if isinstance(item, Unknown):
            return combine(sep, *lists)
        items += list(item)
    if isinstance(sep, Unknown):
        return combine(sep, *items)
    strings = [_to_string(i) for i in items]
    if not any(isinstance(s, Unknown) for s in strings):
        return sep.join(strings)
    interleaved: list[Any] = []
    for i, s in enumerate(strings):
        if i:
            interleaved.append(sep)
        interleaved.append(s)
    return _join_template(interleaved)


def _f_replace(text: Any, old: Any, new: Any) -> Any:
    if isinstance(text, Unknown) or isinstance(old, Unknown):
        return combine(text, old, new)
    if old.startswith("/") and old.endswith("/") and len(old) > 1:
        if isinstance(new, Unknown):
            return combine(new)
        import re

        return re.sub(old[1:-1], new.replace("$", "\\"), text)
    if old not in text:
        return text
    if isinstance(new, Unknown):
        segments = text.split(old)
        parts: list[Any] = []
        for i, seg in enumerate(segments):
            if i:
                parts.append(new)
            parts.append(seg)
        return _join_template(parts)
    return text.replace(old, new)


def _f_lookup(m: Any, key: Any, *default: Any) -> Any:
    if isinstance(m, Unknown) or isinstance(key, Unknown):
        return combine(m, key, *default)
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise _Fail(f"lookup(): no key {key!r}")


def _f_element(value: Any, i: Any) -> Any:
    if isinstance(value, Unknown) or isinstance(i, Unknown):
        return combine(value, i)
    if not value:
        raise _Fail("element() of an empty list")
    return value[int(i) % len(value)]


def _f_length(value: Any) -> Any:
    if isinstance(value, Unknown):
        return combine(value)
    if isinstance(value, str):
        return len(value)
    return len(value)


def _f_keys(m: Any) -> Any:
    if isinstance(m, Unknown):
        return m
    return sorted(m)


def _f_values(m: Any) -> Any:
    if isinstance(m, Unknown):
        return m
    return [m[k] for k in sorted(m)]


def _f_contains(collection: Any, value: Any) -> Any:
    if isinstance(collection, Unknown) or has_holes(value):
        return combine(collection, value)
    if has_holes(collection):
        if any(not isinstance(c, Unknown) and _equal(c, value) for c in collection):
            return True
        return combine(collection)
    return any(_equal(c, value) for c in collection)


def _f_coalesce(*values: Any) -> Any:
    for v in values:
        if isinstance(v, Unknown):
            return combine(*values)
        if v is not None and v != "":
            return v
    raise _Fail("coalesce(): no non-null argument")


def _f_coalescelist(*values: Any) -> Any:
    for v in values:
        if isinstance(v, Unknown):
            return combine(*values)
        if v:
            return v
    raise _Fail("coalescelist(): no non-empty list")


def _f_compact(value: Any) -> Any:
    if isinstance(value, Unknown) or has_holes(value):
        return combine(value)
    return [v for v in value if v not in (None, "")]


def _f_zipmap(keys: Any, values: Any) -> Any:
    if isinstance(keys, Unknown) or isinstance(values, Unknown) or has_holes(keys):
        return combine(keys, values)
    return dict(zip([str(k) for k in keys], values, strict=False))


def _f_format(fmt: Any, *args: Any) -> Any:
    if isinstance(fmt, Unknown):
        return combine(fmt, *args)
    import re

    parts: list[Any] = []
    i = 0
    pos = 0
    for m in re.finditer(r"%(%|[-+ #0]*\d*(?:\.\d+)?[sdqvftxXobe])", fmt):
        parts.append(fmt[pos : m.start()])
        pos = m.end()
        spec = m.group(1)
        if spec == "%":
            parts.append("%")
            continue
        if i >= len(args):
            raise _Fail("format(): too few arguments")
        arg = args[i]
        i += 1
        if isinstance(arg, Unknown):
            parts.append(arg)
        elif spec.endswith("q"):
            parts.append(json.dumps(arg))
        elif spec.endswith("d"):
            parts.append(("%" + spec) % int(arg))
        elif spec.endswith(("s", "v")):
            parts.append(("%" + spec[:-1] + "s") % _to_string(arg))
        else:
            parts.append(("%" + spec) % arg)
    parts.append(fmt[pos:])
    return _join_template(parts)


def _f_jsonencode(value: Any) -> Any:
    if has_holes(value):
        return combine(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _f_jsondecode(text: Any) -> Any:
    if isinstance(text, Unknown):
        return text
    return json.loads(text)


def _f_split(sep: Any, text: Any) -> Any:
    if isinstance(sep, Unknown) or isinstance(text, Unknown):
        return combine(sep, text)
    return text.split(sep)


def _string_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        if any(has_holes(a) for a in args):
            return combine(*args)
        return fn(*args)

    return apply


def _f_slice(value: Any, start: Any, end: Any) -> Any:
    if isinstance(value, Unknown) or isinstance(start, Unknown) or isinstance(end, Unknown):
        return combine(value, start, end)
    return value[int(start) : int(end)]


def _f_one(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if not value:
        return None
    if len(value) > 1:
        raise _Fail("one() of more than one element")
    return value[0]


def _f_range(*args: Any) -> Any:
    _need_known(*args)
    return list(range(*[int(a) for a in args]))


def _f_fileset(base: Path | None, path: Any, pattern: Any) -> Any:
    if base is None or isinstance(path, Unknown) or isinstance(pattern, Unknown):
        return combine(path, pattern) if has_holes([path, pattern]) else opaque("fileset() outside the sources")
    root = Path(path) if os.path.isabs(path) else base / path
    found = sorted(
        str(Path(p).relative_to(root)) for p in glob.glob(str(root / pattern), recursive=True) if Path(p).is_file()
    )
    return found


def _f_file(base: Path | None, path: Any) -> Any:
    if base is None or isinstance(path, Unknown):
        return opaque("file() outside the sources") if not isinstance(path, Unknown) else path
    target = Path(path) if os.path.isabs(path) else base / path
    try:
        return target.read_text(encoding="utf-8")
    except OSError:
        raise _Fail(f"file(): cannot read {path}") from None


def _f_fileexists(base: Path | None, path: Any) -> Any:
    if base is None or isinstance(path, Unknown):
        return opaque("fileexists() outside the sources")
    return (Path(path) if os.path.isabs(path) else base / path).is_file()


def _f_filebase64(base: Path | None, path: Any) -> Any:
    text = _f_file(base, path)
    return text if isinstance(text, Unknown) else base64.b64encode(text.encode()).decode()


def _f_cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> Any:
    _need_known(prefix, newbits, netnum)
    net = ipaddress.ip_network(prefix, strict=False)
    subnets = net.subnets(prefixlen_diff=int(newbits))
    for i, s in enumerate(subnets):
        if i == int(netnum):
            return str(s)
    raise _Fail("cidrsubnet(): netnum out of range")


def _f_cidrhost(prefix: Any, hostnum: Any) -> Any:
    _need_known(prefix, hostnum)
    net = ipaddress.ip_network(prefix, strict=False)
    n = int(hostnum)
    return str(net.network_address + n if n >= 0 else net.broadcast_address + 1 + n)


def _f_bool_all(value: Any, want: bool) -> Any:
    if isinstance(value, Unknown):
        return value
    known = [v for v in value if not isinstance(v, Unknown)]
    if want and any(v is False for v in known):
        return False
    if not want and any(v is True for v in known):
        return True
    if len(known) < len(value):
        return combine(value)
    return all(known) if want else any(known)


_CONVERSIONS = frozenset({"tolist", "toset", "tomap", "tostring", "tonumber", "tobool"})

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "merge": _f_merge,
    "concat": _f_concat,
    "flatten": _f_flatten,
    "distinct": _f_distinct,
    "toset": _f_toset,
    "tolist": lambda v: v,
    "tomap": lambda v: v,
    "tostring": lambda v: _to_string(v),
    "tonumber": lambda v: v if isinstance(v, Unknown) else _number(v),
    "tobool": lambda v: (
        v if isinstance(v, Unknown) else (v if isinstance(v, bool) else {"true": True, "false": False}[v])
    ),
    "sort": _f_sort,
    "join": _f_join,
    "replace": _f_replace,
    "lookup": _f_lookup,
    "element": _f_element,
    "length": _f_length,
    "keys": _f_keys,
    "values": _f_values,
    "contains": _f_contains,
    "coalesce": _f_coalesce,
    "coalescelist": _f_coalescelist,
    "compact": _f_compact,
    "zipmap": _f_zipmap,
    "format": _f_format,
    "jsonencode": _f_jsonencode,
    "jsondecode": _f_jsondecode,
    "split": _f_split,
    "lower": _string_fn(str.lower),
    "upper": _string_fn(str.upper),
    "title": _string_fn(str.title),
    "trimspace": _string_fn(str.strip),
    "trimprefix": _string_fn(lambda s, p: s[len(p) :] if s.startswith(p) else s),
    "trimsuffix": _string_fn(lambda s, p: s[: -len(p)] if p and s.endswith(p) else s),
    "trim": _string_fn(lambda s, chars: s.strip(chars)),
    "startswith": _string_fn(lambda s, p: s.startswith(p)),
    "endswith": _string_fn(lambda s, p: s.endswith(p)),
    "strcontains": _string_fn(lambda s, p: p in s),
    "substr": _string_fn(lambda s, o, n: s[int(o) :] if int(n) < 0 else s[int(o) : int(o) + int(n)]),
    "reverse": _string_fn(lambda v: list(reversed(v))),
    "slice": _f_slice,
    "one": _f_one,
    "range": _f_range,
    "min": _string_fn(lambda *v: min(v)),
    "max": _string_fn(lambda *v: max(v)),
    "abs": _string_fn(abs),
    "ceil": _string_fn(lambda v: -int(-v // 1)),
    "floor": _string_fn(lambda v: int(v // 1)),
    "sum": _string_fn(sum),
    "index": _string_fn(lambda v, x: v.index(x)),
    "alltrue": lambda v: _f_bool_all(v, True),
    "anytrue": lambda v: _f_bool_all(v, False),
    "base64encode": _string_fn(lambda s: base64.b64encode(s.encode()).decode()),
    "base64decode": _string_fn(lambda s: base64.b64decode(s).decode()),
    "md5": _string_fn(lambda s: hashlib.md5(s.encode()).hexdigest()),  # noqa: S324 - Terraform's own md5()
    "sha1": _string_fn(lambda s: hashlib.sha1(s.encode()).hexdigest()),  # noqa: S324 - Terraform's own sha1()
    "sha256": _string_fn(lambda s: hashlib.sha256(s.encode()).hexdigest()),
    "cidrsubnet": _f_cidrsubnet,
    "cidrhost": _f_cidrhost,
    "fileset": _f_fileset,
    "file": _f_file,
    "fileexists": _f_fileexists,
    "filebase64": _f_filebase64,
}


def resource_object(ix: PlanIndex, rc: Rc) -> dict[str, Any]:
    """A resource instance as an expression sees it: planned attributes, unknown ones as holes."""
    return _with_holes(rc, PlanIndex.after(rc), PlanIndex.after_unknown(rc), "")


def _with_holes(rc: Rc, value: Any, flag: Any, attr: str) -> Any:
    if flag is True:
        return Unknown("known only after apply", (Target(rc, attr),), direct=True)
    if isinstance(value, dict) or isinstance(flag, dict):
        value = value if isinstance(value, dict) else {}
        flags = flag if isinstance(flag, dict) else {}
        return {
            k: _with_holes(rc, value.get(k), flags.get(k), f"{attr}.{k}" if attr else k)
            for k in set(value) | set(flags)
        }
    if isinstance(value, list):
        flags_list = flag if isinstance(flag, list) else []
        return [_with_holes(rc, v, flags_list[i] if i < len(flags_list) else None, attr) for i, v in enumerate(value)]
    return value

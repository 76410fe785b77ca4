"""One way to read a value from a plan: known, unknown or absent, by construction.

``PlanFacts.get(rc, *path)`` is the only reader of planned values the plan adapter uses
(``tests/unit/test_plan_facts.py`` checks that it reads nothing else). It answers one of:

``Known(value)``
    The planned value. A container keeps the finest knowledge the plan has: an element or field
    known only after apply is an ``Unknown`` inside it (``physical_connection_requirements[0]``
    with its ``subnet_id`` unknown and its zone known), never ``None``.
``Unknown(reason, targets, opaque)``
    Known only after apply, with what its configuration refers to (``targets``, resolved through
    module inputs and outputs) and whether it refers to something that cannot be followed from the
    plan (a local, a value from outside the plan: ``opaque``). When the root's sources are at hand
    (``sources.Sources``), a value the plan lost (a map wholly unknown for one computed element, a
    list built in a local) is read from them first, element by element; a value the sources find
    wholly unknown too is answered from the plan's references, unless the sources show it is exactly
    one resource's attribute.
``Absent(default)``
    Not set: left out of the configuration or null. An attribute that is both optional and
    computed (``enable_dns_hostnames``) plans as unknown when left out; it is absent all the same,
    with the provider's default. A computed-only attribute (``computed=True``: the provider sets it,
    the configuration cannot) is unknown when unknown.

``Unknown`` refuses to be used as a condition or iterated (``TypeError``), so code that reads it as
empty or false fails at once instead of judging a configuration it cannot see.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from glue_netcheck.plan_index import PlanIndex, Rc, Target, dig

if TYPE_CHECKING:
    from glue_netcheck.sources import Sources

Path = tuple[str | int, ...]
AFTER_APPLY = "known only after apply"


@dataclass(frozen=True)
class Known:
    value: Any


@dataclass(frozen=True)
class Absent:
    default: Any = None

    @property
    def value(self) -> Any:
        return self.default


@dataclass(frozen=True, eq=False)
class Unknown:
    """A value known only after apply.

    ``targets`` are the plan objects its expression refers to; ``opaque`` says it also depends on
    something the plan cannot show. ``pieces`` are the literal parts of a string template whose
    other parts are unknown (``"s3://" + bucket + "/temp/"``).
    """

    reason: str = AFTER_APPLY
    targets: tuple[Target, ...] = ()
    opaque: bool = False
    pieces: tuple[str, ...] = ()
    # True when the value *is* the attribute of its one target (``aws_subnet.a.id``); a value computed
    # from unknowns (a template, a function, a for expression) only depends on its targets.
    direct: bool = False

    def __bool__(self) -> bool:
        raise TypeError(f"an unknown value ({self.reason}) was used as a condition: handle Unknown explicitly")

    def __iter__(self) -> Iterator[Any]:
        raise TypeError(f"an unknown value ({self.reason}) was iterated: handle Unknown explicitly")

    def __len__(self) -> int:
        raise TypeError(f"an unknown value ({self.reason}) has no length: handle Unknown explicitly")

    def __repr__(self) -> str:
        refs = ", ".join(f"{t.rc['address']}{'.' + t.attr if t.attr else ''}" for t in self.targets)
        extra = " +opaque" if self.opaque else ""
        return f"Unknown({refs}{extra})"


Fact = Known | Unknown | Absent


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def holes(value: Any) -> list[Unknown]:
    """Every unknown inside a (partially) known value."""
    if isinstance(value, Unknown):
        return [value]
    if isinstance(value, dict):
        return [u for v in value.values() for u in holes(v)]
    if isinstance(value, list | tuple):
        return [u for v in value for u in holes(v)]
    return []


def _flag_at(flags: Any, path: Path) -> Any:
    """The ``after_unknown`` entry at ``path``: True when it or an enclosing value is unknown."""
    node = flags
    for p in path:
        if node is True:
            return True
        if isinstance(p, int):
            node = node[p] if isinstance(node, list) and len(node) > p else None
        else:
            node = node.get(p) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


@dataclass
class PlanFacts:
    """Reads planned values through ``PlanIndex``; see the module docstring."""

    ix: PlanIndex
    sources: Sources | None = None
    # Why sources could not be used, once per plan (reported as a gap by the adapter).
    notes: list[str] = field(default_factory=list)

    def get(self, rc: Rc, *path: str | int, default: Any = None, computed: bool = False) -> Fact:
        flag = _flag_at(PlanIndex.after_unknown(rc), path)
        if flag is True:
            if not computed and self.ix.configured(rc, *path) is False:
                return Absent(default)  # optional + computed, left out: the provider's default
            return self._unknown(rc, path)
        value = dig(PlanIndex.after(rc), *path)
        if value is None:
            return Absent(default)
        if isinstance(flag, list | dict):
            return Known(self._merge(rc, path, value, flag))
        return Known(value)

    def _merge(self, rc: Rc, path: Path, value: Any, flag: Any) -> Any:
        """``value`` with ``Unknown`` where ``after_unknown`` marks an element or field."""
        if flag is True:
            found = self._unknown(rc, path)
            return found.value if isinstance(found, Known) else found
        if isinstance(value, dict):
            keys = set(value) | (set(flag) if isinstance(flag, dict) else set())
            out = {}
            for k in keys:
                sub = flag.get(k) if isinstance(flag, dict) else None
                if sub is True and self.ix.configured(rc, *path, k) is False:
                    continue  # optional + computed, left out: absent
                if value.get(k) is None and sub is not True and not isinstance(sub, list | dict):
                    out[k] = value.get(k)
                    continue
                out[k] = self._merge(rc, (*path, k), value.get(k), sub)
            return out
        if isinstance(value, list):
            return [
                self._merge(rc, (*path, i), v, flag[i] if isinstance(flag, list) and len(flag) > i else None)
                for i, v in enumerate(value)
            ]
        return value

    def _unknown(self, rc: Rc, path: Path) -> Fact:
        found = self.sources.value_of(self.ix, rc, path) if self.sources is not None else None
        if isinstance(found, Known) or (isinstance(found, Unknown) and found.direct):
            return found
        targets, opaque = self.ix.nearest_targets(rc, *path)
        # The sources may still know a template's literal parts ("s3://" ... "/temp/").
        pieces = found.pieces if isinstance(found, Unknown) else ()
        return Unknown(AFTER_APPLY, tuple(targets), opaque, pieces)

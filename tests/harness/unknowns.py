"""Turn facts of a plan unknown the way Terraform 1.11 and the AWS provider do, and judge the result.

The property (tests/unit/test_unknown_property.py): a plan with *more* unknown values can only turn a
rule's verdict on an object into "unverifiable" -- never into a failure, and never into silence.
What an unknown looks like was read off real plans (hashicorp/aws 5.100.0, an SDKv2 provider;
``tests/unit/test_unknown_shapes.py`` compares each kind below with one):

``attribute``
    A top-level attribute becomes ``null`` in ``after`` and ``true`` in ``after_unknown``. Lists,
    sets and maps go wholly unknown even when one element is (``connections``,
    ``default_arguments``, ``security_group_id_list``); the configuration's ``constant_value`` turns
    into ``references``.
``block-attribute``
    An attribute inside a nested block element (``physical_connection_requirements[0].subnet_id``)
    goes unknown on its own; its neighbours stay known.
``computed``
    An attribute the configuration leaves out but the provider computes (Optional+Computed, such as
    ``enable_dns_hostnames``) plans as unknown with no expression: it means the provider default.

Every expression that refers to a changed attribute goes unknown too, resolved through the plan's
configuration (module inputs and outputs, ``count``/``for_each`` instances). References through
``local.`` are not followed (the plan JSON has no locals), so such a mutated plan is a little *less*
unknown than Terraform would make it; the property holds for it all the same.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from glue_netcheck.catalogue import Outcome, Report
from glue_netcheck.plan_index import PlanIndex, config_path, dig, local_address
from harness.corpus import FAILING, outcome_of

Kind = Literal["attribute", "block-attribute", "computed"]
Path = tuple[str | int, ...]

# What a changed expression refers to: a local (the plan JSON cannot follow it) or a value from
# outside the plan (remote state). Neither names a resource of the plan, so the mutated plan
# stands for the same configuration with the value coming from somewhere the checker cannot see.
REFERENCES = ("local.netcheck_unknown", "data.terraform_remote_state.netcheck.outputs.unknown")
# Attributes that are never values of their own: the model keys objects by them or Terraform
# manages them (ids, timeouts), so making them unknown would only rename objects.
SKIPPED = frozenset({"id", "arn", "timeouts", "tags_all", "owner_id"})


@dataclass(frozen=True)
class Mutation:
    address: str
    path: Path
    kind: Kind
    reference: str = REFERENCES[0]

    def __str__(self) -> str:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)
        via = f" (now from {self.reference})" if self.kind != "computed" else ""
        return f"{self.kind}: {self.address}{where} unknown{via}"


def _known(value: Any, flag: Any) -> bool:
    return value is not None and flag is not True


def candidates(plan: dict[str, Any]) -> list[Mutation]:
    """Every fact of the plan's AWS resources that Terraform could plan as unknown."""
    ix = PlanIndex(plan)
    found: list[Mutation] = []
    for rc in plan.get("resource_changes", []):
        if rc.get("mode") != "managed" or not str(rc.get("type", "")).startswith("aws_"):
            continue
        if rc["change"].get("actions") == ["delete"]:
            continue
        after = rc["change"].get("after") or {}
        flags = rc["change"].get("after_unknown") or {}
        for attr, value in after.items():
            if attr in SKIPPED or not _known(value, flags.get(attr)):
                continue
            configured = ix.configured(rc, attr)
            if configured is False:
                found.append(Mutation(rc["address"], (attr,), "computed"))
                continue
            found.append(Mutation(rc["address"], (attr,), "attribute"))
            block_flags = flags.get(attr)
            if (
                configured
                and isinstance(value, list)
                and isinstance(dig(ix.resource_config(rc).get("expressions") or {}, attr), list)
            ):
                for i, element in enumerate(value):
                    if not isinstance(element, dict):
                        continue
                    element_flags = block_flags[i] if isinstance(block_flags, list) and len(block_flags) > i else {}
                    for sub, sub_value in element.items():
                        known = isinstance(element_flags, dict) and _known(sub_value, element_flags.get(sub))
                        if known and ix.configured(rc, attr, i, sub):
                            found.append(Mutation(rc["address"], (attr, i, sub), "block-attribute"))
    return found


# --- applying a mutation ------------------------------------------------------------------------


def _set_unknown(rc: dict[str, Any], path: Path) -> bool:
    """Make ``path`` of ``rc``'s planned value unknown (in place); False when it already was."""
    change = rc["change"]
    change["after"] = node = change.get("after") or {}
    if not isinstance(change.get("after_unknown"), dict):
        change["after_unknown"] = {}
    flags: Any = change["after_unknown"]
    for p, nxt in zip(path[:-1], path[1:], strict=True):
        current = _get(flags, p)
        if current is True:
            return False  # an enclosing value is unknown already
        if not isinstance(current, list | dict):
            current = [{} for _ in (_get(node, p) or [])] if isinstance(nxt, int) else {}
            _put(flags, p, current)
        if isinstance(current, list) and isinstance(nxt, int):
            current.extend({} for _ in range(nxt + 1 - len(current)))
        node, flags = _get(node, p), current
    last = path[-1]
    if _get(flags, last) is True:
        return False
    _put(node, last, None)
    _put(flags, last, True)
    return True


def _get(container: Any, key: str | int) -> Any:
    if isinstance(container, dict):
        return container.get(key)
    if isinstance(container, list) and isinstance(key, int) and len(container) > key:
        return container[key]
    return None


def _put(container: Any, key: str | int, value: Any) -> None:
    if isinstance(container, dict) or isinstance(container, list) and isinstance(key, int) and len(container) > key:
        container[key] = value


def _config_copy(plan: dict[str, Any], module_address: str, local: str) -> dict[str, Any] | None:
    """A private copy of one resource's configuration inside ``plan`` (copy on write), or None."""
    path = config_path(module_address)
    calls = [p for p in path.split(".")[1::2]] if path else []
    plan["configuration"] = dict(plan["configuration"])
    module = plan["configuration"]["root_module"] = dict(plan["configuration"].get("root_module") or {})
    for call in calls:
        module_calls = module["module_calls"] = dict(module.get("module_calls") or {})
        entry = module_calls[call] = dict(module_calls.get(call) or {})
        module = entry["module"] = dict(entry.get("module") or {})
    resources = module["resources"] = list(module.get("resources") or [])
    for i, r in enumerate(resources):
        if isinstance(r, dict) and r.get("address") == local:
            resources[i] = copy.deepcopy(r)
            return resources[i]
    return None


def _refer_elsewhere(config: dict[str, Any] | None, path: Path, reference: str) -> None:
    """The expression at ``path`` now refers to ``reference`` instead of holding a constant."""
    if config is None:
        return
    node: Any = config.setdefault("expressions", {})
    for p in path[:-1]:
        node = node[p] if isinstance(node, list) else node.get(p)
        if node is None:
            return
    last = path[-1]
    holder = node if isinstance(node, dict) else None
    if holder is None:
        return
    expr = holder.get(last)
    if isinstance(expr, dict) and ("constant_value" in expr or "references" in expr or not expr):
        refs = list(expr.get("references") or [])
        holder[last] = {"references": [reference, *refs]}


def apply(plan: dict[str, Any], mutations: list[Mutation]) -> dict[str, Any]:
    """A copy of ``plan`` with the mutations and everything that refers to them unknown."""
    out = dict(plan)
    out["resource_changes"] = list(plan.get("resource_changes", []))
    positions = {rc["address"]: i for i, rc in enumerate(out["resource_changes"])}
    copied: set[str] = set()

    def private(address: str) -> dict[str, Any]:
        i = positions[address]
        if address not in copied:
            out["resource_changes"][i] = copy.deepcopy(out["resource_changes"][i])
            copied.add(address)
        return out["resource_changes"][i]

    changed: list[tuple[str, Path]] = []
    for m in mutations:
        rc = private(m.address)
        if _set_unknown(rc, m.path):
            changed.append((m.address, m.path))
            if m.kind != "computed":
                _refer_elsewhere(
                    _config_copy(out, rc.get("module_address", ""), local_address(rc)), m.path, m.reference
                )
    # Propagate: an expression that refers to an unknown value is unknown.
    while changed:
        ix = PlanIndex(out)
        unknown_now = set(changed)
        changed = []
        for rc in list(out["resource_changes"]):
            for path in _expression_paths(ix, rc):
                if rc["address"] in {a for a, _ in unknown_now} and (rc["address"], path) in unknown_now:
                    continue
                refers = any(_depends(t.rc["address"], t.attr, unknown_now) for t in ix.targets(rc, *path))
                if refers and _set_unknown(private(rc["address"]), path):
                    changed.append((rc["address"], path))
    return out


def _depends(address: str, attr: str, unknown: set[tuple[str, Path]]) -> bool:
    """Whether a reference to ``address``.``attr`` reads one of the ``unknown`` (address, path) facts."""
    for a, path in unknown:
        if a != address:
            continue
        top = str(path[0])
        if not attr or attr == top or attr.startswith(top + ".") or top.startswith(attr + "."):
            return True
    return False


def _expression_paths(ix: PlanIndex, rc: dict[str, Any]) -> Iterator[Path]:
    """Paths of the attributes the configuration sets with an expression (top level and block attributes)."""
    expressions = ix.resource_config(rc).get("expressions") or {}
    after = rc["change"].get("after") or {}
    for attr, expr in expressions.items():
        if isinstance(expr, dict) and "references" in expr:
            if attr in after:
                yield (attr,)
        elif isinstance(expr, list):
            for i, element in enumerate(expr):
                if isinstance(element, dict):
                    for sub, sub_expr in element.items():
                        if isinstance(sub_expr, dict) and "references" in sub_expr:
                            yield (attr, i, sub)


# --- the property ----------------------------------------------------------------------------------


def verdicts(report: Report) -> dict[tuple[str, str], str]:
    """(rule, object) -> pass | fail | warning | unverifiable | info; objects by plan address."""
    out: dict[tuple[str, str], str] = {}
    for result in report.results:
        for resource, address in result.judged:
            out[(result.rule.id, address or resource)] = "pass"
        for f in result.findings:
            # One object can carry several findings of a rule: the worst one is its verdict.
            if _rank(outcome_of(f)) >= _rank(out.get(f.key)):
                out[f.key] = outcome_of(f)
    return out


def _rank(level: str | None) -> int:
    return {None: -1, "pass": 0, "info": 1, "unverifiable": 2, "warning": 3, "fail": 4}[level]


def violations(before: Report, after: Report) -> list[str]:
    """What the mutated plan's report does that more unknowns must never do."""
    b, a = verdicts(before), verdicts(after)
    problems = []
    for key, level in sorted(a.items()):
        if level in FAILING and b.get(key) != level:
            problems.append(f"{key[0]} {key[1]}: {b.get(key, 'not judged')} -> {level}")
    unverifiable_rules = {f.rule_id for f in after.unverifiable}
    for key, level in sorted(b.items()):
        now = a.get(key)
        if now is None:
            if level != "info" and key[0] not in unverifiable_rules:
                problems.append(f"{key[0]} {key[1]}: {level} -> silent (the rule no longer says anything about it)")
        elif now not in (level, "unverifiable", *FAILING):  # a new failure is reported above
            problems.append(f"{key[0]} {key[1]}: {level} -> {now}")
    problems += inconsistent_counts(after)
    return problems


def inconsistent_counts(report: Report) -> list[str]:
    c = report.counts()
    problems = []
    if c["applied"] != c["passed"] + c["warned"] + c["failed"] + c["unverifiable"]:
        problems.append(f"summary: applied {c['applied']} is not the sum of its outcomes ({c})")
    if c["rules"] != c["applied"] + c["not_applicable"]:
        problems.append(f"summary: {c['rules']} rules is not applied + not applicable ({c})")
    unverifiable_rules = {r.rule.id for r in report.results if r.outcome == Outcome.UNVERIFIABLE}
    if c["unverifiable"] != len(unverifiable_rules):
        problems.append(f"summary: {c['unverifiable']} unverifiable rules, but {sorted(unverifiable_rules)}")
    return problems


# --- drawing mutations -----------------------------------------------------------------------------


@dataclass
class JudgedPlan:
    """A plan, the facts that could be unknown in it, and the catalogue's report on it as it is."""

    name: str
    plan: dict[str, Any]
    candidates: list[Mutation]
    report: Report


def fact_kind(m: Mutation) -> tuple[str, str, Kind]:
    """(resource type, attribute path without indexes, kind): what a mutation changes, across plans."""
    rtype = m.address.rsplit(".", 2)[-2].split("[")[0] if "." in m.address else m.address
    return rtype, "/".join(str(p) for p in m.path if not isinstance(p, int)), m.kind


def draw(
    rng: Any, plans: dict[str, JudgedPlan], model_types: frozenset[str], most: int = 3
) -> tuple[str, list[Mutation]]:
    """One example: a plan and one to ``most`` of its facts made unknown.

    The first fact is drawn uniformly over *kinds* of fact (type, attribute, kind) of all plans, then
    a plan and a resource that have it, so that an attribute found in two plans out of sixty is
    drawn as often as one found everywhere. Three draws in four take a kind of the types the model
    reads; the others any AWS type (its unknowns reach the model only through references).
    """
    kinds: dict[tuple[str, str, Kind], list[tuple[str, Mutation]]] = {}
    for name in sorted(plans):
        for m in plans[name].candidates:
            kinds.setdefault(fact_kind(m), []).append((name, m))
    ordered = sorted(kinds)
    modelled = [k for k in ordered if k[0] in model_types]
    pool = modelled if modelled and rng.random() < 0.75 else ordered
    name, first = rng.choice(kinds[rng.choice(pool)])
    others = plans[name].candidates
    mutations = [first] + [rng.choice(others) for _ in range(rng.randint(0, most - 1))]
    unique = list({(m.address, m.path): m for m in mutations}.values())
    return name, [Mutation(m.address, m.path, m.kind, rng.choice(REFERENCES)) for m in unique]


class JudgedPlans(dict[str, JudgedPlan]):
    """The plans of a property run; a short repr, since Hypothesis prints the arguments of a failing example."""

    def __repr__(self) -> str:
        return f"<{len(self)} judged plans>"


def judge(name: str, plan: dict[str, Any], run: Any) -> JudgedPlan:
    """``run(plan) -> Report`` is the checker under test (plan adapter and catalogue)."""
    return JudgedPlan(name, plan, candidates(plan), run(plan))


def explain(name: str, mutations: list[Mutation], problems: list[str]) -> str:
    return (
        f"plan {name}, made unknown:\n"
        + "\n".join(f"  - {m}" for m in mutations)
        + "\nwhat the checker then said that more unknowns must never make it say:\n"
        + "\n".join(f"  * {p}" for p in problems)
    )


def explore(plans: dict[str, JudgedPlan], run: Any, model_types: frozenset[str], examples: int, seed: int) -> dict:
    """The long run (``scripts/bench.py --property N``): every violation found, not only the first.

    Returns {(rule, fact kind, what it became): [(plan, mutations, problem)]}, each example cut to
    the single mutations that show the problem on their own where there are such.
    """
    import random

    rng = random.Random(seed)
    found: dict[tuple[str, str, str], list[tuple[str, list[str], str]]] = {}

    def problems_of(name: str, mutations: list[Mutation]) -> list[str]:
        return violations(plans[name].report, run(apply(plans[name].plan, mutations)))

    for _ in range(examples):
        name, mutations = draw(rng, plans, model_types)
        if not problems_of(name, mutations):
            continue
        alone = [[m] for m in mutations if problems_of(name, [m])] or [mutations]
        for group in alone:
            kind = "+".join(".".join(fact_kind(m)[:2]) for m in group)
            for problem in problems_of(name, group):
                became = problem.rsplit("-> ", 1)[-1].split(" ")[0]
                found.setdefault((problem.split(" ", 1)[0], kind, became), []).append(
                    (name, [str(m) for m in group], problem)
                )
    return found

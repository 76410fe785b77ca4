"""The corpus of configurations we did not write: its expectations, and the scorer.

``tests/corpus/<case>/`` holds a Terraform module per case; ``tests/corpus/expectations.yaml``
holds, per case, the findings the rules must produce (written from docs/network-fix.md,
never from checker output). This module is generic over that YAML:

* :func:`load_corpus` reads and validates it (a malformed expectation is a one-line
  :class:`HarnessError`, not a confusing test failure);
* :func:`match_case` compares a case's findings with its expectations;
* :func:`match_refusal` scores the errored-plan case from the CLI's exit code;
* :class:`Score` sums the cases into precision and recall.

Matching, per case:

* *claims* are ``(rule, resource, outcome)``. Fail/warning claims must equal the expected
  fail/warning claims. A key expected once counts once however often it is reported
  (a rule may word one defect in two findings); a key expected *n* > 1 times (GNET014 on
  one job for two services) must be reported *n* times.
* Every expected unverifiable/info claim must be reported with that outcome; an extra
  unverifiable or info claim is not a false alarm, only listed.
* ``about`` (a list of words) must appear in the message of a finding with that key.
* Rules in ``pass`` give no fail, warning or unverifiable finding on the case.

Scoring over the whole corpus: precision = true positives / reported fail+warning claims,
recall = true positives / expected fail+warning claims. The errored-plan case is one
expected claim: a true positive when the CLI refuses the plan (exit 2), a false negative
otherwise.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from harness.errors import HarnessError
from harness.paths import CORPUS, DOCS, REPO

if TYPE_CHECKING:
    # Only annotations: `tox -e lint` (scripts/tf_lint.py imports workspace, which imports this) has no
    # glue_netcheck installed.
    from glue_netcheck.catalogue import Finding

CORPUS_DIR = CORPUS
EXPECTATIONS = CORPUS_DIR / "expectations.yaml"
CONTRACT = DOCS / "network-fix.md"
OUTCOMES = ("fail", "warning", "unverifiable", "info")
FAILING = ("fail", "warning")
_RULE_ID = re.compile(r"^GNET\d{3}$")
# Files of a case that are not Terraform sources (never copied into a workspace).
_IGNORED = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*", "*.tfplan", "__pycache__")

Claim = tuple[str, str, str]  # (rule, resource, outcome)


@dataclass(frozen=True)
class Expectation:
    rule: str
    resource: str  # as written in the YAML (addresses relative to the case)
    outcome: str
    about: tuple[str, ...] = ()
    why: str = ""

    def claim(self, case: Case) -> Claim:
        return (self.rule, case.qualify(self.resource), self.outcome)

    def describe(self, case: Case) -> str:
        about = f" (about {' / '.join(self.about)})" if self.about else ""
        why = f": {self.why}" if self.why else ""
        return f"{self.rule} {self.outcome} on {case.qualify(self.resource)}{about}{why}"


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    style: str
    cites: tuple[str, ...]
    expect: tuple[Expectation, ...]
    passes: tuple[str, ...]
    standalone: bool = False
    plan_error: bool = False
    round: int = 1

    @property
    def module(self) -> str:
        """The module instance name of the case in a generated root."""
        return f"corpus_{self.name}"

    @property
    def source_dir(self) -> Path:
        return CORPUS_DIR / self.name

    def qualify(self, resource: str) -> str:
        """A resource address inside the case becomes an address in the generated root."""
        if resource.startswith(("aws_", "module.")):
            return f"module.{self.module}.{resource}"
        return resource


def load_corpus(path: Path = EXPECTATIONS) -> dict[str, Case]:
    """Every case of the YAML, validated against the case directories."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HarnessError(f"{path}: cannot read the corpus expectations ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), dict):
        raise HarnessError(f"{path}: expected a mapping `cases: {{<case>: ...}}`")
    cases = {name: _case(path, name, raw) for name, raw in data["cases"].items()}
    on_disk = {p.name for p in path.parent.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    if missing := sorted(on_disk - set(cases)):
        raise HarnessError(f"{path}: case directories without expectations: {missing}; add them to the YAML")
    return cases


def _case(path: Path, name: str, raw: Any) -> Case:
    where = f"{path.name}: case {name}"
    if not isinstance(raw, dict):
        raise HarnessError(f"{where}: expected a mapping with description, style, cites, expect")
    if not (path.parent / name).is_dir() or not list((path.parent / name).glob("*.tf")):
        raise HarnessError(f"{where}: tests/corpus/{name}/ with *.tf files does not exist")
    for key in ("description", "style"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise HarnessError(f"{where}: `{key}` must be a non-empty string")
    cites = raw.get("cites") or []
    if not cites or not all(isinstance(c, str) and "#" in c for c in cites):
        raise HarnessError(f"{where}: `cites` must list docs/network-fix.md#<anchor> entries")
    plan_error = bool(raw.get("plan_error", False))
    standalone = bool(raw.get("standalone", False))
    if plan_error and not standalone:
        raise HarnessError(f"{where}: a plan_error case must be standalone (a failing plan would break the batch)")
    expect = tuple(_expectation(where, i, e) for i, e in enumerate(raw.get("expect") or []))
    if plan_error and expect:
        raise HarnessError(f"{where}: a plan_error case has no findings to expect: the plan must be refused")
    non_failing = Counter((e.rule, e.resource, e.outcome) for e in expect if e.outcome not in FAILING)
    if dup := [k for k, n in non_failing.items() if n > 1]:
        raise HarnessError(f"{where}: unverifiable/info expectations listed twice: {dup}")
    passes = tuple(raw.get("pass") or [])
    for rule in passes:
        if not isinstance(rule, str) or not _RULE_ID.match(rule):
            raise HarnessError(f"{where}: `pass` entries must be rule ids such as GNET006, got {rule!r}")
    # info never fails, so a rule may give info on one job and pass on the case.
    if clash := sorted({e.rule for e in expect if e.outcome != "info"} & set(passes)):
        raise HarnessError(f"{where}: rules both expected to fire and to pass: {clash}")
    round_ = raw.get("round", 1)
    if not isinstance(round_, int) or round_ < 1:
        raise HarnessError(f"{where}: `round` must be a positive integer, got {round_!r}")
    return Case(
        name,
        raw["description"].strip(),
        raw["style"].strip(),
        tuple(cites),
        expect,
        passes,
        standalone,
        plan_error,
        round_,
    )


def _expectation(where: str, index: int, raw: Any) -> Expectation:
    here = f"{where}, expect[{index}]"
    if not isinstance(raw, dict):
        raise HarnessError(f"{here}: expected {{rule, resource, outcome}}")
    rule, resource, outcome = raw.get("rule"), raw.get("resource"), raw.get("outcome")
    if not isinstance(rule, str) or not _RULE_ID.match(rule):
        raise HarnessError(f"{here}: `rule` must be a rule id such as GNET006, got {rule!r}")
    if not isinstance(resource, str) or not resource:
        raise HarnessError(f"{here}: `resource` must be a job name, connection name or VPC key")
    if outcome not in OUTCOMES:
        raise HarnessError(f"{here}: `outcome` must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
    about = raw.get("about") or []
    about = [about] if isinstance(about, str) else about
    if not all(isinstance(a, str) and a for a in about):
        raise HarnessError(f"{here}: `about` must be a word or a list of words")
    return Expectation(rule, resource, outcome, tuple(about), str(raw.get("why") or ""))


def copy_case(case: Case, dest: Path) -> None:
    """The case's module, without anything Terraform left behind."""
    shutil.copytree(case.source_dir, dest, ignore=_IGNORED)


# --- the checker's findings ------------------------------------------------------


def outcome_of(finding: Finding) -> str:
    """fail | warning | unverifiable | info: the finding's level, with an error-level one called a fail."""
    return "fail" if finding.level == "error" else finding.level


def claim_of(finding: Finding) -> Claim:
    return (finding.rule_id, str(finding.resource), outcome_of(finding))


def _squash(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text.lower())


def findings_for(plan: dict[str, Any], source: str, sources: Any = None) -> list[Finding]:
    """The catalogue's findings on a plan, through the real path (plan adapter, then every rule).

    The one place the corpus calls the checker: when the catalogue's entry points change,
    change this function.
    """
    from glue_netcheck import run_rules
    from glue_netcheck.plan_adapter import deployment_from_plan

    return list(run_rules(deployment_from_plan(plan, source=source, sources=sources)).findings)


# --- matching ---------------------------------------------------------------------


@dataclass
class CaseResult:
    case: Case
    true_positives: int = 0
    false_positives: list[Any] = field(default_factory=list)  # the findings behind false claims (shown)
    false_positive_claims: int = 0  # what precision counts: duplicates of one claim count once
    false_negatives: list[Expectation] = field(default_factory=list)
    missing_other: list[Expectation] = field(default_factory=list)  # expected unverifiable/info not reported
    extra_other: list[Any] = field(default_factory=list)  # unexpected unverifiable/info: listed, not scored
    about_missing: list[tuple[Expectation, list[Any]]] = field(default_factory=list)
    pass_violations: list[Any] = field(default_factory=list)
    reported_unverifiable: int = 0
    refusal: str = ""  # errored case: what the CLI did

    @property
    def ok(self) -> bool:
        return not (
            self.false_positives
            or self.false_negatives
            or self.missing_other
            or self.about_missing
            or self.pass_violations
        )

    def explain(self) -> str:
        """What a failing test prints: every missing and unexpected finding, with its text."""
        c = self.case
        lines = [f"corpus case {c.name}: {c.description}"]
        if c.plan_error:
            lines.append(f"  expected: the plan is refused (exit 2, one line); got: {self.refusal}")
        if self.false_negatives:
            lines.append("  missing (expected, not reported):")
            lines += [f"    - {e.describe(c)}" for e in self.false_negatives]
        if self.false_positives:
            lines.append("  unexpected (reported, not expected):")
            lines += [f"    - {f}" for f in self.false_positives]
        if self.missing_other:
            lines.append("  expected unverifiable/info, not reported with that outcome:")
            lines += [f"    - {e.describe(c)}" for e in self.missing_other]
        if self.about_missing:
            lines.append("  reported, but the message does not name what it is about:")
            for e, found in self.about_missing:
                lines.append(f"    - {e.describe(c)}; messages: {[str(f) for f in found]}")
        if self.pass_violations:
            lines.append(f"  rules expected to pass ({', '.join(c.passes)}) that did not:")
            lines += [f"    - {f}" for f in self.pass_violations]
        if self.extra_other:
            lines.append("  extra unverifiable/info (not a false alarm, listed):")
            lines += [f"    - {f}" for f in self.extra_other]
        lines.append(f"  cites: {', '.join(c.cites)}")
        return "\n".join(lines)


def match_case(case: Case, findings: list[Finding]) -> CaseResult:
    if case.plan_error:
        raise ValueError(f"{case.name} is a plan_error case: score it with match_refusal")
    result = CaseResult(case)
    by_claim: dict[Claim, list[Any]] = {}
    for f in findings:
        by_claim.setdefault(claim_of(f), []).append(f)
    result.reported_unverifiable = sum(1 for f in findings if outcome_of(f) == "unverifiable")

    expected_failing = Counter(e.claim(case) for e in case.expect if e.outcome in FAILING)
    reported_failing = {k: v for k, v in by_claim.items() if k[2] in FAILING}
    for key in set(expected_failing) | set(reported_failing):
        expected, reported = expected_failing.get(key, 0), reported_failing.get(key, [])
        counted = reported if expected > 1 else reported[:1]
        hits = min(expected, len(counted))
        result.true_positives += hits
        result.false_positive_claims += len(counted) - hits
        result.false_positives += reported if not expected else counted[hits:]
        result.false_negatives += [e for e in case.expect if e.claim(case) == key][: expected - hits]

    expected_other = {e.claim(case) for e in case.expect if e.outcome not in FAILING}
    result.missing_other = [e for e in case.expect if e.outcome not in FAILING and e.claim(case) not in by_claim]
    result.extra_other = [
        f for k, fs in by_claim.items() if k[2] not in FAILING and k not in expected_other for f in fs
    ]

    for e in case.expect:
        found = by_claim.get(e.claim(case), [])
        if e.about and found and not any(_squash(a) in _squash(str(f)) for f in found for a in e.about):
            result.about_missing.append((e, found))

    result.pass_violations = [
        f for f in findings if f.rule_id in case.passes and outcome_of(f) in ("fail", "warning", "unverifiable")
    ]
    return result


def match_refusal(case: Case, exit_code: int, stderr: str) -> CaseResult:
    """The errored-plan case: refused (exit 2, one line on stderr) or not."""
    result = CaseResult(case)
    lines = [line for line in stderr.splitlines() if line.strip()]
    result.refusal = f"exit {exit_code}, {len(lines)} line(s) on stderr" + (f": {lines[0]}" if lines else "")
    if exit_code == 2 and len(lines) == 1:
        result.true_positives = 1
    else:
        result.false_negatives = [
            Expectation(
                "glue-netcheck plan", case.name, "exit 2", why="an errored plan is refused with one line on stderr"
            )
        ]
    return result


@dataclass
class Score:
    results: list[CaseResult]

    @property
    def true_positives(self) -> int:
        return sum(r.true_positives for r in self.results)

    @property
    def false_positives(self) -> int:
        return sum(r.false_positive_claims for r in self.results)

    @property
    def false_negatives(self) -> int:
        return sum(len(r.false_negatives) for r in self.results)

    @property
    def unverifiable(self) -> int:
        return sum(r.reported_unverifiable for r in self.results)

    @property
    def precision(self) -> float | None:
        reported = self.true_positives + self.false_positives
        return self.true_positives / reported if reported else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None

    def by_round(self) -> dict[int, Score]:
        rounds: dict[int, list[CaseResult]] = {}
        for r in self.results:
            rounds.setdefault(r.case.round, []).append(r)
        return {n: Score(results) for n, results in sorted(rounds.items())}

    def summary(self) -> str:
        def pct(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.0%}"

        failing = sum(1 for r in self.results if not r.ok)
        return (
            f"corpus: {len(self.results)} cases ({failing} not as expected); precision {pct(self.precision)} "
            f"({self.true_positives} true of {self.true_positives + self.false_positives} reported fail/warning), "
            f"recall {pct(self.recall)} ({self.true_positives} of {self.true_positives + self.false_negatives} expected); "
            f"false positives {self.false_positives}, misses {self.false_negatives}, unverifiable reported {self.unverifiable}"
        )


# --- the contract's anchors -------------------------------------------------------


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def doc_anchors(path: Path = CONTRACT) -> set[str]:
    anchors = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^#{1,6}\s+(.*)$", line):
            anchors.add(github_anchor(m.group(1)))
    return anchors


def unresolved_cites(cases: dict[str, Case], path: Path = CONTRACT) -> list[str]:
    """Cites (``docs/network-fix.md#anchor``) whose document or anchor does not exist."""
    anchors = doc_anchors(path)
    rel = path.relative_to(REPO).as_posix()
    bad = []
    for case in cases.values():
        for cite in case.cites:
            doc, _, anchor = cite.partition("#")
            if doc != rel or anchor not in anchors:
                bad.append(f"{case.name}: {cite}")
    return bad

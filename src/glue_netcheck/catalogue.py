"""The rule catalogue: rules, what they report, and the report every consumer reads.

A rule is a function ``(deployment, report)`` registered on a ``Catalogue`` with
its id, title, severity, source and default fix written once. The function never
repeats its id: it reports through the ``RuleReporter`` bound to it, for each
resource it judged -- ``passed``, ``fail``, ``unverifiable`` (a fact it needs is
unknown) or ``info`` (a note that is never a failure). A rule that judged nothing
did not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from glue_netcheck.model import Deployment


class Severity(StrEnum):
    ERROR = "error"  # the job will fail, or run outside the VPC it needs
    WARNING = "warning"  # works, but fragile or short of AWS's advice


class Status(StrEnum):
    FAIL = "fail"
    UNVERIFIABLE = "unverifiable"
    INFO = "info"


class Outcome(StrEnum):
    """A rule's verdict on the whole deployment."""

    PASSED = "passed"
    WARNED = "warned"  # only warning findings: never reported as failed
    FAILED = "failed"
    UNVERIFIABLE = "unverifiable"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Finding:
    rule_id: str
    resource: str  # the job, connection, VPC ... the finding is about
    message: str  # what is wrong, with the values seen
    fix: str  # how to fix it
    severity: Severity = Severity.ERROR
    status: Status = Status.FAIL
    # Where the resource is declared: its Terraform plan address (module.x.aws_glue_job.y["k"]) from a
    # plan, its ARN or id from a live account; "" when a finding is about several resources.
    address: str = ""

    def __post_init__(self) -> None:
        # Accept the plain strings ("error", "unverifiable") that JSON and YAML carry.
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "status", Status(self.status))

    @property
    def level(self) -> str:
        """error | warning | unverifiable | info: what a reader sees first."""
        return self.severity.value if self.status == Status.FAIL else self.status.value

    @property
    def key(self) -> tuple[str, str]:
        """(rule, address or resource): what a finding is about, stable when names are unknown."""
        return (self.rule_id, self.address or self.resource)

    def __str__(self) -> str:
        where = f" ({self.address})" if self.address and self.address != self.resource else ""
        return f"{self.rule_id} [{self.level}] {self.resource}{where}: {self.message} Fix: {self.fix}"


@dataclass(frozen=True)
class Reference:
    """A document a rule rests on: AWS's guide, the provider's docs or one of its issues."""

    title: str
    url: str

    def __str__(self) -> str:
        return f"{self.title} ({self.url})"


@dataclass(frozen=True)
class Citation:
    """What a rule rests on: its documents, and the requirements of this project's contract
    (docs/network-fix.md, ``R-...`` anchors) that it enforces."""

    references: tuple[Reference, ...]
    requirements: tuple[str, ...]

    def __add__(self, other: Citation) -> Citation:
        return Citation(
            tuple(dict.fromkeys((*self.references, *other.references))),
            tuple(dict.fromkeys((*self.requirements, *other.requirements))),
        )

    def only(self, *requirements: str) -> Citation:
        """The same documents, for other requirements of the contract."""
        return Citation(self.references, requirements)


def cite(*references: tuple[str, str], requirements: tuple[str, ...] = ()) -> Citation:
    return Citation(tuple(Reference(t, u) for t, u in references), requirements)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    citation: Citation  # the documents the rule rests on, and the contract's requirements it enforces
    fix: str  # the usual fix; a finding may say more
    check: Callable[[Deployment, RuleReporter], None] = field(compare=False, repr=False)

    @property
    def references(self) -> tuple[Reference, ...]:
        return self.citation.references

    @property
    def requirements(self) -> tuple[str, ...]:
        return self.citation.requirements

    @property
    def source(self) -> str:
        """One line for people: the documents with their links, then the requirement ids."""
        documents = "; ".join(str(r) for r in self.references)
        return f"{documents}; requirements {', '.join(self.requirements)}" if self.requirements else documents


Subject = Any  # a model object (Job, Connection, Vpc ...: .name or .id, and .address) or a plain name


def subject_of(subject: Subject) -> tuple[str, str]:
    """(resource, address) of what a finding is about."""
    if isinstance(subject, str):
        return subject, ""
    name = getattr(subject, "name", None) or getattr(subject, "id", None) or ""
    return str(name), str(getattr(subject, "address", "") or "")


class RuleReporter:
    """What one rule found, bound to that rule so the body never names its id."""

    UNVERIFIABLE_FIX = "check it on the deployed job (glue-netcheck job NAME) once the value is known"

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.findings: list[Finding] = []
        # (resource, address) of everything the rule judged, passed or not.
        self.judged: set[tuple[str, str]] = set()

    def passed(self, subject: Subject) -> None:
        self.judged.add(subject_of(subject))

    def _add(self, subject: Subject, message: str, fix: str, status: Status, judged: bool = True) -> None:
        resource, address = subject_of(subject)
        if judged:
            self.judged.add((resource, address))
        self.findings.append(Finding(self.rule.id, resource, message, fix, self.rule.severity, status, address))

    def fail(self, subject: Subject, message: str, fix: str | None = None) -> None:
        self._add(subject, message, fix or self.rule.fix, Status.FAIL)

    def unverifiable(self, subject: Subject, what: str, fix: str | None = None) -> None:
        self._add(subject, f"cannot verify: {what}", fix or self.UNVERIFIABLE_FIX, Status.UNVERIFIABLE)

    def info(self, subject: Subject, message: str, fix: str = "nothing, if that is intended") -> None:
        self._add(subject, message, fix, Status.INFO, judged=False)

    def outcome(self) -> Outcome:
        fails = [f for f in self.findings if f.status == Status.FAIL]
        if any(f.severity == Severity.ERROR for f in fails):
            return Outcome.FAILED
        if fails:
            return Outcome.WARNED
        if any(f.status == Status.UNVERIFIABLE for f in self.findings):
            return Outcome.UNVERIFIABLE
        return Outcome.PASSED if self.judged else Outcome.NOT_APPLICABLE


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    outcome: Outcome
    findings: tuple[Finding, ...]
    # (resource, address) of each object the rule judged (passed, failed or unverifiable).
    judged: frozenset[tuple[str, str]] = frozenset()


@dataclass
class Report:
    deployment_source: str
    results: list[RuleResult]
    gaps: list[str]
    # Where a finding's plan address is written (sources.Locator), for reports that need files.
    locator: Any = field(default=None, repr=False, compare=False)

    @property
    def rules_run(self) -> list[str]:
        return [r.rule.id for r in self.results]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def _with(self, status: Status, severity: Severity | None = None) -> list[Finding]:
        return [f for f in self.findings if f.status == status and (severity is None or f.severity == severity)]

    @property
    def failures(self) -> list[Finding]:
        """Error and warning findings (not unverifiable, not info)."""
        return self._with(Status.FAIL)

    @property
    def errors(self) -> list[Finding]:
        return self._with(Status.FAIL, Severity.ERROR)

    @property
    def warnings(self) -> list[Finding]:
        return self._with(Status.FAIL, Severity.WARNING)

    @property
    def unverifiable(self) -> list[Finding]:
        return self._with(Status.UNVERIFIABLE)

    @property
    def infos(self) -> list[Finding]:
        return self._with(Status.INFO)

    def by_rule(self, rule_id: str) -> list[Finding]:
        return [f for f in self.failures if f.rule_id == rule_id]

    def outcome_of(self, rule_id: str) -> Outcome:
        for r in self.results:
            if r.rule.id == rule_id:
                return r.outcome
        raise KeyError(rule_id)

    @property
    def ok(self) -> bool:
        """No error finding: warnings, unverifiable facts and notes do not fail a check."""
        return not self.errors

    def counts(self) -> dict[str, int]:
        outcomes = [r.outcome for r in self.results]
        return {
            "rules": len(outcomes),
            "applied": sum(o != Outcome.NOT_APPLICABLE for o in outcomes),
            "passed": outcomes.count(Outcome.PASSED),
            "warned": outcomes.count(Outcome.WARNED),
            "failed": outcomes.count(Outcome.FAILED),
            "unverifiable": outcomes.count(Outcome.UNVERIFIABLE),
            "not_applicable": outcomes.count(Outcome.NOT_APPLICABLE),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "unverifiable_findings": len(self.unverifiable),
            "notes": len(self.infos),
        }

    def summary(self) -> str:
        """One line. Rules that could not decide are counted right after failures, never folded into a pass."""
        c = self.counts()
        return (
            f"{c['rules']} rules: {c['failed']} failed, {c['unverifiable']} unverifiable, {c['passed']} passed, "
            f"{c['warned']} passed with warnings, {c['not_applicable']} did not apply; {c['errors']} errors, "
            f"{c['warnings']} warnings, {c['unverifiable_findings']} unverifiable facts, {c['notes']} notes"
        )


class Catalogue:
    """An ordered set of rules; ``run`` judges a deployment with them."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def rule(
        self, rule_id: str, title: str, citation: Citation, fix: str, severity: Severity = Severity.ERROR
    ) -> Callable[[Callable[[Deployment, RuleReporter], None]], Callable[[Deployment, RuleReporter], None]]:
        def register(check: Callable[[Deployment, RuleReporter], None]) -> Callable[[Deployment, RuleReporter], None]:
            if rule_id in self._rules:
                raise ValueError(f"duplicate rule id {rule_id}")
            self._rules[rule_id] = Rule(rule_id, title, severity, citation, fix, check)
            return check

        return register

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)

    def ids(self) -> list[str]:
        return list(self._rules)

    def run(self, deployment: Deployment, only: Iterable[str] | None = None) -> Report:
        selected = [self._rules[i] for i in only] if only else list(self._rules.values())
        results = []
        deployment.forget_lookups()
        try:
            for rule in selected:
                reporter = RuleReporter(rule)
                rule.check(deployment, reporter)
                results.append(
                    RuleResult(rule, reporter.outcome(), tuple(reporter.findings), frozenset(reporter.judged))
                )
        finally:
            deployment.forget_lookups()
        return Report(deployment.source, results, list(deployment.gaps), deployment.locator)

"""Rule registry and the result types every consumer (tests, CLI) reads.

A rule is a function ``(Deployment) -> Iterable[Finding]`` registered with
``@rule(...)``. It yields a ``Finding`` for each violation; it yields a
``Finding`` with ``status="unverifiable"`` when the source lacks a fact it
needs (an unknown id at plan time, a field the emulator omits). A rule that
yields nothing passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from glue_netcheck.model import Deployment


class Severity(StrEnum):
    ERROR = "error"  # the job will fail or run outside the VPC
    WARNING = "warning"  # works, but fragile (no AZ failover, etc.)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    resource: str  # the job, connection, subnet ... the finding is about
    message: str  # what is wrong, with the values seen
    fix: str  # how to fix it
    severity: Severity = Severity.ERROR
    status: str = "fail"  # "fail" or "unverifiable"

    def __str__(self) -> str:
        return f"{self.rule_id} [{self.severity.value}] {self.resource}: {self.message} Fix: {self.fix}"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    source: str  # the AWS documentation (or provider issue) the rule rests on
    check: Callable[[Deployment], Iterable[Finding]] = field(compare=False)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, title: str, source: str, severity: Severity = Severity.ERROR):
    def register(check: Callable[[Deployment], Iterable[Finding]]):
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, title, severity, source, check)
        return check

    return register


@dataclass
class Report:
    deployment_source: str
    findings: list[Finding]
    rules_run: list[str]
    gaps: list[str]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fail"]

    @property
    def unverifiable(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "unverifiable"]

    def by_rule(self, rule_id: str) -> list[Finding]:
        return [f for f in self.failures if f.rule_id == rule_id]

    @property
    def ok(self) -> bool:
        return not [f for f in self.failures if f.severity == Severity.ERROR]


def run_rules(deployment: Deployment, only: Iterable[str] | None = None) -> Report:
    # Import for the side effect of registering the rules.
    from glue_netcheck import rules as _rules  # noqa: F401

    selected = [RULES[i] for i in only] if only else list(RULES.values())
    findings: list[Finding] = []
    for r in selected:
        for f in r.check(deployment):
            findings.append(f)
    return Report(deployment.source, findings, [r.id for r in selected], list(deployment.gaps))

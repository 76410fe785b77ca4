"""What a run exercised: one summary line per backend, and ``--require-deploy``.

A *deploying* test is one whose fixtures include ``stack_factory`` (it applies a stack); a
*verifying* test carries the ``verify`` marker. The line counts the stacks applied (from
harness.lifecycle.RECORDS), the verifying tests that passed, and the deploying tests that
skipped, grouped by their reason -- so a green run that deployed nothing says so.

``--require-deploy`` (for CI) fails the run when no stack was applied, e.g. because every
deploying test skipped.

Under pytest-xdist the stacks are deployed in the workers, and only their test reports reach the
process that prints the summary: so every fact travels on the reports (``report.glue_integration``,
a dict of plain values; pytest serialises a report's attributes). ``Shipment`` sends, on each
report, what happened in the worker since the previous one; ``DeployReport.log`` collects it. A
run without xdist takes the same path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

DEPLOY_FIXTURE = "stack_factory"


PAYLOAD = "glue_integration"


@dataclass
class Shipment:
    """The worker's side: what to attach to the next report (lists only grow; an index says what was sent)."""

    records: list[dict[str, Any]]
    notes: list[str]
    facts: dict[str, Any]
    _sent: dict[str, int] = field(default_factory=dict)

    def payload(self, item: pytest.Item, when: str) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        if when == "setup":
            payload["deploying"] = DEPLOY_FIXTURE in getattr(item, "fixturenames", ())
            payload["verifying"] = item.get_closest_marker("verify") is not None
        for name, items in (("records", self.records), ("notes", self.notes)):
            start = self._sent.get(name, 0)
            if len(items) > start:
                payload[name] = [dict(r) if isinstance(r, dict) else r for r in items[start:]]
                self._sent[name] = len(items)
        if self.facts:
            payload["facts"] = dict(self.facts)
        return payload


@dataclass
class DeployReport:
    deploying: set[str] = field(default_factory=set)
    verifying: set[str] = field(default_factory=set)
    outcomes: dict[str, str] = field(default_factory=dict)  # nodeid -> passed | failed | skipped
    skip_reasons: dict[str, str] = field(default_factory=dict)
    # Gathered from every worker's reports: lifecycle records, summary notes, facts (where, who, LocalStack).
    records: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def log(self, report: pytest.TestReport) -> None:
        payload = getattr(report, PAYLOAD, None) or {}
        if payload.get("deploying"):
            self.deploying.add(report.nodeid)
        if payload.get("verifying"):
            self.verifying.add(report.nodeid)
        self.records.extend(payload.get("records", []))
        self.notes.extend(payload.get("notes", []))
        self.facts.update(payload.get("facts", {}))
        if report.skipped:
            self.outcomes[report.nodeid] = "skipped"
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            self.skip_reasons[report.nodeid] = reason.removeprefix("Skipped: ")
        elif report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.when == "call" and self.outcomes.get(report.nodeid) is None:
            self.outcomes[report.nodeid] = "passed"

    def line(self, backend: str, where: str, records: list[dict[str, Any]]) -> str:
        applied = [r for r in records if r.get("applied")]
        labels = ", ".join(r["label"] for r in applied) or "none"
        verified = sum(1 for n in self.verifying if self.outcomes.get(n) == "passed")
        skipped = [n for n in sorted(self.deploying) if self.outcomes.get(n) == "skipped"]
        reasons = Counter(self.skip_reasons[n] for n in skipped)
        why = "; ".join(f"{count} x {reason}" for reason, count in reasons.most_common())
        text = f"{backend}{f' ({where})' if where else ''}: deployed {len(applied)} stack(s) [{labels}]"
        text += f", verified {verified} check(s), skipped {len(skipped)} of {len(self.deploying)} deploying test(s)"
        return text + (f": {why}" if why else "")


def deployed_any(records: list[dict[str, Any]]) -> bool:
    return any(r.get("applied") for r in records)


REQUIRE_DEPLOY_MESSAGE = "--require-deploy: no stack was deployed on {backend} (see the summary line for why)"

"""What a run exercised: one summary line per backend, and ``--require-deploy``.

A *deploying* test is one whose fixtures include ``stack_factory`` (it applies a stack); a
*verifying* test carries the ``verify`` marker. The line counts the stacks applied (from
harness.lifecycle.RECORDS), the verifying tests that passed, and the deploying tests that
skipped, grouped by their reason -- so a green run that deployed nothing says so.

``--require-deploy`` (for CI) fails the run when no stack was applied, e.g. because every
deploying test skipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

DEPLOY_FIXTURE = "stack_factory"


@dataclass
class DeployReport:
    deploying: set[str] = field(default_factory=set)
    verifying: set[str] = field(default_factory=set)
    outcomes: dict[str, str] = field(default_factory=dict)  # nodeid -> passed | failed | skipped
    skip_reasons: dict[str, str] = field(default_factory=dict)

    def collect(self, items: list[pytest.Item]) -> None:
        for item in items:
            if DEPLOY_FIXTURE in getattr(item, "fixturenames", ()):
                self.deploying.add(item.nodeid)
            if item.get_closest_marker("verify") is not None:
                self.verifying.add(item.nodeid)

    def log(self, report: pytest.TestReport) -> None:
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

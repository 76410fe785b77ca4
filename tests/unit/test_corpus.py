"""The rule catalogue on configurations we did not write (tests/corpus, issue 8 item 4).

Every expectation in tests/corpus/expectations.yaml was written from docs/network-fix.md
before any checker ran on the case. Each test goes through the real path: the plan
adapter and the rule catalogue for a normal case, `glue-netcheck plan` for the errored
plan. A failure lists the missing and unexpected findings with their text.
"""

from __future__ import annotations

import json
import re

import pytest

from glue_netcheck.cli import main
from harness.corpus import (
    CONTRACT,
    Case,
    doc_anchors,
    findings_for,
    load_corpus,
    match_case,
    match_refusal,
    unresolved_cites,
)
from harness.errors import HarnessError

pytestmark = [pytest.mark.unit, pytest.mark.corpus]


def _load() -> dict[str, Case]:
    try:
        return load_corpus()
    except HarnessError as exc:  # a malformed YAML is one line, not a collection traceback
        pytest.fail(str(exc), pytrace=False)


CORPUS = _load()
BATCHED = [name for name, case in CORPUS.items() if not case.plan_error]
ERRORED = [name for name, case in CORPUS.items() if case.plan_error]


@pytest.mark.parametrize("name", BATCHED)
def test_corpus_case_gets_exactly_the_expected_findings(name, corpus_plan):
    case = CORPUS[name]
    result = match_case(case, findings_for(corpus_plan(name), source=f"plan:corpus/{name}"))
    if not result.ok:
        pytest.fail(result.explain(), pytrace=False)


@pytest.mark.parametrize("name", ERRORED)
def test_corpus_errored_plan_is_refused_in_one_line(name, corpus_plan, tmp_path, capsys):
    plan = corpus_plan(name)
    # The case is only meaningful if Terraform saved an errored plan; say so if it did not.
    assert plan.get("errored") is True, (
        f"{name}: expected Terraform to save an errored plan, got errored={plan.get('errored')!r}"
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    code = main(["plan", str(path)])
    result = match_refusal(CORPUS[name], code, capsys.readouterr().err)
    if not result.ok:
        pytest.fail(result.explain(), pytrace=False)


def test_corpus_cites_resolve_to_requirements_in_the_contract():
    assert unresolved_cites(CORPUS) == []


def test_contract_links_resolve_to_its_own_headings():
    text = CONTRACT.read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links, "docs/network-fix.md has no internal links to check"
    assert sorted(links - doc_anchors()) == []

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
def test_corpus_case_gets_exactly_the_expected_findings(name, corpus_plan, plan_sources):
    case = CORPUS[name]
    result = match_case(case, findings_for(corpus_plan(name), source=f"plan:corpus/{name}", sources=plan_sources))
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


def _findings(name, corpus_plan, plan_sources, rule):
    return [
        f
        for f in findings_for(corpus_plan(name), source=f"plan:corpus/{name}", sources=plan_sources)
        if f.rule_id == rule
    ]


def test_the_self_rule_fix_is_written_in_the_groups_own_style(corpus_plan, plan_sources):
    """Issue 18: an aws_vpc_security_group_ingress_rule beside inline rules is overwritten on the next apply."""
    (inline,) = _findings("sg_inline_no_self", corpus_plan, plan_sources, "GNET006")
    assert inline.fix.startswith(
        "add to module.corpus_sg_inline_no_self.aws_security_group.glue an inline block: ingress {"
    )
    assert "self = true" in inline.fix and "aws_vpc_security_group_ingress_rule" not in inline.fix
    (bare,) = _findings("conn_names_from_ids", corpus_plan, plan_sources, "GNET006")
    assert "aws_vpc_security_group_ingress_rule" in bare.fix  # no rule yet: the current best practice


def test_a_dynamodb_route_is_fixed_with_a_gateway_endpoint(corpus_plan, plan_sources):
    (finding,) = _findings("dynamodb_arn_no_gateway", corpus_plan, plan_sources, "GNET014")
    assert "gateway endpoint com.amazonaws.us-east-1.dynamodb" in finding.fix
    assert "interface endpoint" not in finding.fix


def test_a_detached_policy_is_named_in_the_finding(corpus_plan, plan_sources):
    (finding,) = _findings("iam_exclusive_detaches", corpus_plan, plan_sources, "GNET012")
    assert "aws_iam_role_policy_attachments_exclusive.glue detaches" in finding.message, finding.message


def test_findings_name_the_plan_address(corpus_plan, plan_sources):
    """Issue 18 item 6: a finding keeps the AWS name and names the block a user greps for."""
    (finding,) = _findings("conn_ids_in_local", corpus_plan, plan_sources, "GNET002")
    assert (finding.resource, finding.address) == (
        "conn-ids-in-local-nightly",
        "module.corpus_conn_ids_in_local.aws_glue_job.nightly",
    )

"""The corpus scorer itself (tests/harness/corpus.py), on hand-made findings: no Terraform."""

from __future__ import annotations

import pytest

from glue_netcheck.catalogue import Finding, Severity
from harness.corpus import Case, Expectation, Score, load_corpus, match_case, match_refusal, outcome_of
from harness.errors import HarnessError

pytestmark = pytest.mark.unit


def case(*expect: Expectation, passes: tuple[str, ...] = ()) -> Case:
    return Case("demo", "a demo case", "demo style", ("docs/network-fix.md#x",), tuple(expect), passes)


def fail(rule: str, resource: str, message: str = "broken") -> Finding:
    return Finding(rule, resource, message, "fix it")


def warn(rule: str, resource: str) -> Finding:
    return Finding(rule, resource, "fragile", "fix it", Severity.WARNING)


def unverifiable(rule: str, resource: str) -> Finding:
    return Finding(rule, resource, "cannot verify", "check live", status="unverifiable")


def info(rule: str, resource: str) -> Finding:
    return Finding(rule, resource, "for the record", "nothing to do", status="info")


def test_exact_findings_match_and_score_one_true_positive():
    c = case(Expectation("GNET006", "conn-a", "fail"))
    result = match_case(c, [fail("GNET006", "conn-a")])
    assert result.ok and result.true_positives == 1 and result.false_positive_claims == 0


def test_a_missing_failure_is_a_false_negative_with_its_reason():
    c = case(Expectation("GNET006", "conn-a", "fail", why="no self rule"))
    result = match_case(c, [])
    assert not result.ok and [e.rule for e in result.false_negatives] == ["GNET006"]
    assert "missing (expected, not reported):" in result.explain() and "no self rule" in result.explain()


def test_an_unexpected_failure_is_a_false_positive_shown_with_its_text():
    result = match_case(case(), [fail("GNET003", "conn-a", "connection has no subnet.")])
    assert not result.ok and result.false_positive_claims == 1
    assert "GNET003 [error] conn-a: connection has no subnet." in result.explain()


def test_one_defect_worded_twice_counts_once():
    c = case(Expectation("GNET004", "job", "warning"))
    result = match_case(c, [warn("GNET004", "job"), warn("GNET004", "job")])
    assert result.ok and result.true_positives == 1 and result.false_positive_claims == 0


def test_a_claim_expected_twice_must_be_reported_twice():
    c = case(
        Expectation("GNET014", "job", "fail", about=("glue",)),
        Expectation("GNET014", "job", "fail", about=("monitoring",)),
    )
    result = match_case(c, [fail("GNET014", "job", "glue unreachable")])
    assert not result.ok and result.true_positives == 1 and len(result.false_negatives) == 1


def test_warning_and_fail_are_different_outcomes():
    c = case(Expectation("GNET004", "job", "warning"))
    result = match_case(c, [fail("GNET004", "job")])
    assert not result.ok and result.false_positive_claims == 1 and len(result.false_negatives) == 1


def test_outcome_is_read_from_status_and_severity():
    assert outcome_of(fail("GNET006", "conn")) == "fail"
    assert outcome_of(info("GNET001", "job")) == "info"
    assert outcome_of(warn("GNET004", "job")) == "warning"
    assert outcome_of(unverifiable("GNET008", "conn")) == "unverifiable"
    c = case(Expectation("GNET001", "job", "info"))
    assert match_case(c, [info("GNET001", "job")]).ok


def test_expected_unverifiable_must_be_reported_but_an_extra_one_is_only_listed():
    c = case(Expectation("GNET008", "conn", "unverifiable"))
    assert not match_case(c, []).ok
    result = match_case(c, [unverifiable("GNET008", "conn"), unverifiable("GNET011", "job")])
    assert result.ok and [f.rule_id for f in result.extra_other] == ["GNET011"]
    assert "extra unverifiable/info (not a false alarm, listed):" in result.explain()


def test_an_unverifiable_in_place_of_an_expected_failure_is_a_miss():
    c = case(Expectation("GNET010", "vpc-1", "fail"))
    result = match_case(c, [unverifiable("GNET010", "vpc-1")])
    assert not result.ok and len(result.false_negatives) == 1 and result.false_positive_claims == 0


def test_about_words_must_appear_in_the_message():
    c = case(Expectation("GNET014", "job", "fail", about=("secretsmanager", "secrets manager")))
    assert match_case(c, [fail("GNET014", "job", "Secrets Manager is unreachable")]).ok
    result = match_case(c, [fail("GNET014", "job", "kms is unreachable")])
    assert not result.ok and result.about_missing and result.true_positives == 1


def test_pass_rules_may_give_info_but_not_unverifiable():
    c = case(passes=("GNET012",))
    assert match_case(c, [info("GNET012", "job")]).ok
    result = match_case(c, [unverifiable("GNET012", "job")])
    assert not result.ok and result.pass_violations


def test_addresses_inside_a_case_are_qualified_with_its_module():
    c = case(Expectation("GNET010", "aws_vpc.main", "fail"))
    assert match_case(c, [fail("GNET010", "module.corpus_demo.aws_vpc.main")]).ok
    assert not match_case(c, [fail("GNET010", "aws_vpc.main")]).ok


def test_an_errored_plan_counts_only_when_refused_in_one_line():
    c = Case("err", "errored", "style", ("docs/network-fix.md#x",), (), (), standalone=True, plan_error=True)
    assert match_refusal(c, 2, "glue-netcheck: error: the plan errored\n").true_positives == 1
    assert not match_refusal(c, 0, "").ok
    assert not match_refusal(c, 2, "line one\nline two\n").ok


def test_score_is_precision_and_recall_over_claims():
    tp = match_case(case(Expectation("GNET006", "a", "fail")), [fail("GNET006", "a")])
    fp = match_case(case(), [fail("GNET003", "b"), fail("GNET003", "c")])
    fn = match_case(case(Expectation("GNET010", "v", "fail")), [])
    score = Score([tp, fp, fn])
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 2, 1)
    assert score.precision == pytest.approx(1 / 3) and score.recall == pytest.approx(1 / 2)
    assert "precision 33%" in score.summary() and "recall 50%" in score.summary()


def test_a_malformed_expectation_is_one_line_naming_the_case(tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf").write_text("")
    yaml_path = tmp_path / "expectations.yaml"
    yaml_path.write_text(
        "cases:\n  broken:\n    description: d\n    style: s\n    cites: [docs/network-fix.md#x]\n"
        "    expect:\n      - {rule: GNET006, resource: conn, outcome: failed}\n"
    )
    with pytest.raises(HarnessError, match=r"^expectations.yaml: case broken, expect\[0\]: `outcome` must be one of"):
        load_corpus(yaml_path)


def test_a_case_directory_without_expectations_is_reported(tmp_path):
    (tmp_path / "orphan").mkdir()
    yaml_path = tmp_path / "expectations.yaml"
    yaml_path.write_text("cases: {}\n")
    with pytest.raises(HarnessError, match=r"case directories without expectations: \['orphan'\]"):
        load_corpus(yaml_path)

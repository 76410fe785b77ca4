#!/usr/bin/env python3
"""The release gate: may CANDIDATE's modules be released after BASELINE's?  (tox -e gate -- CANDIDATE)

    tox -e gate -- v1.3.0                       # baseline: the newest v* tag before v1.3.0, else its parent
    tox -e gate -- HEAD --baseline v1.2.0 --allow-replace module.glue_pipeline.aws_kms_alias.this
    tox -e gate -- HEAD --summary reports/gate.md --junitxml reports/gate.xml

Both refs are checked out as git worktrees in a temporary directory. The candidate is judged by THIS
checkout's suite and rule catalogue (its tests/ and src/), never by the candidate's own, so a candidate
cannot weaken the tests that judge it. Stages, in order; the first failing stage ends the gate:

  unit         the plan-level suite on the candidate (pytest -m unit ... --infra-dir=CANDIDATE/infra)
  integration  the integration suite on the embedded moto (--backend moto --infra-dir=...)
  upgrade      on a fresh moto: apply the baseline, then plan the candidate against the baseline's
               applied state; the plan's address-level difference (added, removed, moved) is printed;
               a replace (actions delete+create in either order) or destroy of a stateful resource
               (S3 bucket, KMS key or alias, log group, Glue connection or job, VPC, subnet) fails,
               unless --allow-replace names it (a `moved` block is not a replacement: the plan shows
               it as previous_address, with no delete); then apply, check every stateful resource
               kept its id, run every network rule on the deployed result, re-plan (must be empty),
               destroy and leak-check.

Writes a Markdown summary (the release notes body; --summary) and JUnit XML (--junitxml). Exit 0 only
when every stage passed; 1 when the gate failed (the report names the stage and the rule or resource);
2 when it could not run (bad ref, no terraform: one line).

``--unit-select`` / ``--integration-select`` (pytest -k) restrict those stages' tests, ``--unit-inventory``
the module instances the unit stage plans (``--inventory-only``), ``--upgrade-var NAME=VALUE`` sets a root
variable of both upgrade deployments: for the gate's own tests (tests/gate), which must stay cheap. A
release runs both suites whole and deploys the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glue_netcheck import run_rules
from glue_netcheck.live_adapter import deployment_from_aws
from glue_netcheck.rules import CATALOGUE
from harness.backends import moto_backend, new_run_id
from harness.emulator import EmulatorStartError, start_moto
from harness.errors import HarnessError
from harness.journal import runs_dir
from harness.lifecycle import StackLifecycle
from harness.mirror import report_once
from harness.paths import REPO
from harness.terraform import make_terraform_env
from harness.workspace import Sources

# Resources whose replacement loses data or identity (an upgrade must keep their ids).
STATEFUL_TYPES = frozenset(
    {
        "aws_s3_bucket",
        "aws_kms_key",
        "aws_kms_alias",
        "aws_cloudwatch_log_group",
        "aws_glue_connection",
        "aws_glue_job",
        "aws_vpc",
        "aws_subnet",
    }
)
STAGES = ("unit", "integration", "upgrade")
RULE_ID = re.compile(r"\bGNET\d{3}\b")


class GateError(Exception):
    """The gate could not run (a bad ref, no terraform): exit 2 with one line."""


# --- results ---------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    passed: bool | None = None  # None: not run (an earlier stage failed)
    seconds: float = 0.0
    failure: str = ""  # one line: what failed (the rule, the resource)
    details: list[str] = field(default_factory=list)  # Markdown lines for the summary

    def fail(self, failure: str, details: Iterable[str] = ()) -> None:
        self.passed, self.failure = False, failure
        self.details += details


@dataclass
class GateReport:
    candidate: str
    candidate_sha: str
    baseline: str
    baseline_sha: str
    stages: list[Stage] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    baseline_note: str = ""  # why this baseline, when it is not a release tag
    release_tag: str = ""  # the version this gate is for (the release workflow), if any

    @property
    def passed(self) -> bool:
        return len(self.stages) == len(STAGES) and all(s.passed for s in self.stages)

    @property
    def failed_stage(self) -> Stage | None:
        return next((s for s in self.stages if s.passed is False), None)

    def verdict(self) -> str:
        if self.passed:
            return "PASSED"
        stage = self.failed_stage
        return f"FAILED at stage {stage.name}: {stage.failure}" if stage else "FAILED: not every stage ran"


def markdown(report: GateReport) -> str:
    """The release notes body."""
    lines = [
        f"## Release gate: {report.candidate} ({report.candidate_sha[:10]}) against {report.baseline} "
        f"({report.baseline_sha[:10]})",
        "",
        f"**{report.verdict()}**",
        "",
        *(
            [f"Release {report.release_tag}: tag and GitHub release are made only if this gate passed.", ""]
            if report.release_tag
            else []
        ),
        *([report.baseline_note, ""] if report.baseline_note else []),
        "| stage | result | wall time |",
        "|---|---|---|",
    ]
    ran = {s.name: s for s in report.stages}
    for name in STAGES:
        stage = ran.get(name)
        result = "not run" if stage is None or stage.passed is None else ("passed" if stage.passed else "FAILED")
        lines.append(f"| {name} | {result} | {f'{stage.seconds:.0f} s' if stage else '-'} |")
    lines += ["", "### Resources (root stack, by address)", ""]
    if report.added or report.removed or report.moved:
        lines += [f"- added `{a}`" for a in report.added]
        lines += [f"- removed `{a}`" for a in report.removed]
        lines += [f"- moved `{old}` -> `{new}`" for old, new in report.moved]
    elif any(s.name == "upgrade" and s.details for s in report.stages):
        lines.append("No resource added, removed or moved.")
    else:
        lines.append("Not compared (the gate stopped before the upgrade path).")
    for stage in report.stages:
        if stage.details:
            lines += ["", f"### {stage.name}", "", *stage.details]
    return "\n".join(lines) + "\n"


def junit_xml(report: GateReport) -> str:
    suite = ET.Element(
        "testsuite",
        name="release-gate",
        tests=str(len(STAGES)),
        failures=str(sum(s.passed is False for s in report.stages)),
        skipped=str(len(STAGES) - sum(s.passed is not None for s in report.stages)),
        time=f"{sum(s.seconds for s in report.stages):.1f}",
    )
    ran = {s.name: s for s in report.stages}
    for name in STAGES:
        stage = ran.get(name)
        case = ET.SubElement(
            suite, "testcase", classname="release_gate", name=name, time=f"{stage.seconds:.1f}" if stage else "0"
        )
        if stage is None or stage.passed is None:
            ET.SubElement(case, "skipped", message="not run: an earlier stage failed")
        elif not stage.passed:
            ET.SubElement(case, "failure", message=stage.failure).text = "\n".join(stage.details)
    return ET.tostring(suite, encoding="unicode") + "\n"


# --- judging a plan --------------------------------------------------------------------------


@dataclass
class PlanJudgement:
    added: list[str]
    removed: list[str]
    moved: list[tuple[str, str]]
    violations: list[str]  # one line per stateful replace/destroy that is not allowed
    allowed: list[str]  # stateful replacements --allow-replace accepted


def _is_replace(actions: Sequence[str]) -> bool:
    return list(actions) in (["delete", "create"], ["create", "delete"])


def judge_upgrade_plan(plan: dict[str, Any], allow_replace: Iterable[str] = ()) -> PlanJudgement:
    """Read each resource change's ``actions`` and ``previous_address`` (the plan of the candidate against
    the baseline's applied state) and decide which changes the gate refuses."""
    allowed_addresses = set(allow_replace)
    added, removed, moved, violations, allowed = [], [], [], [], []
    changes = [rc for rc in plan.get("resource_changes", []) if rc.get("mode", "managed") == "managed"]
    for rc in changes:
        address, actions = rc["address"], rc["change"]["actions"]
        if rc.get("previous_address") and rc["previous_address"] != address:
            moved.append((rc["previous_address"], address))
        if actions == ["create"]:
            added.append(address)
        elif actions == ["delete"]:
            removed.append(address)
    created_by_type: dict[str, list[str]] = {}
    for address in added:
        created_by_type.setdefault(_type_of(address), []).append(address)
    for rc in changes:
        address, actions, rtype = rc["address"], rc["change"]["actions"], rc["type"]
        if rtype not in STATEFUL_TYPES or not (_is_replace(actions) or actions == ["delete"]):
            continue
        if address in allowed_addresses:
            allowed.append(address)
            continue
        if _is_replace(actions):
            why = ", ".join(p for p in _paths(rc.get("change", {}).get("replace_paths"))) or "a changed argument"
            violations.append(f"{address} ({rtype}) would be replaced (actions {actions}; forces it: {why})")
        else:
            twins = [a for a in created_by_type.get(rtype, []) if _module_of(a) == _module_of(address)]
            if twins:
                violations.append(
                    f"{address} ({rtype}) would be destroyed and {', '.join(twins)} created in its place: a "
                    f"replacement of the {rtype} (its address was renamed without a `moved` block)"
                )
            else:
                violations.append(f"{address} ({rtype}) would be destroyed")
    return PlanJudgement(sorted(added), sorted(removed), sorted(moved), violations, allowed)


def _paths(replace_paths: Any) -> list[str]:
    return [".".join(str(p) for p in path) for path in replace_paths or [] if isinstance(path, list)]


def _strip_keys(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


def _type_of(address: str) -> str:
    return _strip_keys(address).split(".")[-2]


def _module_of(address: str) -> str:
    return ".".join(_strip_keys(address).split(".")[:-2])


def stateful_ids(ids: dict[str, str]) -> dict[str, str]:
    """The stateful resources of ``{address: id}`` (StackLifecycle.state_ids)."""
    return {address: id_ for address, id_ in ids.items() if _type_of(address) in STATEFUL_TYPES}


def changed_ids(
    before: dict[str, str], after: dict[str, str], moved: Iterable[tuple[str, str]], allowed: Iterable[str] = ()
) -> list[str]:
    """Stateful resources of the baseline whose id is not the same after the upgrade (moves followed)."""
    new_address = dict(moved)
    skip = set(allowed)
    problems = []
    for address, old_id in sorted(before.items()):
        if address in skip:
            continue
        now = new_address.get(address, address)
        if now not in after:
            problems.append(f"{address}: gone after the upgrade (was {old_id})")
        elif after[now] != old_id:
            problems.append(f"{now}: id changed from {old_id} to {after[now]}")
    return problems


# --- JUnit of a suite stage ------------------------------------------------------------------


def suite_failures(junit: Path) -> tuple[list[str], list[str]]:
    """(failed test ids, rule ids named in their failure messages) from pytest's JUnit XML."""
    if not junit.is_file():
        return [], []
    try:
        root = ET.parse(junit).getroot()
    except ET.ParseError:
        return [], []
    tests, rules = [], []
    for case in root.iter("testcase"):
        for kind in ("failure", "error"):
            element = case.find(kind)
            if element is not None:
                tests.append(f"{case.get('classname', '')}::{case.get('name', '')}")
                text = f"{element.get('message', '')}\n{element.text or ''}"
                rules += RULE_ID.findall(text)
                break
    return tests, list(dict.fromkeys(rules))


def rule_titles(rule_ids: Iterable[str]) -> list[str]:
    titled = []
    for rule_id in rule_ids:
        rule = CATALOGUE.get(rule_id)
        titled.append(f"{rule_id} ({rule.title})" if rule else rule_id)
    return titled


# --- git -------------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise GateError(f"git {' '.join(args)}: {(result.stderr or result.stdout).strip().splitlines()[-1:]}")
    return result.stdout.strip()


def git_succeeds(repo: Path, *args: str) -> bool:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True).returncode == 0


def resolve(repo: Path, ref: str) -> str:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GateError:
        raise GateError(f"{ref!r} is not a commit in {repo}: give a tag, branch or commit") from None


FIRST_RELEASE_NOTE = (
    "No earlier `v*` tag: this is the first release, so the baseline is the candidate's parent commit "
    "(the upgrade stage applies that commit's modules, then the candidate's)."
)
RELEASE_TAG = re.compile(r"^v\d+\.\d+\.\d+$")


def default_baseline(repo: Path, candidate: str) -> tuple[str, str]:
    """(the newest ``v*`` tag reachable from the candidate's parent, or else the parent itself; why)."""
    parent = f"{candidate}^"
    resolve(repo, parent)
    try:
        return git(repo, "describe", "--tags", "--abbrev=0", "--match", "v*", parent), ""
    except GateError:
        return parent, FIRST_RELEASE_NOTE


def check_release(repo: Path, tag: str, candidate_sha: str) -> None:
    """What the release workflow refuses before the gate runs (GateError, one line): a tag that is not
    vX.Y.Z or exists already, a candidate that is not on the checked-out (default) branch, a CHANGELOG
    without the version's section."""
    if not RELEASE_TAG.match(tag):
        raise GateError(f"--release-tag {tag!r} is not a version tag vMAJOR.MINOR.PATCH")
    if git_succeeds(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}"):
        raise GateError(f"tag {tag} exists already: a release is never made twice; bump the version")
    if not git_succeeds(repo, "merge-base", "--is-ancestor", candidate_sha, "HEAD"):
        raise GateError(
            f"candidate {candidate_sha[:10]} is not on the checked-out branch: release a commit of the default branch"
        )
    changelog = subprocess.run(
        ["git", "-C", str(repo), "show", f"{candidate_sha}:CHANGELOG.md"], capture_output=True, text=True
    )
    version = tag.removeprefix("v")
    if not re.search(rf"^## {re.escape(version)}\b", changelog.stdout, re.M):
        raise GateError(f"CHANGELOG.md at {candidate_sha[:10]} has no '## {version}' section: move 'Unreleased' to it")


@contextmanager
def worktrees(repo: Path, refs: dict[str, str], under: Path) -> Iterator[dict[str, Path]]:
    """Each ``{name: sha}`` checked out (detached) at ``under/name``; removed again afterwards."""
    made: dict[str, Path] = {}
    try:
        for name, sha in refs.items():
            path = under / name
            git(repo, "worktree", "add", "--detach", "--force", str(path), sha)
            made[name] = path
        yield made
    finally:
        for path in made.values():
            git_succeeds(repo, "worktree", "remove", "--force", str(path))
        git_succeeds(repo, "worktree", "prune")


# --- the stages ------------------------------------------------------------------------------


def run_suite(stage: Stage, infra: Path, args: Sequence[str], select: str | None, work: Path) -> None:
    """pytest of THIS checkout's suite on the candidate's infra/ (a child process, JUnit XML read back)."""
    junit = work / f"{stage.name}.xml"
    command = [sys.executable, "-m", "pytest", *args, f"--infra-dir={infra}", f"--junitxml={junit}", "-q"]
    command += ["-p", "no:cacheprovider"]
    if select:
        command += ["-k", select]
    env = {**os.environ, "GLUE_INTEGRATION_TIMINGS": str(work / f"{stage.name}-timings.json")}
    env.pop("INFRA_DIR", None)
    print(f"[gate] {stage.name}: {' '.join(command[1:])}", flush=True)
    result = subprocess.run(command, cwd=REPO, env=env, text=True)
    tests, rules = suite_failures(junit)
    if result.returncode == 0:
        stage.passed = True
        stage.details.append(f"`pytest {' '.join(args)}`" + (f" `-k {select}`" if select else "") + ": passed")
        return
    stage.passed = False
    if result.returncode == 5:
        stage.failure = "the suite selected no test"
    elif rules:
        stage.failure = f"rule {', '.join(rule_titles(rules))} failed ({len(tests)} test(s))"
    elif tests:
        stage.failure = f"{len(tests)} test(s) failed: {', '.join(tests[:3])}" + (" ..." if len(tests) > 3 else "")
    else:
        stage.failure = f"pytest exited {result.returncode} (see its output above)"
    stage.details += [f"- failed: `{t}`" for t in tests[:50]]


def run_upgrade(
    stage: Stage,
    report: GateReport,
    baseline: Path,
    candidate: Path,
    allow_replace: Sequence[str],
    work: Path,
    variables: dict[str, Any] | None = None,
) -> None:
    """On a fresh embedded moto: the baseline applied, moved to the candidate (``upgrade_path``), destroyed."""

    def log(message: str) -> None:
        print(f"[gate] upgrade: {message}", flush=True)

    try:
        emulator = start_moto(region=os.environ.get("AWS_REGION") or "us-east-1")
    except EmulatorStartError as exc:
        stage.fail(f"the embedded moto did not start: {exc}")
        return
    try:
        run_id = new_run_id("gate")
        stack = StackLifecycle(
            Sources.locate(str(baseline / "infra")),
            make_terraform_env(work / "terraform-cli"),
            moto_backend(emulator.endpoint_url, emulator.region),
            runs_dir() / run_id,
            run_id=run_id,
            extra_vars=variables,
            log=log,
            remove_workdir=True,
        )
        with stack:
            upgrade_path(stage, report, stack, Sources.locate(str(candidate / "infra")), allow_replace)
        if stage.passed is None:
            stage.details.append("- destroyed; leak check: nothing left")
            stage.passed = True
    except HarnessError as exc:
        # Destroy and leak check have run (the lifecycle's exit); a leak fails the gate here too.
        first = str(exc).splitlines()[0]
        if stage.passed is False:
            stage.details.append(f"- {first}")
        else:
            stage.fail(first, [f"- {first}"])
    finally:
        emulator.stop()


def upgrade_path(
    stage: Stage, report: GateReport, stack: StackLifecycle, candidate: Sources, allow_replace: Sequence[str]
) -> None:
    """The baseline is applied: plan the candidate on its state, judge the plan, apply it, check the ids,
    the network rules and the re-plan. The first failing check fails the stage (the caller destroys)."""
    stage.details.append(f"- baseline applied as `{stack.prefix}` on the embedded moto")
    before = stateful_ids(stack.state_ids())
    judgement = judge_upgrade_plan(stack.upgrade_to(candidate), allow_replace)
    report.added, report.removed, report.moved = judgement.added, judgement.removed, judgement.moved
    stage.details.append(
        f"- candidate planned against the baseline's state: {len(judgement.added)} added, "
        f"{len(judgement.removed)} removed, {len(judgement.moved)} moved"
    )
    stage.details += [f"- replacement allowed by --allow-replace: `{a}`" for a in judgement.allowed]
    if violations := judgement.violations:
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        fix = "- fix: add a `moved` block from the old address to the new one, or pass `--allow-replace ADDRESS` if losing the resource is intended"
        stage.fail(violations[0] + more, [*(f"- REFUSED: {v}" for v in violations), fix])
        return
    stack.apply_upgrade()
    if problems := changed_ids(before, stateful_ids(stack.state_ids()), judgement.moved, judgement.allowed):
        stage.fail(problems[0], [f"- id changed: {p}" for p in problems])
        return
    stage.details.append(f"- {len(before)} stateful resources kept their ids")
    jobs = sorted((stack.outputs.get("job_names") or {}).values())
    clients = {s: stack.backend.client(s) for s in ("glue", "ec2", "iam", "sts")}
    rules = run_rules(deployment_from_aws(jobs, clients, stack.backend.region))
    if rules.failures:
        failed = ", ".join(rule_titles(dict.fromkeys(f.rule_id for f in rules.failures)))
        stage.fail(f"rule {failed} failed on the upgraded stack", [f"- {f}" for f in rules.failures])
        return
    stage.details.append(f"- every network rule passed on the upgraded stack ({rules.summary()})")
    code, text = stack.replan()
    if code != 0:
        changing = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
        failure = "the re-plan after the upgrade is not empty: " + "; ".join(changing[:3])
        stage.fail(failure, [f"- re-plan: {line}" for line in changing])
        return
    stage.details.append("- re-plan after the upgrade: no changes")


# --- command line ----------------------------------------------------------------------------


def upgrade_var(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="release_gate", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("candidate", help="the ref to release (tag, branch, commit)")
    parser.add_argument("--baseline", default=None, help="default: the newest v* tag before it, else its parent")
    parser.add_argument("--repo", type=Path, default=REPO, help="the git repository holding both refs")
    parser.add_argument("--allow-replace", action="append", default=[], metavar="ADDRESS")
    parser.add_argument("--summary", type=Path, default=None, help="Markdown summary (release notes body)")
    parser.add_argument("--junitxml", type=Path, default=None)
    parser.add_argument(
        "--release-tag",
        default=None,
        metavar="vX.Y.Z",
        help="the release workflow: refuse (exit 2) unless the tag is new, the candidate is on the checked-out "
        "branch and CHANGELOG.md has the version's section",
    )
    parser.add_argument("--unit-select", default=None, metavar="EXPR", help="pytest -k for the unit stage")
    parser.add_argument("--integration-select", default=None, metavar="EXPR", help="pytest -k for integration")
    parser.add_argument(
        "--unit-inventory", default=None, metavar="NAMES", help="the unit stage plans only these (--inventory-only)"
    )
    parser.add_argument(
        "--upgrade-var",
        action="append",
        default=[],
        type=upgrade_var,
        metavar="NAME=VALUE",
        help="a root variable of the upgrade stage's deployments (VALUE: JSON, else a string)",
    )
    return parser


def gate(args: argparse.Namespace) -> GateReport:
    repo = args.repo.resolve()
    candidate_sha = resolve(repo, args.candidate)
    if args.release_tag:
        check_release(repo, args.release_tag, candidate_sha)
    baseline, note = (args.baseline, "") if args.baseline else default_baseline(repo, args.candidate)
    report = GateReport(args.candidate, candidate_sha, baseline, resolve(repo, baseline), baseline_note=note)
    report.release_tag = args.release_tag or ""
    print(f"[gate] candidate {args.candidate} ({candidate_sha[:10]}), baseline {baseline}", flush=True)
    report_once(lambda line: print(f"[gate] {line}", flush=True))
    with tempfile.TemporaryDirectory(prefix="release-gate-") as tmp:
        work = Path(tmp)
        with worktrees(repo, {"candidate": candidate_sha, "baseline": report.baseline_sha}, work / "refs") as trees:
            for name in STAGES:
                stage = Stage(name)
                report.stages.append(stage)
                started = time.monotonic()
                if name == "unit":
                    suite = ["-m", "unit", "tests/unit", "tests/network"]  # what tox -e unit runs
                    suite += [f"--inventory-only={args.unit_inventory}"] if args.unit_inventory else []
                    run_suite(stage, trees["candidate"] / "infra", suite, args.unit_select, work)
                elif name == "integration":
                    suite = ["-m", "integration", "tests/integration", "--backend", "moto"]
                    run_suite(stage, trees["candidate"] / "infra", suite, args.integration_select, work)
                else:
                    base, cand = trees["baseline"], trees["candidate"]
                    run_upgrade(stage, report, base, cand, args.allow_replace, work, dict(args.upgrade_var))
                stage.seconds = round(time.monotonic() - started, 1)
                print(f"[gate] {name}: {'passed' if stage.passed else 'FAILED: ' + stage.failure}", flush=True)
                if not stage.passed:
                    break
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        report = gate(args)
    except GateError as exc:
        print(f"release gate: {exc}", file=sys.stderr)
        return 2
    text = markdown(report)
    for path, content in ((args.summary, text), (args.junitxml, junit_xml(report))):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
    print(text)
    print(f"release gate: {report.verdict()}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())

"""``glue-netcheck``: check a Glue deployment's network from a Terraform plan or a live account.

Exit codes: 0 no error-severity failure, 1 error-severity failures, 2 usage or
access error (reported as one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from glue_netcheck.catalogue import RULES, Report, Rule, run_rules
from glue_netcheck.formatters import format_human, format_json, format_sarif
from glue_netcheck.model import Deployment

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
FORMATS = ("human", "json", "sarif")
DEBUG_ENV = "GLUE_NETCHECK_DEBUG"


class UsageError(Exception):
    """Bad command line or input file: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _catalogue() -> dict[str, Rule]:
    from glue_netcheck import rules as _rules  # noqa: F401  (registers the rules)

    return RULES


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="glue-netcheck", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add_format(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=FORMATS, default="human", help="output format (default: human)")

    plan = sub.add_parser("plan", help="check a plan from `terraform show -json PLANFILE`")
    plan.add_argument("plan_file", metavar="PLAN.json")
    plan.add_argument(
        "--allow-no-vpc",
        action="store_true",
        help="jobs need not run in a VPC (default: inferred from the plan)",
    )
    add_format(plan)

    job = sub.add_parser("job", help="check deployed Glue jobs through the AWS API")
    job.add_argument("names", nargs="+", metavar="NAME")
    job.add_argument("--region", help="AWS region (default: from the AWS configuration)")
    job.add_argument("--endpoint-url", help="AWS endpoint, e.g. an emulator such as moto_server")
    job.add_argument("--profile", help="AWS profile name")
    job.add_argument(
        "--allow-no-vpc",
        action="store_true",
        help="a job without a NETWORK connection is legitimate (does not have to run in a VPC)",
    )
    add_format(job)

    rules = sub.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--format", choices=("human", "json"), default="human")
    return parser


def render(report: Report, fmt: str) -> str:
    catalogue = _catalogue()
    if fmt == "json":
        return format_json(report)
    if fmt == "sarif":
        return format_sarif(report, catalogue)
    return format_human(report, catalogue)


def load_plan(path: str) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read plan file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"plan file {path} is not text: expected `terraform show -json` output") from None
    try:
        plan = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"plan file {path} is not JSON ({exc}): expected `terraform show -json` output") from None
    if not isinstance(plan, dict):
        raise UsageError(f"plan file {path} is not a JSON object: expected `terraform show -json` output")
    return plan


def deployment_for_plan(path: str, allow_no_vpc: bool = False) -> Deployment:
    plan = load_plan(path)
    try:
        from glue_netcheck.plan_adapter import deployment_from_plan
    except ImportError as exc:
        raise UsageError(f"the plan adapter is not available: {exc}") from None
    try:
        return deployment_from_plan(plan, source=f"plan:{path}", expect_vpc=False if allow_no_vpc else None)
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"plan file {path} is not a usable Terraform plan: {exc}") from None


def deployment_for_jobs(args: argparse.Namespace) -> Deployment:
    from glue_netcheck.live_adapter import default_region, deployment_from_aws, open_clients

    region = args.region or default_region(args.profile)
    if not region:
        raise UsageError("no AWS region: pass --region or set AWS_REGION / AWS_DEFAULT_REGION")
    clients = open_clients(region, endpoint_url=args.endpoint_url, profile=args.profile)
    return deployment_from_aws(list(args.names), clients, region, expect_vpc=not args.allow_no_vpc)


def list_rules(fmt: str) -> str:
    catalogue = _catalogue()
    if fmt == "json":
        rows = [
            {"id": r.id, "severity": r.severity.value, "title": r.title, "source": r.source} for r in catalogue.values()
        ]
        return json.dumps(rows, indent=2) + "\n"
    lines = [f"{r.id}  {r.severity.value:<7}  {r.title}\n    source: {r.source}" for r in catalogue.values()]
    lines.append(f"{len(catalogue)} rules")
    return "\n".join(lines) + "\n"


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "rules":
        sys.stdout.write(list_rules(args.format))
        return EXIT_OK
    if args.command == "plan":
        deployment = deployment_for_plan(args.plan_file, args.allow_no_vpc)
    else:
        deployment = deployment_for_jobs(args)
    report = run_rules(deployment)
    sys.stdout.write(render(report, args.format))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _fail(message: str) -> int:
    print(f"glue-netcheck: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    from glue_netcheck.live_adapter import NetcheckError

    try:
        return _run(argv)
    except (UsageError, NetcheckError) as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as exc:  # never a traceback unless asked for
        if os.environ.get(DEBUG_ENV):
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc} (set {DEBUG_ENV}=1 for a traceback)")


if __name__ == "__main__":
    sys.exit(main())

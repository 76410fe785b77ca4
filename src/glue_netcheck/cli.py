"""``glue-netcheck``: check a Glue deployment's network from a Terraform plan or a live account.

Exit codes: 0 no error finding (warnings and unverifiable facts allowed), 1 error
findings, 2 unusable input or access problem (one line on stderr), 3 internal error
(a bug in glue-netcheck; ``GLUE_NETCHECK_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from glue_netcheck.catalogue import Catalogue, Report
from glue_netcheck.errors import NetcheckError, UnusablePlan
from glue_netcheck.formatters import format_human, format_json, format_sarif
from glue_netcheck.model import Deployment

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
FORMATS = ("human", "json", "sarif")
DEBUG_ENV = "GLUE_NETCHECK_DEBUG"


class UsageError(NetcheckError):
    """Bad command line or input file: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def catalogue() -> Catalogue:
    from glue_netcheck.rules import CATALOGUE

    return CATALOGUE


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="glue-netcheck", description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add_common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=FORMATS, default="human", help="output format (default: human)")
        p.add_argument(
            "--require-vpc",
            action="append",
            default=[],
            metavar="JOB",
            help="a job that must run in a VPC even though nothing in its configuration says so (repeatable; "
            "commas allowed). Without evidence a job is reported as 'not in a VPC' information.",
        )

    plan = sub.add_parser("plan", help="check a plan from `terraform show -json PLANFILE`")
    plan.add_argument("plan_file", metavar="PLAN.json")
    plan.add_argument(
        "--root",
        metavar="DIR",
        default=None,
        help="the root module's directory, whose .tf sources hold what the plan JSON loses (locals, the "
        "known elements of a map or list with one value known only after apply); default: the current "
        "directory when it holds .tf files",
    )
    plan.add_argument(
        "--no-sources", action="store_true", help="judge the plan JSON alone (values it lost stay unverifiable)"
    )
    add_common(plan)

    job = sub.add_parser("job", help="check deployed Glue jobs through the AWS API")
    job.add_argument("names", nargs="+", metavar="NAME")
    job.add_argument("--region", help="AWS region (default: from the AWS configuration)")
    job.add_argument("--endpoint-url", help="AWS endpoint, e.g. an emulator such as moto_server")
    job.add_argument("--profile", help="AWS profile name")
    add_common(job)

    rules = sub.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--format", choices=("human", "json"), default="human")
    return parser


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return format_json(report)
    if fmt == "sarif":
        return format_sarif(report, catalogue())
    return format_human(report, catalogue())


# The plan reading benchmark goes to 50 MB; a plan larger than this is not one (or a device that never ends).
MAX_PLAN_BYTES = 256 * 1024 * 1024


def load_plan(path: str) -> dict[str, Any]:
    too_big = UsageError(
        f"plan file {path} is larger than {MAX_PLAN_BYTES // 2**20} MiB, the most glue-netcheck reads: "
        "pass the `terraform show -json` output of one plan"
    )
    try:
        # O_NONBLOCK: opening a FIFO that nobody writes would block here, before the check below.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(
                    f"plan file {path} is not a regular file (a device, FIFO or directory): save the "
                    "`terraform show -json` output to a file and pass that"
                )
            if info.st_size > MAX_PLAN_BYTES:
                raise too_big
            data = fh.read(MAX_PLAN_BYTES + 1)  # a file that grew since fstat
    except OSError as exc:
        raise UsageError(f"cannot read plan file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_PLAN_BYTES:
        raise too_big
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"plan file {path} is not text: expected `terraform show -json` output, not the binary plan"
        ) from None
    try:
        plan = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"plan file {path} is not JSON ({exc}): expected `terraform show -json` output") from None
    if not isinstance(plan, dict):
        raise UsageError(f"plan file {path} is not a JSON object: expected `terraform show -json` output")
    return plan


def _names(values: list[str]) -> list[str]:
    return [n.strip() for v in values for n in v.split(",") if n.strip()]


NO_SOURCES = (
    "no Terraform sources were read{where}: values the plan JSON lost (locals, maps and lists with one element "
    "known only after apply) stay unverifiable; run in the root module's directory or pass --root DIR"
)


def deployment_for_plan(path: str, require_vpc: list[str], root: str | None = None, sources: bool = True) -> Deployment:
    from glue_netcheck.plan_adapter import deployment_from_plan

    root_dir = Path(root) if root is not None else Path.cwd()
    if root is not None and not root_dir.is_dir():
        raise UsageError(f"--root {root}: not a directory")
    has_sources = sources and any(root_dir.glob("*.tf")) or sources and any(root_dir.glob("*.tf.json"))
    if root is not None and sources and not has_sources:
        raise UsageError(f"--root {root}: no .tf or .tf.json file there (the root module's directory holds them)")
    try:
        deployment = deployment_from_plan(
            load_plan(path), source=f"plan:{path}", require_vpc=require_vpc, root=root_dir if has_sources else None
        )
    except UnusablePlan as exc:
        raise UsageError(f"plan file {path}: {exc}") from None
    if not has_sources:
        deployment.gaps.append(NO_SOURCES.format(where=" (--no-sources)" if not sources else f" (none in {root_dir})"))
    if not deployment.jobs:
        raise UsageError(
            f"plan file {path} holds no aws_glue_job: nothing to check (wrong plan file, or a plan of a module "
            "without jobs?)"
        )
    unknown = sorted(set(require_vpc) - set(deployment.jobs))
    if unknown:
        raise UsageError(f"--require-vpc names job(s) not in the plan: {', '.join(unknown)}")
    return deployment


def deployment_for_jobs(args: argparse.Namespace, require_vpc: list[str]) -> Deployment:
    from glue_netcheck.aws_clients import default_region, open_clients
    from glue_netcheck.live_adapter import deployment_from_aws

    unknown = sorted(set(require_vpc) - set(args.names))
    if unknown:
        raise UsageError(f"--require-vpc names job(s) not being checked: {', '.join(unknown)}")
    region = args.region or default_region(args.profile)
    if not region:
        raise UsageError("no AWS region: pass --region or set AWS_REGION / AWS_DEFAULT_REGION")
    clients = open_clients(region, endpoint_url=args.endpoint_url, profile=args.profile)
    return deployment_from_aws(list(args.names), clients, region, require_vpc=require_vpc)


def list_rules(fmt: str) -> str:
    rules = list(catalogue())
    if fmt == "json":
        rows = [
            {"id": r.id, "severity": r.severity.value, "title": r.title, "source": r.source, "fix": r.fix}
            for r in rules
        ]
        return json.dumps(rows, indent=2) + "\n"
    lines = [f"{r.id}  {r.severity.value:<7}  {r.title}\n    source: {r.source}" for r in rules]
    lines.append(f"{len(rules)} rules")
    return "\n".join(lines) + "\n"


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "rules":
        sys.stdout.write(list_rules(args.format))
        return EXIT_OK
    require_vpc = _names(args.require_vpc)
    if args.command == "plan":
        deployment = deployment_for_plan(args.plan_file, require_vpc, args.root, not args.no_sources)
    else:
        deployment = deployment_for_jobs(args, require_vpc)
    report = catalogue().run(deployment)
    sys.stdout.write(render(report, args.format))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"glue-netcheck: error: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except NetcheckError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as exc:  # a bug: never a traceback unless asked for
        if os.environ.get(DEBUG_ENV):
            # Still exit 3: re-raising would exit 1, which a gate reads as "error findings".
            traceback.print_exc()
        return _fail(
            f"internal error: {type(exc).__name__}: {exc} (a bug in glue-netcheck; set {DEBUG_ENV}=1 for the "
            "traceback)",
            EXIT_INTERNAL,
        )


if __name__ == "__main__":
    sys.exit(main())

"""``glue-netcheck``: check a Glue deployment's network from a Terraform plan or a live account.

Exit codes: 0 no finding at or above ``--fail-on`` (default error: warnings and unverifiable facts
allowed), 1 such findings, 2 unusable input or access problem (one line on stderr), 3 internal error
(a bug in glue-netcheck; ``GLUE_NETCHECK_DEBUG=1`` shows the traceback). ``--soft-fail`` turns 1 into 0.
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
from glue_netcheck.version import tool_version

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
FORMATS = ("human", "json", "sarif")
FAIL_ON = ("error", "warning", "unverifiable")
DEBUG_ENV = "GLUE_NETCHECK_DEBUG"
LIVE_EXTRA = "glue-netcheck[live]"

EPILOG = """\
exit codes:
  0  no finding at or above --fail-on (default error: warnings and unverifiable facts pass)
  1  findings at or above --fail-on (0 with --soft-fail)
  2  unusable input, terraform failed, or no AWS access (one line on stderr)
  3  internal error: a bug in glue-netcheck (GLUE_NETCHECK_DEBUG=1 shows the traceback)

examples:
  glue-netcheck terraform infra --offline               # plan the root (no AWS call) and check it
  glue-netcheck terraform infra                         # plan with your credentials and backend
  terraform show -json plan.tfplan > plan.json && glue-netcheck plan plan.json --format sarif --output results.sarif
  glue-netcheck job my-job --region eu-west-1           # deployed jobs (needs: pip install 'glue-netcheck[live]')
  glue-netcheck rules                                   # the rule catalogue
"""


class UsageError(NetcheckError):
    """Bad command line or input file: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def catalogue() -> Catalogue:
    from glue_netcheck import CATALOGUE

    return CATALOGUE


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="glue-netcheck",
        description=(__doc__ or "").splitlines()[0],
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"glue-netcheck {tool_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add_common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=FORMATS, default="human", help="output format (default: human)")
        p.add_argument(
            "--output",
            metavar="FILE",
            help="write the report to FILE (in --format) and print only its summary line",
        )
        p.add_argument(
            "--fail-on",
            choices=FAIL_ON,
            default="error",
            help="exit 1 on error findings (default), on errors or warnings, or on those or unverifiable facts",
        )
        p.add_argument("--soft-fail", action="store_true", help="exit 0 even with findings (exit 2 and 3 stay)")
        p.add_argument(
            "--require-vpc",
            action="append",
            default=[],
            metavar="JOB",
            help="a job that must run in a VPC even though nothing in its configuration says so (repeatable; "
            "commas allowed). Without evidence a job is reported as 'not in a VPC' information.",
        )

    plan = sub.add_parser("plan", help="check a plan from `terraform show -json PLANFILE`")
    # Several files: a pre-commit hook passes every staged plan at once; each gets its own report.
    plan.add_argument("plan_files", nargs="+", metavar="PLAN.json")
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

    root = sub.add_parser("terraform", help="plan a Terraform root (init, plan, show -json) and check the plan")
    root.add_argument("root", metavar="DIR", help="the root module's directory")
    root.add_argument(
        "--offline",
        action="store_true",
        help="plan without AWS: dummy credentials, the provider's skip flags, a local backend (a data source "
        "that must read AWS fails, named in one line)",
    )
    root.add_argument("--var-file", action="append", default=[], metavar="FILE", help="terraform -var-file")
    root.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="terraform -var")
    root.add_argument("--timeout", type=float, default=900, metavar="SECONDS", help="per terraform call (900)")
    add_common(root)

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


def deployment_for_root(args: argparse.Namespace, require_vpc: list[str]) -> Deployment:
    from glue_netcheck.plan_adapter import deployment_from_plan
    from glue_netcheck.terraform_plan import plan_root

    plan = plan_root(args.root, offline=args.offline, var_files=args.var_file, variables=args.var, timeout=args.timeout)
    source = f"terraform:{args.root}" + (" (offline)" if args.offline else "")
    try:
        # The root just planned is the sources' root: what the plan JSON loses is read from it.
        deployment = deployment_from_plan(plan, source=source, require_vpc=require_vpc, root=Path(args.root))
    except UnusablePlan as exc:
        raise UsageError(f"the plan of {args.root}: {exc}") from None
    if not deployment.jobs:
        raise UsageError(f"the plan of {args.root} holds no aws_glue_job: nothing to check")
    unknown = sorted(set(require_vpc) - set(deployment.jobs))
    if unknown:
        raise UsageError(f"--require-vpc names job(s) not in the plan: {', '.join(unknown)}")
    return deployment


def deployment_for_jobs(args: argparse.Namespace, require_vpc: list[str]) -> Deployment:
    try:
        from glue_netcheck.aws_clients import default_region, open_clients
        from glue_netcheck.live_adapter import deployment_from_aws
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("boto3", "botocore"):
            raise UsageError(
                f"`glue-netcheck job` reads AWS through boto3, which is not installed: pip install '{LIVE_EXTRA}'"
            ) from None
        raise

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
            {
                "id": r.id,
                "severity": r.severity.value,
                "title": r.title,
                "source": r.source,
                "requirements": list(r.requirements),
                "references": [{"title": ref.title, "url": ref.url} for ref in r.references],
                "fix": r.fix,
            }
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
        if args.output and len(args.plan_files) > 1:
            raise UsageError("--output takes one plan file: run once per plan")
        deployments = [
            deployment_for_plan(path, require_vpc, args.root, not args.no_sources) for path in args.plan_files
        ]
    elif args.command == "terraform":
        deployments = [deployment_for_root(args, require_vpc)]
    else:
        deployments = [deployment_for_jobs(args, require_vpc)]
    failing = []
    for deployment in deployments:
        report = catalogue().run(deployment)
        text = render(report, args.format)
        if args.output:
            try:
                Path(args.output).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write --output {args.output}: {exc.strerror or exc}") from None
            sys.stdout.write(f"{report.summary()} (report: {args.output})\n")
        else:
            sys.stdout.write(text)
        failing += failing_findings(report, args.fail_on)
    return EXIT_FINDINGS if failing and not args.soft_fail else EXIT_OK


def failing_findings(report: Report, fail_on: str) -> list[Any]:
    """The findings that make the run fail at ``--fail-on``: errors; plus warnings; plus unverifiable facts."""
    found = list(report.errors)
    if fail_on in ("warning", "unverifiable"):
        found += report.warnings
    if fail_on == "unverifiable":
        found += report.unverifiable
    return found


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

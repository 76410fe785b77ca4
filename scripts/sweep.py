"""List, and with --delete remove, what earlier integration runs left behind (tox -e sweep).

    python scripts/sweep.py                          # dry run: list gnt-* leftovers older than 6h
    python scripts/sweep.py --delete --older-than 12h
    python scripts/sweep.py --endpoint-url http://127.0.0.1:5000 --older-than 0 --delete   # an emulator

Resources are found by name prefix (Glue, S3, IAM roles, log groups, KMS aliases and keys) and,
for EC2, by the Stack / Name tags the stack derives from the prefix (tests/harness/leaks.py).

Age: the API's creation time where it gives one, else the time in the run id
(``gnt-<yymmddHHMM>-<hex>``, in the name or tags). A run is swept only when every resource of it
is older than --older-than, so a run still in progress is never touched; a resource whose age is
unknown is kept and listed as such.

Safety: against real AWS only in an account listed in ALLOWED_AWS_ACCOUNT_IDS (checked with STS
before anything is listed); --endpoint-url (an emulator) skips that check.

Exit codes: 0 done (or nothing to do), 1 some deletions failed, 2 refused or bad arguments.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from harness.leaks import Resource, delete_resource, list_resources  # noqa: E402

ALLOWED_ACCOUNTS_ENV = "ALLOWED_AWS_ACCOUNT_IDS"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 3600}


class Refused(Exception):
    """One line on stderr, exit 2."""


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 6h, 30m, 2d or 0")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="gnt-", help="name prefix of test runs (default: gnt-)")
    parser.add_argument(
        "--older-than", type=parse_duration, default=parse_duration("6h"), help="minimum age (default: 6h)"
    )
    parser.add_argument("--delete", action="store_true", help="delete (default: only list)")
    parser.add_argument("--region", default=None, help="default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1")
    parser.add_argument("--endpoint-url", default=None, help="an emulator (skips the account check)")
    parser.add_argument("--profile", default=None)
    return parser


class Clients:
    def __init__(self, session: object, region: str, endpoint_url: str | None):
        from botocore.config import Config

        self.session = session
        self.region = region
        self.endpoint_url = endpoint_url
        self.config = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 5, "mode": "standard"})
        self._cache: dict[str, object] = {}

    def client(self, service: str) -> object:
        if service not in self._cache:
            self._cache[service] = self.session.client(  # type: ignore[attr-defined]
                service, region_name=self.region, endpoint_url=self.endpoint_url, config=self.config
            )
        return self._cache[service]


def open_clients(args: argparse.Namespace) -> Clients:
    import boto3

    region = args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    if args.endpoint_url:
        session = boto3.Session(
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
            region_name=region,
        )
        return Clients(session, region, args.endpoint_url)
    allowed = [a.strip() for a in os.environ.get(ALLOWED_ACCOUNTS_ENV, "").split(",") if a.strip()]
    if not allowed:
        raise Refused(
            f"refusing to sweep AWS: {ALLOWED_ACCOUNTS_ENV} is empty (or pass --endpoint-url for an emulator)"
        )
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.Session(profile_name=args.profile, region_name=region)
    clients = Clients(session, region, None)
    try:
        account = str(clients.client("sts").get_caller_identity()["Account"])  # type: ignore[attr-defined]
    except (BotoCoreError, ClientError) as exc:
        raise Refused(f"refusing to sweep AWS: STS GetCallerIdentity failed ({exc})") from None
    if account not in allowed:
        raise Refused(f"refusing to sweep AWS account {account}: not in {ALLOWED_ACCOUNTS_ENV} ({', '.join(allowed)})")
    return clients


def select(resources: list[Resource], older_than: timedelta, now: datetime) -> tuple[list[Resource], list[str]]:
    """(to delete, lines about what is kept and why). Runs are kept whole if any part is young."""
    cutoff = now - older_than
    young_runs = {r.run for r in resources if r.run and r.created and r.created > cutoff}
    chosen, kept = [], []
    by_run: dict[str | None, list[Resource]] = defaultdict(list)
    for r in resources:
        by_run[r.run].append(r)
    for r in resources:
        if r.run in young_runs:
            kept.append(f"keep {r} (run {r.run} has resources younger than {older_than})")
        elif r.created is None:
            run_dated = r.run and any(o.created for o in by_run[r.run])
            if run_dated:
                chosen.append(r)  # its run is dated and old
            else:
                kept.append(f"keep {r} (age unknown)")
        elif r.created > cutoff:
            kept.append(f"keep {r} (created {r.created:%Y-%m-%d %H:%M} UTC, younger than {older_than})")
        else:
            chosen.append(r)
    return chosen, kept


def _age(r: Resource, now: datetime) -> str:
    if r.created is None:
        return "age unknown, run old"
    hours = (now - r.created) / timedelta(hours=1)
    return f"{hours:.1f}h old"


def run(argv: Sequence[str] | None = None, now: datetime | None = None) -> int:
    args = build_parser().parse_args(argv)
    now = now or datetime.now(UTC)
    clients = open_clients(args)
    where = args.endpoint_url or f"AWS {args.region or clients.region}"
    resources = list_resources(clients, args.prefix)
    chosen, kept = select(resources, args.older_than, now)
    for line in kept:
        print(line)
    if not chosen:
        print(f"nothing to sweep: no {args.prefix}* resource older than {args.older_than} in {where}")
        return 0
    if not args.delete:
        for r in chosen:
            print(f"would delete {r} ({_age(r, now)})")
        print(f"dry run: {len(chosen)} resource(s) in {where}; pass --delete to delete them")
        return 0
    failed = 0
    for r in chosen:
        try:
            delete_resource(clients, r)
            print(f"deleted {r}")
        except Exception as exc:  # noqa: BLE001 - report each, continue with the rest
            failed += 1
            print(f"FAILED to delete {r}: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
    print(f"deleted {len(chosen) - failed} of {len(chosen)} resource(s) in {where}")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except Refused as exc:
        print(f"sweep: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

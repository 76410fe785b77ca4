"""List, and with --delete remove, what earlier integration runs left behind (tox -e sweep).

    python scripts/sweep.py                          # dry run: unfinished runs, and leftovers older than 6h
    python scripts/sweep.py --delete --older-than 12h
    python scripts/sweep.py --endpoint-url http://127.0.0.1:5000 --older-than 0 --delete   # an emulator

Two sources, both reported on every call, acted on only with --delete:

1. Unfinished runs, from the run journals (tests/harness/journal.py, ``--runs-dir``, default
   .cache/runs): a run whose test process died (SIGKILL, a crash) or whose teardown failed. The
   report gives its phase, its state file (parseable? what it holds), a stale lock, and what the
   run's tag and name still find in its account or emulator, marking what no state knows.
   --delete finishes it: ``terraform destroy`` in its journaled workdir, then deletion of what
   the tag and name still find, then the journal goes. Only in a workdir the harness created for
   that run (its marker, harness.journal.RunRecord.not_ours): a journal naming another root is
   reported and left alone. A run whose emulator is gone (a loopback
   endpoint that no longer answers) took its resources with it: --delete discards its journal.
2. Leftovers in the account or emulator given (``--endpoint-url``, else AWS), of runs older than
   --older-than. A resource is the suite's only when it carries the run tag and its name matches
   the full run-id pattern ``gnt-<yymmddHHMM>-<hex>-...`` (per kind: tests/harness/leaks.py). A run
   is swept only when every resource of it is old enough; a run with a live journal never is.

Age: the API's creation time where it gives one, else the time in the run id.

Safety: against AWS, and against any endpoint that is not loopback, only in an account listed in
ALLOWED_AWS_ACCOUNT_IDS, checked by the harness's own account guard and with its clients
(harness.backends.aws_backend: one profile, one endpoint for every service); a loopback endpoint
(127.0.0.0/8, ::1, localhost) is an emulator on this machine (harness.backends.moto_backend's
clients) and skips that check. --prefix must
start with ``gnt-`` (it can narrow, e.g. ``gnt-2611``). Dry run is the default.

Exit codes: 0 done (or nothing to do), 1 some deletions failed, 2 refused or bad arguments.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness.backends import Backend, BackendRefused, BackendUnavailable, aws_backend, moto_backend
from harness.constants import DEFAULT_REGION
from harness.journal import RunRecord, find_runs, runs_dir, state_identifiers, state_summary
from harness.leaks import (
    NAME_PREFIX,
    PrefixRefused,
    Resource,
    check_prefix,
    delete_resources,
    list_resources,
)

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
    parser.add_argument(
        "--prefix", default=NAME_PREFIX, help=f"name prefix of test runs, {NAME_PREFIX!r} or longer (default)"
    )
    parser.add_argument(
        "--older-than", type=parse_duration, default=parse_duration("6h"), help="minimum age (default: 6h)"
    )
    parser.add_argument("--delete", action="store_true", help="delete and finish runs (default: only list)")
    parser.add_argument("--region", default=None, help="default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1")
    parser.add_argument(
        "--endpoint-url", default=None, help="an emulator (a loopback URL skips the account check; others do not)"
    )
    parser.add_argument("--profile", default=None)
    parser.add_argument("--runs-dir", type=Path, default=None, help="run journals (default: .cache/runs)")
    return parser


def is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(region: str, endpoint_url: str | None, profile: str | None, expect_account: str | None = None) -> Backend:
    """The harness's backend for AWS or an endpoint: its clients, and its account guard unless the endpoint is loopback."""
    if endpoint_url and is_loopback(endpoint_url):
        return moto_backend(endpoint_url, region)  # an emulator on this machine: static keys, no profile
    purpose = f"sweep endpoint {endpoint_url}" if endpoint_url else "sweep AWS"
    try:
        backend = aws_backend(region, profile=profile, endpoint_url=endpoint_url, purpose=purpose)
    except BackendRefused as exc:
        raise Refused(str(exc)) from None
    if expect_account and backend.account_id != expect_account:
        raise Refused(
            f"refusing to finish a run of account {expect_account}: the credentials are for {backend.account_id}"
        )
    return backend


def open_clients(args: argparse.Namespace) -> Backend:
    region = args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    return connect(region, args.endpoint_url, args.profile)


def select(
    resources: list[Resource], older_than: timedelta, now: datetime, live_runs: Collection[str] = ()
) -> tuple[list[Resource], list[str]]:
    """(to delete, lines about what is kept and why). Runs are kept whole if any part is young."""
    cutoff = now - older_than
    young_runs = {r.run for r in resources if r.run and r.created and r.created > cutoff}
    chosen, kept = [], []
    by_run: dict[str | None, list[Resource]] = defaultdict(list)
    for r in resources:
        by_run[r.run].append(r)
    for r in resources:
        if not r.qualified:
            kept.append(f"keep {r} (not the suite's: {r.why})")
        elif r.run in live_runs:
            kept.append(f"keep {r} (run {r.run} is still running: its journal's process is alive)")
        elif r.run in young_runs:
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


def _delete_all(clients: Any, resources: list[Resource]) -> int:
    failed = 0
    for r, error in delete_resources(clients, resources):
        if error is None:
            print(f"deleted {r}")
        else:
            failed += 1
            print(f"FAILED to delete {r}: {type(error).__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
    return failed


# --- unfinished runs (journals) ------------------------------------------------------------------


def _record_backend(record: RunRecord) -> Backend | None:
    """The backend of a journaled run's own target; None when its loopback emulator is gone."""
    doc = record.doc
    backend = connect(
        doc.get("region") or DEFAULT_REGION, doc.get("endpoint_url"), doc.get("profile"), doc.get("account")
    )
    if backend.emulated:  # loopback: a run's emulator that is gone took what it held with it
        try:
            backend.probe(timeout=2)
        except BackendUnavailable:
            return None
    return backend


def _finish_with_terraform(record: RunRecord, backend: Backend) -> str | None:
    """``terraform destroy`` in the run's workdir, with the backend's Terraform environment; None when done, else why not."""
    from harness.errors import HarnessError
    from harness.terraform import Terraform, make_terraform_env

    root = record.root
    summary = state_summary(root)
    if not summary["resources"]:
        return None
    assert root is not None
    env = backend.terraform_env()
    with tempfile.TemporaryDirectory() as cli:
        try:
            tf = Terraform(root, make_terraform_env(Path(cli)), timeout=600, label=f"finish {record.run_id}", env=env)
            tf.init_offline(timeout=180)
            print(f"finishing {record.run_id}: terraform destroy in {root} ({len(summary['resources'])} in state)")
            tf.run("destroy", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=10s")
        except HarnessError as exc:
            return str(exc).splitlines()[0]
    return None


def report_runs(directory: Path, delete: bool) -> tuple[int, set[str]]:
    """Report (and with ``delete`` finish) unfinished runs. Returns (failures, run ids still running)."""
    records = find_runs(directory)
    live = {r.run_id for r in records if r.owner_alive}
    failed = 0
    for record in (r for r in records if r.unfinished):
        for line in record.describe():
            print(line)
        foreign = record.not_ours() if state_summary(record.root)["resources"] else None
        if foreign:
            print(f"  not a root the harness created: {foreign}; --delete will not touch it")
            failed += 1 if delete else 0
            continue
        try:
            clients = _record_backend(record)
        except Refused as exc:
            print(f"  cannot look into its account: {exc}")
            failed += 1 if delete else 0
            continue
        if clients is None:
            print(f"  its emulator at {record.doc.get('endpoint_url')} is gone, and what it held with it")
            if delete:
                _discard(record, directory)
                print(f"  journal of {record.run_id} discarded")
            continue
        known = state_identifiers(record.root)
        prefix = f"{NAME_PREFIX}{record.run_id}"
        leftovers = list_resources(clients, prefix, record.run_id)
        for r in leftovers:
            where = "in its state" if r.id in known or r.id.removeprefix("alias/") in known else "NO STATE KNOWS IT"
            print(f"  leftover {r} ({where}; {r.why})")
        if not leftovers:
            print(f"  nothing of {record.run_id} is left in {clients.where}")
        if not delete:
            continue
        problem = _finish_with_terraform(record, clients)
        if problem:
            print(f"  terraform destroy failed: {problem}; deleting by tag instead", file=sys.stderr)
        rest = [r for r in list_resources(clients, prefix, record.run_id) if r.qualified]
        errors = _delete_all(clients, rest)
        remaining = [r for r in list_resources(clients, prefix, record.run_id)]
        if errors or remaining:
            failed += 1
            print(f"  {record.run_id} is not finished: {len(remaining)} resource(s) remain", file=sys.stderr)
            continue
        _discard(record, directory)
        print(f"finished {record.run_id}: nothing left in {clients.where}; journal removed")
    if not any(r.unfinished for r in records):
        print(f"no unfinished run in {directory}")
    return failed, live


def _discard(record: RunRecord, directory: Path) -> None:
    workdir = Path(record.doc.get("workdir") or "")
    if workdir.is_dir() and workdir.resolve().is_relative_to(directory.resolve()):
        shutil.rmtree(workdir, ignore_errors=True)
    record.path.unlink(missing_ok=True)
    record.path.with_name(record.path.name + ".lock").unlink(missing_ok=True)


# --- main ------------------------------------------------------------------------------------------


def run(argv: Sequence[str] | None = None, now: datetime | None = None) -> int:
    args = build_parser().parse_args(argv)
    now = now or datetime.now(UTC)
    try:
        check_prefix(args.prefix)
    except PrefixRefused as exc:
        raise Refused(str(exc)) from None
    directory = args.runs_dir or runs_dir()
    run_failures, live_runs = report_runs(directory, args.delete)
    clients = open_clients(args)
    resources = list_resources(clients, args.prefix)
    chosen, kept = select(resources, args.older_than, now, live_runs)
    for line in kept:
        print(line)
    if not chosen:
        print(f"nothing to sweep: no {args.prefix}* run older than {args.older_than} in {clients.where}")
        return 1 if run_failures else 0
    if not args.delete:
        for r in chosen:
            print(f"would delete {r} ({_age(r, now)}; {r.why})")
        print(f"dry run: {len(chosen)} resource(s) in {clients.where}; pass --delete to delete them")
        return 1 if run_failures else 0
    failed = _delete_all(clients, chosen)
    print(f"deleted {len(chosen) - failed} of {len(chosen)} resource(s) in {clients.where}")
    return 1 if failed or run_failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except Refused as exc:
        print(f"sweep: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

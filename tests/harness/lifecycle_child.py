"""``python -m harness.lifecycle_child``: deploy and destroy the stack once against a running moto.

The "test process" of the interrupt and kill tests (harness/integration.py,
``LifecycleChild``): they signal or kill it, then look at what it left. Its outcome goes to the
``--result`` JSON file; its progress lines (``phase apply start``, ``deployed``, ``exit N``) to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from harness.constants import DEFAULT_REGION
from harness.errors import HarnessError
from harness.lifecycle import deployed_stack
from harness.workspace import Sources


def main(argv: list[str] | None = None) -> int:
    from harness.backends import moto_backend
    from harness.terraform import make_terraform_env

    parser = argparse.ArgumentParser(
        prog="python -m harness.lifecycle_child", description="deploy and destroy the stack once"
    )
    parser.add_argument("--endpoint-url", required=True, help="a running moto server")
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--workdir", required=True, type=Path)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--result", required=True, type=Path, help="JSON file for the outcome")
    parser.add_argument("--infra-dir", default=None)
    parser.add_argument("--journal-dir", type=Path, default=None, help="default: harness.journal.runs_dir()")
    parser.add_argument("--stop-grace", type=float, default=None, help="seconds terraform gets to stop (watchdog)")
    parser.add_argument(
        "--var", action="append", default=[], metavar="NAME=JSON", help="a root variable (repeatable): name=JSON value"
    )
    parser.add_argument(
        "--extra-file",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a file added to the root as NAME, its text read from PATH (repeatable)",
    )
    args = parser.parse_args(argv)
    extra_files = {}
    for item in args.extra_file:
        name, sep, path = item.partition("=")
        if not sep or "/" in name:
            parser.error(f"--extra-file {item!r}: expected NAME=PATH with a plain file name")
        extra_files[name] = Path(path).read_text()
    extra_vars = {}
    for item in args.var:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--var {item!r}: expected NAME=JSON")
        try:
            extra_vars[name] = json.loads(value)
        except json.JSONDecodeError as exc:
            parser.error(f"--var {item!r}: the value is not JSON ({exc})")

    def log(message: str) -> None:
        print(message, flush=True)

    result: dict[str, Any] = {"outcome": "error"}
    code = 1
    lifecycle = None
    try:
        backend = moto_backend(args.endpoint_url, args.region)
        tfenv = make_terraform_env(args.workdir / "cli")
        lifecycle = deployed_stack(
            Sources.locate(args.infra_dir),
            tfenv,
            backend,
            args.workdir / "stack",
            run_id=args.run_id,
            log=log,
            journal_dir=args.journal_dir,
            stop_grace=args.stop_grace,
            extra_vars=extra_vars,
            extra_files=extra_files,
        )
        with lifecycle:
            log("deployed")
        result["outcome"] = "ok"
        code = 0
    except KeyboardInterrupt:
        result["outcome"] = "interrupted"
        result["signal"] = lifecycle._guard.signal_name if lifecycle is not None else None
        code = 130
    except HarnessError as exc:
        result["outcome"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        if lifecycle is not None:
            result.update(
                applied=lifecycle.applied,
                destroyed=lifecycle.destroyed,
                destroy_error=str(lifecycle.destroy_error) if lifecycle.destroy_error else None,
                leftovers=lifecycle.leftovers,
                deleted_by_tag=lifecycle.deleted_by_tag,
                timings=lifecycle.timings,
            )
        args.result.write_text(json.dumps(result, indent=2))
    log(f"exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())

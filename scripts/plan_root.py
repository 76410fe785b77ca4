#!/usr/bin/env python3
"""Plan the root stack offline (dummy credentials, no AWS call) and write `terraform show -json`.

    python scripts/plan_root.py -o reports/root-plan.json [--infra-dir PATH]

CI feeds the result to ``glue-netcheck plan --format sarif`` for code scanning. The stack is planned as
a module with its default inputs, the way the unit suite plans its ``default`` scenario.
Exit 0 written, 2 harness problem (one line: no terraform, no provider, ...).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from harness.errors import HarnessError
from harness.terraform import plan_once
from harness.workspace import Sources, module_block, new_workspace, write_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plan_root", description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True, help="where the plan JSON goes")
    parser.add_argument("--infra-dir", default=None, help="checkout of infra/ (default: this repository's)")
    parser.add_argument("--name-prefix", default="customer-pipeline")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workspace = new_workspace(Sources.locate(args.infra_dir), Path(tmp) / "root")
            write_root(workspace, {"stack": module_block("stack", {"name_prefix": args.name_prefix})})
            plan = plan_once(workspace, Path(tmp) / "cli", label="root plan")
    except HarnessError as exc:
        print(f"plan_root: {exc}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(plan) + "\n")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

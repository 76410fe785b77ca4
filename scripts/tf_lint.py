#!/usr/bin/env python3
"""terraform fmt -check and validate for the root stack and each module.

Validation runs on temporary copies, so no .terraform directory or lock file
lands in the source tree. Providers come from the mirror harness.mirror finds (TF_PLUGIN_MIRROR or a
well-known place), else the registry.
Exit 0 when everything is clean, 1 otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.errors import HarnessError
from harness.paths import INFRA
from harness.terraform import Terraform, make_terraform_env
from harness.workspace import IGNORED


def main() -> int:
    infra = Path(sys.argv[1]) if len(sys.argv) > 1 else INFRA
    failed = False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tfenv = make_terraform_env(Path(tmp) / "cli")
            fmt = subprocess.run(
                [tfenv.binary, "fmt", "-check", "-recursive", "-diff", str(infra)],
                capture_output=True,
                text=True,
                env=tfenv.env(),
            )
            if fmt.returncode != 0:
                print(f"FAIL terraform fmt: run `terraform fmt -recursive {infra}`\n{fmt.stdout}{fmt.stderr}")
                failed = True
            else:
                print("ok   terraform fmt -check -recursive")
            copy = Path(tmp) / "infra"
            shutil.copytree(infra, copy, ignore=IGNORED)
            for target in [copy, *sorted((copy / "modules").iterdir())]:
                if not target.is_dir():
                    continue
                tf = Terraform(target, tfenv, label=str(target.relative_to(copy.parent)))
                tf.init_offline()
                code, diagnostics = tf.validate_diagnostics()
                name = target.relative_to(copy.parent)
                if code != 0:
                    failed = True
                    print(f"FAIL terraform validate {name}")
                    for d in diagnostics:
                        print(f"     {d.get('summary')}: {d.get('detail', '')}")
                else:
                    print(f"ok   terraform validate {name}")
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

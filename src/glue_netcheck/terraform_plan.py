"""Plan a Terraform root in one step for ``glue-netcheck terraform DIR``: init, plan, ``show -json``.

With the user's credentials and backend as they are, or ``offline``: an override file written into the
root for the duration (and removed after) gives the AWS provider dummy credentials, its skip flags
and one retry, and a local backend, so planning makes no AWS call. A root whose data sources must
read AWS then fails in seconds, named in one line, instead of the SDK retrying for minutes.

Nothing else is left in the root: Terraform's working data goes to a temporary ``TF_DATA_DIR``, and a
lock file that ``init`` had to create is removed again (an existing one is only read:
``-lockfile=readonly``). Every terraform call has a timeout; on it the call's process group is killed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from glue_netcheck.errors import NetcheckError

OVERRIDE_NAME = "zz_glue_netcheck_offline_override.tf"
OFFLINE_REGION = "us-east-1"
OFFLINE_OVERRIDE = """\
# Written by `glue-netcheck terraform --offline` for one plan and removed after it: dummy credentials
# and the provider's skip flags (no AWS call), one retry, a local backend (no remote state).
terraform {{
  backend "local" {{
    path = "{state}"
  }}
}}

provider "aws" {{
  access_key                  = "glue-netcheck-offline"
  secret_key                  = "glue-netcheck-offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1
}}
"""


class TerraformFailed(NetcheckError):
    """init or plan failed, or timed out: one line, exit 2."""


def find_terraform() -> str:
    binary = os.environ.get("TERRAFORM_BINARY") or shutil.which("terraform")
    if not binary:
        raise TerraformFailed(
            "terraform not found on PATH: install Terraform >= 1.9, or plan yourself and run "
            "`glue-netcheck plan PLAN.json` on `terraform show -json PLANFILE`"
        )
    return binary


def plan_root(
    root: str | Path,
    *,
    offline: bool = False,
    var_files: Sequence[str] = (),
    variables: Sequence[str] = (),
    timeout: float = 900,
) -> dict[str, Any]:
    """``terraform show -json`` of a fresh plan of ``root``."""
    directory = Path(root)
    if not directory.is_dir() or not any(directory.glob("*.tf")):
        raise TerraformFailed(f"{root} is not a Terraform root directory (no *.tf files in it)")
    binary = find_terraform()
    override = directory / OVERRIDE_NAME
    if override.exists():
        raise TerraformFailed(f"{override} exists (left by an earlier run that was killed?): remove it and run again")
    lock = directory / ".terraform.lock.hcl"
    lock_existed = lock.exists()
    with tempfile.TemporaryDirectory(prefix="glue-netcheck-terraform-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "TF_DATA_DIR": str(work / "data"), "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
        env["CHECKPOINT_DISABLE"] = "1"
        if offline:
            # A provider block without a region takes it from the environment.
            env["AWS_REGION"] = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or OFFLINE_REGION
            env["AWS_EC2_METADATA_DISABLED"] = "true"
            override.write_text(OFFLINE_OVERRIDE.format(state=(work / "offline.tfstate").as_posix()))
        try:
            init = ["init", "-input=false", "-no-color"] + (["-lockfile=readonly"] if lock_existed else [])
            _run(binary, directory, init, env, timeout, "init")
            planfile = work / "plan.tfplan"
            plan = ["plan", "-input=false", "-no-color", "-lock=false", f"-out={planfile}", "-json"]
            plan += ["-refresh=false"] if offline else []
            plan += [f"-var-file={Path(f).resolve()}" for f in var_files] + [f"-var={v}" for v in variables]
            result = _run(binary, directory, plan, env, timeout, "plan", check=False)
            if result.returncode != 0:
                raise TerraformFailed(_plan_failure(result.stdout, result.stderr, directory, offline))
            shown = _run(binary, directory, ["show", "-json", str(planfile)], env, timeout, "show")
        finally:
            if offline:
                override.unlink(missing_ok=True)
            if not lock_existed:
                lock.unlink(missing_ok=True)
    try:
        return json.loads(shown.stdout)
    except ValueError as exc:
        raise TerraformFailed(f"terraform show -json printed no JSON ({exc})") from None


def _run(
    binary: str, root: Path, args: list[str], env: dict[str, str], timeout: float, what: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(
        [binary, f"-chdir={root}", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a timeout stops terraform and its provider plugins together
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise TerraformFailed(f"terraform {what} in {root} did not finish within {timeout:.0f} s (--timeout)") from None
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    if check and proc.returncode != 0:
        lines = [line.strip() for line in (err or out).splitlines() if line.strip()]
        first = next((line for line in lines if line.startswith("Error:")), lines[0] if lines else "no output")
        raise TerraformFailed(f"terraform {what} in {root} failed: {first}")
    return result


def _plan_failure(stdout: str, stderr: str, root: Path, offline: bool) -> str:
    errors = []
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        diagnostic = message.get("diagnostic") if isinstance(message, dict) else None
        if message.get("type") == "diagnostic" and diagnostic and diagnostic.get("severity") == "error":
            errors.append(diagnostic)
    if not errors:
        return f"terraform plan in {root} failed: {(stderr or stdout).strip().splitlines()[-1:] or 'no output'}"
    first = errors[0]
    address = first.get("address", "")
    where = first.get("range") or {}
    at = f"{root / where['filename']}:{where['start']['line']}" if where.get("filename") else str(root)
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    if offline and address and (address.startswith("data.") or ".data." in address):
        return (
            f"{address} ({at}) reads AWS while planning, which --offline cannot: plan with your AWS "
            f"credentials (drop --offline), or run `glue-netcheck plan` on a plan made where AWS is reachable{more}"
        )
    detail = " ".join((first.get("detail") or "").split())[:300]
    named = f" [{address}]" if address else ""
    return f"terraform plan failed at {at}{named}: {first.get('summary')}{': ' + detail if detail else ''}{more}"

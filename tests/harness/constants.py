"""Names every part of the harness agrees on, written once.

RUN_TAG_KEY     tag on every resource of a run (root var ``tags`` -> the provider's default_tags);
                its value is the run id. The leak check and scripts/sweep.py find a run by it.
NAME_PREFIX     every run's names start with it: ``gnt-<run id>``; the sweep deletes nothing else.
DEFAULT_REGION  where the emulators answer, offline plans plan, and a run deploys when nothing
                (--region, AWS_REGION, AWS_DEFAULT_REGION) says otherwise.
STACK_SERVICES  every AWS service the root stack calls: the emulator override's endpoints, and what
                a backend must serve for a deploying test to run.
"""

from __future__ import annotations

RUN_TAG_KEY = "glue-netcheck-run"
NAME_PREFIX = "gnt-"
DEFAULT_REGION = "us-east-1"
# CloudWatch Logs as `logs`: see harness.emulator.terraform_override for why one alias only.
STACK_SERVICES: tuple[str, ...] = ("ec2", "glue", "iam", "kms", "logs", "s3", "sts")

"""LocalStack's known differences from AWS that the suite meets, handled like the moto patches.

Each gap is named, has a probe that shows it on a live LocalStack, and says exactly which plan
differences it explains. The LocalStack the suite starts is patched (launcher.py, same name), so
its probe finds nothing; on a LocalStack you run the probe decides, and the re-plan after apply
tolerates only the differences a present gap explains -- every other difference still fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

RULE_RESOURCE_TYPES = ("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")


@dataclass(frozen=True)
class Gap:
    name: str
    what: str
    probe: Callable[[Callable[[str], Any]], bool]  # True: the gap is there
    explains: Callable[[dict[str, Any]], bool]  # a plan resource_change it accounts for


def changed_attributes(change: dict[str, Any]) -> set[str]:
    """Top-level attributes whose planned value differs from the current one."""
    before = change.get("before") or {}
    after = change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k) or unknown.get(k) is True}


def probe_rule_descriptions(client_for: Callable[[str], Any]) -> bool:
    """Authorise a described self-referencing rule; True when DescribeSecurityGroupRules drops the Description."""
    ec2 = client_for("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.254.0.0/24")["Vpc"]["VpcId"]
    try:
        group_id = ec2.create_security_group(
            GroupName=f"gnt-gap-probe-{uuid.uuid4().hex[:8]}", Description="glue-netcheck gap probe", VpcId=vpc_id
        )["GroupId"]
        try:
            ec2.authorize_security_group_ingress(
                GroupId=group_id,
                IpPermissions=[
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 0,
                        "ToPort": 65535,
                        "UserIdGroupPairs": [{"GroupId": group_id, "Description": "self"}],
                    }
                ],
            )
            rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
            (self_rule,) = [
                r for r in rules["SecurityGroupRules"] if r.get("ReferencedGroupInfo") and not r["IsEgress"]
            ]
            return self_rule.get("Description") != "self"
        finally:
            ec2.delete_security_group(GroupId=group_id)
    finally:
        ec2.delete_vpc(VpcId=vpc_id)


def explains_rule_description(change: dict[str, Any]) -> bool:
    """An in-place update of only ``description`` on a rule that references a group or a prefix list."""
    if change.get("type") not in RULE_RESOURCE_TYPES or change["change"].get("actions") != ["update"]:
        return False
    after = change["change"].get("after") or {}
    referenced = after.get("referenced_security_group_id") or after.get("prefix_list_id")
    return bool(referenced) and changed_attributes(change["change"]) == {"description"}


RULE_DESCRIPTIONS = Gap(
    "security_group_rule_descriptions",
    "DescribeSecurityGroupRules returns no Description for a rule that references a security group or a "
    "prefix list, so the re-plan wants `description` on such rules again",
    probe_rule_descriptions,
    explains_rule_description,
)

GAPS: tuple[Gap, ...] = (RULE_DESCRIPTIONS,)


def present_gaps(client_for: Callable[[str], Any], gaps: Iterable[Gap] = GAPS) -> dict[str, str]:
    """{name: what} of each gap the LocalStack behind ``client_for`` shows."""
    return {gap.name: gap.what for gap in gaps if gap.probe(client_for)}


def unexplained_changes(plan: dict[str, Any], gap_names: Iterable[str]) -> list[str]:
    """Planned changes (``address: actions [attributes]``) that none of the named gaps explains."""
    gaps = [gap for gap in GAPS if gap.name in set(gap_names)]
    left = []
    for change in plan.get("resource_changes", []):
        actions = change["change"].get("actions", [])
        if actions in (["no-op"], ["read"]):
            continue
        if any(gap.explains(change) for gap in gaps):
            continue
        left.append(f"{change['address']}: {'/'.join(actions)} {sorted(changed_attributes(change['change']))}")
    return left

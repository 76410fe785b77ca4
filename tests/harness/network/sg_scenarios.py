"""Security-group models for the network tests, and the transforms that break them.

``handbuilt_glue_groups`` is an explicit model of the module's Glue security group for the
translation tests (test_sg_nft.py keeps its default form equal to the plan's); the tests that
put the module's group on the wire take it from the plan (conftest.py). The transforms take
any model (hand-built or from a plan) and return a broken copy, never mutating their input.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from glue_netcheck.model import ALL_PROTOCOLS, SecurityGroup, SecurityGroupRule

GLUE_SG = "glue"
S3_PREFIX_LIST = "pl-63a5400a"


@dataclass(frozen=True)
class SgScenario:
    """The groups of a deployment and the keys attached to the Glue connection(s)."""

    name: str
    groups: dict[str, SecurityGroup]
    attached: tuple[str, ...]  # every Glue node (driver and executors) carries all of these
    source: str = "hand-built"


def handbuilt_glue_groups(*, restrict_egress: bool = False, key: str = GLUE_SG) -> SgScenario:
    """The module's group: self-referencing all-TCP ingress; all egress, or the restricted shape."""
    rules = [SecurityGroupRule("ingress", "tcp", 0, 65535, referenced_security_group_id=key, source="self")]
    if restrict_egress:
        rules += [
            SecurityGroupRule("egress", "tcp", 0, 65535, referenced_security_group_id=key, source="self"),
            SecurityGroupRule("egress", "tcp", 443, 443, prefix_list_id=S3_PREFIX_LIST, source="s3"),
        ]
    else:
        rules.append(SecurityGroupRule("egress", ALL_PROTOCOLS, 0, 0, cidr_ipv4="0.0.0.0/0", source="all"))
    name = "restrict-egress" if restrict_egress else "default"
    return SgScenario(name, {key: SecurityGroup(key, name="glue", rules=rules)}, (key,))


def _is_intra_ingress(rule: SecurityGroupRule, attached: tuple[str, ...]) -> bool:
    return rule.direction == "ingress" and rule.referenced_security_group_id in attached


def without_self_ingress(scenario: SgScenario) -> SgScenario:
    """Drop every ingress rule whose source is a group on the connection (self or sibling)."""
    attached = scenario.attached
    groups = {
        key: dataclasses.replace(group, rules=[r for r in group.rules if not _is_intra_ingress(r, attached)])
        for key, group in scenario.groups.items()
    }
    return dataclasses.replace(scenario, name=f"{scenario.name}/no-self-ingress", groups=groups)


def narrow_self_ingress(scenario: SgScenario, port: int) -> SgScenario:
    """Narrow every self/sibling ingress rule to TCP ``port`` only."""

    def narrow(rule: SecurityGroupRule) -> SecurityGroupRule:
        if not _is_intra_ingress(rule, scenario.attached):
            return rule
        return dataclasses.replace(rule, protocol="tcp", from_port=port, to_port=port)

    groups = {
        key: dataclasses.replace(group, rules=[narrow(r) for r in group.rules])
        for key, group in scenario.groups.items()
    }
    return dataclasses.replace(scenario, name=f"{scenario.name}/self-ingress-{port}-only", groups=groups)


def scenario_from_deployment(deployment, name: str = "plan") -> SgScenario:
    """The groups on the deployment's Glue connections (``deployment_from_plan`` output)."""
    attached: list[str] = []
    for connection in deployment.connections.values():
        for key in connection.security_group_ids:
            if key not in attached:
                attached.append(key)
    if not attached:
        raise ValueError(f"{deployment.source}: no Glue connection carries a security group")
    return SgScenario(name, dict(deployment.security_groups), tuple(attached), source=deployment.source)

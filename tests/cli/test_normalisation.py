"""One set of facts through both adapters gives one model (issue 8: shared normalisation).

The facts are created in moto through the EC2/IAM/Glue APIs; the plan is written by
hand from the same facts, in the shapes `terraform show -json` holds once the
resources exist (checked against a real re-plan of such a configuration on the
emulator: ``no-op`` changes, known ids, a group's ``ingress``/``egress`` attributes
listing the rules of separate rule resources, the role's ``inline_policy`` and
``managed_policy_arns`` listing what other resources attached). Rules are spelled
differently on each side (``-1`` with ports 0/0 or -1/-1, ``all``, ``6``, a single
Action string or a list, ``self = true`` or a group id), which is the point.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from glue_netcheck.live_adapter import deployment_from_aws
from glue_netcheck.model import GLUE_SUBNET_TAG, NETWORK_MODE_TAG, Deployment, Role, SecurityGroupRule
from glue_netcheck.plan_adapter import deployment_from_plan
from harness.aws_world import ACCOUNT, ASSUME_GLUE, REGION, aws_test_env, make_clients

pytestmark = pytest.mark.cli

INLINE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": "*"},
        {"Effect": "Allow", "Action": ["ec2:Describe*", "ec2:DeleteNetworkInterface"], "Resource": "*"},
        {"Effect": "Deny", "Action": "ec2:DeleteNetworkInterface", "Resource": "*"},
    ],
}
CUSTOMER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    ],
}
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/norm"
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:norm-db-AbCdEf"
JOB = "norm-job"
CONNECTION = "norm-db"
SECURITY_CONFIGURATION = "norm-sec"
ARGUMENTS = {"--job-language": "python", "--lookup-table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/lookup"}
TAGS = {NETWORK_MODE_TAG: "vpc", "team": "data"}


@dataclass
class Facts:
    vpc: str
    subnet: str
    s3_endpoint: str
    prefix_list: str
    sg_glue: str  # rules as separate resources (both resource kinds)
    sg_inline: str  # rules written inline on aws_security_group
    sg_peer: str
    role_arn: str
    policy_arn: str


def _create(c: dict[str, Any]) -> Facts:
    ec2, iam, glue = c["ec2"], c["iam"], c["glue"]
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(
        VpcId=vpc,
        CidrBlock="10.30.1.0/24",
        AvailabilityZone=f"{REGION}a",
        TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": GLUE_SUBNET_TAG, "Value": "true"}]}],
    )["Subnet"]["SubnetId"]
    # AWS reports VpcEndpointType for every endpoint; moto only when it was given.
    s3_endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", VpcEndpointType="Gateway"
    )["VpcEndpoint"]["VpcEndpointId"]
    prefix_list = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [f"com.amazonaws.{REGION}.s3"]}]
    )["PrefixLists"][0]["PrefixListId"]

    def group(name: str) -> str:
        return ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]

    sg_glue, sg_inline, sg_peer = group("norm-glue"), group("norm-inline"), group("norm-peer")
    everywhere = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    # Terraform removes the allow-all egress AWS gives a new group (the inline group declares it again).
    for sg in (sg_glue, sg_peer):
        ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=everywhere)
    ec2.authorize_security_group_ingress(
        GroupId=sg_glue,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": sg_glue}]},
            {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg_peer}]},
            {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.30.0.0/16"}]},
            {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8090, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ],
    )
    ec2.authorize_security_group_egress(
        GroupId=sg_glue,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": prefix_list}]},
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg_glue}]},
        ],
    )
    ec2.authorize_security_group_ingress(
        GroupId=sg_inline,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg_inline}]},
            {"IpProtocol": "udp", "FromPort": 1000, "ToPort": 2000, "UserIdGroupPairs": [{"GroupId": sg_peer}]},
        ],
    )

    role_arn = iam.create_role(RoleName="norm-role", AssumeRolePolicyDocument=json.dumps(ASSUME_GLUE))["Role"]["Arn"]
    iam.put_role_policy(RoleName="norm-role", PolicyName="eni", PolicyDocument=json.dumps(INLINE_POLICY))
    policy_arn = iam.create_policy(PolicyName="norm-custom", PolicyDocument=json.dumps(CUSTOMER_POLICY))["Policy"][
        "Arn"
    ]
    iam.attach_role_policy(RoleName="norm-role", PolicyArn=policy_arn)

    glue.create_security_configuration(
        Name=SECURITY_CONFIGURATION,
        EncryptionConfiguration={
            "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": KMS_KEY}],
            "CloudWatchEncryption": {"CloudWatchEncryptionMode": "DISABLED"},
            "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": KMS_KEY},
        },
    )
    glue.create_connection(
        ConnectionInput={
            "Name": CONNECTION,
            "ConnectionType": "JDBC",
            "ConnectionProperties": {
                "JDBC_CONNECTION_URL": "jdbc:postgresql://db.internal:5432/x",
                "SECRET_ID": SECRET,
            },
            "PhysicalConnectionRequirements": {
                "SubnetId": subnet,
                "SecurityGroupIdList": [sg_glue, sg_inline],
                "AvailabilityZone": f"{REGION}a",
            },
        }
    )
    glue.create_job(
        Name=JOB,
        Role=role_arn,
        Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/norm.py"},
        Connections={"Connections": [CONNECTION]},
        DefaultArguments=ARGUMENTS,
        SecurityConfiguration=SECURITY_CONFIGURATION,
        GlueVersion="4.0",
        WorkerType="G.1X",
        NumberOfWorkers=2,
        Tags=TAGS,
    )
    return Facts(vpc, subnet, s3_endpoint, prefix_list, sg_glue, sg_inline, sg_peer, role_arn, policy_arn)


# -- the same facts as `terraform show -json` holds them once they exist ----------------------


def _ref(address: str, attr: str = "id") -> dict[str, Any]:
    return {"references": [f"{address}.{attr}", address]}


def _const(value: Any) -> dict[str, Any]:
    return {"constant_value": value}


def _sg_block(protocol: str, low: int, high: int, **targets: Any) -> dict[str, Any]:
    """One element of aws_security_group's ingress/egress as the provider stores it."""
    block = {
        "cidr_blocks": [],
        "description": "",
        "from_port": low,
        "ipv6_cidr_blocks": [],
        "prefix_list_ids": [],
        "protocol": protocol,
        "security_groups": [],
        "self": False,
        "to_port": high,
    }
    return {**block, **targets}


_RULE_IDS = itertools.count(1)


def _rule(protocol: str, low: int | None, high: int | None, sg: str, **target: Any) -> dict[str, Any]:
    """aws_vpc_security_group_{ingress,egress}_rule's state."""
    rule_id = f"sgr-{next(_RULE_IDS):017x}"
    values = {"cidr_ipv4": None, "cidr_ipv6": None, "prefix_list_id": None, "referenced_security_group_id": None}
    return {
        "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group-rule/{rule_id}",
        "description": None,
        "from_port": low,
        "id": rule_id,
        "ip_protocol": protocol,
        "security_group_id": sg,
        "security_group_rule_id": rule_id,
        "tags": None,
        "tags_all": {},
        "to_port": high,
        **values,
        **target,
    }


def _legacy_rule(kind: str, protocol: str, low: int, high: int, sg: str, **target: Any) -> dict[str, Any]:
    """aws_security_group_rule's state (protocol as the provider stores it: names, -1 for all)."""
    values = {
        "cidr_blocks": None,
        "ipv6_cidr_blocks": None,
        "prefix_list_ids": None,
        "self": False,
        "source_security_group_id": None,
    }
    return {
        "description": None,
        "from_port": low,
        "id": f"sgrule-{next(_RULE_IDS)}",
        "protocol": protocol,
        "security_group_id": sg,
        "timeouts": None,
        "to_port": high,
        "type": kind,
        **values,
        **target,
    }


class _PlanWriter:
    """resource_changes and configuration of a root module with no-op changes."""

    def __init__(self) -> None:
        self.changes: list[dict[str, Any]] = []
        self.config: list[dict[str, Any]] = []

    def add(self, rtype: str, name: str, after: dict[str, Any], expressions: dict[str, Any]) -> str:
        address = f"{rtype}.{name}"
        self.changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": rtype,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["no-op"], "before": after, "after": after, "after_unknown": {}},
            }
        )
        self.config.append(
            {
                "address": address,
                "mode": "managed",
                "type": rtype,
                "name": name,
                "provider_config_key": "aws",
                "expressions": expressions,
            }
        )
        return address

    def plan(self) -> dict[str, Any]:
        return {
            "format_version": "1.2",
            "terraform_version": "1.11.4",
            "resource_changes": self.changes,
            "configuration": {"root_module": {"resources": self.config}},
            "applyable": False,
            "complete": True,
            "errored": False,
        }


def _equivalent_plan(f: Facts) -> dict[str, Any]:
    p = _PlanWriter()
    vpc = p.add(
        "aws_vpc",
        "this",
        {
            "cidr_block": "10.30.0.0/16",
            "enable_dns_hostnames": True,
            "enable_dns_support": True,
            "id": f.vpc,
            "tags": {},
            "tags_all": {},
        },
        {"cidr_block": _const("10.30.0.0/16"), "enable_dns_hostnames": _const(True)},
    )
    subnet = p.add(
        "aws_subnet",
        "a",
        {
            "availability_zone": f"{REGION}a",
            "cidr_block": "10.30.1.0/24",
            "id": f.subnet,
            "tags": {GLUE_SUBNET_TAG: "true"},
            "tags_all": {GLUE_SUBNET_TAG: "true"},
            "vpc_id": f.vpc,
        },
        {"vpc_id": _ref(vpc), "cidr_block": _const("10.30.1.0/24"), "availability_zone": _const(f"{REGION}a")},
    )
    endpoint = p.add(
        "aws_vpc_endpoint",
        "s3",
        {
            "id": f.s3_endpoint,
            "prefix_list_id": f.prefix_list,
            "private_dns_enabled": False,
            "route_table_ids": [],
            "security_group_ids": [],
            "service_name": f"com.amazonaws.{REGION}.s3",
            "subnet_ids": [],
            "vpc_endpoint_type": "Gateway",
            "vpc_id": f.vpc,
        },
        {"vpc_id": _ref(vpc), "service_name": _const(f"com.amazonaws.{REGION}.s3")},
    )

    # The group's own ingress/egress attributes list every rule (the provider reads them all),
    # but the configuration does not set them: the rules are the separate resources below.
    glue_ingress = [
        _sg_block("icmp", -1, -1, cidr_blocks=["0.0.0.0/0"]),
        _sg_block("udp", 53, 53, cidr_blocks=["10.30.0.0/16"]),
        _sg_block("-1", 0, 0, security_groups=[f.sg_peer]),
        _sg_block("tcp", 0, 65535, self=True),
        _sg_block("tcp", 8080, 8090, ipv6_cidr_blocks=["::/0"]),
    ]
    glue_egress = [_sg_block("-1", 0, 0, self=True), _sg_block("tcp", 443, 443, prefix_list_ids=[f.prefix_list])]
    glue = p.add(
        "aws_security_group",
        "glue",
        {"id": f.sg_glue, "name": "norm-glue", "vpc_id": f.vpc, "ingress": glue_ingress, "egress": glue_egress},
        {"name": _const("norm-glue"), "vpc_id": _ref(vpc)},
    )
    peer = p.add(
        "aws_security_group",
        "peer",
        {"id": f.sg_peer, "name": "norm-peer", "vpc_id": f.vpc, "ingress": [], "egress": []},
        {"name": _const("norm-peer"), "vpc_id": _ref(vpc)},
    )
    inline_ingress = [
        _sg_block("tcp", 22, 22, cidr_blocks=["10.0.0.0/8"]),
        _sg_block("-1", 0, 0, self=True),
        _sg_block("udp", 1000, 2000, security_groups=[f.sg_peer]),
    ]
    inline_egress = [_sg_block("-1", 0, 0, cidr_blocks=["0.0.0.0/0"])]
    p.add(
        "aws_security_group",
        "inline",
        {"id": f.sg_inline, "name": "norm-inline", "vpc_id": f.vpc, "ingress": inline_ingress, "egress": inline_egress},
        {
            "name": _const("norm-inline"),
            "vpc_id": _ref(vpc),
            "ingress": _ref(peer),
            "egress": _const([{**_sg_block("all", 0, 0, cidr_blocks=["0.0.0.0/0"]), "description": None}]),
        },
    )
    on_glue = {"security_group_id": _ref(glue)}
    p.add(
        "aws_vpc_security_group_ingress_rule",
        "self_all_tcp",
        _rule("tcp", 0, 65535, f.sg_glue, referenced_security_group_id=f.sg_glue),
        {**on_glue, "ip_protocol": _const("tcp"), "referenced_security_group_id": _ref(glue)},
    )
    p.add(
        "aws_vpc_security_group_ingress_rule",
        "icmp_any",
        _rule("icmp", -1, -1, f.sg_glue, cidr_ipv4="0.0.0.0/0"),
        {**on_glue, "ip_protocol": _const("icmp"), "cidr_ipv4": _const("0.0.0.0/0")},
    )
    p.add(
        "aws_vpc_security_group_ingress_rule",
        "all_from_peer",
        _rule("-1", None, None, f.sg_glue, referenced_security_group_id=f.sg_peer),
        {**on_glue, "ip_protocol": _const("-1"), "referenced_security_group_id": _ref(peer)},
    )
    p.add(
        "aws_vpc_security_group_egress_rule",
        "https_s3",
        _rule("tcp", 443, 443, f.sg_glue, prefix_list_id=f.prefix_list),
        {**on_glue, "ip_protocol": _const("tcp"), "prefix_list_id": _ref(endpoint, "prefix_list_id")},
    )
    p.add(
        "aws_security_group_rule",
        "dns_udp",
        _legacy_rule("ingress", "udp", 53, 53, f.sg_glue, cidr_blocks=["10.30.0.0/16"]),
        {**on_glue, "type": _const("ingress"), "protocol": _const("udp")},
    )
    p.add(
        "aws_security_group_rule",
        "web_v6",
        _legacy_rule("ingress", "tcp", 8080, 8090, f.sg_glue, ipv6_cidr_blocks=["::/0"]),
        {**on_glue, "type": _const("ingress"), "protocol": _const("6")},
    )
    p.add(
        "aws_security_group_rule",
        "self_all_egress",
        _legacy_rule("egress", "-1", 0, 0, f.sg_glue, self=True),
        {**on_glue, "type": _const("egress"), "protocol": _const("all"), "self": _const(True)},
    )

    inline_document = json.dumps(INLINE_POLICY)
    customer_document = json.dumps(CUSTOMER_POLICY)
    # Once the role exists, its inline_policy and managed_policy_arns show what the
    # aws_iam_role_policy and the attachment below manage.
    role = p.add(
        "aws_iam_role",
        "glue",
        {
            "arn": f.role_arn,
            "id": "norm-role",
            "inline_policy": [{"name": "eni", "policy": inline_document}],
            "managed_policy_arns": [f.policy_arn],
            "name": "norm-role",
        },
        {"name": _const("norm-role"), "assume_role_policy": {}},
    )
    p.add(
        "aws_iam_role_policy",
        "eni",
        {"id": "norm-role:eni", "name": "eni", "policy": inline_document, "role": "norm-role"},
        {"name": _const("eni"), "role": _ref(role), "policy": {}},
    )
    policy = p.add(
        "aws_iam_policy",
        "custom",
        {"arn": f.policy_arn, "id": f.policy_arn, "name": "norm-custom", "policy": customer_document},
        {"name": _const("norm-custom"), "policy": {}},
    )
    p.add(
        "aws_iam_role_policy_attachment",
        "custom",
        {"id": "norm-role-20250101000000000000000001", "policy_arn": f.policy_arn, "role": "norm-role"},
        {"role": _ref(role, "name"), "policy_arn": _ref(policy, "arn")},
    )

    p.add(
        "aws_glue_security_configuration",
        "this",
        {
            "id": SECURITY_CONFIGURATION,
            "name": SECURITY_CONFIGURATION,
            "encryption_configuration": [
                {
                    "cloudwatch_encryption": [{"cloudwatch_encryption_mode": "DISABLED", "kms_key_arn": ""}],
                    "job_bookmarks_encryption": [{"job_bookmarks_encryption_mode": "CSE-KMS", "kms_key_arn": KMS_KEY}],
                    "s3_encryption": [{"kms_key_arn": KMS_KEY, "s3_encryption_mode": "SSE-KMS"}],
                }
            ],
        },
        {"name": _const(SECURITY_CONFIGURATION)},
    )
    connection = p.add(
        "aws_glue_connection",
        "db",
        {
            "catalog_id": ACCOUNT,
            "connection_properties": {
                "JDBC_CONNECTION_URL": "jdbc:postgresql://db.internal:5432/x",
                "SECRET_ID": SECRET,
            },
            "connection_type": "JDBC",
            "id": f"{ACCOUNT}:{CONNECTION}",
            "name": CONNECTION,
            "physical_connection_requirements": [
                {
                    "availability_zone": f"{REGION}a",
                    "security_group_id_list": [f.sg_glue, f.sg_inline],
                    "subnet_id": f.subnet,
                }
            ],
        },
        {
            "name": _const(CONNECTION),
            "connection_type": _const("JDBC"),
            "physical_connection_requirements": [
                {
                    "availability_zone": _ref(subnet, "availability_zone"),
                    "security_group_id_list": {"references": [f"{glue}.id", glue, "aws_security_group.inline.id"]},
                    "subnet_id": _ref(subnet),
                }
            ],
        },
    )
    p.add(
        "aws_glue_job",
        "norm",
        {
            "connections": [CONNECTION],
            "default_arguments": ARGUMENTS,
            "id": JOB,
            "name": JOB,
            "non_overridable_arguments": None,
            "number_of_workers": 2,
            "role_arn": f.role_arn,
            "security_configuration": SECURITY_CONFIGURATION,
            "tags": TAGS,
            "tags_all": TAGS,
            "worker_type": "G.1X",
        },
        {
            "name": _const(JOB),
            "connections": {"references": [f"{connection}.name", connection]},
            "role_arn": _ref(role, "arn"),
            "security_configuration": _ref("aws_glue_security_configuration.this", "name"),
        },
    )
    return p.plan()


# -- both sides ----------------------------------------------------------------------------


@dataclass
class BothSides:
    facts: Facts
    live: Deployment
    plan: Deployment


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BothSides]:
    with pytest.MonkeyPatch.context() as mp, mock_aws():
        aws_test_env(mp, tmp_path_factory.mktemp("aws"))
        clients = make_clients()
        facts = _create(clients)
        live = deployment_from_aws([JOB], clients, REGION)
        yield BothSides(facts, live, deployment_from_plan(_equivalent_plan(facts), source="plan:norm"))


def _rules(d: Deployment, sg: str) -> Counter[SecurityGroupRule]:
    return Counter(dataclasses.replace(r, source="") for r in d.security_groups[sg].rules)


def _role(d: Deployment) -> Role:
    return d.roles[d.jobs[JOB].role or ""]


def _problems(role: Role) -> list[str]:
    """Why a policy could not be read, without the policy's name (an ARN live, an address in a plan)."""
    return sorted(reason.rsplit(": ", 1)[-1] for reason in role.unreadable)


def test_live_side_holds_the_created_rules(both: BothSides) -> None:
    """The live model is checked against the facts as created, so the comparison below cannot agree on nothing."""
    f = both.facts
    rules = _rules(both.live, f.sg_glue)
    assert rules == Counter(
        [
            SecurityGroupRule("ingress", "tcp", 0, 65535, referenced_security_group_id=f.sg_glue),
            SecurityGroupRule("ingress", "icmp", None, None, cidr_ipv4="0.0.0.0/0"),
            SecurityGroupRule("ingress", "-1", None, None, referenced_security_group_id=f.sg_peer),
            SecurityGroupRule("ingress", "udp", 53, 53, cidr_ipv4="10.30.0.0/16"),
            SecurityGroupRule("ingress", "tcp", 8080, 8090, cidr_ipv6="::/0"),
            SecurityGroupRule("egress", "tcp", 443, 443, prefix_list_id=f.prefix_list),
            SecurityGroupRule("egress", "-1", None, None, referenced_security_group_id=f.sg_glue),
        ]
    )
    assert _rules(both.live, f.sg_inline) == Counter(
        [
            SecurityGroupRule("ingress", "tcp", 22, 22, cidr_ipv4="10.0.0.0/8"),
            SecurityGroupRule("ingress", "-1", None, None, referenced_security_group_id=f.sg_inline),
            SecurityGroupRule("ingress", "udp", 1000, 2000, referenced_security_group_id=f.sg_peer),
            SecurityGroupRule("egress", "-1", None, None, cidr_ipv4="0.0.0.0/0"),
        ]
    )
    role = _role(both.live)
    assert len(role.statements) == 4  # 3 inline + the customer policy's Allow; its NotAction is unreadable
    assert _problems(role) == ["a NotAction/NotResource statement cannot be represented"]


@pytest.mark.parametrize("group", ["sg_glue", "sg_inline"])
def test_security_group_rules_are_the_same_from_both_adapters(both: BothSides, group: str) -> None:
    sg = getattr(both.facts, group)
    assert _rules(both.plan, sg) == _rules(both.live, sg)
    assert both.plan.security_groups[sg].vpc_id == both.live.security_groups[sg].vpc_id == both.facts.vpc
    assert both.plan.security_groups[sg].rules_complete and both.live.security_groups[sg].rules_complete


def test_role_statements_and_unreadable_reasons_are_the_same(both: BothSides) -> None:
    live, plan = _role(both.live), _role(both.plan)
    assert sorted(map(repr, plan.statements)) == sorted(map(repr, live.statements))
    assert _problems(plan) == _problems(live)
    assert plan.arn == live.arn == both.facts.role_arn


def test_job_connection_and_security_configuration_are_the_same(both: BothSides) -> None:
    live, plan = both.live, both.plan
    fields = ("connections", "arguments", "tags", "security_configuration", "worker_type", "number_of_workers")
    assert {k: getattr(plan.jobs[JOB], k) for k in fields} == {k: getattr(live.jobs[JOB], k) for k in fields}
    assert (plan.jobs[JOB].unknown, live.jobs[JOB].unknown) == (set(), set())
    # moto's GetConnection omits ConnectionType (a gap on the live side), so the type is left out here.
    fields = ("physical", "subnet_id", "security_group_ids", "availability_zone", "property_names", "secret")
    assert {k: getattr(plan.connections[CONNECTION], k) for k in fields} == {
        k: getattr(live.connections[CONNECTION], k) for k in fields
    }
    assert plan.security_configurations == live.security_configurations


def test_network_around_the_connection_is_the_same(both: BothSides) -> None:
    f, live, plan = both.facts, both.live, both.plan
    assert plan.vpcs[f.vpc] == live.vpcs[f.vpc]
    fields = ("vpc_id", "availability_zone", "cidr_block", "tags")
    assert {k: getattr(plan.subnets[f.subnet], k) for k in fields} == {
        k: getattr(live.subnets[f.subnet], k) for k in fields
    }
    fields = ("vpc_id", "service_name", "endpoint_type", "prefix_list_id")
    assert {k: getattr(plan.vpc_endpoints[f.s3_endpoint], k) for k in fields} == {
        k: getattr(live.vpc_endpoints[f.s3_endpoint], k) for k in fields
    }
    assert live.vpc_endpoints[f.s3_endpoint].prefix_list_id == f.prefix_list

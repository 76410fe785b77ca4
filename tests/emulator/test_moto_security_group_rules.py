"""Patch (h): DescribeSecurityGroupRules returns the Description of every kind of rule.

The first two tests fail on unpatched moto 5.2.5 (GLUE_NETCHECK_NO_MOTO_PATCHES=1): moto keeps
the Description of CIDR rules only, so the vpc module's self-referencing ingress rule shows
`+ description` on every plan after apply. The third guards the CIDR case the patch must keep.
"""

import uuid

import pytest

from harness.emulator import MotoEmulator

pytestmark = pytest.mark.emulator


@pytest.fixture
def ec2(emulator: MotoEmulator):
    return emulator.client("ec2")


@pytest.fixture
def group_id(ec2) -> str:
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    return ec2.create_security_group(GroupName=f"rules-{uuid.uuid4().hex[:8]}", Description="t", VpcId=vpc_id)[
        "GroupId"
    ]


def rules_of(ec2, group_id: str) -> list[dict]:
    return ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"]


def test_self_referencing_ingress_rule_keeps_its_description(ec2, group_id):
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 0,
                "ToPort": 65535,
                "UserIdGroupPairs": [{"GroupId": group_id, "Description": "Glue driver <-> executors"}],
            }
        ],
    )

    (rule,) = [r for r in rules_of(ec2, group_id) if not r["IsEgress"]]
    assert rule["ReferencedGroupInfo"]["GroupId"] == group_id
    assert rule["Description"] == "Glue driver <-> executors"


def test_self_referencing_and_prefix_list_egress_rules_keep_their_descriptions(ec2, group_id, emulator):
    s3_list = next(
        p["PrefixListId"]
        for p in ec2.describe_prefix_lists()["PrefixLists"]
        if p["PrefixListName"] == f"com.amazonaws.{emulator.region}.s3"
    )
    ec2.authorize_security_group_egress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 0,
                "ToPort": 65535,
                "UserIdGroupPairs": [{"GroupId": group_id, "Description": "self egress"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "PrefixListIds": [{"PrefixListId": s3_list, "Description": "HTTPS to S3"}],
            },
        ],
    )

    egress = {
        (r.get("ReferencedGroupInfo") or {}).get("GroupId") or r.get("PrefixListId") or r.get("CidrIpv4"): r
        for r in rules_of(ec2, group_id)
        if r["IsEgress"]
    }
    assert egress[group_id]["Description"] == "self egress"
    assert egress[s3_list]["Description"] == "HTTPS to S3"
    # The default all-traffic egress rule has no description, and must not get one.
    assert "Description" not in egress["0.0.0.0/0"]


def test_cidr_rule_description_is_unchanged(ec2, group_id):
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "c"}],
            }
        ],
    )

    (rule,) = [r for r in rules_of(ec2, group_id) if not r["IsEgress"]]
    assert rule["Description"] == "c"

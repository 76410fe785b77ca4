"""harness.vpc_facts can fail: a good network built with boto3 passes every fact, each broken one fails its own.

The networks are made on the run's backend (moto, LocalStack, a sandbox) with plain API calls, no
Terraform, so the verifier is shown to read each backend's answers, and removed after each test.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from harness.backends import Backend
from harness.constants import RUN_TAG_KEY
from harness.vpc_facts import Network, verify_network

pytestmark = [pytest.mark.integration]

CIDR = "10.77.0.0/16"
SUBNET_CIDR = "10.77.1.0/24"  # 251 free IPs on AWS


@dataclass
class Built:
    net: Network
    table_id: str
    s3_endpoint_id: str
    kms_endpoint_id: str
    endpoint_group_id: str
    subnet_id: str


def _tags(kind: str, run: str) -> list[dict[str, Any]]:
    # The run tag: should a test die before its clean-up, the sweeper finds the VPC by it.
    return [{"ResourceType": kind, "Tags": [{"Key": RUN_TAG_KEY, "Value": run}, {"Key": "Name", "Value": run}]}]


@pytest.fixture
def ec2(backend: Backend) -> Any:
    if backend.missing("ec2"):
        pytest.skip(backend.missing("ec2"))
    return backend.client("ec2")


@pytest.fixture
def built(backend: Backend, ec2: Any, run_token: str) -> Iterator[Built]:
    """A network that meets every fact: DNS on, self all-TCP in, all out, S3 gateway endpoint, KMS endpoint."""
    run = f"gnt-{run_token}-facts-{uuid.uuid4().hex[:4]}"
    vpc_id = ec2.create_vpc(CidrBlock=CIDR, TagSpecifications=_tags("vpc", run))["Vpc"]["VpcId"]
    try:
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock=SUBNET_CIDR, AvailabilityZone=f"{backend.region}a")[
            "Subnet"
        ]["SubnetId"]
        table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
        s3 = ec2.create_vpc_endpoint(
            VpcId=vpc_id,
            ServiceName=f"com.amazonaws.{backend.region}.s3",
            VpcEndpointType="Gateway",
            RouteTableIds=[table_id],
        )["VpcEndpoint"]["VpcEndpointId"]
        group_id = ec2.create_security_group(GroupName=f"{run}-glue", Description="glue", VpcId=vpc_id)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group_id,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": group_id}]}
            ],
        )
        endpoint_group = ec2.create_security_group(GroupName=f"{run}-endpoints", Description="e", VpcId=vpc_id)[
            "GroupId"
        ]
        ec2.authorize_security_group_ingress(
            GroupId=endpoint_group,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": CIDR}]}],
        )
        kms = ec2.create_vpc_endpoint(
            VpcId=vpc_id,
            ServiceName=f"com.amazonaws.{backend.region}.kms",
            VpcEndpointType="Interface",
            SubnetIds=[subnet_id],
            SecurityGroupIds=[endpoint_group],
            PrivateDnsEnabled=True,
        )["VpcEndpoint"]["VpcEndpointId"]
        net = Network(vpc_id, (subnet_id,), group_id, backend.region, needed_ips=3)
        yield Built(net, table_id, s3, kms, endpoint_group, subnet_id)
    finally:
        _remove_vpc(ec2, vpc_id)


def _remove_vpc(ec2: Any, vpc_id: str) -> None:
    in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    endpoints = [e["VpcEndpointId"] for e in ec2.describe_vpc_endpoints(Filters=in_vpc)["VpcEndpoints"]]
    if endpoints:
        ec2.delete_vpc_endpoints(VpcEndpointIds=endpoints)
    for gateway in ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])[
        "InternetGateways"
    ]:
        ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
    for subnet in ec2.describe_subnets(Filters=in_vpc)["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    for table in ec2.describe_route_tables(Filters=in_vpc)["RouteTables"]:
        if not any(a.get("Main") for a in table.get("Associations", [])):
            for association in table.get("Associations", []):
                ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
            ec2.delete_route_table(RouteTableId=table["RouteTableId"])
    groups = [g for g in ec2.describe_security_groups(Filters=in_vpc)["SecurityGroups"] if g["GroupName"] != "default"]
    for group in groups:  # rules first: the groups reference each other
        if group.get("IpPermissions"):
            ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=group["IpPermissions"])
    for group in groups:
        ec2.delete_security_group(GroupId=group["GroupId"])
    ec2.delete_vpc(VpcId=vpc_id)


def facts(backend: Backend, net: Network) -> dict[str, Any]:
    return {f.name: f for f in verify_network(backend.client, net)}


def test_a_network_that_meets_every_fact_passes_them_all(backend: Backend, built: Built):
    result = facts(backend, built.net)

    assert {name: f.ok for name, f in result.items()} == dict.fromkeys(result, True), [str(f) for f in result.values()]


def test_self_ingress_fails_when_the_self_rule_covers_one_port_only(backend: Backend, ec2: Any, built: Built):
    group = built.net.group_id
    ec2.revoke_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": group}]}],
    )
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 7077, "ToPort": 7077, "UserIdGroupPairs": [{"GroupId": group}]}
        ],
    )

    fact = facts(backend, built.net)["self_ingress"]

    assert fact.ok is False
    assert "no inbound rule for all TCP from itself" in fact.detail and "tcp 7077-7077" in fact.detail


def test_egress_fails_without_outbound_rules_and_passes_with_self_plus_https_to_s3(
    backend: Backend, ec2: Any, built: Built
):
    group = built.net.group_id
    ec2.revoke_security_group_egress(
        GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )

    assert facts(backend, built.net)["egress"].ok is False
    assert "allows neither all outbound traffic" in facts(backend, built.net)["egress"].detail

    s3_list = next(
        p["PrefixListId"]
        for p in ec2.describe_prefix_lists()["PrefixLists"]
        if p["PrefixListName"] == f"com.amazonaws.{backend.region}.s3"
    )
    ec2.authorize_security_group_egress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": group}]},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": s3_list}]},
        ],
    )
    fact = facts(backend, built.net)["egress"]
    assert fact.ok is True and "HTTPS to the S3 prefix list" in fact.detail


def test_s3_route_fails_when_the_endpoint_leaves_the_route_table(backend: Backend, ec2: Any, built: Built):
    ec2.modify_vpc_endpoint(VpcEndpointId=built.s3_endpoint_id, RemoveRouteTableIds=[built.table_id])

    fact = facts(backend, built.net)["s3_route"]

    assert fact.ok is False
    assert "neither the S3 gateway endpoint nor a NAT route" in fact.detail and built.subnet_id in fact.detail


def test_s3_route_fails_when_the_subnet_routes_to_an_internet_gateway(backend: Backend, ec2: Any, built: Built):
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=built.net.vpc_id)
    ec2.create_route(RouteTableId=built.table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)

    fact = facts(backend, built.net)["s3_route"]

    assert fact.ok is False and "internet gateway: not private" in fact.detail


def test_dns_fails_with_hostnames_off(backend: Backend, ec2: Any, built: Built):
    ec2.modify_vpc_attribute(VpcId=built.net.vpc_id, EnableDnsHostnames={"Value": False})

    fact = facts(backend, built.net)["dns"]

    assert fact.ok is False and fact.detail.endswith("enableDnsHostnames off")


def test_subnet_capacity_fails_when_the_job_needs_more_ips_than_are_free(backend: Backend, built: Built):
    free = facts(backend, built.net)["subnet_capacity"]
    assert free.ok is True

    fact = facts(backend, replace(built.net, needed_ips=251))["subnet_capacity"]

    assert fact.ok is False and "need more than 251 free IPs" in fact.detail


def test_endpoint_groups_fail_when_the_endpoint_group_admits_no_https(backend: Backend, ec2: Any, built: Built):
    ec2.revoke_security_group_ingress(
        GroupId=built.endpoint_group_id,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": CIDR}]}],
    )

    fact = facts(backend, built.net)["endpoint_groups"]

    assert fact.ok is False and "do not admit HTTPS from" in fact.detail


def test_endpoint_groups_fail_when_an_endpoint_has_private_dns_off(backend: Backend, ec2: Any, built: Built):
    logs = ec2.create_vpc_endpoint(
        VpcId=built.net.vpc_id,
        ServiceName=f"com.amazonaws.{backend.region}.logs",
        VpcEndpointType="Interface",
        SubnetIds=[built.subnet_id],
        SecurityGroupIds=[built.endpoint_group_id],
        PrivateDnsEnabled=False,
    )["VpcEndpoint"]["VpcEndpointId"]

    fact = facts(backend, built.net)["endpoint_groups"]

    assert fact.ok is False and f"{logs} (com.amazonaws.{backend.region}.logs): private DNS off" in fact.detail
    assert built.kms_endpoint_id not in fact.detail


def test_endpoint_groups_have_nothing_to_check_without_interface_endpoints(backend: Backend, ec2: Any, built: Built):
    ec2.delete_vpc_endpoints(VpcEndpointIds=[built.kms_endpoint_id])

    fact = facts(backend, built.net)["endpoint_groups"]

    assert fact.ok is None and "no interface endpoint" in fact.detail

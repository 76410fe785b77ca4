"""A VPC prepared for Glue, judged by the catalogue (deployment_from_vpc): a good network built with boto3
passes every network rule, and each broken one fails its own rule with its message.

The networks are made on the run's backend (moto, LocalStack, a sandbox) with plain API calls, no
Terraform, so the verifier is shown to read each backend's answers, and removed after each test.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from glue_netcheck import Report, run_rules
from glue_netcheck.live_adapter import NETWORK_RULES, deployment_from_vpc
from harness.backends import Backend
from harness.constants import RUN_TAG_KEY

pytestmark = [pytest.mark.integration]

CIDR = "10.77.0.0/16"
SUBNET_CIDR = "10.77.1.0/24"  # 251 free IPs on AWS


@dataclass
class Network:
    vpc_id: str
    subnet_ids: tuple[str, ...]
    group_id: str


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
        net = Network(vpc_id, (subnet_id,), group_id)
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


def judge(backend: Backend, net: Network, workers: int = 2) -> Report:
    deployment = deployment_from_vpc(
        net.vpc_id,
        {"ec2": backend.client("ec2")},
        backend.region,
        security_group_ids=[net.group_id],
        subnet_ids=net.subnet_ids,
        workers=workers,
    )
    return run_rules(deployment, only=NETWORK_RULES)


def failures(report: Report, rule_id: str) -> list[str]:
    return [f.message for f in report.failures if f.rule_id == rule_id]


def test_a_network_that_meets_every_rule_passes_them_all(backend: Backend, built: Built):
    report = judge(backend, built.net)

    assert {r.rule.id: r.outcome.value for r in report.results} == dict.fromkeys(NETWORK_RULES, "passed"), [
        str(f) for f in report.findings
    ]


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

    (message,) = failures(judge(backend, built.net), "GNET006")

    assert "opens all TCP ports (0-65535) to traffic from its own members" in message and "tcp 7077-7077" in message


def test_egress_fails_without_outbound_rules_and_passes_with_self_plus_https_to_s3(
    backend: Backend, ec2: Any, built: Built
):
    group = built.net.group_id
    ec2.revoke_security_group_egress(
        GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )

    (message,) = failures(judge(backend, built.net), "GNET007")
    assert "allows all TCP to the connection's own ENIs together with HTTPS to S3" in message

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
    assert judge(backend, built.net).outcome_of("GNET007").value == "passed"


def test_s3_route_fails_when_the_endpoint_leaves_the_route_table(backend: Backend, ec2: Any, built: Built):
    ec2.modify_vpc_endpoint(VpcEndpointId=built.s3_endpoint_id, RemoveRouteTableIds=[built.table_id])
    # AWS takes the endpoint's route out of the table with the association; moto 5.2.5 leaves it behind.
    (table,) = ec2.describe_route_tables(RouteTableIds=[built.table_id])["RouteTables"]
    for route in table["Routes"]:
        if route.get("GatewayId") == built.s3_endpoint_id and route.get("DestinationPrefixListId"):
            ec2.delete_route(RouteTableId=built.table_id, DestinationPrefixListId=route["DestinationPrefixListId"])

    (message,) = failures(judge(backend, built.net), "GNET008")

    assert "has no S3 gateway endpoint and no NAT route" in message and built.subnet_id in message


def test_a_subnet_that_routes_to_an_internet_gateway_fails_as_not_private(backend: Backend, ec2: Any, built: Built):
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=built.net.vpc_id)
    ec2.create_route(RouteTableId=built.table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)

    (message,) = failures(judge(backend, built.net), "GNET009")

    assert "routes 0.0.0.0/0 to an internet gateway" in message


def test_dns_fails_with_hostnames_off(backend: Backend, ec2: Any, built: Built):
    ec2.modify_vpc_attribute(VpcId=built.net.vpc_id, EnableDnsHostnames={"Value": False})

    (message,) = failures(judge(backend, built.net), "GNET010")

    assert message.startswith("enable_dns_hostnames off")


def test_subnet_capacity_fails_when_the_job_needs_more_ips_than_are_free(backend: Backend, built: Built):
    assert judge(backend, built.net).outcome_of("GNET011").value == "passed"

    (message,) = failures(judge(backend, built.net, workers=250), "GNET011")

    assert "not more than the 250 workers + driver = 251 ENIs" in message


def test_an_endpoint_whose_group_admits_no_https_is_unreachable(backend: Backend, ec2: Any, built: Built):
    ec2.revoke_security_group_ingress(
        GroupId=built.endpoint_group_id,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": CIDR}]}],
    )

    (message,) = failures(judge(backend, built.net), "GNET014")

    assert "the job needs kms" in message and "do not admit TCP 443 from" in message


def test_an_endpoint_with_private_dns_off_is_unreachable(backend: Backend, ec2: Any, built: Built):
    logs = ec2.create_vpc_endpoint(
        VpcId=built.net.vpc_id,
        ServiceName=f"com.amazonaws.{backend.region}.logs",
        VpcEndpointType="Interface",
        SubnetIds=[built.subnet_id],
        SecurityGroupIds=[built.endpoint_group_id],
        PrivateDnsEnabled=False,
    )["VpcEndpoint"]["VpcEndpointId"]

    (message,) = failures(judge(backend, built.net), "GNET014")

    assert f"endpoint {logs} has private DNS off" in message and built.kms_endpoint_id not in message


def test_without_interface_endpoints_the_job_needs_no_api_route(backend: Backend, ec2: Any, built: Built):
    ec2.delete_vpc_endpoints(VpcEndpointIds=[built.kms_endpoint_id])

    report = judge(backend, built.net)

    assert report.outcome_of("GNET014").value == "passed" and not failures(report, "GNET014")

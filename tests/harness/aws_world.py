"""A moto-backed AWS world for the live adapter and CLI tests.

``build_world`` creates one VPC set up as the Glue guide asks, with the facts the
rule catalogue reads from a live account, and a few jobs that are right or wrong
in one known way each. ``World`` holds every id it created, so the tests compare
what the adapter read against what was created, never against the adapter's own
output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from glue_netcheck.model import GLUE_SUBNET_TAG, NETWORK_MODE_TAG

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
SERVICES = ("glue", "ec2", "iam", "sts")
GLUE_SERVICE_ROLE = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
CUSTOMER_POLICY_DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/*"}],
}
INLINE_POLICY_DOC = {
    "Version": "2012-10-17",
    "Statement": {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"},
}
# Only the network-interface lifecycle: enough for GNET012, short of GNET015's describe actions.
ENI_ONLY_POLICY_DOC = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces"],
            "Resource": "*",
        }
    ],
}
ASSUME_GLUE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
KMS_EVERYWHERE = {
    "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1"}],
    "CloudWatchEncryption": {
        "CloudWatchEncryptionMode": "SSE-KMS",
        "KmsKeyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1",
    },
    "JobBookmarksEncryption": {
        "JobBookmarksEncryptionMode": "CSE-KMS",
        "KmsKeyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1",
    },
}
SECRET_ARN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:orders-db-AbCdEf"
COMMAND = {"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py", "PythonVersion": "3"}


@dataclass
class World:
    """Ids of everything ``build_world`` created."""

    vpc: str
    peer_vpc: str
    subnet_a: str
    subnet_b: str
    subnet_c: str  # routes 0.0.0.0/0 to a transit gateway
    subnet_public: str
    main_rtb: str
    rtb_a: str  # S3 gateway endpoint only
    rtb_b: str  # S3 gateway endpoint and a NAT route
    transit_rtb: str
    public_rtb: str
    s3_endpoint: str
    s3_prefix_list: str  # the AWS-managed prefix list of com.amazonaws.<region>.s3
    kms_endpoint: str  # interface endpoint, private DNS on
    secrets_endpoint: str  # interface endpoint, private DNS off
    igw: str
    nat: str
    tgw: str
    peering: str
    sg: str  # the jobs' group: self all-TCP in, all out
    endpoint_sg: str  # the interface endpoints' group: TCP 443 from ``sg``
    role_arn: str
    narrow_role_arn: str
    customer_policy_arn: str
    good_job: str = "etl-good"  # tagged vpc, KMS security configuration, two NETWORK connections
    before_job: str = "etl-before"  # the seed's --vpc-* arguments, no connection
    dangling_job: str = "etl-dangling"  # a CATALOG_ID:NAME entry
    s3_only_job: str = "etl-s3-only"  # tagged none, no connection
    jdbc_job: str = "etl-jdbc"  # JDBC connection with SECRET_ID; Secrets Manager endpoint has private DNS off
    warn_job: str = "etl-warn"  # role with the ENI lifecycle but none of the describe actions
    transit_job: str = "etl-transit"  # connection subnet routes to a transit gateway
    untagged_job: str = "etl-untagged"  # no connection, no tag, no --vpc-* argument
    security_configuration: str = "kms-everywhere"
    connections: tuple[str, ...] = ("glue-net-b", "glue-net-a")
    jdbc_connection: str = "orders-db"
    transit_connection: str = "glue-net-transit"


def build_world(clients: dict[str, Any]) -> World:
    ec2, iam, glue = clients["ec2"], clients["iam"], clients["glue"]
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    main_rtb = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]
    )["RouteTables"][0]["RouteTableId"]

    def subnet(cidr: str, az: str, glue_subnet: bool = False) -> str:
        tags = [{"ResourceType": "subnet", "Tags": [{"Key": GLUE_SUBNET_TAG, "Value": "true"}]}] if glue_subnet else []
        return ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az, TagSpecifications=tags)["Subnet"][
            "SubnetId"
        ]

    subnet_a = subnet("10.20.1.0/24", f"{REGION}a", glue_subnet=True)
    subnet_b = subnet("10.20.2.0/24", f"{REGION}b", glue_subnet=True)
    subnet_c = subnet("10.20.3.0/24", f"{REGION}c")
    subnet_public = subnet("10.20.100.0/24", f"{REGION}a")

    def table(*subnets: str) -> str:
        rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        for s in subnets:
            ec2.associate_route_table(RouteTableId=rtb, SubnetId=s)
        return rtb

    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_rtb = table(subnet_public)
    ec2.create_route(RouteTableId=public_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet_public, AllocationId=eip)["NatGateway"]["NatGatewayId"]

    rtb_a = table(subnet_a)
    rtb_b = table(subnet_b)
    ec2.create_route(RouteTableId=rtb_b, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    s3_endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", VpcEndpointType="Gateway", RouteTableIds=[rtb_a, rtb_b]
    )["VpcEndpoint"]["VpcEndpointId"]
    s3_prefix_list = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [f"com.amazonaws.{REGION}.s3"]}]
    )["PrefixLists"][0]["PrefixListId"]

    # Traffic leaving through a transit gateway or a peering: the model records it, the rules do not follow it.
    tgw = ec2.create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
    peer_vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    peering = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer_vpc)["VpcPeeringConnection"][
        "VpcPeeringConnectionId"
    ]
    transit_rtb = table(subnet_c)
    ec2.create_route(RouteTableId=transit_rtb, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=tgw)
    ec2.create_route(RouteTableId=transit_rtb, DestinationCidrBlock="10.99.0.0/16", VpcPeeringConnectionId=peering)

    sg = ec2.create_security_group(GroupName="glue-jobs", Description="Glue jobs", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": sg}]}],
    )
    endpoint_sg = ec2.create_security_group(GroupName="endpoints", Description="Interface endpoints", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=endpoint_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": sg}]}],
    )

    def interface_endpoint(service: str, private_dns: bool) -> str:
        return ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName=f"com.amazonaws.{REGION}.{service}",
            VpcEndpointType="Interface",
            SubnetIds=[subnet_a, subnet_b],
            SecurityGroupIds=[endpoint_sg],
            PrivateDnsEnabled=private_dns,
        )["VpcEndpoint"]["VpcEndpointId"]

    kms_endpoint = interface_endpoint("kms", private_dns=True)
    secrets_endpoint = interface_endpoint("secretsmanager", private_dns=False)

    def role(name: str) -> str:
        return iam.create_role(RoleName=name, Path="/service-role/", AssumeRolePolicyDocument=json.dumps(ASSUME_GLUE))[
            "Role"
        ]["Arn"]

    role_arn = role("glue-job-role")
    iam.attach_role_policy(RoleName="glue-job-role", PolicyArn=GLUE_SERVICE_ROLE)
    customer_policy_arn = iam.create_policy(
        PolicyName="glue-data-access", PolicyDocument=json.dumps(CUSTOMER_POLICY_DOC)
    )["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="glue-job-role", PolicyArn=customer_policy_arn)
    iam.put_role_policy(RoleName="glue-job-role", PolicyName="logs", PolicyDocument=json.dumps(INLINE_POLICY_DOC))
    narrow_role_arn = role("glue-narrow-role")
    iam.put_role_policy(RoleName="glue-narrow-role", PolicyName="eni", PolicyDocument=json.dumps(ENI_ONLY_POLICY_DOC))

    glue.create_security_configuration(Name="kms-everywhere", EncryptionConfiguration=KMS_EVERYWHERE)

    def connection(name: str, kind: str, subnet_id: str, az: str, properties: dict[str, str]) -> None:
        glue.create_connection(
            ConnectionInput={
                "Name": name,
                "ConnectionType": kind,
                "ConnectionProperties": properties,
                "PhysicalConnectionRequirements": {
                    "SubnetId": subnet_id,
                    "SecurityGroupIdList": [sg],
                    "AvailabilityZone": az,
                },
            }
        )

    connection("glue-net-a", "NETWORK", subnet_a, f"{REGION}a", {})
    connection("glue-net-b", "NETWORK", subnet_b, f"{REGION}b", {})
    connection("glue-net-transit", "NETWORK", subnet_c, f"{REGION}c", {})
    connection(
        "orders-db",
        "JDBC",
        subnet_a,
        f"{REGION}a",
        {"JDBC_CONNECTION_URL": "jdbc:postgresql://orders.internal:5432/orders", "SECRET_ID": SECRET_ARN},
    )

    def job(name: str, role_arn: str, **kwargs: Any) -> None:
        glue.create_job(Name=name, Role=role_arn, Command=COMMAND, GlueVersion="4.0", WorkerType="G.1X", **kwargs)

    vpc_tag = {NETWORK_MODE_TAG: "vpc"}
    job(
        "etl-good",
        role_arn,
        Connections={"Connections": ["glue-net-b", "glue-net-a"]},
        DefaultArguments={"--job-language": "python"},
        NumberOfWorkers=10,
        SecurityConfiguration="kms-everywhere",
        Tags=vpc_tag,
    )
    # The seed's "before": VPC intent expressed as script arguments, which Glue ignores.
    job(
        "etl-before",
        role_arn,
        DefaultArguments={"--vpc-subnet-ids": subnet_a, "--vpc-security-group-ids": sg},
        NumberOfWorkers=2,
    )
    # Lists an existing connection and a CATALOG_ID:NAME id (provider issue #21630).
    job(
        "etl-dangling",
        role_arn,
        Connections={"Connections": ["glue-net-a", f"{ACCOUNT}:glue-net-a"]},
        NumberOfWorkers=2,
    )
    job("etl-s3-only", role_arn, NumberOfWorkers=2, Tags={NETWORK_MODE_TAG: "none"})
    job("etl-untagged", role_arn, NumberOfWorkers=2)
    job("etl-jdbc", role_arn, Connections={"Connections": ["orders-db"]}, NumberOfWorkers=2, Tags=vpc_tag)
    job(
        "etl-warn",
        narrow_role_arn,
        Connections={"Connections": ["glue-net-b", "glue-net-a"]},
        NumberOfWorkers=2,
        Tags=vpc_tag,
    )
    job("etl-transit", role_arn, Connections={"Connections": ["glue-net-transit"]}, NumberOfWorkers=2, Tags=vpc_tag)
    return World(
        vpc=vpc,
        peer_vpc=peer_vpc,
        subnet_a=subnet_a,
        subnet_b=subnet_b,
        subnet_c=subnet_c,
        subnet_public=subnet_public,
        main_rtb=main_rtb,
        rtb_a=rtb_a,
        rtb_b=rtb_b,
        transit_rtb=transit_rtb,
        public_rtb=public_rtb,
        s3_endpoint=s3_endpoint,
        s3_prefix_list=s3_prefix_list,
        kms_endpoint=kms_endpoint,
        secrets_endpoint=secrets_endpoint,
        igw=igw,
        nat=nat,
        tgw=tgw,
        peering=peering,
        sg=sg,
        endpoint_sg=endpoint_sg,
        role_arn=role_arn,
        narrow_role_arn=narrow_role_arn,
        customer_policy_arn=customer_policy_arn,
    )


def make_clients(endpoint_url: str | None = None) -> dict[str, Any]:
    return {s: boto3.client(s, region_name=REGION, endpoint_url=endpoint_url) for s in SERVICES}


def inject_error(client: Any, operation: str, code: str, status: int = 400) -> None:
    """Make every call of ``operation`` on ``client`` fail with ``code`` (before moto sees it)."""

    class _Http:
        status_code = status
        headers: dict[str, str] = {}

    def handler(**_: Any) -> tuple[_Http, dict[str, Any]]:
        return _Http(), {
            "Error": {"Code": code, "Message": f"injected {code}"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }

    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(f"before-call.{service}.{operation}", handler)


def aws_test_env(mp: pytest.MonkeyPatch, tmp: Path) -> None:
    """Dummy credentials, no shared config, no IMDS: nothing real is ever used.

    Also makes moto load the AWS managed policies (AWSGlueServiceRole); moto reads
    this when it creates the IAM backend, so it must be set before the first call.
    """
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        mp.delenv(var, raising=False)
    mp.setenv("AWS_ACCESS_KEY_ID", "testing")
    mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp / "no-credentials"))
    mp.setenv("AWS_CONFIG_FILE", str(tmp / "no-config"))
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
    mp.delenv("AWS_REGION", raising=False)
    mp.delenv("AWS_DEFAULT_REGION", raising=False)
    mp.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

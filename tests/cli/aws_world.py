"""A moto-backed AWS world for the live adapter and CLI tests, and throwaway rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from glue_netcheck.catalogue import Finding, Severity
from glue_netcheck.model import Deployment

REGION = "us-east-1"
GLUE_SERVICE_ROLE = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
CUSTOMER_POLICY_DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/*"}],
}
INLINE_POLICY_DOC = {
    "Version": "2012-10-17",
    "Statement": {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"},
}


@dataclass
class World:
    """Ids of everything ``build_world`` created."""

    vpc: str
    subnet_a: str
    subnet_b: str
    subnet_public: str
    main_rtb: str
    private_rtb: str
    public_rtb: str
    s3_endpoint: str
    igw: str
    nat: str
    sg: str
    role_arn: str
    customer_policy_arn: str
    good_job: str = "etl-good"
    before_job: str = "etl-before"
    dangling_job: str = "etl-dangling"
    connections: tuple[str, ...] = ("glue-net-b", "glue-net-a")


def build_world(clients: dict[str, Any]) -> World:
    """A VPC set up as the Glue guide asks, plus a job placed the wrong way ("before")."""
    ec2, iam, glue = clients["ec2"], clients["iam"], clients["glue"]
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    main_rtb = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]
    )["RouteTables"][0]["RouteTableId"]

    def subnet(cidr: str, az: str) -> str:
        return ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]

    subnet_a = subnet("10.20.1.0/24", f"{REGION}a")
    subnet_b = subnet("10.20.2.0/24", f"{REGION}b")
    subnet_public = subnet("10.20.100.0/24", f"{REGION}a")

    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rtb, SubnetId=subnet_public)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet_public, AllocationId=eip)["NatGateway"]["NatGatewayId"]

    private_rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private_rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    for s in (subnet_a, subnet_b):
        ec2.associate_route_table(RouteTableId=private_rtb, SubnetId=s)
    s3_endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[private_rtb],
    )["VpcEndpoint"]["VpcEndpointId"]

    sg = ec2.create_security_group(GroupName="glue-jobs", Description="Glue jobs", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": sg}]}],
    )

    role_arn = iam.create_role(
        RoleName="glue-job-role",
        Path="/service-role/",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "glue.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    iam.attach_role_policy(RoleName="glue-job-role", PolicyArn=GLUE_SERVICE_ROLE)
    customer_policy_arn = iam.create_policy(
        PolicyName="glue-data-access", PolicyDocument=json.dumps(CUSTOMER_POLICY_DOC)
    )["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="glue-job-role", PolicyArn=customer_policy_arn)
    iam.put_role_policy(RoleName="glue-job-role", PolicyName="logs", PolicyDocument=json.dumps(INLINE_POLICY_DOC))

    for name, sn, az in (("glue-net-a", subnet_a, f"{REGION}a"), ("glue-net-b", subnet_b, f"{REGION}b")):
        glue.create_connection(
            ConnectionInput={
                "Name": name,
                "ConnectionType": "NETWORK",
                "ConnectionProperties": {},
                "PhysicalConnectionRequirements": {
                    "SubnetId": sn,
                    "SecurityGroupIdList": [sg],
                    "AvailabilityZone": az,
                },
            }
        )
    command = {"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py", "PythonVersion": "3"}
    glue.create_job(
        Name="etl-good",
        Role=role_arn,
        Command=command,
        Connections={"Connections": ["glue-net-b", "glue-net-a"]},
        DefaultArguments={"--job-language": "python"},
        GlueVersion="4.0",
        WorkerType="G.1X",
        NumberOfWorkers=10,
    )
    # The "before" shape: VPC intent expressed as script arguments, which Glue ignores.
    glue.create_job(
        Name="etl-before",
        Role=role_arn,
        Command=command,
        DefaultArguments={"--vpc-subnet-ids": subnet_a, "--vpc-security-group-ids": sg},
        GlueVersion="4.0",
        WorkerType="G.1X",
        NumberOfWorkers=2,
    )
    # Lists an existing connection and a CATALOG_ID:NAME id (provider issue #21630).
    glue.create_job(
        Name="etl-dangling",
        Role=role_arn,
        Command=command,
        Connections={"Connections": ["glue-net-a", "123456789012:glue-net-a"]},
        GlueVersion="4.0",
        WorkerType="G.1X",
        NumberOfWorkers=2,
    )
    return World(
        vpc=vpc,
        subnet_a=subnet_a,
        subnet_b=subnet_b,
        subnet_public=subnet_public,
        main_rtb=main_rtb,
        private_rtb=private_rtb,
        public_rtb=public_rtb,
        s3_endpoint=s3_endpoint,
        igw=igw,
        nat=nat,
        sg=sg,
        role_arn=role_arn,
        customer_policy_arn=customer_policy_arn,
    )


def make_clients(endpoint_url: str | None = None) -> dict[str, Any]:
    return {s: boto3.client(s, region_name=REGION, endpoint_url=endpoint_url) for s in ("glue", "ec2", "iam")}


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


def outside_vpc(d: Deployment) -> Iterator[Finding]:
    for job in d.jobs.values():
        if job.expects_vpc and not job.connections:
            yield Finding("TEST901", job.name, "job lists no connection", "list a NETWORK connection")


def type_unknown(d: Deployment) -> Iterator[Finding]:
    for conn in d.connections.values():
        if conn.connection_type is None:
            yield Finding(
                "TEST902",
                conn.name,
                "connection type unknown",
                "check the connection type",
                Severity.WARNING,
                "unverifiable",
            )


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

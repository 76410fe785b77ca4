"""The live adapter against in-process moto: the Deployment holds exactly what was created."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from aws_world import GLUE_SERVICE_ROLE, REGION, World, inject_error, make_clients

from glue_netcheck.live_adapter import (
    AccessError,
    AwsClients,
    JobNotFound,
    deployment_from_aws,
    parse_policy_document,
)
from glue_netcheck.model import (
    Connection,
    InternetGateway,
    NatGateway,
    PolicyStatement,
    Route,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)

pytestmark = pytest.mark.cli


def _unsourced(rules: list[SecurityGroupRule]) -> set[SecurityGroupRule]:
    return {dataclasses.replace(r, source="") for r in rules}


def _connection_type_reported(aws: dict[str, Any], name: str) -> bool:
    return bool(aws["glue"].get_connection(Name=name)["Connection"].get("ConnectionType"))


def test_good_job_model_is_exactly_what_was_created(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = deployment_from_aws([w.good_job], aws, REGION)

    assert d.source == f"live:{REGION}" and d.region == REGION
    job = d.jobs[w.good_job]
    assert job.connections == ["glue-net-b", "glue-net-a"]  # listed order, not sorted
    assert (job.worker_type, job.number_of_workers) == ("G.1X", 10)
    assert job.arguments == {"--job-language": "python"}
    assert job.role == "glue-job-role"  # name parsed from .../role/service-role/glue-job-role
    assert job.expects_vpc is True

    assert list(d.connections) == ["glue-net-b", "glue-net-a"]
    assert d.connections["glue-net-a"] == Connection(
        name="glue-net-a",
        connection_type=d.connections["glue-net-a"].connection_type,
        subnet_id=w.subnet_a,
        security_group_ids=[w.sg],
        availability_zone=f"{REGION}a",
        address="glue-net-a",
    )
    assert d.connections["glue-net-b"].subnet_id == w.subnet_b
    assert d.connections["glue-net-b"].availability_zone == f"{REGION}b"

    assert d.subnets == {
        w.subnet_a: Subnet(w.subnet_a, w.vpc, f"{REGION}a", "10.20.1.0/24", 251),
        w.subnet_b: Subnet(w.subnet_b, w.vpc, f"{REGION}b", "10.20.2.0/24", 251),
    }
    assert d.vpcs == {w.vpc: Vpc(w.vpc, "10.20.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)}

    assert set(d.route_tables) == {w.main_rtb, w.private_rtb, w.public_rtb}
    private = d.route_tables[w.private_rtb]
    assert private.subnet_ids == [w.subnet_a, w.subnet_b] and not private.is_main
    assert Route(destination_cidr_block="10.20.0.0/16", gateway_id="local") in private.routes
    assert Route(destination_cidr_block="0.0.0.0/0", nat_gateway_id=w.nat) in private.routes
    [s3_route] = [r for r in private.routes if r.destination_prefix_list_id]
    assert s3_route.vpc_endpoint_id == w.s3_endpoint and s3_route.gateway_id is None
    assert d.route_tables[w.main_rtb].is_main and d.route_tables[w.main_rtb].subnet_ids == []
    assert Route(destination_cidr_block="0.0.0.0/0", gateway_id=w.igw) in d.route_tables[w.public_rtb].routes
    assert d.route_table_for_subnet(w.subnet_a) is private

    assert d.vpc_endpoints == {
        w.s3_endpoint: VpcEndpoint(w.s3_endpoint, w.vpc, f"com.amazonaws.{REGION}.s3", "Gateway", [w.private_rtb])
    }
    assert d.vpc_endpoints[w.s3_endpoint].is_s3_gateway
    assert d.internet_gateways == {w.igw: InternetGateway(w.igw, w.vpc)}
    assert d.nat_gateways == {w.nat: NatGateway(w.nat, w.subnet_public)}

    assert list(d.security_groups) == [w.sg]
    sg = d.security_groups[w.sg]
    assert (sg.vpc_id, sg.name) == (w.vpc, "glue-jobs")
    assert _unsourced(sg.rules) == {
        SecurityGroupRule("ingress", "tcp", 0, 65535, referenced_security_group_id=w.sg),
        SecurityGroupRule("egress", "-1", None, None, cidr_ipv4="0.0.0.0/0"),
    }
    [self_rule] = sg.rules_for("ingress")
    assert self_rule.referenced_security_group_id == sg.id and self_rule.covers_all_tcp
    assert all(r.source.startswith("sgr-") for r in sg.rules)

    role = d.roles["glue-job-role"]
    assert role.arn == w.role_arn and role.complete
    assert role.managed_policy_arns == [GLUE_SERVICE_ROLE, w.customer_policy_arn]
    assert role.statements == [  # customer-managed first, then inline; AWS-managed not expanded
        PolicyStatement("Allow", ["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::data/*"]),
        PolicyStatement("Allow", ["logs:PutLogEvents"], ["*"]),
    ]

    expected_gaps = [
        f"connection {n}: GetConnection returned no ConnectionType (moto omits it); its type cannot be verified"
        for n in ("glue-net-b", "glue-net-a")
        if not _connection_type_reported(aws, n)
    ]
    assert d.gaps == expected_gaps


def test_before_job_keeps_vpc_arguments_and_reads_no_network(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = deployment_from_aws([w.before_job], aws, REGION)
    job = d.jobs[w.before_job]
    assert job.connections == []
    assert job.arguments == {"--vpc-subnet-ids": w.subnet_a, "--vpc-security-group-ids": w.sg}
    assert job.expects_vpc is True
    # Glue ignores those arguments for placement, so neither does the adapter.
    assert (d.connections, d.subnets, d.vpcs, d.security_groups) == ({}, {}, {}, {})
    assert list(d.roles) == ["glue-job-role"] and d.gaps == []


def test_allow_no_vpc_clears_expects_vpc_for_every_job(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = deployment_from_aws([w.before_job, w.good_job], aws, REGION, expect_vpc=False)
    assert [j.expects_vpc for j in d.jobs.values()] == [False, False]


def test_dangling_connection_name_kept_on_job_but_not_modelled(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = deployment_from_aws([w.dangling_job], aws, REGION)
    assert d.jobs[w.dangling_job].connections == ["glue-net-a", "123456789012:glue-net-a"]
    assert list(d.connections) == ["glue-net-a"]
    assert d.connection_by_name("123456789012:glue-net-a") is None


def test_shared_objects_are_read_once_for_several_jobs(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = deployment_from_aws([w.good_job, w.dangling_job, w.before_job], aws, REGION)
    assert list(d.jobs) == [w.good_job, w.dangling_job, w.before_job]
    assert list(d.connections) == ["glue-net-b", "glue-net-a"]
    assert len(d.gaps) == len(set(d.gaps))


def test_accepts_a_boto3_session_and_an_awsclients(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    from_session = deployment_from_aws([w.good_job], boto3.Session(), REGION)
    from_clients = deployment_from_aws([w.good_job], AwsClients(aws["glue"], aws["ec2"], aws["iam"]), REGION)
    assert from_session == from_clients


def test_missing_job_raises_job_not_found_naming_all_missing(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    with pytest.raises(JobNotFound) as info:
        deployment_from_aws(["nope-1", w.good_job, "nope-2"], aws, REGION)
    assert info.value.names == ["nope-1", "nope-2"]
    assert str(info.value) == f"Glue job not found in {REGION}: nope-1, nope-2"


@pytest.mark.parametrize("code", ["AccessDeniedException", "UnrecognizedClientException"])
def test_get_job_denied_or_bad_credentials_is_access_error(aws: dict[str, Any], code: str) -> None:
    clients = make_clients()
    inject_error(clients["glue"], "GetJob", code)
    with pytest.raises(AccessError, match=code):
        deployment_from_aws([aws["world"].good_job], clients, REGION)


def test_rules_fall_back_to_ip_permissions_when_sg_rules_call_unsupported(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    primary = deployment_from_aws([w.good_job], aws, REGION).security_groups[w.sg]
    clients = make_clients()
    inject_error(clients["ec2"], "DescribeSecurityGroupRules", "InvalidAction")
    fallback = deployment_from_aws([w.good_job], clients, REGION).security_groups[w.sg]
    assert _unsourced(fallback.rules) == _unsourced(primary.rules)
    assert {r.source for r in fallback.rules} == {f"{w.sg} IpPermissions", f"{w.sg} IpPermissionsEgress"}


@pytest.mark.parametrize(
    ("client", "operation", "what"),
    [
        ("glue", "GetConnection", "Glue connection glue-net-b"),
        ("ec2", "DescribeRouteTables", "the route tables of vpc-"),
        ("ec2", "DescribeVpcEndpoints", "the VPC endpoints of vpc-"),
    ],
)
def test_reads_whose_absence_is_a_finding_abort(aws: dict[str, Any], client: str, operation: str, what: str) -> None:
    """A listed connection or the route tables read as absent would be a false failure: no verdict instead."""
    clients = make_clients()
    inject_error(clients[client], operation, "AccessDenied", 403)
    with pytest.raises(AccessError, match=f"cannot read {what}.*AccessDenied: injected AccessDenied"):
        deployment_from_aws([aws["world"].good_job], clients, REGION)


def test_unreadable_role_policies_make_role_incomplete(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["iam"], "ListRolePolicies", "AccessDenied", 403)
    inject_error(clients["iam"], "GetPolicyVersion", "AccessDenied", 403)
    role = deployment_from_aws([w.before_job], clients, REGION).roles["glue-job-role"]
    assert role.complete is False
    assert role.managed_policy_arns == [GLUE_SERVICE_ROLE, w.customer_policy_arn]
    assert role.statements == []


def test_unreadable_role_is_incomplete_not_missing(aws: dict[str, Any]) -> None:
    clients = make_clients()
    inject_error(clients["iam"], "GetRole", "AccessDenied", 403)
    d = deployment_from_aws([aws["world"].before_job], clients, REGION)
    assert d.roles["glue-job-role"].complete is False and d.roles["glue-job-role"].arn is None
    assert d.gaps == ["role glue-job-role could not be read: AccessDenied: injected AccessDenied"]


def test_unreadable_details_become_gaps_not_facts(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["ec2"], "DescribeSubnets", "UnauthorizedOperation", 403)
    inject_error(clients["ec2"], "DescribeSecurityGroups", "UnauthorizedOperation", 403)
    d = deployment_from_aws([w.good_job], clients, REGION)
    assert list(d.connections) == ["glue-net-b", "glue-net-a"]
    assert (d.subnets, d.security_groups, d.vpcs) == ({}, {}, {})  # unknown, so the rules cannot fail on them
    assert [g for g in d.gaps if "ConnectionType" not in g] == [
        f"subnet {w.subnet_b} could not be read: UnauthorizedOperation: injected UnauthorizedOperation",
        f"security group {w.sg} could not be read: UnauthorizedOperation: injected UnauthorizedOperation",
        f"subnet {w.subnet_a} could not be read: UnauthorizedOperation: injected UnauthorizedOperation",
    ]


def test_unreadable_dns_attributes_are_unknown(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["ec2"], "DescribeVpcAttribute", "UnauthorizedOperation", 403)
    d = deployment_from_aws([w.good_job], clients, REGION)
    assert d.vpcs[w.vpc] == Vpc(w.vpc, "10.20.0.0/16", None, None)
    assert sum("attribute enableDns" in g for g in d.gaps) == 2


def test_connection_with_names_instead_of_ids_is_not_looked_up(aws: dict[str, Any]) -> None:
    """Provider issue #28941: a subnet/SG *name* where an id belongs stays as given."""
    glue = aws["glue"]
    glue.create_connection(
        ConnectionInput={
            "Name": "by-name",
            "ConnectionType": "NETWORK",
            "ConnectionProperties": {},
            "PhysicalConnectionRequirements": {"SubnetId": "private-a", "SecurityGroupIdList": ["glue-jobs"]},
        }
    )
    glue.create_job(
        Name="etl-by-name",
        Role=aws["world"].role_arn,
        Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py"},
        Connections={"Connections": ["by-name"]},
    )
    d = deployment_from_aws(["etl-by-name"], aws, REGION)
    conn = d.connections["by-name"]
    assert (conn.subnet_id, conn.security_group_ids, conn.availability_zone) == (
        "private-a",
        ["glue-jobs"],
        None,
    )
    assert d.subnets == {} and d.security_groups == {}


def test_parse_policy_document_forms() -> None:
    doc = {"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": ["*"]}]}
    assert parse_policy_document(doc) == ([PolicyStatement("Allow", ["ec2:*"], ["*"])], [])
    encoded = "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22s3%3A%2A%22%7D%7D"
    assert parse_policy_document(encoded) == ([PolicyStatement("Deny", ["s3:*"], [])], [])
    statements, problems = parse_policy_document({"Statement": [{"Effect": "Allow", "NotAction": "iam:*"}]})
    assert statements == [] and problems == ["NotAction/NotResource statement cannot be represented"]
    assert parse_policy_document("not json") == ([], ["policy document is not valid JSON"])

"""The live adapter against in-process moto: the Deployment holds exactly what was created.

Expected values come from ``World`` (the ids the tests created) and from the
documents the tests wrote, never from the adapter. Where moto returns less than
AWS does, the test says so and checks that the adapter records a gap rather than
a wrong fact.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import boto3
import pytest

from glue_netcheck.aws_clients import AwsClients
from glue_netcheck.catalogue import Outcome
from glue_netcheck.errors import AccessError, JobNotFound
from glue_netcheck.live_adapter import deployment_from_aws
from glue_netcheck.model import (
    GLUE_SUBNET_TAG,
    NETWORK_MODE_TAG,
    Deployment,
    InternetGateway,
    NatGateway,
    PolicyStatement,
    Route,
    SecurityConfiguration,
    SecurityGroupRule,
    Subnet,
    Vpc,
)
from glue_netcheck.normalize import grants
from glue_netcheck.rules import CATALOGUE, ENI_LIFECYCLE_ACTIONS
from harness.aws_world import (
    ACCOUNT,
    ASSUME_GLUE,
    CUSTOMER_POLICY_DOC,
    GLUE_SERVICE_ROLE,
    REGION,
    SECRET_ARN,
    World,
    inject_error,
    make_clients,
)

pytestmark = pytest.mark.cli


def _unsourced(rules: list[SecurityGroupRule]) -> set[SecurityGroupRule]:
    return {dataclasses.replace(r, source="") for r in rules}


def _read(aws: dict[str, Any], *jobs: str, clients: Any = None) -> Deployment:
    return deployment_from_aws(list(jobs), clients if clients is not None else aws, REGION)


def _amend_response(client: Any, operation: str, extra: dict[str, Any], key: str) -> None:
    """Add ``extra`` to ``parsed[key]`` of every ``operation`` answer: what AWS returns and moto leaves out."""

    def handler(parsed: dict[str, Any], **_: Any) -> None:
        parsed.get(key, {}).update(extra)

    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(f"after-call.{service}.{operation}", handler)


@pytest.fixture
def good(aws: dict[str, Any]) -> Deployment:
    return _read(aws, aws["world"].good_job)


# -- the job and what it names ---------------------------------------------------------------


def test_job_fields_tags_and_security_configuration(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    assert good.source == f"live:{REGION}" and good.kind == "live" and good.region == REGION
    job = good.jobs[w.good_job]
    assert job.connections == ["glue-net-b", "glue-net-a"]  # listed order, not sorted
    assert (job.worker_type, job.number_of_workers) == ("G.1X", 10)
    assert job.arguments == {"--job-language": "python"} and job.arguments_known
    assert job.role == "glue-job-role"  # the name, parsed from .../role/service-role/glue-job-role
    assert job.tags == {NETWORK_MODE_TAG: "vpc"} and job.tags_known
    assert job.declared_network_mode == "vpc"
    assert job.security_configuration == w.security_configuration
    assert good.security_configurations == {
        w.security_configuration: SecurityConfiguration(w.security_configuration, "SSE-KMS", "SSE-KMS", "CSE-KMS")
    }
    assert good.security_configurations[w.security_configuration].uses_kms is True


def test_job_tagged_none_and_untagged_job(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = _read(aws, w.s3_only_job, w.untagged_job)
    assert d.jobs[w.s3_only_job].tags == {NETWORK_MODE_TAG: "none"}
    assert d.jobs[w.untagged_job].tags == {} and d.jobs[w.untagged_job].tags_known
    assert d.jobs[w.untagged_job].declared_network_mode is None
    assert d.security_configurations == {} and d.connections == {}


def test_job_tags_are_unknown_without_an_account_id(aws: dict[str, Any]) -> None:
    """GetTags needs the job's ARN, hence the account id (sts): without it the tags are a gap, not 'untagged'."""
    w: World = aws["world"]
    d = deployment_from_aws([w.good_job], {k: aws[k] for k in ("glue", "ec2", "iam")}, REGION)
    job = d.jobs[w.good_job]
    assert (job.tags, job.tags_known) == ({}, False)
    assert f"job {w.good_job}: tags not read (no account id), so a declared network mode is unknown" in d.gaps


def test_job_tags_denied_are_unknown(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["glue"], "GetTags", "AccessDeniedException", 403)
    d = _read(aws, w.untagged_job, clients=clients)
    assert d.jobs[w.untagged_job].tags_known is False
    assert d.gaps == [
        f"job {w.untagged_job}: tags could not be read: AccessDeniedException: injected AccessDeniedException"
    ]
    # Without its tags the job's intent is open: GNET001 says so instead of calling it S3-only.
    [finding] = CATALOGUE.run(d).findings
    assert (finding.rule_id, finding.level) == ("GNET001", "unverifiable")
    assert "its tags are known only after apply" in finding.message


def test_unreadable_security_configuration_is_a_gap(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["glue"], "GetSecurityConfiguration", "AccessDeniedException", 403)
    d = _read(aws, w.good_job, clients=clients)
    assert d.jobs[w.good_job].security_configuration == w.security_configuration
    assert d.security_configurations == {}
    assert (
        f"security configuration {w.security_configuration} could not be read: AccessDeniedException: "
        "injected AccessDeniedException"
    ) in d.gaps
    report = CATALOGUE.run(d)
    assert report.outcome_of("GNET014") == Outcome.UNVERIFIABLE
    assert "security configuration kms-everywhere is not visible" in report.unverifiable[0].message


# -- connections -----------------------------------------------------------------------------


def test_connections_in_listed_order_with_physical_requirements(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    assert list(good.connections) == ["glue-net-b", "glue-net-a"]
    for name, subnet, az in (("glue-net-a", w.subnet_a, "a"), ("glue-net-b", w.subnet_b, "b")):
        conn = good.connections[name]
        assert conn.physical and conn.places_job_in_vpc
        assert (conn.subnet_id, conn.security_group_ids, conn.availability_zone) == (subnet, [w.sg], f"{REGION}{az}")
        assert (conn.property_names, conn.secret, conn.address, conn.unknown) == (set(), None, name, set())


def test_jdbc_connection_reads_secret_id(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = _read(aws, w.jdbc_job)
    conn = d.connections[w.jdbc_connection]
    assert conn.property_names == {"JDBC_CONNECTION_URL", "SECRET_ID"}
    assert conn.secret == SECRET_ARN and conn.reads_secret
    assert (conn.subnet_id, conn.security_group_ids, conn.availability_zone) == (w.subnet_a, [w.sg], f"{REGION}a")


def test_connection_type_gap_when_the_api_omits_it(aws: dict[str, Any], good: Deployment) -> None:
    """moto 5.2.5's GetConnection has no ConnectionType: the type is unknown and said so, never guessed."""
    reported = aws["glue"].get_connection(Name="glue-net-a")["Connection"].get("ConnectionType")
    if reported:
        pytest.skip(f"this moto reports ConnectionType ({reported}); the gap cannot be shown")
    assert good.connections["glue-net-a"].connection_type is None
    assert good.gaps == [
        f"connection {n}: GetConnection returned no ConnectionType (moto omits it); its type cannot be verified"
        for n in ("glue-net-b", "glue-net-a")
    ]


def test_connection_type_as_aws_reports_it(aws: dict[str, Any]) -> None:
    """AWS's GetConnection carries ConnectionType; moto's does not, so it is added to moto's answer here."""
    w: World = aws["world"]
    clients = make_clients()
    _amend_response(clients["glue"], "GetConnection", {"ConnectionType": "JDBC"}, "Connection")
    d = _read(aws, w.jdbc_job, clients=clients)
    assert d.connections[w.jdbc_connection].connection_type == "JDBC"
    assert d.gaps == []


def test_connection_secret_from_authentication_configuration(aws: dict[str, Any]) -> None:
    """Newer connections name their secret in AuthenticationConfiguration.SecretArn, which moto does not return.

    With moto alone such a connection reads as using no secret (moto drops the field;
    AWS returns it), so the AWS shape is added to moto's answer to test the adapter.
    """
    glue = aws["glue"]
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:auth-AbCdEf"
    glue.create_connection(
        ConnectionInput={
            "Name": "auth-db",
            "ConnectionType": "JDBC",
            "ConnectionProperties": {"JDBC_CONNECTION_URL": "jdbc:mysql://db.internal:3306/x"},
            "AuthenticationConfiguration": {"AuthenticationType": "BASIC", "SecretArn": secret},
            "PhysicalConnectionRequirements": {
                "SubnetId": aws["world"].subnet_a,
                "SecurityGroupIdList": [aws["world"].sg],
                "AvailabilityZone": f"{REGION}a",
            },
        }
    )
    glue.create_job(
        Name="etl-auth", Role=aws["world"].role_arn, Command={"Name": "glueetl", "ScriptLocation": "s3://s/x.py"},
        Connections={"Connections": ["auth-db"]},
    )  # fmt: skip
    returned = glue.get_connection(Name="auth-db")["Connection"]
    if "AuthenticationConfiguration" in returned:
        assert _read(aws, "etl-auth").connections["auth-db"].secret == secret
        return
    assert _read(aws, "etl-auth").connections["auth-db"].secret is None  # moto's answer lacks the field
    clients = make_clients()
    _amend_response(
        clients["glue"],
        "GetConnection",
        {"AuthenticationConfiguration": {"AuthenticationType": "BASIC", "SecretArn": secret}},
        "Connection",
    )
    conn = _read(aws, "etl-auth", clients=clients).connections["auth-db"]
    assert conn.secret == secret and conn.reads_secret


def test_dangling_connection_name_kept_on_job_but_not_modelled(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = _read(aws, w.dangling_job)
    assert d.jobs[w.dangling_job].connections == ["glue-net-a", f"{ACCOUNT}:glue-net-a"]
    assert list(d.connections) == ["glue-net-a"]


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
    d = _read(aws, "etl-by-name")
    conn = d.connections["by-name"]
    assert (conn.subnet_id, conn.security_group_ids, conn.availability_zone) == ("private-a", ["glue-jobs"], None)
    assert d.subnets == {} and d.security_groups == {}


# -- the network around the connections ----------------------------------------------------


def test_subnets_with_tags_vpc_and_dns(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    glue_tag = {GLUE_SUBNET_TAG: "true"}
    # /24 = 256 - 5 reserved = 251; each interface endpoint (kms, secretsmanager) holds one ENI in a and b.
    assert good.subnets == {
        w.subnet_a: Subnet(w.subnet_a, w.vpc, f"{REGION}a", "10.20.1.0/24", 249, glue_tag),
        w.subnet_b: Subnet(w.subnet_b, w.vpc, f"{REGION}b", "10.20.2.0/24", 249, glue_tag),
    }
    assert good.subnets[w.subnet_a].meant_for_glue
    assert good.vpcs == {w.vpc: Vpc(w.vpc, "10.20.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)}


def test_route_tables_and_their_targets(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    assert set(good.route_tables) == {w.main_rtb, w.rtb_a, w.rtb_b, w.transit_rtb, w.public_rtb}
    local = Route(destination_cidr_block="10.20.0.0/16", gateway_id="local")
    s3 = Route(destination_prefix_list_id=w.s3_prefix_list, vpc_endpoint_id=w.s3_endpoint)
    a, b = good.route_tables[w.rtb_a], good.route_tables[w.rtb_b]
    assert (a.subnet_ids, a.is_main) == ([w.subnet_a], False)
    assert sorted(a.routes, key=repr) == sorted([local, s3], key=repr)
    assert sorted(b.routes, key=repr) == sorted([local, s3, Route("0.0.0.0/0", nat_gateway_id=w.nat)], key=repr)
    assert Route("0.0.0.0/0", gateway_id=w.igw) in good.route_tables[w.public_rtb].routes
    assert good.route_tables[w.main_rtb].is_main and good.route_tables[w.main_rtb].subnet_ids == []
    assert good.route_table_for_subnet(w.subnet_a) is a
    assert good.internet_gateways == {w.igw: InternetGateway(w.igw, w.vpc)}
    assert good.nat_gateways == {w.nat: NatGateway(w.nat, w.subnet_public)}


def test_routes_to_a_transit_gateway_or_peering_are_other_targets(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    routes = good.route_tables[w.transit_rtb].routes
    assert Route("0.0.0.0/0", other_target=f"TransitGatewayId {w.tgw}") in routes
    assert Route("10.99.0.0/16", other_target=f"VpcPeeringConnectionId {w.peering}") in routes


def test_transit_route_leaves_s3_reachability_open(aws: dict[str, Any]) -> None:
    """A route the model does not follow is a gap for GNET008, never 'no route to S3'."""
    w: World = aws["world"]
    report = CATALOGUE.run(_read(aws, w.transit_job))
    assert report.outcome_of("GNET008") == Outcome.UNVERIFIABLE
    [finding] = [f for f in report.unverifiable if f.rule_id == "GNET008"]
    assert finding.resource == w.transit_connection
    assert f"sends 0.0.0.0/0 to TransitGatewayId {w.tgw}, which is not followed" in finding.message
    assert report.outcome_of("GNET009") == Outcome.PASSED


def test_s3_gateway_endpoint_and_its_prefix_list(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    ep = good.vpc_endpoints[w.s3_endpoint]
    assert (ep.vpc_id, ep.service_name, ep.endpoint_type) == (w.vpc, f"com.amazonaws.{REGION}.s3", "Gateway")
    assert ep.is_s3_gateway and sorted(ep.route_table_ids) == sorted([w.rtb_a, w.rtb_b])
    # Read through DescribePrefixLists; the world took it from DescribeManagedPrefixLists.
    assert ep.prefix_list_id == w.s3_prefix_list


def test_unreadable_prefix_list_is_a_gap(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["ec2"], "DescribePrefixLists", "UnauthorizedOperation", 403)
    d = _read(aws, w.good_job, clients=clients)
    assert d.vpc_endpoints[w.s3_endpoint].prefix_list_id is None
    assert (
        f"the prefix list of com.amazonaws.{REGION}.s3 could not be read: UnauthorizedOperation: "
        "injected UnauthorizedOperation"
    ) in d.gaps


def test_interface_endpoints_with_private_dns_groups_and_subnets(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    kms, secrets = good.vpc_endpoints[w.kms_endpoint], good.vpc_endpoints[w.secrets_endpoint]
    assert (kms.service, kms.endpoint_type, kms.private_dns_enabled) == ("kms", "Interface", True)
    assert (secrets.service, secrets.private_dns_enabled) == ("secretsmanager", False)
    for ep in (kms, secrets):
        assert ep.is_interface and ep.vpc_id == w.vpc and ep.unknown == set()
        assert ep.security_group_ids == [w.endpoint_sg]
        assert ep.subnet_ids == [w.subnet_a, w.subnet_b]
    # The endpoints' group is read with its rules: GNET014 needs them.
    group = good.security_groups[w.endpoint_sg]
    assert (group.vpc_id, group.name) == (w.vpc, "endpoints")
    assert _unsourced(group.rules) == {
        SecurityGroupRule("ingress", "tcp", 443, 443, referenced_security_group_id=w.sg),
        SecurityGroupRule("egress", "-1", None, None, cidr_ipv4="0.0.0.0/0"),
    }


def test_security_group_of_the_connections(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    assert set(good.security_groups) == {w.sg, w.endpoint_sg}
    sg = good.security_groups[w.sg]
    assert (sg.vpc_id, sg.name, sg.rules_complete) == (w.vpc, "glue-jobs", True)
    assert _unsourced(sg.rules) == {
        SecurityGroupRule("ingress", "tcp", 0, 65535, referenced_security_group_id=w.sg),
        SecurityGroupRule("egress", "-1", None, None, cidr_ipv4="0.0.0.0/0"),
    }
    assert all(r.source.startswith("sgr-") for r in sg.rules)


def test_rules_fall_back_to_ip_permissions_when_sg_rules_call_unsupported(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    primary = _read(aws, w.good_job).security_groups[w.sg]
    clients = make_clients()
    inject_error(clients["ec2"], "DescribeSecurityGroupRules", "InvalidAction")
    fallback = _read(aws, w.good_job, clients=clients).security_groups[w.sg]
    assert _unsourced(fallback.rules) == _unsourced(primary.rules)
    assert {r.source for r in fallback.rules} == {f"{w.sg} IpPermissions", f"{w.sg} IpPermissionsEgress"}


# -- the role ----------------------------------------------------------------------------------


def test_role_reads_aws_managed_customer_managed_and_inline_policies(aws: dict[str, Any], good: Deployment) -> None:
    w: World = aws["world"]
    role = good.roles["glue-job-role"]
    assert role.arn == w.role_arn and role.complete and role.unreadable == []
    assert role.managed_policy_arns == [GLUE_SERVICE_ROLE, w.customer_policy_arn]
    assert PolicyStatement("Allow", ["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::data/*"]) in role.statements
    assert PolicyStatement("Allow", ["logs:PutLogEvents"], ["*"]) in role.statements
    # AWSGlueServiceRole's published document grants the network-interface lifecycle.
    assert all(grants(role.statements, action) for action in ENI_LIFECYCLE_ACTIONS)
    customer_and_inline = [s for s in role.statements if not any(a.startswith("ec2:") for a in s.actions)]
    assert len(customer_and_inline) < len(role.statements)


def test_not_action_statement_makes_the_role_unreadable_with_the_reason(aws: dict[str, Any]) -> None:
    iam, glue = aws["iam"], aws["glue"]
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, *CUSTOMER_POLICY_DOC["Statement"]],
    }
    iam.create_role(RoleName="not-action-role", AssumeRolePolicyDocument=json.dumps(ASSUME_GLUE))
    iam.put_role_policy(RoleName="not-action-role", PolicyName="broad", PolicyDocument=json.dumps(document))
    glue.create_job(
        Name="etl-not-action", Role="not-action-role", Command={"Name": "glueetl", "ScriptLocation": "s3://s/x.py"}
    )
    d = _read(aws, "etl-not-action")
    role = d.roles["not-action-role"]
    assert role.statements == [PolicyStatement("Allow", ["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::data/*"])]
    reason = "inline policy broad: a NotAction/NotResource statement cannot be represented"
    assert role.unreadable == [reason] and not role.complete
    assert d.gaps == [f"role not-action-role: {reason}"]


def test_unreadable_role_policies_are_listed_as_reasons(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["iam"], "ListRolePolicies", "AccessDenied", 403)
    inject_error(clients["iam"], "GetPolicyVersion", "AccessDenied", 403)
    role = _read(aws, w.before_job, clients=clients).roles["glue-job-role"]
    assert role.managed_policy_arns == [GLUE_SERVICE_ROLE, w.customer_policy_arn]
    assert role.statements == []
    assert role.unreadable == [
        f"policy {GLUE_SERVICE_ROLE} version v{_version(aws, GLUE_SERVICE_ROLE)} could not be read "
        "(AccessDenied: injected AccessDenied)",
        f"policy {w.customer_policy_arn} version v1 could not be read (AccessDenied: injected AccessDenied)",
        "inline policies could not be listed (AccessDenied: injected AccessDenied)",
    ]


def _version(aws: dict[str, Any], arn: str) -> str:
    return aws["iam"].get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"].lstrip("v")


def test_unreadable_role_is_unreadable_not_missing(aws: dict[str, Any]) -> None:
    clients = make_clients()
    inject_error(clients["iam"], "GetRole", "AccessDenied", 403)
    d = _read(aws, aws["world"].before_job, clients=clients)
    role = d.roles["glue-job-role"]
    assert (role.arn, role.statements) == (None, [])
    assert role.unreadable == ["GetRole: AccessDenied: injected AccessDenied"]
    assert d.gaps == ["role glue-job-role could not be read: AccessDenied: injected AccessDenied"]


# -- jobs without a network, several jobs, sessions ------------------------------------------------


def test_before_job_keeps_vpc_arguments_and_reads_no_network(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = _read(aws, w.before_job)
    job = d.jobs[w.before_job]
    assert job.connections == [] and job.connections_known
    assert job.arguments == {"--vpc-subnet-ids": w.subnet_a, "--vpc-security-group-ids": w.sg}
    assert (job.tags, job.tags_known) == ({}, True)
    # Glue ignores those arguments for placement, so neither does the adapter.
    assert (d.connections, d.subnets, d.vpcs, d.security_groups) == ({}, {}, {}, {})
    assert list(d.roles) == ["glue-job-role"] and d.gaps == []


def test_require_vpc_is_recorded(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = deployment_from_aws([w.untagged_job], aws, REGION, require_vpc=[w.untagged_job])
    assert d.required_vpc_jobs == {w.untagged_job}


def test_shared_objects_are_read_once_for_several_jobs(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    d = _read(aws, w.good_job, w.dangling_job, w.before_job, w.warn_job)
    assert list(d.jobs) == [w.good_job, w.dangling_job, w.before_job, w.warn_job]
    assert list(d.connections) == ["glue-net-b", "glue-net-a"]
    assert set(d.roles) == {"glue-job-role", "glue-narrow-role"}
    assert len(d.gaps) == len(set(d.gaps))
    assert len(d.roles["glue-job-role"].statements) == len(_read(aws, w.good_job).roles["glue-job-role"].statements)


def test_accepts_a_boto3_session_and_an_awsclients(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    from_session = deployment_from_aws([w.good_job], boto3.Session(), REGION)
    clients = AwsClients(aws["glue"], aws["ec2"], aws["iam"], aws["sts"])
    assert from_session == deployment_from_aws([w.good_job], clients, REGION) == _read(aws, w.good_job)


def test_missing_job_raises_job_not_found_naming_all_missing(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    with pytest.raises(JobNotFound) as info:
        deployment_from_aws(["nope-1", w.good_job, "nope-2"], aws, REGION)
    assert info.value.names == ["nope-1", "nope-2"]
    assert str(info.value) == f"Glue job not found in {REGION}: nope-1, nope-2"


# -- failed reads --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["AccessDeniedException", "UnrecognizedClientException"])
def test_get_job_denied_or_bad_credentials_is_access_error(aws: dict[str, Any], code: str) -> None:
    clients = make_clients()
    inject_error(clients["glue"], "GetJob", code)
    with pytest.raises(AccessError, match=code):
        deployment_from_aws([aws["world"].good_job], clients, REGION)


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


def test_unreadable_details_become_gaps_not_facts(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["ec2"], "DescribeSubnets", "UnauthorizedOperation", 403)
    inject_error(clients["ec2"], "DescribeSecurityGroups", "UnauthorizedOperation", 403)
    d = _read(aws, w.good_job, clients=clients)
    assert list(d.connections) == ["glue-net-b", "glue-net-a"]
    assert (d.subnets, d.security_groups, d.vpcs) == ({}, {}, {})  # unknown, so the rules cannot fail on them
    assert [g for g in d.gaps if "ConnectionType" not in g] == [
        f"subnet {w.subnet_b} could not be read: UnauthorizedOperation: injected UnauthorizedOperation",
        f"security group {w.sg} could not be read: UnauthorizedOperation: injected UnauthorizedOperation",
        f"subnet {w.subnet_a} could not be read: UnauthorizedOperation: injected UnauthorizedOperation",
    ]
    report = CATALOGUE.run(d)
    assert report.errors == []
    assert {f.rule_id for f in report.unverifiable} >= {"GNET006", "GNET007", "GNET008", "GNET014"}


def test_unreadable_dns_attributes_are_unknown(aws: dict[str, Any]) -> None:
    w: World = aws["world"]
    clients = make_clients()
    inject_error(clients["ec2"], "DescribeVpcAttribute", "UnauthorizedOperation", 403)
    d = _read(aws, w.good_job, clients=clients)
    assert d.vpcs[w.vpc] == Vpc(w.vpc, "10.20.0.0/16", None, None, {"enable_dns_support", "enable_dns_hostnames"})
    assert sum("attribute enableDns" in g for g in d.gaps) == 2
    assert CATALOGUE.run(d).outcome_of("GNET010") == Outcome.UNVERIFIABLE

"""Each rule on hand-built models: silent on a good deployment, firing on one mutation.

These complement the plan-level variants with shapes a plan cannot produce
(live ids, moto's missing ConnectionType, several VPCs) and run in milliseconds.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from glue_netcheck import RULES, run_rules
from glue_netcheck.model import (
    Connection,
    Deployment,
    InternetGateway,
    Job,
    PolicyStatement,
    Role,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)

pytestmark = pytest.mark.unit

SG = "sg-0aaaaaaaaaaaaaaaa"


def good() -> Deployment:
    d = Deployment(source="live:test", region="us-east-1")
    d.vpcs["vpc-1"] = Vpc("vpc-1", "10.0.0.0/16", True, True)
    d.internet_gateways["igw-1"] = InternetGateway("igw-1", "vpc-1")
    for i, az in enumerate(["us-east-1a", "us-east-1b"]):
        d.subnets[f"subnet-p{i}"] = Subnet(f"subnet-p{i}", "vpc-1", az, f"10.0.{i * 16}.0/20", 4091)
        d.subnets[f"subnet-pub{i}"] = Subnet(f"subnet-pub{i}", "vpc-1", az, f"10.0.{128 + i * 16}.0/20", 4091)
        d.route_tables[f"rtb-p{i}"] = RouteTable(
            f"rtb-p{i}", "vpc-1", [f"subnet-p{i}"], [Route("10.0.0.0/16", gateway_id="local")]
        )
        d.connections[f"net-{az}"] = Connection(f"net-{az}", "NETWORK", f"subnet-p{i}", [SG], az)
    d.route_tables["rtb-pub"] = RouteTable(
        "rtb-pub", "vpc-1", ["subnet-pub0", "subnet-pub1"], [Route("0.0.0.0/0", gateway_id="igw-1")]
    )
    d.vpc_endpoints["vpce-s3"] = VpcEndpoint(
        "vpce-s3", "vpc-1", "com.amazonaws.us-east-1.s3", "Gateway", ["rtb-p0", "rtb-p1"]
    )
    d.security_groups[SG] = SecurityGroup(
        SG,
        "vpc-1",
        "glue",
        [
            SecurityGroupRule("ingress", "tcp", 0, 65535, referenced_security_group_id=SG),
            SecurityGroupRule("egress", "-1", cidr_ipv4="0.0.0.0/0"),
        ],
    )
    d.roles["glue-role"] = Role(
        "glue-role",
        "arn:aws:iam::123456789012:role/glue-role",
        ["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"],
    )
    for name in ("cleansing", "features"):
        d.jobs[name] = Job(
            name,
            connections=["net-us-east-1a", "net-us-east-1b"],
            arguments={"--conf": "spark.network.timeout=600s"},
            worker_type="G.1X",
            number_of_workers=2,
            role="glue-role",
        )
    return d


def fired(d: Deployment, rule_id: str) -> list[str]:
    return [f.message for f in run_rules(d, only=[rule_id]).failures]


def test_good_deployment_passes_every_rule():
    report = run_rules(good())
    assert report.findings == [], [str(f) for f in report.findings]
    assert set(report.rules_run) == set(RULES)


def _vpc_args(d):
    for j in d.jobs.values():
        j.connections = []
        j.arguments["--vpc-subnet-ids"] = "subnet-p0"


def _no_connections(d):
    for j in d.jobs.values():
        j.connections = []


def _ids_not_names(d):
    for j in d.jobs.values():
        j.connections = [f"123456789012:{n}" for n in j.connections]


def _missing_connection(d):
    d.jobs["cleansing"].connections.append("does-not-exist")


def _jdbc_type(d):
    d.connections["net-us-east-1a"].connection_type = "JDBC"


def _no_az(d):
    d.connections["net-us-east-1b"].availability_zone = None


def _az_mismatch(d):
    d.connections["net-us-east-1b"].availability_zone = "us-east-1a"


def _one_zone_listed(d):
    d.jobs["features"].connections = ["net-us-east-1a"]
    d.jobs["cleansing"].connections = ["net-us-east-1a"]


def _orders_differ(d):
    d.jobs["features"].connections.reverse()


def _self_rule_one_port(d):
    d.security_groups[SG].rules[0] = SecurityGroupRule("ingress", "tcp", 7077, 7077, referenced_security_group_id=SG)


def _self_rule_from_cidr(d):
    d.security_groups[SG].rules[0] = SecurityGroupRule("ingress", "tcp", 0, 65535, cidr_ipv4="10.0.0.0/16")


def _no_egress(d):
    d.security_groups[SG].rules = d.security_groups[SG].rules_for("ingress")


def _egress_https_only(d):
    d.security_groups[SG].rules[1] = SecurityGroupRule("egress", "tcp", 443, 443, prefix_list_id="pl-63a5400a")


def _no_s3_endpoint_on_b(d):
    d.vpc_endpoints["vpce-s3"].route_table_ids = ["rtb-p0"]


def _subnet_public(d):
    d.route_tables["rtb-p0"].routes.append(Route("0.0.0.0/0", gateway_id="igw-1"))


def _dns_off(d):
    d.vpcs["vpc-1"].enable_dns_hostnames = False


def _small_subnet(d):
    d.subnets["subnet-p1"].available_ip_count = 2


def _role_without_eni(d):
    d.roles["glue-role"].managed_policy_arns = []
    d.roles["glue-role"].statements = [PolicyStatement("Allow", ["s3:GetObject"], ["*"])]


def _sg_other_vpc(d):
    d.security_groups[SG].vpc_id = "vpc-2"


MUTATIONS: list[tuple[str, str, Callable[[Deployment], None]]] = [
    ("GNET001", "no connection", _no_connections),
    ("GNET001", "seed --vpc-* arguments", _vpc_args),
    ("GNET002", "listed by id", _ids_not_names),
    ("GNET002", "unknown name", _missing_connection),
    ("GNET003", "JDBC type", _jdbc_type),
    ("GNET003", "no AZ", _no_az),
    ("GNET003", "AZ mismatch", _az_mismatch),
    ("GNET004", "one zone listed", _one_zone_listed),
    ("GNET004", "orders differ", _orders_differ),
    ("GNET005", "--vpc-* arguments", _vpc_args),
    ("GNET006", "self rule on one port", _self_rule_one_port),
    ("GNET006", "all TCP from the VPC CIDR, not from itself", _self_rule_from_cidr),
    ("GNET007", "no egress", _no_egress),
    ("GNET007", "HTTPS to S3 only, no self egress", _egress_https_only),
    ("GNET008", "S3 endpoint misses a route table", _no_s3_endpoint_on_b),
    ("GNET009", "subnet routes to an IGW", _subnet_public),
    ("GNET010", "DNS hostnames off", _dns_off),
    ("GNET011", "subnet nearly full", _small_subnet),
    ("GNET012", "role without ENI permissions", _role_without_eni),
    ("GNET013", "security group in another VPC", _sg_other_vpc),
]


@pytest.mark.parametrize(("rule_id", "case", "mutate"), MUTATIONS, ids=[f"{r}-{c}" for r, c, _ in MUTATIONS])
def test_rule_fires_on_its_mutation(rule_id, case, mutate):
    d = good()
    assert fired(d, rule_id) == [], "rule must be silent before the mutation"
    mutate(d)
    assert fired(d, rule_id), f"{rule_id} did not fire on: {case}"


def test_every_rule_has_a_firing_mutation():
    assert {r for r, _, _ in MUTATIONS} == set(RULES)


def test_restricted_egress_is_accepted():
    d = good()
    d.security_groups[SG].rules[1:] = [
        SecurityGroupRule("egress", "tcp", 0, 65535, referenced_security_group_id=SG),
        SecurityGroupRule("egress", "tcp", 443, 443, prefix_list_id="pl-63a5400a"),
    ]
    assert fired(d, "GNET007") == []


def test_nat_route_satisfies_s3_reachability():
    d = good()
    d.vpc_endpoints.clear()
    assert fired(d, "GNET008")
    for t in ("rtb-p0", "rtb-p1"):
        d.route_tables[t].routes.append(Route("0.0.0.0/0", nat_gateway_id="nat-1"))
    assert fired(d, "GNET008") == []


def test_missing_connection_type_is_unverifiable_not_wrong():
    # moto's GetConnection omits ConnectionType: that must not fail a correct deployment.
    d = good()
    for c in d.connections.values():
        c.connection_type = None
    report = run_rules(d, only=["GNET003"])
    assert report.failures == [] and len(report.unverifiable) == 2


def test_role_with_inline_eni_statements_passes():
    d = good()
    role = d.roles["glue-role"]
    role.managed_policy_arns = []
    role.statements = [PolicyStatement("Allow", ["ec2:*NetworkInterface*", "ec2:Describe*"], ["*"])]
    assert fired(d, "GNET012") == []
    role.statements.append(PolicyStatement("Deny", ["ec2:CreateNetworkInterface"], ["*"]))
    assert fired(d, "GNET012")


def test_job_outside_vpc_by_intent_is_not_flagged():
    d = good()
    for j in d.jobs.values():
        j.connections = []
        j.expects_vpc = False
    assert run_rules(d).failures == []


def test_findings_name_the_fix():
    d = copy.deepcopy(good())
    _self_rule_one_port(d)
    findings = run_rules(d, only=["GNET006"]).failures
    assert {f.resource for f in findings} == {"net-us-east-1a", "net-us-east-1b"}
    finding = findings[0]
    assert "referenced_security_group_id" in finding.fix and "0" in finding.fix and "65535" in finding.fix
    assert "tcp 7077-7077" in finding.message and "Connection refused" in finding.message

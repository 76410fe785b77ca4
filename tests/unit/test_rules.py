"""Each rule on hand-built models: which branch fires, with what message, and what passes.

Every case names the rule, the outcome it must produce and a fragment of the
message that proves the right branch fired. A rule is silent on the good model
before each mutation, so a case that "fires" also shows the rule can stay quiet.
These complement the plan-level variants and the corpus with shapes a plan
cannot produce (live ids, moto's missing ConnectionType, several VPCs) and run in
milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from glue_netcheck import Outcome, Status, run_rules
from glue_netcheck.catalogue import cite
from glue_netcheck.model import (
    GLUE_SUBNET_TAG,
    NETWORK_MODE_TAG,
    Connection,
    Deployment,
    InternetGateway,
    Job,
    PolicyStatement,
    Role,
    Route,
    RouteTable,
    SecurityConfiguration,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)
from glue_netcheck.rules import CATALOGUE

pytestmark = pytest.mark.unit

SG = "sg-0aaaaaaaaaaaaaaaa"
EP_SG = "sg-0eeeeeeeeeeeeeeee"
S3_PL = "pl-63a5400a"


def good() -> Deployment:
    """Two jobs of one pipeline in two private subnets, as the Glue guide asks."""
    d = Deployment(source="live:test", kind="live", region="us-east-1")
    d.vpcs["vpc-1"] = Vpc("vpc-1", "10.0.0.0/16", True, True)
    d.internet_gateways["igw-1"] = InternetGateway("igw-1", "vpc-1")
    for i, az in enumerate(["us-east-1a", "us-east-1b"]):
        d.subnets[f"subnet-p{i}"] = Subnet(
            f"subnet-p{i}", "vpc-1", az, f"10.0.{i * 16}.0/20", 4091, tags={GLUE_SUBNET_TAG: "true"}
        )
        d.subnets[f"subnet-pub{i}"] = Subnet(f"subnet-pub{i}", "vpc-1", az, f"10.0.{128 + i * 16}.0/20", 4091)
        d.route_tables[f"rtb-p{i}"] = RouteTable(
            f"rtb-p{i}", "vpc-1", [f"subnet-p{i}"], [Route("10.0.0.0/16", gateway_id="local")]
        )
        d.connections[f"net-{az}"] = Connection(f"net-{az}", connection_type="NETWORK", physical=True,
                                                subnet_id=f"subnet-p{i}", security_group_ids=[SG],
                                                availability_zone=az)  # fmt: skip
    d.route_tables["rtb-pub"] = RouteTable(
        "rtb-pub", "vpc-1", ["subnet-pub0", "subnet-pub1"], [Route("0.0.0.0/0", gateway_id="igw-1")]
    )
    d.vpc_endpoints["vpce-s3"] = VpcEndpoint(
        "vpce-s3", "vpc-1", "com.amazonaws.us-east-1.s3", "Gateway", ["rtb-p0", "rtb-p1"], prefix_list_id=S3_PL
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


def with_kms_endpoint(d: Deployment) -> None:
    """A KMS interface endpoint with private DNS whose group admits 443 from the Glue group."""
    d.security_groups[EP_SG] = SecurityGroup(
        EP_SG, "vpc-1", "endpoints", [SecurityGroupRule("ingress", "tcp", 443, 443, referenced_security_group_id=SG)]
    )
    d.vpc_endpoints["vpce-kms"] = VpcEndpoint(
        "vpce-kms",
        "vpc-1",
        "com.amazonaws.us-east-1.kms",
        "Interface",
        private_dns_enabled=True,
        security_group_ids=[EP_SG],
        subnet_ids=["subnet-p0", "subnet-p1"],
    )


def _endpoint(d: Deployment, service: str) -> None:
    """An interface endpoint for ``service`` with private DNS, admitting 443 from the Glue group."""
    if EP_SG not in d.security_groups:
        d.security_groups[EP_SG] = SecurityGroup(EP_SG, "vpc-1", "endpoints", [
            SecurityGroupRule("ingress", "tcp", 443, 443, referenced_security_group_id=SG)])  # fmt: skip
    d.vpc_endpoints[f"vpce-{service}"] = VpcEndpoint(
        f"vpce-{service}", "vpc-1", f"com.amazonaws.us-east-1.{service}", "Interface", private_dns_enabled=True,
        security_group_ids=[EP_SG], subnet_ids=["subnet-p0", "subnet-p1"])  # fmt: skip


def kms_config(d: Deployment, mode: str = "SSE-KMS") -> None:
    d.security_configurations["sec"] = SecurityConfiguration("sec", s3_mode=mode, cloudwatch_mode="DISABLED",
                                                              bookmarks_mode="DISABLED")  # fmt: skip
    for j in d.jobs.values():
        j.security_configuration = "sec"


def findings(d: Deployment, rule_id: str):
    return run_rules(d, only=[rule_id]).findings


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    mutate: Callable[[Deployment], None]
    status: str  # error | warning | unverifiable | info
    fragment: str  # in the message: the branch that fired


def _set(**kw):
    def mutate(d):
        for path, value in kw.items():
            obj_name, attr = path.split("__")
            obj = _lookup(d, obj_name)
            setattr(obj, attr, value)

    return mutate


def _lookup(d, name):
    for coll in (d.jobs, d.connections, d.subnets, d.vpcs, d.security_groups, d.roles, d.vpc_endpoints, d.route_tables):
        if name.replace("_", "-") in coll:
            return coll[name.replace("_", "-")]
        if name in coll:
            return coll[name]
    raise KeyError(name)


def _all_jobs(**kw):
    def mutate(d):
        for j in d.jobs.values():
            for k, v in kw.items():
                setattr(j, k, v() if callable(v) else v)

    return mutate


def _seq(*fns):
    def mutate(d):
        for f in fns:
            f(d)

    return mutate


def _tag_vpc(d):
    for j in d.jobs.values():
        j.tags = {NETWORK_MODE_TAG: "vpc"}


def _sg_rules(*rules):
    def mutate(d):
        d.security_groups[SG].rules = list(rules)

    return mutate


def _rule_styles(inline=(), **resources):
    """The Glue group written in the given styles (``aws_vpc_security_group_x_rule`` for the *_rule pair)."""

    def mutate(d):
        g = d.security_groups[SG]
        g.inline = set(inline)
        g.rule_resources = {k.replace("_x_", "_*_"): v for k, v in resources.items()}

    return mutate


def _plan_source(d):
    d.kind = "plan"


SELF_ALL = SecurityGroupRule("ingress", "tcp", 0, 65535, referenced_security_group_id=SG)
EGRESS_ALL = SecurityGroupRule("egress", "-1", cidr_ipv4="0.0.0.0/0")
SELF_EGRESS = SecurityGroupRule("egress", "tcp", 0, 65535, referenced_security_group_id=SG)
S3_HTTPS = SecurityGroupRule("egress", "tcp", 443, 443, prefix_list_id=S3_PL)


def _no_kms_route(d):
    kms_config(d)


def _kms_endpoint_dns_off(d):
    kms_config(d)
    with_kms_endpoint(d)
    d.vpc_endpoints["vpce-kms"].private_dns_enabled = False


def _kms_endpoint_closed(d):
    kms_config(d)
    with_kms_endpoint(d)
    d.security_groups[EP_SG].rules = [SecurityGroupRule("ingress", "tcp", 443, 443, cidr_ipv4="192.168.0.0/16")]


def _kms_endpoint_egress_blocked(d):
    kms_config(d)
    with_kms_endpoint(d)
    d.security_groups[SG].rules = [SELF_ALL, SELF_EGRESS, S3_HTTPS]


def _secret_connection(d):
    d.connections["net-us-east-1a"].property_names = {"SECRET_ID", "JDBC_CONNECTION_URL"}
    d.connections["net-us-east-1a"].connection_type = "JDBC"


def _pypi_modules(d):
    d.jobs["features"].arguments["--additional-python-modules"] = "great_expectations==0.18.8,s3://b/w.whl"


def _proxy_off(d):
    d.jobs["features"].arguments["--disable-proxy-v2"] = "true"


def _arn_argument(d):
    d.jobs["features"].arguments["--topic"] = "arn:aws:sns:us-east-1:123456789012:done"


def _nat(d):
    d.nat_gateways_ = None
    for t in ("rtb-p0", "rtb-p1"):
        d.route_tables[t].routes.append(Route("0.0.0.0/0", nat_gateway_id="nat-1"))


def _kms_unknown_mode(d):
    kms_config(d)
    d.security_configurations["sec"].s3_mode = None
    d.security_configurations["sec"].unknown.add("s3_mode")


def _tgw_default_route(d):
    kms_config(d)
    for t in ("rtb-p0", "rtb-p1"):
        d.route_tables[t].routes.append(Route("0.0.0.0/0", other_target="transit_gateway_id tgw-1"))


FAILS: list[Case] = [
    Case("GNET001", "tagged VPC job without connection", _seq(_tag_vpc, _all_jobs(connections=list)), "error",
         "its tag glue-netcheck:network-mode is 'vpc'"),
    Case("GNET001", "the seed: --vpc-* arguments instead of connections",
         _all_jobs(connections=list, arguments=lambda: {"--vpc-subnet-ids": "subnet-p0"}), "error",
         "The --vpc-subnet-ids arguments it passes are ignored by Glue"),
    Case("GNET001", "--require-vpc on a job with only a JDBC connection without physical requirements",
         _seq(lambda d: d.required_vpc_jobs.add("features"),
              lambda d: d.connections.__setitem__("jdbc", Connection("jdbc", connection_type="JDBC")),
              _set(features__connections=["jdbc"])), "error", "place nothing in a subnet"),
    Case("GNET001", "job without evidence", _all_jobs(connections=list), "info", "not in a VPC"),
    Case("GNET001", "connections unknown, no other evidence", _all_jobs(connections=list, connections_known=False),
         "unverifiable", "connection list is known only after apply"),
    Case("GNET002", "listed by id", _all_jobs(connections=lambda: ["123456789012:net-us-east-1a"]), "error",
         "an id or ARN"),
    Case("GNET002", "list built from .id at apply",
         _all_jobs(connections=list, connections_known=False, connection_refs_complete=True,
                   connection_refs=lambda: {"net-us-east-1a": "id", "net-us-east-1b": "id"}), "error",
         "built from the .id or .arn of net-us-east-1a, net-us-east-1b"),
    Case("GNET002", "list built from .id at apply, with something the plan cannot follow",
         _all_jobs(connections=list, connections_known=False, connection_refs_complete=False,
                   connection_refs=lambda: {"net-us-east-1a": "id"}), "unverifiable",
         "nothing is attached: list .name values"),
    Case("GNET002", "unknown list", _all_jobs(connections=list, connections_known=False), "unverifiable",
         "known only after apply"),
    Case("GNET002", "missing name in an account", _set(cleansing__connections=["net-us-east-1a", "nope"]), "error",
         "'nope' is listed but does not exist"),
    Case("GNET016", "inline ingress beside an aws_vpc_security_group_ingress_rule",
         _seq(_plan_source, _rule_styles(inline={"ingress"}, aws_vpc_security_group_x_rule=["aws_vpc_security_group_ingress_rule.self"])),
         "error", "has inline ingress rules and also aws_vpc_security_group_ingress_rule.self"),
    Case("GNET016", "ingress = [] beside an aws_security_group_rule",
         _seq(_plan_source, _rule_styles(inline={"ingress"}, aws_security_group_rule=["aws_security_group_rule.self"])),
         "error", "the next apply removes the separate rules"),
    Case("GNET016", "aws_security_group_rule beside aws_vpc_security_group_*_rule",
         _seq(_plan_source, _rule_styles(aws_security_group_rule=["aws_security_group_rule.a"],
                                         aws_vpc_security_group_x_rule=["aws_vpc_security_group_egress_rule.b"])),
         "error", "conflict and overwrite each other's rules"),
    Case("GNET002", "name outside the plan", _seq(_plan_source, _set(cleansing__connections=["net-us-east-1a", "nope"])),
         "unverifiable", "'nope' is not created by this plan"),
    Case("GNET003", "no AZ", _set(net_us_east_1b__availability_zone=None), "error",
         "CONNECTION_LIST_CONNECTION_WITH_AZ_NULL"),
    Case("GNET003", "AZ mismatch", _set(net_us_east_1b__availability_zone="us-east-1a"), "error",
         "but its subnet subnet-p1 is in us-east-1b"),
    Case("GNET003", "subnet name instead of id", _set(net_us_east_1a__subnet_id="private-a"), "error",
         "is not a subnet id"),
    Case("GNET003", "group name instead of id", _set(net_us_east_1a__security_group_ids=["glue-jobs"]), "error",
         "which are not group ids"),
    Case("GNET003", "NETWORK without physical requirements", _set(net_us_east_1a__physical=False), "error",
         "NETWORK connection without physical_connection_requirements"),
    Case("GNET003", "subnet known only after apply",
         _seq(_set(net_us_east_1a__subnet_id=None), lambda d: d.connections["net-us-east-1a"].unknown.add("subnet_id")),
         "unverifiable", "its subnet id is known only after apply"),
    Case("GNET004", "two connections in one zone", _set(net_us_east_1b__availability_zone="us-east-1a",
                                                        subnet_p1__availability_zone="us-east-1a"),
         "warning", "share an availability zone"),
    Case("GNET004", "orders differ within the pipeline", lambda d: d.jobs["features"].connections.reverse(), "warning",
         "same connections in different orders"),
    Case("GNET004", "a Glue subnet without connection", _all_jobs(connections=lambda: ["net-us-east-1a"]), "warning",
         "subnet-p1 (us-east-1b) are tagged for Glue"),
    Case("GNET005", "--vpc-* arguments beside connections", _set(features__arguments={"--vpc-subnet-ids": "x"}),
         "error", "handed to the script and ignored"),
    Case("GNET005", "tagged job, no connection, arguments unknown",
         _seq(_tag_vpc, _all_jobs(connections=list, arguments_known=False)), "unverifiable", "arguments are known only"),
    Case("GNET006", "self rule on one port",
         _sg_rules(SecurityGroupRule("ingress", "tcp", 7077, 7077, referenced_security_group_id=SG), EGRESS_ALL),
         "error", "open only ['tcp 7077-7077']"),
    Case("GNET006", "all TCP from a CIDR that does not hold the subnet",
         _sg_rules(SecurityGroupRule("ingress", "tcp", 0, 65535, cidr_ipv4="192.168.0.0/16"), EGRESS_ALL), "error",
         "opens all TCP ports (0-65535) to traffic from its own members"),
    Case("GNET006", "ports 0-65534 only",
         _sg_rules(SecurityGroupRule("ingress", "tcp", 0, 65534, referenced_security_group_id=SG), EGRESS_ALL),
         "error", "tcp 0-65534"),
    Case("GNET006", "CIDR rule for half of the subnet only",
         _sg_rules(SecurityGroupRule("ingress", "tcp", 0, 65535, cidr_ipv4="10.0.0.0/21"),
                   SecurityGroupRule("ingress", "tcp", 0, 65535, cidr_ipv4="10.0.16.0/20"), EGRESS_ALL),
         "error", "opens all TCP ports (0-65535) to traffic from its own members"),
    Case("GNET006", "UDP only", _sg_rules(SecurityGroupRule("ingress", "udp", 0, 65535, referenced_security_group_id=SG),
                                          EGRESS_ALL), "error", "java.net.ConnectException"),
    Case("GNET006", "rule source unknown",
         _sg_rules(SecurityGroupRule("ingress", "tcp", 0, 65535, unknown=frozenset({"referenced_security_group_id"})),
                   EGRESS_ALL), "unverifiable", "inbound rules"),
    Case("GNET006", "group not visible", _set(net_us_east_1a__security_group_ids=["sg-0ffffffffffffffff"]),
         "unverifiable", "are not visible"),
    Case("GNET007", "no egress", _sg_rules(SELF_ALL), "error", "allows all TCP to the connection's own ENIs"),
    Case("GNET007", "HTTPS to S3 only", _sg_rules(SELF_ALL, S3_HTTPS), "error", "the driver cannot reach executors"),
    Case("GNET007", "self egress without S3", _sg_rules(SELF_ALL, SELF_EGRESS), "error", "HTTPS to S3"),
    Case("GNET007", "HTTPS to another prefix list", _sg_rules(SELF_ALL, SELF_EGRESS, SecurityGroupRule(
        "egress", "tcp", 443, 443, prefix_list_id="pl-0000other")), "error", "443 to the S3 prefix list"),
    Case("GNET008", "S3 endpoint misses a route table", _set(vpce_s3__route_table_ids=["rtb-p0"]), "error",
         "Could not find S3 endpoint or NAT gateway for subnetId: subnet-p1"),
    Case("GNET008", "route table known only after apply",
         lambda d: d.subnets["subnet-p1"].unknown.add("route_table"), "unverifiable", "route table of subnet subnet-p1"),
    Case("GNET008", "default route to a transit gateway, no endpoint",
         _seq(_set(vpce_s3__route_table_ids=["rtb-p0"]),
              lambda d: d.route_tables["rtb-p1"].routes.append(Route("0.0.0.0/0", other_target="tgw"))),
         "unverifiable", "which is not followed"),
    Case("GNET009", "subnet routes to an IGW",
         lambda d: d.route_tables["rtb-p0"].routes.append(Route("0.0.0.0/0", gateway_id="igw-1")), "error",
         "routes 0.0.0.0/0 to an internet gateway"),
    Case("GNET010", "DNS hostnames off", _set(vpc_1__enable_dns_hostnames=False), "error", "enable_dns_hostnames off"),
    Case("GNET010", "DNS support unknown",
         _seq(_set(vpc_1__enable_dns_support=None), lambda d: d.vpcs["vpc-1"].unknown.add("enable_dns_support")),
         "unverifiable", "enable_dns_support known only after apply"),
    Case("GNET010", "VPC not visible", lambda d: d.vpcs.clear(), "unverifiable", "the VPC is not visible"),
    Case("GNET011", "subnet nearly full", _set(subnet_p1__available_ip_count=3), "error",
         "has 3 free IPs, not more than the 2 workers + driver = 3"),
    Case("GNET012", "role without ENI actions",
         _set(glue_role__managed_policy_arns=[], glue_role__statements=[PolicyStatement("Allow", ["s3:*"], ["*"])]),
         "error", "lacks ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces']"),
    Case("GNET012", "ENI actions denied",
         _set(glue_role__managed_policy_arns=[], glue_role__statements=[
             PolicyStatement("Allow", ["ec2:*"], ["*"]), PolicyStatement("Deny", ["ec2:CreateNetworkInterface"], ["*"])]),
         "error", "lacks ['ec2:CreateNetworkInterface']"),
    Case("GNET012", "policy unreadable (jsonencode at apply)",
         _set(glue_role__managed_policy_arns=[], glue_role__unreadable=["policy known only after apply"]),
         "unverifiable", "cannot be read (policy known only after apply)"),
    Case("GNET012", "role not visible", _all_jobs(role="arn:aws:iam::1:role/elsewhere"), "unverifiable",
         "role arn:aws:iam::1:role/elsewhere is not visible"),
    Case("GNET013", "group in another VPC", _set(sg_0aaaaaaaaaaaaaaaa__vpc_id="vpc-2"), "error",
         "not in the subnet's VPC vpc-1"),
    Case("GNET014", "KMS security configuration, no route", _no_kms_route, "error",
         "needs kms (security configuration sec uses SSE-KMS)"),
    Case("GNET014", "KMS endpoint with private DNS off", _kms_endpoint_dns_off, "error", "has private DNS off"),
    Case("GNET014", "KMS endpoint closed to the Glue group", _kms_endpoint_closed, "error",
         "security groups do not admit TCP 443"),
    Case("GNET014", "Glue group cannot send 443 to the endpoint", _kms_endpoint_egress_blocked, "error",
         "do not allow TCP 443 out to endpoint vpce-kms"),
    Case("GNET014", "connection with SECRET_ID, no Secrets Manager route", _secret_connection, "error",
         "needs secretsmanager (connection net-us-east-1a reads its credentials"),
    Case("GNET014", "PyPI modules without NAT", _pypi_modules, "error",
         "needs the internet (PyPI) (--additional-python-modules installs ['great_expectations==0.18.8']"),
    Case("GNET014", "--disable-proxy-v2 without glue and monitoring endpoints", _proxy_off, "error", "needs glue"),
    Case("GNET014", "an SNS ARN in the arguments", _arn_argument, "error", "needs sns (argument --topic names"),
    Case("GNET014", "encryption mode unknown", _kms_unknown_mode, "unverifiable",
         "encryption modes of security configuration sec"),
    Case("GNET014", "default route to a transit gateway", _tgw_default_route, "unverifiable",
         "sends 0.0.0.0/0 to transit_gateway_id tgw-1"),
    Case("GNET015", "role lacks DescribeVpcAttribute only",
         _set(glue_role__managed_policy_arns=[], glue_role__statements=[PolicyStatement("Allow", [
             "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:Describe*"], ["*"]),
             PolicyStatement("Deny", ["ec2:DescribeVpcAttribute"], ["*"])]),
         "warning", "lacks ['ec2:DescribeVpcAttribute']"),
]  # fmt: skip


PASSES: list[tuple[str, str, Callable[[Deployment], None]]] = [
    ("GNET016", "only aws_vpc_security_group_*_rule resources",
     _seq(_plan_source, _rule_styles(aws_vpc_security_group_x_rule=["aws_vpc_security_group_ingress_rule.a"]))),
    ("GNET016", "only inline rules, in both directions", _seq(_plan_source, _rule_styles(inline={"ingress", "egress"}))),
    ("GNET001", "a JDBC connection with physical requirements places the job",
     _set(net_us_east_1a__connection_type="JDBC", net_us_east_1b__connection_type="JDBC")),
    ("GNET001", "S3-only jobs tagged none beside nothing", _all_jobs(connections=list, tags=lambda: {
        NETWORK_MODE_TAG: "none"})),
    ("GNET002", "names listed", lambda d: None),
    ("GNET003", "moto omits the connection type", _set(net_us_east_1a__connection_type=None,
                                                       net_us_east_1b__connection_type=None)),
    ("GNET003", "KAFKA with physical requirements", _set(net_us_east_1a__connection_type="KAFKA")),
    ("GNET004", "two independent pipelines with their own order",
     lambda d: (d.jobs["features"].connections.reverse(), d.subnets["subnet-p0"].tags.clear(),
                d.subnets["subnet-p1"].tags.clear(), setattr(d.jobs["features"], "connections", ["net-us-east-1b"]),
                setattr(d.jobs["cleansing"], "connections", ["net-us-east-1a"]))),
    ("GNET004", "untagged subnet without connection", lambda d: (
        d.subnets["subnet-p1"].tags.clear(), [setattr(j, "connections", ["net-us-east-1a"]) for j in d.jobs.values()])),
    ("GNET005", "no --vpc-* arguments", lambda d: None),
    ("GNET006", "all TCP from the VPC CIDR", _sg_rules(SecurityGroupRule("ingress", "tcp", 0, 65535,
                                                                         cidr_ipv4="10.0.0.0/16"), EGRESS_ALL)),
    ("GNET006", "all traffic from itself", _sg_rules(SecurityGroupRule("ingress", "-1",
                                                                       referenced_security_group_id=SG), EGRESS_ALL)),
    ("GNET006", "two CIDR rules for the halves of the subnet", lambda d: _sg_rules(
        SecurityGroupRule("ingress", "tcp", 0, 65535, cidr_ipv4="10.0.0.0/21"),
        SecurityGroupRule("ingress", "tcp", 0, 65535, cidr_ipv4="10.0.8.0/21"),
        SecurityGroupRule("ingress", "tcp", 0, 65535, cidr_ipv4="10.0.16.0/20"), EGRESS_ALL)(d)),
    ("GNET006", "two self rules that together cover every port", _sg_rules(
        SecurityGroupRule("ingress", "tcp", 0, 32767, referenced_security_group_id=SG),
        SecurityGroupRule("ingress", "tcp", 32768, 65535, referenced_security_group_id=SG), EGRESS_ALL)),
    ("GNET007", "restricted egress: self all-TCP plus HTTPS to the S3 prefix list", _sg_rules(SELF_ALL, SELF_EGRESS,
                                                                                             S3_HTTPS)),
    ("GNET008", "NAT instead of the endpoint", lambda d: (d.vpc_endpoints.clear(), _nat(d))),
    ("GNET009", "private subnets", lambda d: None),
    ("GNET010", "both DNS attributes on", lambda d: None),
    ("GNET011", "room for the workers", lambda d: None),
    ("GNET012", "inline ENI statements with wildcards", _set(glue_role__managed_policy_arns=[], glue_role__statements=[
        PolicyStatement("Allow", ["ec2:*NetworkInterface*", "ec2:Describe*"], ["*"])])),
    ("GNET012", "ec2:* in a policy (managed Glue policy absent)", _set(
        glue_role__managed_policy_arns=[], glue_role__statements=[PolicyStatement("Allow", ["ec2:*"], ["*"])])),
    ("GNET013", "groups in the subnet's VPC", lambda d: None),
    ("GNET014", "KMS through an interface endpoint", lambda d: (kms_config(d), with_kms_endpoint(d))),
    ("GNET014", "KMS through NAT", lambda d: (kms_config(d), _nat(d))),
    ("GNET014", "SSE-S3 needs no KMS route", lambda d: kms_config(d, "SSE-S3")),
    ("GNET014", "KMS endpoint in the Glue group itself (self all-TCP)", lambda d: (
        kms_config(d), with_kms_endpoint(d), setattr(d.vpc_endpoints["vpce-kms"], "security_group_ids", [SG]))),
    ("GNET014", "KMS endpoint admitting the VPC CIDR, restricted egress to the VPC", lambda d: (
        kms_config(d), with_kms_endpoint(d),
        setattr(d.security_groups[EP_SG], "rules", [SecurityGroupRule("ingress", "tcp", 443, 443,
                                                                      cidr_ipv4="10.0.0.0/16")]),
        setattr(d.security_groups[SG], "rules", [SELF_ALL, SELF_EGRESS, S3_HTTPS, SecurityGroupRule(
            "egress", "tcp", 443, 443, cidr_ipv4="10.0.0.0/16")]))),
    ("GNET014", "wheels from S3 only", lambda d: d.jobs["features"].arguments.__setitem__(
        "--additional-python-modules", "s3://b/a.whl,s3://b/b.whl")),
    ("GNET014", "PyPI through NAT", lambda d: (_pypi_modules(d), _nat(d))),
    ("GNET014", "SECRET_ID through a Secrets Manager endpoint", lambda d: (
        _secret_connection(d), _endpoint(d, "secretsmanager"))),
    ("GNET014", "an SNS ARN through an SNS endpoint", lambda d: (_arn_argument(d), _endpoint(d, "sns"))),
    ("GNET014", "--disable-proxy-v2 with glue and monitoring endpoints and the S3 gateway", lambda d: (
        _proxy_off(d), _endpoint(d, "glue"), _endpoint(d, "monitoring"))),
    ("GNET015", "AWSGlueServiceRole attached", lambda d: None),
]  # fmt: skip


@pytest.mark.parametrize("case", FAILS, ids=[f"{c.rule}-{c.name}" for c in FAILS])
def test_rule_reports_its_branch(case: Case):
    d = good()
    assert findings(d, case.rule) == [], "the rule must be silent on the good model"
    case.mutate(d)
    got = findings(d, case.rule)
    assert got, f"{case.rule} said nothing on: {case.name}"
    assert {f.level for f in got} == {case.status}, [str(f) for f in got]
    assert any(case.fragment in f.message for f in got), [str(f) for f in got]
    assert all(f.fix for f in got)


@pytest.mark.parametrize(("rule_id", "name", "mutate"), PASSES, ids=[f"{r}-{n}" for r, n, _ in PASSES])
def test_rule_accepts_a_correct_variation(rule_id, name, mutate):
    d = good()
    mutate(d)
    report = run_rules(d, only=[rule_id])
    assert report.findings == [] or all(f.status == Status.INFO for f in report.findings), [
        str(f) for f in report.findings
    ]


def test_every_rule_has_a_failing_and_a_passing_case():
    assert {c.rule for c in FAILS} == set(CATALOGUE.ids())
    assert {r for r, _, _ in PASSES} == set(CATALOGUE.ids())
    assert {c.rule for c in FAILS if c.status in ("error", "warning")} == set(CATALOGUE.ids())


def test_good_deployment_passes_every_rule():
    report = run_rules(good())
    assert report.findings == [], [str(f) for f in report.findings]
    assert report.rules_run == CATALOGUE.ids()
    # GNET016 reads how the configuration writes rules: a live account does not show it.
    assert {r.rule.id: r.outcome for r in report.results if r.outcome != Outcome.PASSED} == {
        "GNET016": Outcome.NOT_APPLICABLE
    }


def test_jobs_without_evidence_are_left_alone_beside_a_vpc_job():
    """An S3-only job next to a VPC job gets a note, and no network rule judges it."""
    d = good()
    d.jobs["export"] = Job("export", arguments={"--out": "s3://b/x"}, role="glue-role")
    report = run_rules(d)
    assert report.errors == [] and report.warnings == []
    assert [(f.rule_id, f.resource, f.level) for f in report.findings] == [("GNET001", "export", "info")]


def test_vpc_elsewhere_in_the_plan_is_not_evidence():
    d = good()
    for j in d.jobs.values():
        j.connections = []
    report = run_rules(d)
    assert report.ok and {f.level for f in report.findings} == {"info"}


def test_warnings_never_fail_the_summary():
    d = good()
    d.jobs["features"].connections.reverse()
    report = run_rules(d)
    assert report.ok and report.outcome_of("GNET004") == Outcome.WARNED
    counts = report.counts()
    assert counts["failed"] == 0 and counts["warned"] == 1 and counts["warnings"] == 1
    assert "0 failed" in report.summary() and "1 passed with warnings" in report.summary()


def test_outcomes_count_rules_that_did_not_apply():
    d = good()
    for j in d.jobs.values():
        j.connections = []
    report = run_rules(d)
    # Only GNET001 (notes) and GNET002/GNET005 (judge every job) look at jobs outside a VPC.
    assert report.outcome_of("GNET006") == Outcome.NOT_APPLICABLE
    assert report.counts()["not_applicable"] >= 10


def test_unverifiable_is_its_own_outcome():
    d = good()
    d.connections["net-us-east-1a"].security_group_ids = ["sg-0ffffffffffffffff"]
    report = run_rules(d, only=["GNET006"])
    assert report.outcome_of("GNET006") == Outcome.UNVERIFIABLE and report.ok
    assert report.counts()["unverifiable"] == 1


def test_a_rule_id_is_written_once():
    """Findings carry the id of the rule that reported them: the body never names it."""
    d = good()
    d.vpcs["vpc-1"].enable_dns_support = False
    (finding,) = run_rules(d, only=["GNET010"]).findings
    assert finding.rule_id == "GNET010" and finding.fix == CATALOGUE["GNET010"].fix


def test_catalogue_refuses_a_duplicate_id():
    from glue_netcheck.catalogue import Catalogue

    c = Catalogue()
    c.rule("X1", "t", cite(), "f")(lambda d, r: None)
    with pytest.raises(ValueError, match="duplicate rule id X1"):
        c.rule("X1", "t", cite(), "f")(lambda d, r: None)


def test_each_rule_cites_a_requirement_of_the_contract_and_the_contract_maps_it_back():
    """The catalogue, docs/network-fix.md and its requirement -> rule table stay in step."""
    import re

    from harness.paths import DOCS

    doc = (DOCS / "network-fix.md").read_text()
    requirements = set(re.findall(r"^### (R-[A-Z0-9-]+):", doc, flags=re.M))
    table = doc.split("## Requirement → rule", 1)[1].split("\n## ", 1)[0]
    for rule in CATALOGUE:
        cited = set(rule.requirements)
        assert cited, f"{rule.id} cites no requirement of docs/network-fix.md: {rule.source}"
        assert rule.references and all(r.url.startswith("https://") for r in rule.references), rule.references
        assert cited <= requirements, f"{rule.id} cites {cited - requirements}, which docs/network-fix.md lacks"
        assert rule.id in table, f"{rule.id} is missing from the requirement -> rule table"

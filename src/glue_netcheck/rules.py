"""The Glue network rules. Each rule cites what it rests on.

Sources (short names used below):
- GLUE-VPC: Glue developer guide, "Setting up network access to data stores"
  https://docs.aws.amazon.com/glue/latest/dg/start-connecting.html
- GLUE-TROUBLE: Glue developer guide, "Troubleshooting errors in AWS Glue"
  https://docs.aws.amazon.com/glue/latest/dg/glue-troubleshooting-errors.html
- GLUE-FAILOVER: Glue developer guide, "Failover behavior between VPCs"
- GLUE-IAM: Glue developer guide, "Step 2: Create an IAM role for AWS Glue"
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from glue_netcheck.catalogue import Finding, Severity, rule
from glue_netcheck.model import Connection, Deployment, Job, SecurityGroup, Subnet

GLUE_VPC = "Glue developer guide: Setting up network access to data stores (docs.aws.amazon.com/glue/latest/dg/start-connecting.html)"
GLUE_TROUBLE = (
    "Glue developer guide: Troubleshooting errors (docs.aws.amazon.com/glue/latest/dg/glue-troubleshooting-errors.html)"
)
GLUE_FAILOVER = "Glue developer guide: Failover behavior between VPCs"
GLUE_IAM = (
    "Glue developer guide: Step 2, Create an IAM role for AWS Glue; managed policy service-role/AWSGlueServiceRole"
)
PROVIDER_21630 = "hashicorp/terraform-provider-aws issue #21630 (connection id is CATALOG_ID:NAME)"
PROVIDER_4762 = "hashicorp/terraform-provider-aws issue #4762 (CONNECTION_LIST_CONNECTION_WITH_AZ_NULL)"

ENI_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeRouteTables",
    "ec2:DescribeVpcAttribute",
)
# AWS managed policies known to grant every action in ENI_ACTIONS.
ENI_MANAGED_POLICIES = ("service-role/AWSGlueServiceRole", "AdministratorAccess", "AmazonEC2FullAccess")


def _unverifiable(rule_id: str, resource: str, what: str) -> Finding:
    return Finding(
        rule_id, resource, f"cannot verify: {what}", "check it after apply (glue-netcheck job)", status="unverifiable"
    )


def _vpc_jobs(d: Deployment) -> Iterator[Job]:
    return (j for j in d.jobs.values() if j.expects_vpc)


def _job_connections(d: Deployment, job: Job) -> list[Connection]:
    return [c for name in job.connections if (c := d.connections.get(name)) is not None]


def _used_connections(d: Deployment) -> list[Connection]:
    seen: dict[str, Connection] = {}
    for job in _vpc_jobs(d):
        for c in _job_connections(d, job):
            seen.setdefault(c.name, c)
    return list(seen.values())


def _connection_groups(d: Deployment, c: Connection) -> list[SecurityGroup] | None:
    groups = [d.security_groups.get(g) for g in c.security_group_ids]
    if not c.security_group_ids or any(g is None for g in groups):
        return None
    return [g for g in groups if g is not None]


@rule("GNET001", "Every Glue job meant for the VPC lists at least one connection", GLUE_VPC)
def job_has_connection(d: Deployment) -> Iterator[Finding]:
    for job in _vpc_jobs(d):
        if job.connections_known and not job.connections:
            hint = (
                " It passes --vpc-* arguments instead, which Glue ignores."
                if any(k.lower().startswith("--vpc-") for k in job.arguments)
                else ""
            )
            yield Finding(
                "GNET001",
                job.name,
                f"job lists no connection, so Glue runs it outside the VPC and its executors cannot reach the driver.{hint}",
                "create an aws_glue_connection of type NETWORK per private subnet and list their names in "
                "aws_glue_job.connections (glue module: pass var.subnets and var.security_group_ids).",
            )


@rule("GNET002", "Jobs list connections by name, and each names an existing connection", PROVIDER_21630)
def connections_by_name(d: Deployment) -> Iterator[Finding]:
    names_known = all(not c.name.startswith(("module.", "aws_glue_connection.")) for c in d.connections.values())
    for job in _vpc_jobs(d):
        if not job.connections_known:
            if names_known and d.connections:
                yield Finding(
                    "GNET002",
                    job.name,
                    "the job's connections are unknown until apply although every connection name is known at "
                    "plan time: the list is built from a computed attribute (.id is CATALOG_ID:NAME, or .arn), "
                    "which attaches nothing.",
                    "list aws_glue_connection.<name>.name values, not .id or .arn.",
                )
            else:
                yield _unverifiable("GNET002", job.name, "connection list unknown at plan time")
            continue
        for entry in job.connections:
            if entry in d.connections:
                continue
            by_id = [c for c in d.connections.values() if entry.endswith(":" + c.name)]
            if by_id:
                yield Finding(
                    "GNET002",
                    job.name,
                    f"connection listed as '{entry}', the connection's id (CATALOG_ID:NAME); Glue matches names "
                    "only, so nothing is attached.",
                    f"list the name '{by_id[0].name}' (aws_glue_connection.<x>.name).",
                )
            elif d.source.startswith("live") or d.connections:
                yield Finding(
                    "GNET002",
                    job.name,
                    f"connection '{entry}' is listed but does not exist.",
                    "create the connection or correct the name in aws_glue_job.connections.",
                )


@rule("GNET003", "Each connection is NETWORK with a subnet, security groups and the subnet's own AZ", PROVIDER_4762)
def connection_complete(d: Deployment) -> Iterator[Finding]:
    for c in _used_connections(d):
        if c.connection_type is None:
            yield _unverifiable("GNET003", c.name, "the source does not report the connection type")
        elif c.connection_type.upper() != "NETWORK":
            yield Finding(
                "GNET003",
                c.name,
                f"connection type is {c.connection_type}; only NETWORK (or a JDBC/Kafka one with a VPC) places a "
                "job in a VPC, and a type-only connection adds nothing.",
                'set connection_type = "NETWORK" with a physical_connection_requirements block.',
            )
        if not c.subnet_id:
            yield Finding(
                "GNET003",
                c.name,
                "connection has no subnet.",
                "set physical_connection_requirements.subnet_id to a private subnet id.",
            )
        if not c.security_group_ids:
            yield Finding(
                "GNET003",
                c.name,
                "connection has no security group.",
                "set security_group_id_list to the Glue security group.",
            )
        if not c.availability_zone:
            yield Finding(
                "GNET003",
                c.name,
                "connection has no availability zone; runs fail with CONNECTION_LIST_CONNECTION_WITH_AZ_NULL.",
                "set physical_connection_requirements.availability_zone to the subnet's zone.",
            )
            continue
        subnet = d.subnets.get(c.subnet_id or "")
        if subnet is None or subnet.availability_zone is None:
            if c.subnet_id:
                yield _unverifiable("GNET003", c.name, f"subnet {c.subnet_id} not visible, AZ match not checked")
        elif subnet.availability_zone != c.availability_zone:
            yield Finding(
                "GNET003",
                c.name,
                f"connection says availability zone {c.availability_zone} but its subnet {subnet.id} is in "
                f"{subnet.availability_zone}; Glue places the job's ENIs by the connection's zone and the run fails.",
                "set availability_zone from the subnet (aws_subnet.<x>.availability_zone).",
            )


def _private_subnets(d: Deployment, vpc_id: str) -> list[Subnet]:
    return [s for s in d.subnets.values() if s.vpc_id == vpc_id and not _has_igw_route(d, s.id)]


@rule(
    "GNET004",
    "Jobs list one connection per private subnet, one per AZ, in the same order",
    GLUE_FAILOVER,
    Severity.WARNING,
)
def failover_order(d: Deployment) -> Iterator[Finding]:
    orders: dict[str, list[str]] = {}
    for job in _vpc_jobs(d):
        conns = _job_connections(d, job)
        if not conns:
            continue
        orders[job.name] = [c.name for c in conns]
        zones = [c.availability_zone for c in conns]
        if len(set(zones)) != len(zones):
            yield Finding(
                "GNET004",
                job.name,
                f"two listed connections share an availability zone ({zones}); they give no zone failover.",
                "list one connection per private subnet, each in its own zone.",
                Severity.WARNING,
            )
        vpcs = {d.subnets[c.subnet_id].vpc_id for c in conns if c.subnet_id in d.subnets}
        covered = {c.subnet_id for c in conns}
        for vpc in vpcs:
            missing = [s for s in _private_subnets(d, vpc or "") if s.id not in covered]
            if missing:
                yield Finding(
                    "GNET004",
                    job.name,
                    "private subnet(s) "
                    + ", ".join(f"{s.id} ({s.availability_zone})" for s in missing)
                    + " have no connection on this job; if the listed zones fail, Glue has nowhere to go.",
                    "create a NETWORK connection for every private subnet and list all of them on each job.",
                    Severity.WARNING,
                )
    if len({tuple(o) for o in orders.values()}) > 1:
        yield Finding(
            "GNET004",
            ", ".join(sorted(orders)),
            f"jobs list their connections in different orders: {orders}; the pipeline's jobs would run in different zones.",
            "list the connections in the same (subnet) order on every job.",
            Severity.WARNING,
        )


@rule("GNET005", "No job carries --vpc-* arguments (Glue ignores them)", GLUE_VPC)
def no_vpc_arguments(d: Deployment) -> Iterator[Finding]:
    for job in d.jobs.values():
        if not job.arguments_known:
            # Only matters when nothing else places the job: with connections
            # attached, an ignored argument is noise, not a misplacement.
            if job.expects_vpc and job.connections_known and not job.connections:
                yield _unverifiable("GNET005", job.name, "job arguments unknown until apply")
            continue
        bad = sorted(k for k in job.arguments if k.lower().startswith("--vpc-"))
        if bad:
            yield Finding(
                "GNET005",
                job.name,
                f"job arguments {bad} are passed to the script and ignored for placement: the job does not run in the VPC.",
                "remove them; attach NETWORK connections through aws_glue_job.connections (glue module: var.subnets).",
            )


def _self_all_tcp(group: SecurityGroup, direction: str) -> bool:
    return any(r.referenced_security_group_id == group.id and r.covers_all_tcp for r in group.rules_for(direction))  # type: ignore[arg-type]


@rule("GNET006", "A connection security group allows all TCP from itself", GLUE_TROUBLE)
def self_referencing_ingress(d: Deployment) -> Iterator[Finding]:
    for c in _used_connections(d):
        groups = _connection_groups(d, c)
        if groups is None:
            if c.security_group_ids:
                yield _unverifiable("GNET006", c.name, f"security groups {c.security_group_ids} not visible")
            continue
        if not any(_self_all_tcp(g, "ingress") for g in groups):
            narrow = [
                f"{r.protocol} {r.from_port}-{r.to_port}"
                for g in groups
                for r in g.rules_for("ingress")
                if r.referenced_security_group_id == g.id
            ]
            seen = f" (self rules found only for {narrow})" if narrow else ""
            yield Finding(
                "GNET006",
                c.name,
                f"none of {[g.id for g in groups]} has an inbound rule for all TCP ports (0-65535) from itself"
                f"{seen}; executors then fail with java.net.ConnectException: Connection refused to the driver.",
                "add aws_vpc_security_group_ingress_rule with ip_protocol tcp, from_port 0, to_port 65535 and "
                "referenced_security_group_id = the group's own id.",
            )


@rule("GNET007", "A connection security group allows the outbound traffic Glue needs", GLUE_TROUBLE)
def egress(d: Deployment) -> Iterator[Finding]:
    for c in _used_connections(d):
        groups = _connection_groups(d, c)
        if groups is None:
            continue
        ok = False
        for g in groups:
            egress_rules = g.rules_for("egress")
            all_out = any(r.protocol == "-1" and r.cidr_ipv4 == "0.0.0.0/0" for r in egress_rules)
            https_s3 = any(r.prefix_list_id and r.covers_tcp_port(443) for r in egress_rules)
            all_to_any = any(r.cidr_ipv4 == "0.0.0.0/0" and r.covers_all_tcp for r in egress_rules)
            if all_out or all_to_any or (_self_all_tcp(g, "egress") and https_s3):
                ok = True
        if not ok:
            yield Finding(
                "GNET007",
                c.name,
                f"none of {[g.id for g in groups]} allows all outbound traffic, or all TCP to itself plus HTTPS to "
                "the S3 prefix list; the driver cannot reach executors or S3.",
                "add an egress rule for all traffic to 0.0.0.0/0, or a self-referencing all-TCP egress rule plus "
                "tcp 443 to the S3 gateway endpoint's prefix list.",
            )


def _has_igw_route(d: Deployment, subnet_id: str) -> bool:
    table = d.route_table_for_subnet(subnet_id)
    if table is None:
        return False
    return any(
        r.is_default_route and r.gateway_id and (r.gateway_id in d.internet_gateways or r.gateway_id.startswith("igw-"))
        for r in table.routes
    )


@rule("GNET008", "Every connection subnet reaches S3 through a gateway endpoint or NAT", GLUE_TROUBLE)
def s3_reachable(d: Deployment) -> Iterator[Finding]:
    for c in _used_connections(d):
        if not c.subnet_id:
            continue
        table = d.route_table_for_subnet(c.subnet_id)
        if table is None:
            if c.subnet_id in d.subnets:
                yield Finding(
                    "GNET008",
                    c.name,
                    f"subnet {c.subnet_id} has no route table association visible; without an S3 endpoint or NAT "
                    "the run fails with 'Could not find S3 endpoint or NAT gateway for subnetId'.",
                    "associate the subnet with a private route table that the S3 gateway endpoint serves.",
                )
            else:
                yield _unverifiable("GNET008", c.name, f"subnet {c.subnet_id} not visible")
            continue
        has_endpoint = any(e.is_s3_gateway and table.id in e.route_table_ids for e in d.vpc_endpoints.values())
        has_endpoint_route = any(
            r.vpc_endpoint_id in d.vpc_endpoints for r in table.routes if r.vpc_endpoint_id
        ) or any((r.gateway_id or "").startswith("vpce-") for r in table.routes)
        has_nat = any(r.is_default_route and r.nat_gateway_id for r in table.routes)
        if not (has_endpoint or has_endpoint_route or has_nat):
            yield Finding(
                "GNET008",
                c.name,
                f"route table {table.id} of subnet {c.subnet_id} has no S3 gateway endpoint and no NAT route; the "
                f"run fails with 'Could not find S3 endpoint or NAT gateway for subnetId: {c.subnet_id}'.",
                "add the route table to the S3 gateway endpoint's route_table_ids (vpc module: every private route "
                "table is associated), or route 0.0.0.0/0 to a NAT gateway.",
            )


@rule("GNET009", "Connection subnets are private (no internet gateway route)", GLUE_VPC)
def subnet_private(d: Deployment) -> Iterator[Finding]:
    for c in _used_connections(d):
        if c.subnet_id and _has_igw_route(d, c.subnet_id):
            yield Finding(
                "GNET009",
                c.name,
                f"subnet {c.subnet_id} routes 0.0.0.0/0 to an internet gateway; Glue's ENIs get no public IP, so the "
                "job has no internet and S3 is reachable only if an endpoint exists.",
                "use a private subnet (S3 gateway endpoint, NAT for the internet).",
            )


@rule("GNET010", "The VPC has DNS support and DNS hostnames on", GLUE_VPC)
def vpc_dns(d: Deployment) -> Iterator[Finding]:
    vpc_ids = {d.subnets[c.subnet_id].vpc_id for c in _used_connections(d) if c.subnet_id in d.subnets}
    for vpc_id in sorted(v for v in vpc_ids if v):
        vpc = d.vpcs.get(vpc_id)
        if vpc is None:
            yield _unverifiable("GNET010", vpc_id, "VPC not visible")
            continue
        off = [
            n
            for n, v in (
                ("enable_dns_support", vpc.enable_dns_support),
                ("enable_dns_hostnames", vpc.enable_dns_hostnames),
            )
            if v is False
        ]
        if off:
            yield Finding(
                "GNET010",
                vpc_id,
                f"{' and '.join(off)} off; Glue connections need both to resolve endpoints and the driver.",
                "set enable_dns_support = true and enable_dns_hostnames = true on aws_vpc.",
            )


@rule("GNET011", "Each connection subnet has more free IPs than the job's workers + driver", GLUE_TROUBLE)
def subnet_capacity(d: Deployment) -> Iterator[Finding]:
    for job in _vpc_jobs(d):
        if not job.number_of_workers:
            continue
        need = job.number_of_workers + 1
        for c in _job_connections(d, job):
            subnet = d.subnets.get(c.subnet_id or "")
            if subnet is None or subnet.available_ip_count is None:
                continue
            if subnet.available_ip_count <= need:
                yield Finding(
                    "GNET011",
                    job.name,
                    f"subnet {subnet.id} ({subnet.cidr_block}) has {subnet.available_ip_count} free IPs, not more than "
                    f"the {job.number_of_workers} workers + driver = {need} ENIs the job needs.",
                    "use a larger private subnet or fewer workers.",
                )


def _grants(statements, action: str) -> bool:
    allowed = any(
        st.effect.lower() == "allow" and any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in st.actions)
        for st in statements
    )
    denied = any(
        st.effect.lower() == "deny"
        and "*" in st.resources
        and any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in st.actions)
        for st in statements
    )
    return allowed and not denied


@rule("GNET012", "The job role may create and describe the network interfaces Glue needs", GLUE_IAM)
def role_eni_permissions(d: Deployment) -> Iterator[Finding]:
    for job in _vpc_jobs(d):
        if not job.connections:
            continue
        role = d.roles.get(job.role or "")
        if role is None:
            yield _unverifiable("GNET012", job.name, f"role {job.role} not visible")
            continue
        if any(arn.endswith(p) for arn in role.managed_policy_arns for p in ENI_MANAGED_POLICIES):
            continue
        missing = [a for a in ENI_ACTIONS if not _grants(role.statements, a)]
        if not missing:
            continue
        if not role.complete:
            yield _unverifiable("GNET012", job.name, f"some policies of {role.id} could not be read")
            continue
        yield Finding(
            "GNET012",
            job.name,
            f"role {role.arn or role.id} lacks {missing}; Glue cannot create the job's ENIs in the subnet.",
            "attach service-role/AWSGlueServiceRole or grant these ec2 actions on * in the role's policy.",
        )


@rule("GNET013", "A connection's security groups and subnet are in the same VPC", GLUE_VPC)
def same_vpc(d: Deployment) -> Iterator[Finding]:
    for c in _used_connections(d):
        subnet = d.subnets.get(c.subnet_id or "")
        groups = _connection_groups(d, c)
        if subnet is None or groups is None or subnet.vpc_id is None:
            continue
        other = [g.id for g in groups if g.vpc_id and g.vpc_id != subnet.vpc_id]
        if other:
            yield Finding(
                "GNET013",
                c.name,
                f"security groups {other} are not in the subnet's VPC {subnet.vpc_id}; Glue cannot attach them to the ENIs.",
                "use security groups of the subnet's VPC.",
            )

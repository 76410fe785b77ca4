"""The network facts a Glue job needs that hold without any Glue resource, checked with boto3.

For a stack that has the VPC but no Glue job (the vpc module alone, e.g. on LocalStack Community),
the rule catalogue has nothing to start from: its rules follow jobs to connections to subnets. This
module checks the same facts from the network side, reading the deployed resources through the
EC2 API only (the AWS sources are those the named rule of glue_netcheck.rules cites):

  self_ingress     the group allows all TCP from itself (GNET006)
  egress           all outbound, or all TCP to itself plus HTTPS to the S3 prefix list (GNET007)
  s3_route         each private subnet's route table has the S3 gateway endpoint or a NAT route,
                   and no internet-gateway default route (GNET008, GNET009)
  dns              enableDnsSupport and enableDnsHostnames (GNET010)
  subnet_capacity  each private subnet has more free IPs than workers + driver (GNET011)
  endpoint_groups  each interface endpoint has private DNS on, admits HTTPS from the Glue group,
                   and the Glue group may send HTTPS to it (the KMS route for VPC jobs)

``verify_network`` returns one ``Fact`` per name, with ``ok`` True, False, or None (nothing to
check, e.g. no interface endpoint), and a detail that says what was seen.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

ALL_TCP = (0, 65535)


@dataclass(frozen=True)
class Fact:
    name: str
    ok: bool | None
    detail: str

    def __str__(self) -> str:
        state = {True: "ok", False: "FAILED", None: "n/a"}[self.ok]
        return f"{self.name} [{state}]: {self.detail}"


@dataclass(frozen=True)
class Network:
    """What the facts are about: the VPC, its private (Glue) subnets and the Glue security group."""

    vpc_id: str
    subnet_ids: tuple[str, ...]
    group_id: str
    region: str
    needed_ips: int  # workers + driver of the largest job meant for these subnets


def _rules(ec2: Any, group_id: str) -> list[dict[str, Any]]:
    pages = ec2.get_paginator("describe_security_group_rules").paginate(
        Filters=[{"Name": "group-id", "Values": [group_id]}]
    )
    return [rule for page in pages for rule in page["SecurityGroupRules"]]


def _covers_all_tcp(rule: dict[str, Any]) -> bool:
    return rule["IpProtocol"] == "-1" or (
        rule["IpProtocol"] in ("tcp", "6") and (rule.get("FromPort"), rule.get("ToPort")) == ALL_TCP
    )


def _covers_tcp(rule: dict[str, Any], port: int) -> bool:
    if rule["IpProtocol"] == "-1":
        return True
    return rule["IpProtocol"] in ("tcp", "6") and rule.get("FromPort", -1) <= port <= rule.get("ToPort", -1)


def _referenced(rule: dict[str, Any]) -> str | None:
    return (rule.get("ReferencedGroupInfo") or {}).get("GroupId")


def _cidr_covers(cidr: str | None, inner: Iterable[str]) -> bool:
    if not cidr:
        return False
    outer = ipaddress.ip_network(cidr)
    return all(ipaddress.ip_network(c).subnet_of(outer) for c in inner)


def _describe(rule: dict[str, Any]) -> str:
    target = _referenced(rule) or rule.get("CidrIpv4") or rule.get("PrefixListId") or "?"
    ports = "all" if rule["IpProtocol"] == "-1" else f"{rule['IpProtocol']} {rule.get('FromPort')}-{rule.get('ToPort')}"
    return f"{'out' if rule['IsEgress'] else 'in'} {ports} {target}"


def self_ingress(ec2: Any, net: Network) -> Fact:
    rules = _rules(ec2, net.group_id)
    found = [r for r in rules if not r["IsEgress"] and _referenced(r) == net.group_id and _covers_all_tcp(r)]
    if found:
        return Fact("self_ingress", True, f"{net.group_id}: {_describe(found[0])}")
    seen = [_describe(r) for r in rules if not r["IsEgress"]]
    return Fact(
        "self_ingress",
        False,
        f"{net.group_id} has no inbound rule for all TCP from itself (inbound: {seen}); executors cannot reach the driver",
    )


def _s3_prefix_list(ec2: Any, region: str) -> str | None:
    for entry in ec2.describe_prefix_lists()["PrefixLists"]:
        if entry["PrefixListName"] == f"com.amazonaws.{region}.s3":
            return entry["PrefixListId"]
    return None


def egress(ec2: Any, net: Network) -> Fact:
    out = [r for r in _rules(ec2, net.group_id) if r["IsEgress"]]
    everything = [r for r in out if r.get("CidrIpv4") == "0.0.0.0/0" and _covers_all_tcp(r)]
    if everything:
        return Fact("egress", True, f"{net.group_id}: {_describe(everything[0])}")
    self_out = any(_referenced(r) == net.group_id and _covers_all_tcp(r) for r in out)
    s3_list = _s3_prefix_list(ec2, net.region)
    https_s3 = any(s3_list and r.get("PrefixListId") == s3_list and _covers_tcp(r, 443) for r in out)
    if self_out and https_s3:
        return Fact("egress", True, f"{net.group_id}: all TCP to itself and HTTPS to the S3 prefix list {s3_list}")
    return Fact(
        "egress",
        False,
        f"{net.group_id} allows neither all outbound traffic nor all TCP to itself plus HTTPS to the S3 prefix list "
        f"(outbound: {[_describe(r) for r in out]})",
    )


def _route_table(ec2: Any, vpc_id: str, subnet_id: str) -> dict[str, Any] | None:
    tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}])
    if tables["RouteTables"]:
        return tables["RouteTables"][0]
    main = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "association.main", "Values": ["true"]}]
    )["RouteTables"]
    return main[0] if main else None


def s3_route(ec2: Any, net: Network) -> Fact:
    endpoints = ec2.describe_vpc_endpoints(
        Filters=[
            {"Name": "vpc-id", "Values": [net.vpc_id]},
            {"Name": "service-name", "Values": [f"com.amazonaws.{net.region}.s3"]},
        ]
    )["VpcEndpoints"]
    served = {t for e in endpoints if e.get("VpcEndpointType") == "Gateway" for t in e.get("RouteTableIds", [])}
    problems, seen = [], []
    for subnet_id in net.subnet_ids:
        table = _route_table(ec2, net.vpc_id, subnet_id)
        if table is None:
            problems.append(f"{subnet_id} has no route table")
            continue
        routes = table.get("Routes", [])
        default = [r for r in routes if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        nat = any(r.get("NatGatewayId") for r in default)
        if any((r.get("GatewayId") or "").startswith("igw-") for r in default):
            problems.append(
                f"{subnet_id} ({table['RouteTableId']}) routes 0.0.0.0/0 to an internet gateway: not private"
            )
        elif table["RouteTableId"] in served or nat:
            seen.append(f"{subnet_id} via {table['RouteTableId']} ({'S3 gateway endpoint' if not nat else 'NAT'})")
        else:
            problems.append(
                f"{subnet_id} ({table['RouteTableId']}) has neither the S3 gateway endpoint nor a NAT route"
            )
    if problems:
        return Fact("s3_route", False, "; ".join(problems) + " ('Could not find S3 endpoint or NAT gateway')")
    return Fact("s3_route", True, "; ".join(seen))


def dns(ec2: Any, net: Network) -> Fact:
    support = ec2.describe_vpc_attribute(VpcId=net.vpc_id, Attribute="enableDnsSupport")["EnableDnsSupport"]["Value"]
    hostnames = ec2.describe_vpc_attribute(VpcId=net.vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"][
        "Value"
    ]
    off = [name for name, value in (("enableDnsSupport", support), ("enableDnsHostnames", hostnames)) if not value]
    if off:
        return Fact("dns", False, f"{net.vpc_id}: {' and '.join(off)} off")
    return Fact("dns", True, f"{net.vpc_id}: enableDnsSupport and enableDnsHostnames on")


def subnet_capacity(ec2: Any, net: Network) -> Fact:
    subnets = ec2.describe_subnets(SubnetIds=list(net.subnet_ids))["Subnets"]
    small = [s for s in subnets if s["AvailableIpAddressCount"] <= net.needed_ips]
    seen = ", ".join(f"{s['SubnetId']} {s['CidrBlock']} {s['AvailableIpAddressCount']} free" for s in subnets)
    outside = [s["SubnetId"] for s in subnets if s["VpcId"] != net.vpc_id]
    if small or outside or len(subnets) != len(net.subnet_ids):
        return Fact(
            "subnet_capacity",
            False,
            f"need more than {net.needed_ips} free IPs per subnet (workers + driver) in {net.vpc_id}: {seen}"
            + (f"; not in the VPC: {outside}" if outside else ""),
        )
    return Fact("subnet_capacity", True, f"more than {net.needed_ips} free IPs each: {seen}")


def endpoint_groups(ec2: Any, net: Network) -> Fact:
    endpoints = [
        e
        for e in ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [net.vpc_id]}])["VpcEndpoints"]
        if e.get("VpcEndpointType") == "Interface" and e.get("State", "").lower() not in ("deleted", "deleting")
    ]
    if not endpoints:
        return Fact("endpoint_groups", None, f"{net.vpc_id} has no interface endpoint")
    subnets = ec2.describe_subnets(SubnetIds=list(net.subnet_ids))["Subnets"]
    glue_cidrs = [s["CidrBlock"] for s in subnets]
    glue_out = [r for r in _rules(ec2, net.group_id) if r["IsEgress"] and _covers_tcp(r, 443)]
    problems, seen = [], []
    for endpoint in endpoints:
        name = f"{endpoint['VpcEndpointId']} ({endpoint['ServiceName']})"
        groups = [g["GroupId"] for g in endpoint.get("Groups", [])]
        if not endpoint.get("PrivateDnsEnabled"):
            problems.append(f"{name}: private DNS off, so the service's name does not resolve to the endpoint")
        admits = any(
            not r["IsEgress"]
            and _covers_tcp(r, 443)
            and (_referenced(r) == net.group_id or _cidr_covers(r.get("CidrIpv4"), glue_cidrs))
            for g in groups
            for r in _rules(ec2, g)
        )
        endpoint_subnets = endpoint.get("SubnetIds") or []
        endpoint_cidrs = (
            [s["CidrBlock"] for s in ec2.describe_subnets(SubnetIds=endpoint_subnets)["Subnets"]]
            if endpoint_subnets
            else glue_cidrs
        )
        reaches = any(_referenced(r) in groups or _cidr_covers(r.get("CidrIpv4"), endpoint_cidrs) for r in glue_out)
        if not groups or not admits:
            problems.append(f"{name}: its groups {groups} do not admit HTTPS from {net.group_id} or its subnets")
        if not reaches:
            problems.append(f"{name}: {net.group_id} may not send HTTPS to it")
        if groups and admits and reaches and endpoint.get("PrivateDnsEnabled"):
            seen.append(f"{name} via {groups}")
    if problems:
        return Fact("endpoint_groups", False, "; ".join(problems))
    return Fact("endpoint_groups", True, "HTTPS both ways, private DNS on: " + "; ".join(seen))


FACTS: tuple[Callable[[Any, Network], Fact], ...] = (
    self_ingress,
    egress,
    s3_route,
    dns,
    subnet_capacity,
    endpoint_groups,
)


def verify_network(client_for: Callable[[str], Any], net: Network) -> list[Fact]:
    ec2 = client_for("ec2")
    return [fact(ec2, net) for fact in FACTS]

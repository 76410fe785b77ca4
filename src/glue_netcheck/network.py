"""Network facts the rules derive from the model: VPC intent, what security groups admit,
and how a connection's subnet reaches an AWS service.

Every answer that depends on a fact the source could not know is ``None`` (unknown),
so a rule can report it as unverifiable instead of guessing. ``Verdict`` carries the
answer together with the reason a reader needs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from glue_netcheck.model import (
    INTERNET,
    NETWORK_MODE_TAG,
    Connection,
    Deployment,
    Job,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    VpcEndpoint,
)
from glue_netcheck.normalize import cidr_contains

ANYWHERE = "0.0.0.0/0"
HTTPS = 443
# Services reached through a gateway endpoint on the subnet's route table.
GATEWAY_SERVICES = frozenset({"s3", "dynamodb"})


@dataclass(frozen=True)
class Verdict:
    ok: bool | None  # None: unknown
    reason: str = ""


# --- VPC intent -----------------------------------------------------------------


def has_vpc_arguments(job: Job) -> list[str]:
    """The ``--vpc-*`` argument keys the job passes (keys are known even when values are pending)."""
    keys = [*job.arguments, *job.pending_arguments]
    return sorted(k for k in keys if k.lower().startswith("--vpc-"))


def listed_connections(d: Deployment, job: Job) -> list[Connection]:
    return [c for name in job.connections if (c := d.connections.get(name)) is not None]


@dataclass(frozen=True)
class Placement:
    """The VPC-placing connections a job uses, as far as the source can tell.

    ``certain``: the job is known to use them (its list is known, or built only from references
    to these connections' names). ``ordered``: their order is the job's (the list is known).
    Otherwise ``connections`` are candidates -- the VPC-placing connections of the job's own module
    instance -- and ``why`` says what is unknown.
    """

    connections: tuple[Connection, ...]
    certain: bool
    ordered: bool
    why: str = ""


def placement(d: Deployment, job: Job) -> Placement:
    if job.connections_known:
        listed = tuple(c for c in listed_connections(d, job) if c.places_job_in_vpc)
        hidden = [n for n in job.connections if n not in d.connections]
        nameless = tuple(c for c in d.connections.values() if not c.name_known and c.places_job_in_vpc)
        if hidden and nameless and not d.sees_every_connection:
            # A listed name may be that of a connection whose name the plan knows only after apply.
            return Placement(
                listed + nameless,
                False,
                False,
                f"it lists {', '.join(hidden)}, which may be a connection whose name is known only after apply",
            )
        return Placement(listed, True, True)
    by_name = [k for k, attr in job.connection_refs.items() if attr in ("name", "")]
    if job.connection_refs_complete and job.connection_refs:
        # Built from connection names only: these connections, in an order known after apply.
        # (Built from .id or .arn, it attaches nothing at all: GNET002.)
        used = tuple(c for k in by_name if (c := d.connections.get(k)) is not None and c.places_job_in_vpc)
        return Placement(used, True, False)
    referenced = [c for k in by_name if (c := d.connections.get(k)) is not None]
    local = [c for c in d.connections.values() if c.module == job.module and c not in referenced]
    candidates = tuple(c for c in [*referenced, *local] if c.places_job_in_vpc)
    return Placement(candidates, False, False, "its connection list is known only after apply")


def placing_connections(d: Deployment, job: Job) -> list[Connection]:
    """The connections that certainly put the job's ENIs in a subnet (in the job's order when known)."""
    where = placement(d, job)
    return list(where.connections) if where.certain else []


def vpc_evidence(d: Deployment, job: Job) -> list[str]:
    """Why the job belongs in a VPC; empty when nothing says so (a VPC elsewhere in the plan is not evidence)."""
    reasons = []
    if placing := placing_connections(d, job):
        reasons.append(f"it lists connection(s) {', '.join(c.name for c in placing)}")
    if job.connections_from_computed:
        reasons.append("it lists connections (by attributes known only after apply)")
    if job.declared_network_mode == "vpc":
        reasons.append(f"its tag {NETWORK_MODE_TAG} is 'vpc'")
    if args := has_vpc_arguments(job):
        reasons.append(f"it passes {', '.join(args)}")
    if job.name in d.required_vpc_jobs:
        reasons.append("--require-vpc names it")
    return reasons


def intent_unknown(d: Deployment, job: Job) -> str | None:
    """Why VPC intent cannot be decided for a job without evidence, or None when it can."""
    if not job.connections_known:
        return "its connection list is known only after apply"
    hidden = [n for n in job.connections if n not in d.connections]
    if hidden and not d.sees_every_connection:
        return f"it lists connection(s) {', '.join(hidden)} that the plan does not create"
    if not job.tags_known and job.declared_network_mode is None:
        return "its tags are known only after apply"
    if not job.arguments_known:
        return "its arguments are known only after apply (they could hold --vpc-* arguments)"
    return None


def vpc_jobs(d: Deployment) -> list[Job]:
    return [j for j in d.jobs.values() if vpc_evidence(d, j)]


def judged_jobs(d: Deployment) -> list[tuple[Job, Placement]]:
    """Every job the network rules judge: VPC jobs, and jobs that may be (their verdicts unverifiable)."""
    out = []
    for job in d.jobs.values():
        where = placement(d, job)
        if vpc_evidence(d, job):
            out.append((job, where))
        elif intent_unknown(d, job) and where.connections:
            out.append((job, Placement(where.connections, False, False, where.why or intent_unknown(d, job) or "")))
    return out


@dataclass(frozen=True)
class Attachment:
    """Whether some job runs in a connection: ``listed`` (certainly), ``maybe`` (a job whose list is unknown
    may use it) or ``unattached`` (no job lists it)."""

    status: str
    why: str = ""
    jobs: tuple[str, ...] = ()


def attachment(d: Deployment, c: Connection) -> Attachment:
    return d.lookups.attachments(d).get(c.name, Attachment("unattached", "no job in the plan lists it"))


def judged_connections(d: Deployment) -> list[tuple[Connection, Attachment]]:
    """Every connection that places jobs in a subnet, whether or not a job is known to list it."""
    listed: dict[str, Connection] = {}
    for job in d.jobs.values():
        for c in placement(d, job).connections:
            listed.setdefault(c.name, c)
    if d.kind == "plan":
        # A live account is read from the jobs' lists: every connection it shows is listed.
        for c in d.connections.values():
            if c.places_job_in_vpc:
                listed.setdefault(c.name, c)
    return [(c, attachment(d, c)) for c in listed.values()]


def used_connections(d: Deployment) -> list[Connection]:
    """Every VPC-placing connection some job certainly uses, once, in first-listed order."""
    return [c for c, a in judged_connections(d) if a.status == "listed"]


def connection_groups(d: Deployment, c: Connection) -> list[SecurityGroup] | None:
    """The connection's security groups, or None when any of them is not visible.

    With ``"security_group_ids"`` in ``c.unknown`` the list holds the groups its expression refers to
    and may hold more: a rule may conclude "some group allows it", never "no group does".
    """
    if not c.security_group_ids:
        return None
    groups = [d.security_groups.get(g) for g in c.security_group_ids]
    return None if any(g is None for g in groups) else [g for g in groups if g is not None]


def connection_subnet(d: Deployment, c: Connection) -> Subnet | None:
    return d.subnets.get(c.subnet_id or "") if "subnet_id" not in c.unknown else None


# --- what security groups admit --------------------------------------------------

# How much of the peer a rule's source (or destination) covers: True all of it,
# False none, None unknown, or a network when a CIDR rule holds only part of the
# peer's subnet (several such rules may cover the subnet together).
Coverage = bool | None | ipaddress.IPv4Network | ipaddress.IPv6Network
PeerMatch = Callable[[SecurityGroupRule], Coverage]


def _pieces(ranges: Iterable[tuple[int, int]], low: int, high: int) -> list[tuple[int, int]]:
    """[low, high] cut at every range edge: each piece is wholly in or out of every range."""
    cuts = {low, high + 1}
    for start, end in ranges:
        cuts.update(p for p in (start, end + 1) if low < p <= high)
    edges = sorted(cuts)
    return [(a, b - 1) for a, b in zip(edges, edges[1:], strict=False)]


def _covers_network(parts: list[ipaddress.IPv4Network | ipaddress.IPv6Network], whole: str | None) -> bool:
    if not parts or not whole:
        return False
    target = ipaddress.ip_network(whole, strict=False)
    merged = ipaddress.collapse_addresses(p for p in parts if p.version == target.version)  # type: ignore[misc]
    return any(target.subnet_of(n) for n in merged)  # type: ignore[arg-type]


def tcp_open(
    group: SecurityGroup,
    direction: str,
    peer: PeerMatch,
    low: int = 0,
    high: int = 65535,
    peer_cidr: str | None = None,
) -> bool | None:
    """Whether one group's rules in ``direction`` open every TCP port ``low``-``high`` for the whole peer.

    Rules are unioned within the group, as AWS evaluates them, over both ports and
    addresses: two self rules 0-32767 and 32768-65535 open every port, and two CIDR
    rules for the halves of ``peer_cidr`` cover the peer. Unknown rule fields or an
    incomplete rule set turn a "no" into "unknown", never a "yes" into "unknown".
    """
    full: list[tuple[int, int]] = []
    partial: list[tuple[tuple[int, int], ipaddress.IPv4Network | ipaddress.IPv6Network]] = []
    maybe: list[tuple[int, int]] = []
    for r in group.rules_for(direction):  # type: ignore[arg-type]
        if {"protocol", "from_port", "to_port", "direction"} & r.unknown:
            maybe.append((0, 65535))
            continue
        ports = r.tcp_range
        if ports is None:
            continue
        match = peer(r)
        if match is True:
            full.append(ports)
        elif match is None:
            maybe.append(ports)
        elif match is not False:
            partial.append((ports, match))
    for a, b in _pieces([*full, *maybe, *(p for p, _ in partial)], low, high):
        if any(s <= a and b <= e for s, e in full):
            continue
        if _covers_network([n for (s, e), n in partial if s <= a and b <= e], peer_cidr):
            continue
        if not group.rules_complete or any(s <= a and b <= e for s, e in maybe):
            return None
        return False
    return True


def _cidr_coverage(rule_cidr: str, peer_cidr: str | None) -> Coverage:
    if rule_cidr == ANYWHERE:
        return True
    whole = cidr_contains(rule_cidr, peer_cidr)
    if whole is None:
        return None
    if whole:
        return True
    inside = cidr_contains(peer_cidr, rule_cidr)
    return ipaddress.ip_network(rule_cidr, strict=False) if inside else False


def members_of(group_ids: Iterable[str], subnet_cidr: str | None) -> PeerMatch:
    """Traffic between a connection's ENIs: same groups, or CIDRs that hold the subnet."""
    ids = set(group_ids)

    def match(r: SecurityGroupRule) -> Coverage:
        if r.referenced_security_group_id:
            return r.referenced_security_group_id in ids
        if "referenced_security_group_id" in r.unknown or "cidr_ipv4" in r.unknown:
            return None
        if r.cidr_ipv4:
            return _cidr_coverage(r.cidr_ipv4, subnet_cidr)
        return False

    return match


def anywhere(r: SecurityGroupRule) -> bool | None:
    if "cidr_ipv4" in r.unknown:
        return None
    return r.cidr_ipv4 == ANYWHERE


def s3_destination(d: Deployment, vpc_id: str | None) -> PeerMatch:
    """HTTPS to S3: the prefix list of the VPC's S3 gateway endpoint, or anywhere."""
    pool = d.vpc_endpoints.values() if vpc_id is None else d.endpoints_in(vpc_id)
    endpoints = [e for e in pool if e.is_s3_gateway]
    known = {e.prefix_list_id for e in endpoints if e.prefix_list_id} | {e.id for e in endpoints}
    lists_unknown = any(not e.prefix_list_id for e in endpoints)

    def match(r: SecurityGroupRule) -> bool | None:
        if "prefix_list_id" in r.unknown:
            return None
        if r.prefix_list_id:
            if r.prefix_list_id in known:
                return True
            # A literal pl- id while the endpoint's own list is known only after apply.
            return None if lists_unknown and r.prefix_list_id.startswith("pl-") else False
        return anywhere(r)

    return match


def endpoint_destination(d: Deployment, e: VpcEndpoint) -> PeerMatch:
    """Traffic to an interface endpoint's ENIs: its groups, anywhere, or a CIDR holding them."""
    vpc = d.vpcs.get(e.vpc_id or "")
    cidrs = [s.cidr_block for sid in e.subnet_ids if (s := d.subnets.get(sid))]

    def match(r: SecurityGroupRule) -> bool | None:
        if r.referenced_security_group_id:
            return r.referenced_security_group_id in e.security_group_ids
        if "referenced_security_group_id" in r.unknown or "cidr_ipv4" in r.unknown:
            return None
        if not r.cidr_ipv4:
            return False
        if r.cidr_ipv4 == ANYWHERE:
            return True
        if vpc is not None and cidr_contains(r.cidr_ipv4, vpc.cidr_block):
            return True
        if cidrs and len(cidrs) == len(e.subnet_ids):
            inside = [cidr_contains(r.cidr_ipv4, c) for c in cidrs]
            return None if None in inside else all(inside)
        return None

    return match


def any_group(groups: Iterable[SecurityGroup], test: Callable[[SecurityGroup], bool | None]) -> bool | None:
    """True if some group passes; None if none does but some is unknown."""
    answers = [test(g) for g in groups]
    if True in answers:
        return True
    return None if None in answers else False


# --- how a connection subnet reaches a service -----------------------------------


def _egress_https(groups: list[SecurityGroup], peer: PeerMatch) -> bool | None:
    return any_group(groups, lambda g: tcp_open(g, "egress", peer, HTTPS, HTTPS))


def _interface_endpoint(d: Deployment, e: VpcEndpoint, groups: list[SecurityGroup], subnet: Subnet) -> Verdict:
    if e.private_dns_enabled is False:
        return Verdict(False, f"endpoint {e.id} has private DNS off, so the service's name does not resolve to it")
    if e.private_dns_enabled is None:
        return Verdict(None, f"whether endpoint {e.id} has private DNS on")
    if "security_group_ids" in e.unknown:
        return Verdict(None, f"the security groups of endpoint {e.id}")
    endpoint_groups = [d.security_groups.get(g) for g in e.security_group_ids]
    if any(g is None for g in endpoint_groups) or not endpoint_groups:
        return Verdict(None, f"the security groups {e.security_group_ids} of endpoint {e.id}")
    job_ids = [g.id for g in groups]
    admits = any_group(
        [g for g in endpoint_groups if g],
        lambda g: tcp_open(g, "ingress", members_of(job_ids, subnet.cidr_block), HTTPS, HTTPS, subnet.cidr_block),
    )
    out = _egress_https(groups, endpoint_destination(d, e))
    if admits is True and out is True:
        return Verdict(True, f"interface endpoint {e.id}")
    if admits is False:
        return Verdict(False, f"endpoint {e.id}'s security groups do not admit TCP 443 from {job_ids}")
    if out is False:
        return Verdict(False, f"the job's security groups {job_ids} do not allow TCP 443 out to endpoint {e.id}")
    return Verdict(None, f"the TCP 443 rules between the job's groups {job_ids} and endpoint {e.id}")


def service_reachable(d: Deployment, c: Connection, groups: list[SecurityGroup], service: str) -> Verdict:
    """Whether ENIs of connection ``c`` reach ``service`` (``kms``, ``s3``... or ``internet``)."""
    subnet = connection_subnet(d, c)
    if subnet is None:
        return Verdict(None, f"subnet {c.subnet_id} of connection {c.name}")
    if "route_table" in subnet.unknown:
        return Verdict(None, f"the route table of subnet {subnet.id}")
    table = d.route_table_for_subnet(subnet.id)
    if table is None:
        return Verdict(None, f"the route table of subnet {subnet.id}")
    reasons: list[str] = []
    unknown: list[str] = []

    def weigh(v: Verdict) -> bool:
        if v.ok is True:
            return True
        (unknown if v.ok is None else reasons).append(v.reason)
        return False

    if service != INTERNET:
        endpoints = d.endpoints_near(subnet)
        for e in endpoints:
            if e.is_interface and e.service == service and weigh(_interface_endpoint(d, e, groups, subnet)):
                return Verdict(True, f"interface endpoint {e.id}")
        if service in GATEWAY_SERVICES:
            for e in endpoints:
                if not (e.is_gateway and e.service == service):
                    continue
                if table.id in e.route_table_ids:
                    out = _egress_https(groups, s3_destination(d, subnet.vpc_id) if service == "s3" else anywhere)
                    if weigh(Verdict(out, f"the job's groups allow no TCP 443 to the {service} gateway endpoint")):
                        return Verdict(True, f"gateway endpoint {e.id}")
                elif "route_table_ids" in e.unknown:
                    unknown.append(f"whether {service} gateway endpoint {e.id} serves route table {table.id}")
        for e in endpoints:
            if {"service_name", "endpoint_type"} & e.unknown and e.service in (service, None):
                unknown.append(f"the service or type of endpoint {e.id}, known only after apply")
    nat = [r for r in table.routes if r.maybe_default_route and r.nat_gateway_id]
    for r in nat:
        out = _egress_https(groups, anywhere)
        verdict = Verdict(out, "the job's security groups allow no TCP 443 to 0.0.0.0/0, which NAT traffic needs")
        if r.destination_unknown:
            if out is not False:
                unknown.append(f"whether the route of table {table.id} to NAT gateway {r.nat_gateway_id} is 0.0.0.0/0")
            continue
        if weigh(verdict):
            return Verdict(True, f"NAT gateway {r.nat_gateway_id}")
    other = [r for r in table.routes if r.maybe_default_route and r.other_target]
    if other:
        unknown.append(f"route table {table.id} sends 0.0.0.0/0 to {other[0].other_target}, which is not followed")
    if not table.routes_complete:
        unknown.append(_routes_unknown(table))
    if unknown:
        return Verdict(None, "; ".join(unknown))
    if not reasons:
        endpoint = "" if service == INTERNET else f" and the VPC has no {service} {_endpoint_kind(service)} endpoint"
        reasons.append(
            f"route table {table.id} of subnet {subnet.id} has no 0.0.0.0/0 route to a NAT gateway{endpoint}"
        )
    return Verdict(False, "; ".join(reasons))


def _routes_unknown(table: RouteTable) -> str:
    return f"route table {table.id}: {table.routes_note or 'some of its routes are known only after apply'}"


def _endpoint_kind(service: str) -> str:
    return "gateway or interface" if service in GATEWAY_SERVICES else "interface"


def s3_route(d: Deployment, subnet: Subnet) -> Verdict:
    """Whether the subnet's route table reaches S3: an S3 gateway endpoint on it, or a default route to NAT."""
    if "route_table" in subnet.unknown:
        return Verdict(None, f"the route table of subnet {subnet.id} is known only after apply")
    table = d.route_table_for_subnet(subnet.id)
    if table is None:
        return Verdict(None, f"no route table of subnet {subnet.id} is visible")
    endpoints = [e for e in d.endpoints_near(subnet) if e.is_s3_gateway]
    if any(table.id in e.route_table_ids for e in endpoints) or any(
        (e := d.vpc_endpoints.get(r.vpc_endpoint_id or "")) is not None and e.is_s3_gateway for r in table.routes
    ):
        return Verdict(True, "S3 gateway endpoint")
    if any(r.is_default_route and r.nat_gateway_id for r in table.routes):
        return Verdict(True, "NAT gateway")
    unknown = [
        f"whether S3 gateway endpoint {e.id} serves route table {table.id}"
        for e in endpoints
        if "route_table_ids" in e.unknown
    ]
    unknown += [
        f"the service or type of endpoint {e.id}"
        for e in d.endpoints_near(subnet)
        if {"service_name", "endpoint_type"} & e.unknown and e.service in ("s3", None)
    ]
    unknown += [
        f"route table {table.id} sends 0.0.0.0/0 to {r.other_target}, which is not followed"
        for r in table.routes
        if r.maybe_default_route and r.other_target
    ]
    unknown += [
        f"whether a route of table {table.id} to NAT gateway {r.nat_gateway_id} is 0.0.0.0/0"
        for r in table.routes
        if r.destination_unknown and r.nat_gateway_id
    ]
    if not table.routes_complete:
        unknown.append(_routes_unknown(table))
    if unknown:
        return Verdict(None, "; ".join(unknown))
    return Verdict(
        False,
        f"route table {table.id} of subnet {subnet.id} has no S3 gateway endpoint and no NAT route; the run "
        f"fails with 'Could not find S3 endpoint or NAT gateway for subnetId: {subnet.id}'.",
    )


def internet_gateway_route(d: Deployment, subnet: Subnet) -> Verdict:
    """Whether the subnet routes 0.0.0.0/0 to an internet gateway (True: it does)."""
    if "route_table" in subnet.unknown:
        return Verdict(None, f"the route table of subnet {subnet.id} is known only after apply")
    table = d.route_table_for_subnet(subnet.id)
    if table is None:
        return Verdict(False)

    def to_igw(r: Route) -> bool:
        return bool(r.gateway_id and (r.gateway_id in d.internet_gateways or r.gateway_id.startswith("igw-")))

    if any(r.is_default_route and to_igw(r) for r in table.routes):
        return Verdict(True, f"subnet {subnet.id} routes 0.0.0.0/0 to an internet gateway")
    if any(r.destination_unknown and to_igw(r) for r in table.routes):
        return Verdict(None, f"whether the route of table {table.id} to an internet gateway is 0.0.0.0/0")
    if not table.routes_complete:
        return Verdict(None, _routes_unknown(table))
    return Verdict(False)

"""GNET006 and GNET007 judged by the network: random security groups, real TCP (issue 8, item 5).

Each example is ONE security group (Glue validates the groups of a connection
one at a time) with rules drawn at random: protocol tcp/udp/icmp/all, port
ranges with their edges, and sources/destinations from ``TARGETS`` (the group
itself, CIDRs that contain the member subnet or not, 0.0.0.0/0, ::/0, another
group, the S3 prefix list, another service's prefix list).

The group is translated to nftables (``sg_nft``) on two members, ``driver`` and
``executor``, placed at the first and the last address an ENI can have in the
member subnet, so that rules on the pool's CIDRs admit both of them exactly when
those CIDRs hold the whole subnet (``test_target_pool_decides_subnets_by_the_two_members``
checks every union). ``s3`` sits at an address of the S3 prefix
list, ``dynamodb`` at one of DynamoDB's, ``outsider`` is an instance of another
group in the same subnet. Then TCP probes measure, on every port where the
group's verdict can change (both sides of each range edge, 0/1/65534/65535,
the Spark ports and random ports):

* ingress: a SYN from one member to the other that skips the sender's egress
  chain (``INGRESS_PROBE_DSCP``), so only the receiver's ingress rules decide;
* egress: a SYN that skips the receiver's ingress chain (``EGRESS_PROBE_DSCP``),
  plus an unmarked connection to S3 on 443 (S3 filters nothing);
* flows: unmarked connections, where both chains apply as on AWS.

Three comparisons, in order, each failing with its own message:
1. kernel == the translation's Python model, probe by probe (a translation or
   lab bug); a "timeout" the model calls admitted is probed again, slowly,
   before it counts, so a loaded machine cannot fake a drop;
2. network == ``contract_verdicts`` (the contract in code, independent of the
   lab and of glue_netcheck): the lab measures what the contract says;
3. network == ``glue_netcheck.run_rules(..., only=["GNET006", "GNET007"])``:
   every disagreement is a bug in a rule.

A port a group admits is reached with "ok" where a listener waits (the Spark
ports, 443) and "refused" elsewhere: the receiver's kernel answers a SYN that
passed the filter with a reset, and no rule here ever sends one (port 0 cannot
be listened on, so it is always measured this way). A dropped SYN times out.
"""

from __future__ import annotations

import collections
import ipaddress
import itertools
import json
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import glue_netcheck
from glue_netcheck import Outcome
from glue_netcheck.model import (
    Connection,
    Deployment,
    Job,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)
from harness.network import TCP_PROBE
from harness.network.netns import NetnsLab
from harness.network.sg_nft import EGRESS_PROBE_DSCP, INGRESS_PROBE_DSCP, HostRuleset, build_rulesets

PROBE = str(TCP_PROBE)
RULE_IDS = ("GNET006", "GNET007")

REGION = "us-east-1"
VPC_CIDR, SUBNET = "10.250.0.0/16", "10.250.0.0/24"
GROUP, OTHER_GROUP = "sg-0glue", "sg-0other"
# us-east-1's managed prefix lists (ids and a part of their content).
S3_PREFIX_LIST, DYNAMODB_PREFIX_LIST = "pl-63a5400a", "pl-02cd2c6b"
PREFIX_LISTS = {
    S3_PREFIX_LIST: ("52.216.0.0/15", "54.231.0.0/16", "3.5.0.0/19"),
    DYNAMODB_PREFIX_LIST: ("52.94.0.0/22", "3.218.182.0/24"),
}
HOSTS = {
    "driver": "10.250.0.4/24",  # the first address AWS gives an ENI in the subnet (.0-.3 are reserved)
    "executor": "10.250.0.254/24",  # the last (.255 is reserved)
    "outsider": "10.250.0.77/24",  # an instance of OTHER_GROUP in the member subnet
    "s3": "52.216.8.10/15",
    "dynamodb": "52.94.0.10/22",
}
MEMBERS = ("driver", "executor")
MEMBERSHIP = {"driver": [GROUP], "executor": [GROUP], "outsider": [OTHER_GROUP]}

# Spark on Glue: master 7077, worker 7078, driver RPC and block managers on high ports; 443 for AWS APIs.
SPARK_PORTS = (443, 7077, 7078, 41234, 41235, 43210)
LISTENERS = {"driver": SPARK_PORTS, "executor": SPARK_PORTS, "s3": (443,)}  # nothing listens elsewhere
FIXED_PORTS = frozenset({0, 1, 65534, 65535, *SPARK_PORTS})
FAST_TIMEOUT = 0.2  # s; an admitted connect on a veth takes well under 1 ms
RECHECK_TIMEOUT = 2.0  # s; for a "timeout" the model calls admitted, before it counts

TARGETS: dict[str, dict[str, str]] = {
    "self": {"referenced_security_group_id": GROUP},
    "other-group": {"referenced_security_group_id": OTHER_GROUP},
    "subnet": {"cidr_ipv4": SUBNET},
    "vpc": {"cidr_ipv4": VPC_CIDR},
    "10/8": {"cidr_ipv4": "10.0.0.0/8"},
    "anywhere": {"cidr_ipv4": "0.0.0.0/0"},
    # The two halves of the subnet: each holds one member; only together do they hold the subnet.
    "subnet-low-half": {"cidr_ipv4": "10.250.0.0/25"},
    "subnet-high-half": {"cidr_ipv4": "10.250.0.128/25"},
    "next-subnet": {"cidr_ipv4": "10.250.1.0/24"},
    "elsewhere": {"cidr_ipv4": "192.168.0.0/16"},
    "anywhere-v6": {"cidr_ipv6": "::/0"},
    "s3-prefix-list": {"prefix_list_id": S3_PREFIX_LIST},
    "dynamodb-prefix-list": {"prefix_list_id": DYNAMODB_PREFIX_LIST},
}


# --- the Deployment the rules judge -------------------------------------------------------------


def deployment_for(group: SecurityGroup) -> Deployment:
    """One VPC job whose one NETWORK connection carries ``group``, in the members' subnet, with S3 and
    DynamoDB gateway endpoints (their prefix lists are the ones the generated rules may name)."""
    vpc = Vpc("vpc-0lab", cidr_block=VPC_CIDR, enable_dns_support=True, enable_dns_hostnames=True)
    subnet = Subnet("subnet-0lab", vpc.id, f"{REGION}a", SUBNET, available_ip_count=251)
    endpoints = [
        VpcEndpoint(
            f"vpce-0{name}", vpc.id, f"com.amazonaws.{REGION}.{name}", "Gateway", ["rtb-0lab"], prefix_list_id=pl
        )
        for name, pl in (("s3", S3_PREFIX_LIST), ("dynamodb", DYNAMODB_PREFIX_LIST))
    ]
    routes = [Route(VPC_CIDR, gateway_id="local")]
    routes += [Route(destination_prefix_list_id=e.prefix_list_id, vpc_endpoint_id=e.id) for e in endpoints]
    table = RouteTable("rtb-0lab", vpc.id, [subnet.id], routes)
    connection = Connection(
        "lab-connection",
        connection_type="NETWORK",
        physical=True,
        subnet_id=subnet.id,
        security_group_ids=[group.id],
        availability_zone=subnet.availability_zone,
    )
    job = Job("lab-job", connections=[connection.name], worker_type="G.1X", number_of_workers=2)
    return Deployment(
        "netprop:generated",
        jobs={job.name: job},
        connections={connection.name: connection},
        subnets={subnet.id: subnet},
        vpcs={vpc.id: vpc},
        route_tables={table.id: table},
        vpc_endpoints={e.id: e for e in endpoints},
        security_groups={group.id: group, OTHER_GROUP: SecurityGroup(OTHER_GROUP, vpc.id, "other")},
        region=REGION,
    )


def rule_verdicts(group: SecurityGroup) -> tuple[dict[str, str], list[str]]:
    """``{rule id: "pass" | "fail" | "unverifiable"}`` from the catalogue, and its findings as text.

    A rule that did not judge the lab's connection is an error of this test, never a pass.
    """
    report = glue_netcheck.run_rules(deployment_for(group), only=list(RULE_IDS))
    words = {Outcome.PASSED: "pass", Outcome.FAILED: "fail", Outcome.UNVERIFIABLE: "unverifiable"}
    verdicts = {}
    for rule_id in RULE_IDS:
        outcome = report.outcome_of(rule_id)
        assert outcome in words, (
            f"{rule_id} did not judge the lab deployment ({outcome}): deployment_for is out of date"
        )
        verdicts[rule_id] = words[outcome]
    return verdicts, [str(f) for f in report.findings]


# --- the contract, in code (independent of the lab and of glue_netcheck) -----------------------


def _admits_tcp(rule: SecurityGroupRule, port: int) -> bool:
    if rule.protocol == "-1":
        return True
    return rule.protocol == "tcp" and rule.from_port is not None and rule.from_port <= port <= rule.to_port


def _union_holds(cidrs: list[str], network: str) -> bool:
    merged = ipaddress.collapse_addresses(ipaddress.ip_network(c) for c in cidrs)
    return any(ipaddress.ip_network(network).subnet_of(m) for m in merged)


def contract_verdicts(group: SecurityGroup, ports: frozenset[int]) -> dict[str, str]:
    """GNET006: ingress admits TCP from every member on every port (self, or CIDRs holding the subnet).
    GNET007: egress admits TCP to every member on every port, and TCP 443 to S3 (its prefix list, or
    CIDRs holding all of it). ``ports`` must hold every port where a rule's coverage starts or ends."""

    def members_admitted(direction: str, port: int) -> bool:
        rules = [r for r in group.rules_for(direction) if _admits_tcp(r, port)]  # type: ignore[arg-type]
        if any(r.referenced_security_group_id == group.id for r in rules):
            return True
        return _union_holds([r.cidr_ipv4 for r in rules if r.cidr_ipv4], SUBNET)

    https = [r for r in group.rules_for("egress") if _admits_tcp(r, 443)]
    s3 = any(r.prefix_list_id == S3_PREFIX_LIST for r in https) or all(
        _union_holds([r.cidr_ipv4 for r in https if r.cidr_ipv4], cidr) for cidr in PREFIX_LISTS[S3_PREFIX_LIST]
    )
    verdict = {True: "pass", False: "fail"}
    return {
        "GNET006": verdict[all(members_admitted("ingress", p) for p in ports)],
        "GNET007": verdict[all(members_admitted("egress", p) for p in ports) and s3],
    }


# --- generated groups ---------------------------------------------------------------------------

EDGE_RANGES = [(0, 65535), (1, 65535), (0, 65534), (0, 0), (65535, 65535), (443, 443), (0, 1023), (1024, 65535)]
PORT_RANGES = st.one_of(
    st.sampled_from(EDGE_RANGES),
    st.integers(0, 65535).map(lambda p: (p, p)),
    st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(lambda t: (min(t), max(t))),
)
TARGET_NAMES = st.sampled_from(sorted(TARGETS))


@st.composite
def random_rules(draw) -> SecurityGroupRule:
    direction = draw(st.sampled_from(["ingress", "egress"]))
    protocol = draw(st.sampled_from(["tcp", "tcp", "-1", "udp", "icmp"]))
    if protocol in ("tcp", "udp"):
        low, high = draw(PORT_RANGES)
    elif protocol == "icmp":  # type and code
        low, high = draw(st.sampled_from([(-1, -1), (8, 0), (3, 4)]))
    else:  # how plans (None) and APIs or inline rules (-1, 0) spell "all"
        low, high = draw(st.sampled_from([(None, None), (-1, -1), (0, 0)]))
    target = draw(TARGET_NAMES)
    return SecurityGroupRule(direction, protocol, low, high, **TARGETS[target], source=target)


def _rule(direction: str, protocol: str, low: int | None, high: int | None, target: str) -> SecurityGroupRule:
    return SecurityGroupRule(direction, protocol, low, high, **TARGETS[target], source=target)  # type: ignore[arg-type]


MEMBER_TARGETS = st.sampled_from(
    ["self", "subnet", "vpc", "10/8", "anywhere", "subnet-low-half", "subnet-high-half", "other-group", "next-subnet"]
)
S3_TARGETS = st.sampled_from(["s3-prefix-list", "dynamodb-prefix-list", "anywhere", "vpc", "anywhere-v6"])


@st.composite
def all_tcp_cover(draw, direction: str) -> list[SecurityGroupRule]:
    """Rules meant to cover every TCP port from/to the members: one rule, or the range split in two
    (sometimes with a one-port hole or an overlap), each part with its own target."""
    shape = draw(st.sampled_from(["all-tcp", "all-traffic", "split"]))
    if shape == "all-tcp":
        return [_rule(direction, "tcp", 0, 65535, draw(MEMBER_TARGETS))]
    if shape == "all-traffic":
        return [_rule(direction, "-1", None, None, draw(MEMBER_TARGETS))]
    cut = draw(st.integers(0, 65534))
    start = min(65535, cut + 1 + draw(st.sampled_from([0, 0, 1, -1])))  # adjacent, hole, overlap
    return [
        _rule(direction, "tcp", 0, cut, draw(MEMBER_TARGETS)),
        _rule(direction, "tcp", start, 65535, draw(MEMBER_TARGETS)),
    ]


@st.composite
def near_contract_groups(draw) -> list[SecurityGroupRule]:
    """Groups close to the contract's two shapes, where rules and network are most likely to part:
    an ingress cover, then all egress or an egress cover plus an HTTPS rule, then up to two random rules."""
    rules = draw(all_tcp_cover("ingress"))
    if draw(st.booleans()):
        rules.append(_rule("egress", "-1", None, None, draw(st.one_of(MEMBER_TARGETS, S3_TARGETS))))
    else:
        rules += draw(all_tcp_cover("egress"))
        https = draw(st.sampled_from([("tcp", 443, 443), ("tcp", 0, 65535), ("-1", None, None), ("tcp", 444, 1024)]))
        rules.append(_rule("egress", *https, draw(S3_TARGETS)))
    rules += draw(st.lists(random_rules(), max_size=2))
    dropped = draw(st.sampled_from([None, None, None, *range(len(rules))]))
    if dropped is not None:
        del rules[dropped]
    return draw(st.permutations(rules))


SECURITY_GROUPS = st.one_of(st.lists(random_rules(), max_size=6), near_contract_groups()).map(
    lambda rules: SecurityGroup(GROUP, "vpc-0lab", "generated", list(rules))
)


# Cases every run measures first (hypothesis explicit examples): the contract's two documented shapes,
# the incident, and one of each kind of disagreement seen against the rules of 2026-11 (see README).
# Rules are (direction, protocol, from, to, target); the verdicts are the contract's, written by hand.
KNOWN_CASES: dict[str, tuple[list[tuple], dict[str, str]]] = {
    "documented: self all TCP in, all out": (
        [("ingress", "tcp", 0, 65535, "self"), ("egress", "-1", None, None, "anywhere")],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "documented: self all TCP in and out, HTTPS to the S3 prefix list": (
        [
            ("ingress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 443, 443, "s3-prefix-list"),
        ],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "no rules": ([], {"GNET006": "fail", "GNET007": "fail"}),
    "incident: no ingress rule": ([("egress", "-1", None, None, "anywhere")], {"GNET006": "fail", "GNET007": "pass"}),
    "self ingress misses port 0": (
        [("ingress", "tcp", 1, 65535, "self"), ("egress", "-1", None, None, "anywhere")],
        {"GNET006": "fail", "GNET007": "pass"},
    ),
    "self ingress is UDP": (
        [("ingress", "udp", 0, 65535, "self"), ("egress", "-1", None, None, "anywhere")],
        {"GNET006": "fail", "GNET007": "pass"},
    ),
    "ingress from another group": (
        [("ingress", "-1", None, None, "other-group"), ("egress", "-1", None, None, "anywhere")],
        {"GNET006": "fail", "GNET007": "pass"},
    ),
    "ingress from half the subnet": (
        [("ingress", "-1", None, None, "subnet-low-half"), ("egress", "-1", None, None, "anywhere")],
        {"GNET006": "fail", "GNET007": "pass"},
    ),
    "IPv6 only": (
        [("ingress", "-1", None, None, "anywhere-v6"), ("egress", "-1", None, None, "anywhere-v6")],
        {"GNET006": "fail", "GNET007": "fail"},
    ),
    "ingress all TCP from the VPC CIDR": (
        [("ingress", "tcp", 0, 65535, "vpc"), ("egress", "-1", None, None, "anywhere")],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "ingress all traffic from 0.0.0.0/0": (
        [("ingress", "-1", None, None, "anywhere"), ("egress", "-1", None, None, "anywhere")],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "self ingress split over two rules": (
        [
            ("ingress", "tcp", 0, 1023, "self"),
            ("ingress", "tcp", 1024, 65535, "self"),
            ("egress", "-1", None, None, "anywhere"),
        ],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "ingress from both halves of the subnet": (
        [
            ("ingress", "tcp", 0, 65535, "subnet-low-half"),
            ("ingress", "tcp", 0, 65535, "subnet-high-half"),
            ("egress", "-1", None, None, "anywhere"),
        ],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "HTTPS to DynamoDB's prefix list, not S3's": (
        [
            ("ingress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 443, 443, "dynamodb-prefix-list"),
        ],
        {"GNET006": "pass", "GNET007": "fail"},
    ),
    "HTTPS to S3 through 0.0.0.0/0": (
        [
            ("ingress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 443, 443, "anywhere"),
        ],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "egress to the members through the VPC CIDR": (
        [
            ("ingress", "tcp", 0, 65535, "self"),
            ("egress", "-1", None, None, "vpc"),
            ("egress", "tcp", 443, 443, "s3-prefix-list"),
        ],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "self egress split over two rules": (
        [
            ("ingress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 0, 32767, "self"),
            ("egress", "tcp", 32768, 65535, "self"),
            ("egress", "tcp", 443, 443, "s3-prefix-list"),
        ],
        {"GNET006": "pass", "GNET007": "pass"},
    ),
    "S3 prefix list on 444-1024 only": (
        [
            ("ingress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 0, 65535, "self"),
            ("egress", "tcp", 444, 1024, "s3-prefix-list"),
        ],
        {"GNET006": "pass", "GNET007": "fail"},
    ),
}


def group_of(rules: list[tuple]) -> SecurityGroup:
    return SecurityGroup(GROUP, "vpc-0lab", "generated", [_rule(*r) for r in rules])


def describe(group: SecurityGroup) -> str:
    if not group.rules:
        return "(no rules)"
    lines = []
    for r in group.rules:
        ports = "" if r.protocol == "-1" else f" {r.from_port}-{r.to_port}"
        lines.append(f"{r.direction} {r.protocol}{ports} {r.source}")
    return "; ".join(lines)


def probe_ports(group: SecurityGroup, random_ports: list[int]) -> frozenset[int]:
    """Every port where the group's verdict can change: each range's first and last port and their
    outer neighbours, 0/1/65534/65535, the Spark ports, and ``random_ports``."""
    ports = set(FIXED_PORTS) | set(random_ports)
    for r in group.rules:
        if r.protocol in ("tcp", "udp") and r.from_port is not None and r.to_port is not None:
            ports |= {r.from_port - 1, r.from_port, r.to_port, r.to_port + 1}
    return frozenset(p for p in ports if 0 <= p <= 65535)


# --- the lab ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    kind: str  # "ingress", "egress" (one direction, see the module docstring) or "flow"
    src: str
    dst: str
    port: int

    def target(self, lab: NetnsLab) -> str:
        dscp = {"ingress": INGRESS_PROBE_DSCP, "egress": EGRESS_PROBE_DSCP}.get(self.kind)
        return f"{lab.addresses[self.dst]}:{self.port}" + (f"/{dscp}" if dscp else "")


def probes_for(ports: frozenset[int]) -> list[Probe]:
    probes = []
    for src, dst in itertools.permutations(MEMBERS, 2):
        probes += [Probe(kind, src, dst, p) for kind in ("ingress", "egress", "flow") for p in ports]
    for member in MEMBERS:
        probes += [Probe("flow", member, "s3", 443), Probe("flow", member, "dynamodb", 443)]
        probes += [Probe("flow", "outsider", member, p) for p in ports]
    return probes


def model_admits(rulesets: dict[str, HostRuleset], probe: Probe) -> bool:
    """What the translated rules say (``HostRuleset.allows``); hosts without a ruleset filter nothing."""

    def passes(host: str, chain: str, peer: str) -> bool:
        if host not in MEMBERS:
            return True
        return rulesets[host].allows(chain, address_of(peer), "tcp", probe.port)  # type: ignore[arg-type]

    egress = probe.kind == "ingress" or passes(probe.src, "output", probe.dst)
    ingress = probe.kind == "egress" or passes(probe.dst, "input", probe.src)
    return egress and ingress


def address_of(host: str) -> str:
    return str(ipaddress.ip_interface(HOSTS[host]).ip)


def run_probes(lab: NetnsLab, probes: list[Probe], timeout: float) -> dict[Probe, str]:
    """Connect every probe at once, one process per source host; outcome per probe."""
    by_source = collections.defaultdict(list)
    for probe in probes:
        by_source[probe.src].append(probe)
    procs = {}
    for src, batch in by_source.items():
        targets = [p.target(lab) for p in batch]
        argv = [sys.executable, PROBE, "connect", str(timeout), *targets]
        procs[src] = (batch, lab.popen(src, argv, stdout=subprocess.PIPE, text=True))
    outcomes = {}
    for batch, proc in procs.values():
        out, _ = proc.communicate(timeout=timeout + 30)
        result = json.loads(out)
        outcomes.update({p: result[p.target(lab)] for p in batch})
    return outcomes


def admitted(probe: Probe, outcome: str) -> bool:
    """ok (listener) / refused (no listener: the receiver's kernel reset) = the SYN passed every filter."""
    listened = probe.port in LISTENERS.get(probe.dst, ())
    if outcome == ("ok" if listened else "refused"):
        return True
    if outcome == "timeout":
        return False
    raise RuntimeError(f"probe {probe}: unexpected outcome {outcome!r} (listener gone, or a rule that rejects?)")


@dataclass
class Measurement:
    network: dict[str, str]  # rule id -> "pass" | "fail", as the probes measured it
    mismatches: list[str]  # kernel != translation model
    blocked: dict[str, list[Probe]]  # rule id -> probes that failed it


def measure(lab: NetnsLab, group: SecurityGroup, ports: frozenset[int]) -> Measurement:
    rulesets = build_rulesets(
        {GROUP: group}, MEMBERSHIP, lab.addresses, prefix_lists=PREFIX_LISTS, isolating_probes=True
    )
    lab.apply_rulesets({m: rulesets[m].render() for m in MEMBERS})
    probes = probes_for(ports)
    expected = {p: model_admits(rulesets, p) for p in probes}
    outcomes = run_probes(lab, probes, FAST_TIMEOUT)
    slow = [p for p in probes if outcomes[p] == "timeout" and expected[p]]
    if slow:
        outcomes.update(run_probes(lab, slow, RECHECK_TIMEOUT))
    seen = {p: admitted(p, outcomes[p]) for p in probes}
    mismatches = [
        f"{p.kind} {p.src}->{p.dst}:{p.port}: kernel {outcomes[p]}, model {'admits' if expected[p] else 'drops'}"
        for p in probes
        if seen[p] != expected[p]
    ]
    member_probes = [p for p in probes if p.dst in MEMBERS and p.src in MEMBERS]
    blocked = {
        "GNET006": [p for p in member_probes if p.kind == "ingress" and not seen[p]],
        "GNET007": [p for p in member_probes if p.kind == "egress" and not seen[p]]
        + [p for p in probes if p.dst == "s3" and not seen[p]],
    }
    network = {rule_id: "fail" if blocked[rule_id] else "pass" for rule_id in RULE_IDS}
    return Measurement(network, mismatches, blocked)


@pytest.fixture(scope="module")
def property_lab(make_lab):
    lab = make_lab(list(HOSTS), addresses=HOSTS)
    ready = []
    for host, ports in LISTENERS.items():
        listener = lab.popen(
            host, [sys.executable, PROBE, "listen", *map(str, ports)], stdout=subprocess.PIPE, text=True
        )
        ready.append((host, listener))
    for host, listener in ready:
        assert listener.stdout.readline().strip() == "ready", f"listener on {host} did not start"
    yield lab
    lab.close()
    assert lab.leftovers() == [], f"namespaces left behind: {lab.leftovers()}"
    root_tables = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True, check=False).stdout
    assert "glue_sg" not in root_tables, "an nft table glue_sg was created in the root namespace"


# --- tests --------------------------------------------------------------------------------------


@pytest.mark.unit
def test_target_pool_decides_subnets_by_the_two_members():
    """Why two members suffice: for every union of the pool's IPv4 CIDRs, holding both members' addresses
    is holding the whole subnet; and holding the S3 host is holding all of the S3 prefix list."""
    cidrs = [t["cidr_ipv4"] for t in TARGETS.values() if "cidr_ipv4" in t]
    members = [ipaddress.ip_interface(HOSTS[m]).ip for m in MEMBERS]
    s3_host = ipaddress.ip_interface(HOSTS["s3"]).ip
    for size in range(len(cidrs) + 1):
        for chosen in itertools.combinations(cidrs, size):
            nets = [ipaddress.ip_network(c) for c in chosen]
            holds_members = all(any(m in n for n in nets) for m in members)
            assert holds_members == _union_holds(list(chosen), SUBNET), chosen
            holds_s3 = any(s3_host in n for n in nets)
            assert holds_s3 == all(_union_holds(list(chosen), c) for c in PREFIX_LISTS[S3_PREFIX_LIST]), chosen
    for host, interface in HOSTS.items():
        address = ipaddress.ip_interface(interface).ip
        in_lists = {
            pl for pl, content in PREFIX_LISTS.items() if any(address in ipaddress.ip_network(c) for c in content)
        }
        assert in_lists == {"s3": {S3_PREFIX_LIST}, "dynamodb": {DYNAMODB_PREFIX_LIST}}.get(host, set()), host


@pytest.mark.unit
@pytest.mark.parametrize("case", KNOWN_CASES)
def test_contract_reference_on_the_known_cases(case):
    rules, expected = KNOWN_CASES[case]
    group = group_of(rules)
    assert contract_verdicts(group, probe_ports(group, [])) == expected


@pytest.mark.unit
def test_probe_ports_hold_both_sides_of_every_range_edge():
    group = group_of([("ingress", "tcp", 0, 1023, "self"), ("egress", "udp", 5000, 5000, "vpc")])
    ports = probe_ports(group, [31337])
    assert {0, 1023, 1024, 4999, 5000, 5001, 31337} <= ports
    assert ports >= FIXED_PORTS and -1 not in ports


@pytest.mark.network
def test_rules_agree_with_the_network(property_lab):
    """Property (settings: the netprop profiles in conftest): kernel == model, network == contract,
    network == GNET006/GNET007. Then: both verdicts of both rules were measured, often enough."""
    seen: collections.Counter[tuple[str, str]] = collections.Counter()
    started = time.monotonic()

    def check(group: SecurityGroup, random_ports: list[int]) -> None:
        ports = probe_ports(group, random_ports)
        m = measure(property_lab, group, ports)
        header = f"group: {describe(group)}\nprobed ports: {sorted(ports)}"
        assert not m.mismatches, f"{header}\nkernel and translation disagree:\n  " + "\n  ".join(m.mismatches[:20])
        contract = contract_verdicts(group, ports)
        assert m.network == contract, f"{header}\nnetwork {m.network} but contract reference {contract}"
        rules, findings = rule_verdicts(group)
        if random_ports:  # generated, not one of KNOWN_CASES (those have none)
            seen.update(m.network.items())
        wrong = {r: f"rule says {rules[r]}, network says {m.network[r]}" for r in RULE_IDS if rules[r] != m.network[r]}
        evidence = {r: [f"{p.kind} {p.src}->{p.dst}:{p.port}" for p in m.blocked[r][:6]] for r in wrong}
        assert not wrong, f"{header}\n{wrong}\nblocked probes: {evidence}\nfindings: {findings}"

    check = given(group=SECURITY_GROUPS, random_ports=st.lists(st.integers(0, 65535), min_size=3, max_size=3))(check)
    for rules, _ in KNOWN_CASES.values():
        check = example(group=group_of(rules), random_ports=[])(check)
    check()
    elapsed = time.monotonic() - started
    print(f"\nnetprop: {sum(seen.values()) // 2} generated groups in {elapsed:.0f} s; network verdicts {dict(seen)}")
    for rule_id, verdict in itertools.product(RULE_IDS, ("pass", "fail")):
        assert seen[(rule_id, verdict)] >= 10, (
            f"the generator measured {rule_id} {verdict} only {seen[(rule_id, verdict)]} times"
        )

"""Translate security-group models into nftables rulesets for network namespaces.

This is a pure function of its inputs (no root, no kernel): each test host is
an ENI stand-in with one IPv4 address and a set of security-group keys. The
generated ruleset for a host reproduces what AWS enforces at that ENI:

* one ``input`` and one ``output`` chain, policy **drop** (a security group
  drops silently; nothing answers with a reset or ICMP error);
* ``ct state established,related accept`` first, because security groups are
  stateful: a reply to an allowed flow is allowed whatever the rules say;
* loopback is always allowed (a security group never sees traffic that stays on
  the instance);
* a rule that references a group (self or peer) becomes a rule over the IPv4
  addresses of the hosts that are members of that group, the way AWS matches
  the primary private IP of every ENI carrying the referenced group;
* ``cidr_ipv4`` / ``cidr_ipv6`` are used as they are;
* ``prefix_list_id`` rules become rules over the prefix list's CIDRs when the
  caller says what the list holds (``prefix_lists``: the property test puts an
  "S3" host at an address of the S3 prefix list). A list whose content is not
  given produces **no** rule (nothing in the network stands for it) and is
  recorded in ``HostRuleset.notes``;
* ``trusted`` addresses are a harness addition, not part of any group: the test
  uses them for the Spark standalone master, which plays the part of the Glue
  service (control plane) and must stay reachable in every variant;
* ``isolating_probes`` (harness only) lets a probe measure one direction of the
  group at a time: a packet marked ``INGRESS_PROBE_DSCP`` skips the *sender's*
  egress chain (so only the receiver's ingress rules decide), a packet marked
  ``EGRESS_PROBE_DSCP`` skips the *receiver's* ingress chain (so only the
  sender's egress rules decide). The group's own rules never look at DSCP, and
  unmarked traffic faces both chains, as on AWS.

``HostRuleset.allows`` evaluates the same rules in Python, so a test can state
the expected reachability from the model and check the kernel agrees.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from glue_netcheck.model import SecurityGroup, SecurityGroupRule

Chain = Literal["input", "output"]
TABLE = "glue_sg"
ALL_PORTS = (0, 65535)
_PROTOCOLS = {"-1": "all", "all": "all", "tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp"}
_PROTOCOLS.update({"icmp": "icmp", "1": "icmp"})
# DSCP code points of the harness's one-direction probes (see isolating_probes);
# TOS byte = DSCP << 2. Neither is used by any traffic the groups govern.
INGRESS_PROBE_DSCP = 10  # af11: skips the sender's egress chain
EGRESS_PROBE_DSCP = 12  # af12: skips the receiver's ingress chain


@dataclass(frozen=True)
class FilterRule:
    """One accept rule: traffic with ``peers`` (saddr on input, daddr on output)."""

    chain: Chain
    family: Literal["ip", "ip6"]
    peers: tuple[str, ...]
    protocol: str  # "all", "tcp", "udp" or "icmp"
    ports: tuple[int, int] | None = None  # tcp/udp destination port range
    comment: str = ""

    def render(self) -> str:
        side = "saddr" if self.chain == "input" else "daddr"
        peers = self.peers[0] if len(self.peers) == 1 else "{ " + ", ".join(self.peers) + " }"
        parts = [f"{self.family} {side} {peers}"]
        if self.protocol in ("tcp", "udp"):
            low, high = self.ports or ALL_PORTS
            span = f"{low}-{high}" if low != high else str(low)
            parts.append(f"{self.protocol} dport {span}")
        elif self.protocol == "icmp":
            parts.append("meta l4proto icmp" if self.family == "ip" else "meta l4proto ipv6-icmp")
        parts.append("accept")
        if self.comment:
            parts.append('comment "' + self.comment.replace('"', "'")[:120] + '"')
        return " ".join(parts)

    def matches(self, peer: str, protocol: str, port: int | None = None) -> bool:
        address = ipaddress.ip_address(peer)
        if not any(address in ipaddress.ip_network(p, strict=False) for p in self.peers):
            return False
        if self.protocol == "all":
            return True
        if self.protocol != protocol:
            return False
        if self.protocol in ("tcp", "udp"):
            low, high = self.ports or ALL_PORTS
            return port is not None and low <= port <= high
        return True


@dataclass
class HostRuleset:
    host: str
    address: str
    groups: tuple[str, ...]
    input: list[FilterRule] = field(default_factory=list)
    output: list[FilterRule] = field(default_factory=list)
    trusted: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    reject_tcp_with_reset: bool = False
    isolating_probes: bool = False

    def rules(self, chain: Chain) -> list[FilterRule]:
        return self.input if chain == "input" else self.output

    def allows(self, chain: Chain, peer: str, protocol: str = "tcp", port: int | None = None) -> bool:
        """Whether a *new* flow to/from ``peer`` passes this host's chain."""
        if peer in self.trusted or peer == self.address:
            return True
        return any(rule.matches(peer, protocol, port) for rule in self.rules(chain))

    def render(self) -> str:
        """The nftables script for ``nft -f``; idempotent (replaces the table)."""
        lines = [
            f"# security groups {', '.join(self.groups) or '(none)'} on {self.host} ({self.address})",
            *(f"# {note}" for note in self.notes),
            f"table inet {TABLE} {{}}",
            f"delete table inet {TABLE}",
            f"table inet {TABLE} {{",
        ]
        for chain in ("input", "output"):
            iface, side = ("iif", "saddr") if chain == "input" else ("oif", "daddr")
            lines += [
                f"  chain {chain} {{",
                f"    type filter hook {chain} priority filter; policy drop;",
                "    ct state established,related accept",
                f'    {iface} "lo" accept',
            ]
            if self.trusted:
                peers = ", ".join(self.trusted)
                lines.append(f'    ip {side} {{ {peers} }} accept comment "harness: control plane"')
            if self.isolating_probes:
                dscp, what = (
                    (EGRESS_PROBE_DSCP, "egress probe skips the receiver's ingress")
                    if chain == "input"
                    else (INGRESS_PROBE_DSCP, "ingress probe skips the sender's egress")
                )
                lines.append(f'    ip dscp {dscp} accept comment "harness: {what}"')
            lines += [f"    {rule.render()}" for rule in self.rules(chain)]
            if chain == "input" and self.reject_tcp_with_reset:
                lines.append('    meta l4proto tcp reject with tcp reset comment "harness: reset, not drop"')
            lines.append("  }")
        lines.append("}")
        return "\n".join(lines) + "\n"


def _describe(group_key: str, rule: SecurityGroupRule) -> str:
    target = (
        rule.cidr_ipv4
        or rule.cidr_ipv6
        or rule.prefix_list_id
        or (f"sg {rule.referenced_security_group_id}" if rule.referenced_security_group_id else "?")
    )
    ports = "" if rule.from_port is None else f" {rule.from_port}-{rule.to_port}"
    return f"{group_key} {rule.direction} {rule.protocol}{ports} {target}"


def _ports(rule: SecurityGroupRule) -> tuple[int, int]:
    if rule.from_port is None or rule.to_port is None or rule.from_port < 0 or rule.to_port < 0:
        return ALL_PORTS
    return (rule.from_port, rule.to_port)


def translate_rule(
    group_key: str,
    rule: SecurityGroupRule,
    members: Mapping[str, Iterable[str]],
    addresses: Mapping[str, str],
    prefix_lists: Mapping[str, Iterable[str]] | None = None,
) -> tuple[list[FilterRule], list[str]]:
    """The accept rules one security-group rule yields, and notes on what it could not."""
    chain: Chain = "input" if rule.direction == "ingress" else "output"
    what = _describe(group_key, rule)
    protocol = _PROTOCOLS.get(str(rule.protocol).lower())
    if protocol is None:
        return [], [f"skipped {what}: protocol {rule.protocol!r} not translated"]
    ports = _ports(rule) if protocol in ("tcp", "udp") else None
    out: list[FilterRule] = []
    notes: list[str] = []
    if rule.referenced_security_group_id is not None:
        ref = rule.referenced_security_group_id
        peers = tuple(sorted(addresses[h] for h, groups in members.items() if ref in set(groups)))
        if peers:
            out.append(FilterRule(chain, "ip", peers, protocol, ports, what))
        else:
            notes.append(f"skipped {what}: no test host is a member of {ref}")
    if rule.cidr_ipv4:
        out.append(FilterRule(chain, "ip", (rule.cidr_ipv4,), protocol, ports, what))
    if rule.cidr_ipv6:
        family_protocol = protocol
        out.append(FilterRule(chain, "ip6", (rule.cidr_ipv6,), family_protocol, ports, what))
    if rule.prefix_list_id:
        content = tuple((prefix_lists or {}).get(rule.prefix_list_id, ()))
        for family, version in (("ip", 4), ("ip6", 6)):
            cidrs = tuple(c for c in content if ipaddress.ip_network(c).version == version)
            if cidrs:
                out.append(FilterRule(chain, family, cidrs, protocol, ports, what))  # type: ignore[arg-type]
        if not content:
            notes.append(f"skipped {what}: prefix list {rule.prefix_list_id} has no counterpart in the test network")
    if not (rule.referenced_security_group_id or rule.cidr_ipv4 or rule.cidr_ipv6 or rule.prefix_list_id):
        notes.append(f"skipped {what}: rule has no source/destination")
    return out, notes


def build_rulesets(
    groups: Mapping[str, SecurityGroup],
    members: Mapping[str, Iterable[str]],
    addresses: Mapping[str, str],
    *,
    trusted: Iterable[str] = (),
    reject_tcp_with_reset: bool = False,
    prefix_lists: Mapping[str, Iterable[str]] | None = None,
    isolating_probes: bool = False,
) -> dict[str, HostRuleset]:
    """One ``HostRuleset`` per host in ``members``.

    ``groups``: security groups by key (the key that rules reference).
    ``members``: host -> keys of the groups on its ENI (the union of their rules applies).
    ``addresses``: host -> IPv4 address, for every host in ``members``.
    ``trusted``: addresses let through both ways (harness control plane).
    ``reject_tcp_with_reset``: answer unmatched inbound TCP with a reset instead of
    dropping it; AWS never does this, the option only reproduces "Connection refused".
    ``prefix_lists``: prefix list id -> the CIDRs it holds, for lists the test network
    has a host for (e.g. S3); rules on other lists are skipped and noted.
    ``isolating_probes``: add the harness rules for one-direction probes (module docstring).
    """
    trusted = tuple(trusted)
    result: dict[str, HostRuleset] = {}
    for host, host_groups in members.items():
        keys = tuple(host_groups)
        ruleset = HostRuleset(host, addresses[host], keys, trusted=trusted)
        ruleset.reject_tcp_with_reset = reject_tcp_with_reset
        ruleset.isolating_probes = isolating_probes
        for key in keys:
            group = groups.get(key)
            if group is None:
                ruleset.notes.append(f"group {key} is not in the model: it contributes no rules")
                continue
            for rule in group.rules:
                rules, notes = translate_rule(key, rule, members, addresses, prefix_lists)
                ruleset.rules("input" if rule.direction == "ingress" else "output").extend(rules)
                ruleset.notes.extend(notes)
        result[host] = ruleset
    return result


def tcp_flow_allowed(rulesets: Mapping[str, HostRuleset], src: str, dst: str, port: int) -> bool:
    """A new TCP flow src -> dst:port passes src's output and dst's input chains."""
    source, target = rulesets[src], rulesets[dst]
    leaves = source.allows("output", target.address, "tcp", port)
    return leaves and target.allows("input", source.address, "tcp", port)

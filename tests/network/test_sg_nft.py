"""Unit tests of the security-group -> nftables translation (pure, no root)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from glue_netcheck.model import SecurityGroup, SecurityGroupRule
from harness.network.sg_nft import EGRESS_PROBE_DSCP, INGRESS_PROBE_DSCP, build_rulesets, tcp_flow_allowed
from harness.network.sg_scenarios import (
    GLUE_SG,
    S3_PREFIX_LIST,
    handbuilt_glue_groups,
    narrow_self_ingress,
    without_self_ingress,
)

pytestmark = pytest.mark.unit  # offline and root-free: runs with the unit suite

ADDRESSES = {"driver": "10.250.0.2", "executor1": "10.250.0.3", "executor2": "10.250.0.4"}
MEMBERS_IP = "{ 10.250.0.2, 10.250.0.3, 10.250.0.4 }"
SPARK_PORTS = (7077, 7078, 34567, 45678, 65535)


def rulesets_for(scenario, **kwargs):
    members = {host: scenario.attached for host in ADDRESSES}
    return build_rulesets(scenario.groups, members, ADDRESSES, **kwargs)


def chain_text(text: str, chain: str) -> str:
    match = re.search(rf"chain {chain} \{{\n(.*?)\n  \}}", text, re.DOTALL)
    assert match, text
    return match.group(1)


def test_self_all_tcp_rule_accepts_every_port_from_members():
    text = rulesets_for(handbuilt_glue_groups())["driver"].render()
    inbound = chain_text(text, "input")
    assert "policy drop;" in inbound
    assert "ct state established,related accept" in inbound
    assert f"ip saddr {MEMBERS_IP} tcp dport 0-65535 accept" in inbound
    assert "ip daddr 0.0.0.0/0 accept" in chain_text(text, "output")


def test_default_group_allows_every_spark_flow_between_members():
    rulesets = rulesets_for(handbuilt_glue_groups())
    for src in ADDRESSES:
        for dst in ADDRESSES:
            assert all(tcp_flow_allowed(rulesets, src, dst, port) for port in SPARK_PORTS)


def test_missing_self_rule_leaves_only_drop():
    rulesets = rulesets_for(without_self_ingress(handbuilt_glue_groups()))
    inbound = chain_text(rulesets["driver"].render(), "input")
    assert "saddr" not in inbound
    assert not tcp_flow_allowed(rulesets, "executor1", "driver", 34567)
    assert "reject" not in rulesets["driver"].render()  # a security group drops silently


def test_narrowed_rule_allows_only_that_port():
    rulesets = rulesets_for(narrow_self_ingress(handbuilt_glue_groups(), 7077))
    inbound = chain_text(rulesets["driver"].render(), "input")
    assert f"ip saddr {MEMBERS_IP} tcp dport 7077 accept" in inbound
    assert "0-65535" not in inbound
    assert tcp_flow_allowed(rulesets, "executor1", "driver", 7077)
    assert not any(tcp_flow_allowed(rulesets, "executor1", "driver", p) for p in (443, 7078, 34567))


def test_restricted_egress_shape_keeps_member_traffic_and_drops_prefix_list():
    ruleset = rulesets_for(handbuilt_glue_groups(restrict_egress=True))["executor1"]
    outbound = chain_text(ruleset.render(), "output")
    assert f"ip daddr {MEMBERS_IP} tcp dport 0-65535 accept" in outbound
    assert "443" not in outbound and "0.0.0.0/0" not in outbound
    assert any(S3_PREFIX_LIST in note for note in ruleset.notes)
    assert f"# skipped {GLUE_SG} egress tcp 443-443 {S3_PREFIX_LIST}" in ruleset.render()
    rulesets = rulesets_for(handbuilt_glue_groups(restrict_egress=True))
    assert tcp_flow_allowed(rulesets, "executor1", "driver", 34567)


def test_prefix_list_with_known_content_becomes_rules_over_its_cidrs():
    content = {S3_PREFIX_LIST: ("52.216.0.0/15", "54.231.0.0/16", "2600:1fa0::/32")}
    scenario = handbuilt_glue_groups(restrict_egress=True)
    ruleset = rulesets_for(scenario, prefix_lists=content)["executor1"]
    outbound = chain_text(ruleset.render(), "output")
    assert "ip daddr { 52.216.0.0/15, 54.231.0.0/16 } tcp dport 443 accept" in outbound
    assert "ip6 daddr 2600:1fa0::/32 tcp dport 443 accept" in outbound
    assert not ruleset.notes
    assert ruleset.allows("output", "52.216.8.10", "tcp", 443)
    assert not ruleset.allows("output", "52.216.8.10", "tcp", 444)
    assert not ruleset.allows("output", "52.94.0.10", "tcp", 443)  # not in the list


def test_isolating_probes_bypass_one_chain_each_and_nothing_else():
    text = rulesets_for(handbuilt_glue_groups(), isolating_probes=True)["driver"].render()
    assert f"ip dscp {EGRESS_PROBE_DSCP} accept" in chain_text(text, "input")
    assert f"ip dscp {INGRESS_PROBE_DSCP} accept" in chain_text(text, "output")
    assert f"ip dscp {INGRESS_PROBE_DSCP}" not in chain_text(text, "input")
    assert "dscp" not in rulesets_for(handbuilt_glue_groups())["driver"].render()


def test_peer_reference_resolves_to_members_of_the_other_group():
    groups = {
        "sg-a": SecurityGroup(
            "sg-a",
            rules=[SecurityGroupRule("ingress", "tcp", 7077, 7077, referenced_security_group_id="sg-b")],
        ),
        "sg-b": SecurityGroup("sg-b", rules=[SecurityGroupRule("egress", "-1", cidr_ipv4="10.0.0.0/8")]),
    }
    members = {"driver": ["sg-a"], "executor1": ["sg-b"], "executor2": ["sg-b"]}
    rulesets = build_rulesets(groups, members, ADDRESSES)
    assert "ip saddr { 10.250.0.3, 10.250.0.4 } tcp dport 7077 accept" in rulesets["driver"].render()
    # driver's group has no egress rule: nothing leaves it, even towards an allowed port.
    assert tcp_flow_allowed(rulesets, "executor1", "driver", 7077)
    assert not tcp_flow_allowed(rulesets, "driver", "executor1", 7077)


def test_rules_are_not_mutated_by_transforms():
    good = handbuilt_glue_groups()
    without_self_ingress(good)
    narrow_self_ingress(good, 443)
    assert good.groups[GLUE_SG].rules[0].covers_all_tcp


def test_unreferenced_group_and_unknown_protocol_are_noted():
    groups = {"g": SecurityGroup("g", rules=[SecurityGroupRule("ingress", "50", cidr_ipv4="10.0.0.0/8")])}
    rulesets = build_rulesets(groups, {"driver": ["g", "missing"]}, ADDRESSES)
    notes = " ".join(rulesets["driver"].notes)
    assert "protocol '50' not translated" in notes and "missing is not in the model" in notes


def test_reset_option_rejects_unmatched_tcp():
    rulesets = rulesets_for(without_self_ingress(handbuilt_glue_groups()), reject_tcp_with_reset=True)
    text = rulesets["driver"].render()
    assert "meta l4proto tcp reject with tcp reset" in chain_text(text, "input")


@pytest.mark.skipif(shutil.which("nft") is None, reason="nft not installed")
def test_generated_rulesets_parse_with_nft():
    """``nft -c`` checks syntax without touching the kernel ruleset (needs CAP_NET_ADMIN)."""
    scenarios = [handbuilt_glue_groups(), handbuilt_glue_groups(restrict_egress=True)]
    scenarios += [without_self_ingress(scenarios[0]), narrow_self_ingress(scenarios[0], 443)]
    for scenario in scenarios:
        rulesets = rulesets_for(
            scenario,
            trusted=["10.250.0.9"],
            prefix_lists={S3_PREFIX_LIST: ("52.216.0.0/15", "2600:1fa0::/32")},
            isolating_probes=True,
        )
        for ruleset in rulesets.values():
            done = subprocess.run(
                ["nft", "-c", "-f", "-"], check=False, input=ruleset.render(), capture_output=True, text=True
            )
            if "Operation not permitted" in done.stderr:
                pytest.skip("nft -c needs CAP_NET_ADMIN")
            assert done.returncode == 0, done.stderr + ruleset.render()


def _rule_shapes(scenario) -> list[tuple]:
    """The attached group's rules as comparable tuples (a reference to the group itself is "self"; an
    all-protocols rule has no ports, whether a source writes 0 or nothing)."""
    (key,) = scenario.attached
    return sorted(
        (
            r.direction,
            r.protocol,
            None if r.protocol == "-1" else r.from_port,
            None if r.protocol == "-1" else r.to_port,
            r.cidr_ipv4,
            r.prefix_list_id,
            "self" if r.referenced_security_group_id == key else r.referenced_security_group_id,
        )
        for r in scenario.groups[key].rules
    )


def test_handbuilt_model_is_the_planned_group(plan_glue_security_groups):
    """The explicit model the translation tests use is the module's default group, as planned."""
    assert _rule_shapes(handbuilt_glue_groups()) == _rule_shapes(plan_glue_security_groups)

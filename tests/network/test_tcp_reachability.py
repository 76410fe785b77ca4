"""Fast companion of the Spark test: raw TCP between namespaces under the generated rules.

Ports are the ones Spark uses on Glue: the driver RPC port (random high port),
the standalone master port 7077, a block manager port, plus 443 (the port a
wrongly narrowed rule tends to keep). Whatever the model allows must connect;
whatever it does not must *time out* (silent drop), not be refused.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from harness.network import TCP_PROBE
from harness.network.sg_nft import build_rulesets, tcp_flow_allowed
from harness.network.sg_scenarios import handbuilt_glue_groups, narrow_self_ingress, without_self_ingress

pytestmark = pytest.mark.network

HOSTS = ("driver", "executor1", "executor2")
DRIVER_RPC, MASTER, BLOCK_MANAGER, HTTPS = 41234, 7077, 43210, 443
PORTS = (DRIVER_RPC, MASTER, BLOCK_MANAGER, HTTPS)
PROBE = str(TCP_PROBE)
DROP_TIMEOUT = 0.3  # on a veth an allowed connect takes well under 1 ms

VARIANTS = {
    "default": handbuilt_glue_groups,
    "restrict-egress": lambda: handbuilt_glue_groups(restrict_egress=True),
    "no-self-ingress": lambda: without_self_ingress(handbuilt_glue_groups()),
    "self-ingress-443-only": lambda: narrow_self_ingress(handbuilt_glue_groups(), HTTPS),
    "self-ingress-7077-only": lambda: narrow_self_ingress(handbuilt_glue_groups(), MASTER),
}


@pytest.fixture(scope="module")
def tcp_lab(make_lab):
    lab = make_lab(HOSTS)
    for host in HOSTS:
        listener = lab.popen(
            host, [sys.executable, PROBE, "listen", *map(str, PORTS)], stdout=subprocess.PIPE, text=True
        )
        assert listener.stdout.readline().strip() == "ready"
    return lab


def probe_all(lab, scenario, **kwargs):
    """Apply the scenario's rules on every host, connect every host to every other on PORTS."""
    members = {host: scenario.attached for host in HOSTS}
    rulesets = build_rulesets(scenario.groups, members, lab.addresses, **kwargs)
    lab.apply_rulesets({host: r.render() for host, r in rulesets.items()})
    procs = {}
    for src in HOSTS:
        targets = [f"{lab.addresses[dst]}:{port}" for dst in HOSTS if dst != src for port in PORTS]
        argv = [sys.executable, PROBE, "connect", str(DROP_TIMEOUT), *targets]
        procs[src] = lab.popen(src, argv, stdout=subprocess.PIPE, text=True)
    by_ip = {ip: host for host, ip in lab.addresses.items()}
    observed = {}
    for src, proc in procs.items():
        out, _ = proc.communicate(timeout=10)
        for target, outcome in json.loads(out).items():
            ip, port = target.rsplit(":", 1)
            observed[(src, by_ip[ip], int(port))] = outcome
    expected = {key: tcp_flow_allowed(rulesets, *key) for key in observed}
    return observed, expected


@pytest.mark.parametrize("variant", VARIANTS)
def test_kernel_agrees_with_model(tcp_lab, variant):
    observed, expected = probe_all(tcp_lab, VARIANTS[variant]())
    wrong = {k: v for k, v in observed.items() if v != ("ok" if expected[k] else "timeout")}
    assert not wrong, f"{variant}: observed != model for {wrong}"
    allowed = {k for k, ok in expected.items() if ok}
    if variant in ("default", "restrict-egress"):
        assert allowed == set(observed)  # executors reach the driver RPC port and each other
    elif variant == "no-self-ingress":
        assert not allowed
    else:
        port = HTTPS if variant.endswith("443-only") else MASTER
        assert {p for _, _, p in allowed} == {port}
        assert observed[("executor1", "driver", DRIVER_RPC)] == "timeout"


def test_reset_mode_gives_connection_refused(tcp_lab):
    """What "Connection refused" needs: a reset (a closed port or a REJECT), which an SG never sends."""
    broken = without_self_ingress(handbuilt_glue_groups())
    observed, _ = probe_all(tcp_lab, broken, reject_tcp_with_reset=True)
    assert observed[("executor1", "driver", DRIVER_RPC)] == "refused"


def test_plan_groups_let_executors_reach_the_driver(tcp_lab, plan_glue_security_groups):
    good = plan_glue_security_groups
    observed, _ = probe_all(tcp_lab, good)
    assert observed[("executor1", "driver", DRIVER_RPC)] == "ok", good.groups
    observed, _ = probe_all(tcp_lab, without_self_ingress(good))
    assert observed[("executor1", "driver", DRIVER_RPC)] == "timeout"


def test_lab_cleanup_removes_namespaces_and_processes(netns_available):
    from harness.network.netns import NetnsLab

    lab = NetnsLab(["a", "b"]).start()
    proc = lab.popen("a", ["sleep", "300"])
    assert len(lab.leftovers()) == 3  # two hosts + the switch namespace
    lab.close()
    assert proc.poll() is not None
    assert lab.leftovers() == []

"""Network-namespace lab: hosts on a private bridge, each with its own nftables ruleset.

Layout (nothing is created in the root namespace, no traffic leaves the lab)::

    ns <tag>-sw   : bridge "br0" plus one veth end per host
    ns <tag>-<h>  : "eth0" (the other veth end) with 10.250.0.<n>/24, and "lo"

With explicit ``addresses`` (host -> "ip/prefix") hosts may sit in different
subnets on the one bridge (the property test's "S3" host has a public address);
each host then also gets an on-link default route, so every lab address is
reached directly over the bridge, with no router.

``NetnsLab.close`` kills every process started through the lab (process groups),
then anything else still running in its namespaces, then deletes the namespaces,
which removes the veths and the bridge with them. It runs from a pytest
finalizer, so also when a test fails or is interrupted.
"""

from __future__ import annotations

import ipaddress
import itertools
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from subprocess import CompletedProcess

SUBNET = "10.250.0.0/24"
PREFIX = "gnl"  # namespace names: gnl<pid>x<n>-<host>
_counter = itertools.count()


def _ip(*args: str, check: bool = True) -> CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True, timeout=30)


def unavailable_reason() -> str | None:
    """One line saying why the lab cannot run here, or None."""
    if os.geteuid() != 0:
        return "network namespaces need root (run as root or via scripts/network_setup.sh)"
    if shutil.which("ip") is None:
        return "iproute2 'ip' not found (scripts/network_setup.sh installs it)"
    if shutil.which("nft") is None:
        return "nft not found (scripts/network_setup.sh installs nftables)"
    probe = f"{PREFIX}{os.getpid()}probe"
    try:
        _ip("netns", "add", probe)
    except (subprocess.SubprocessError, OSError) as exc:
        lines = str(getattr(exc, "stderr", "") or exc).strip().splitlines()
        return f"'ip netns add' failed: {lines[-1] if lines else type(exc).__name__}"
    try:
        nft = subprocess.run(
            ["ip", "netns", "exec", probe, "nft", "list", "ruleset"],
            check=False,
            capture_output=True,
            text=True,
        )
        if nft.returncode != 0:
            return f"nft does not work in a namespace: {nft.stderr.strip()[:120]}"
    finally:
        _ip("netns", "del", probe, check=False)
    return None


def remove_stale_namespaces() -> None:
    """Delete lab namespaces left by test processes that no longer exist (e.g. SIGKILLed)."""
    listing = _ip("netns", "list", check=False).stdout
    for line in listing.splitlines():
        name = line.split()[0] if line.split() else ""
        if not name.startswith(PREFIX):
            continue
        pid = name[len(PREFIX) :].split("x", 1)[0]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            _kill_namespace_pids(name)
            _ip("netns", "del", name, check=False)


def _kill_namespace_pids(ns: str) -> None:
    pids = _ip("netns", "pids", ns, check=False).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


class NetnsLab:
    def __init__(self, hosts: Sequence[str], addresses: Mapping[str, str] | None = None):
        """Hosts at 10.250.0.2, .3, ... of SUBNET, unless ``addresses`` names each one's "ip/prefix"."""
        network = ipaddress.ip_network(SUBNET)
        self.tag = f"{PREFIX}{os.getpid()}x{next(_counter)}"
        self.hosts = list(hosts)
        if addresses is None:
            self.interfaces = {h: f"{network[2 + i]}/{network.prefixlen}" for i, h in enumerate(self.hosts)}
        else:
            self.interfaces = {h: str(ipaddress.ip_interface(addresses[h])) for h in self.hosts}
        self.onlink_default = addresses is not None
        self.addresses = {h: str(ipaddress.ip_interface(i).ip) for h, i in self.interfaces.items()}
        self.switch = f"{self.tag}-sw"
        self.procs: list[subprocess.Popen] = []
        self._created: list[str] = []

    def ns(self, host: str) -> str:
        return f"{self.tag}-{host}"

    def start(self) -> NetnsLab:
        remove_stale_namespaces()
        try:
            self._add_ns(self.switch)
            self._exec(self.switch, "ip", "link", "add", "br0", "type", "bridge")
            self._exec(self.switch, "ip", "link", "set", "br0", "up")
            for index, host in enumerate(self.hosts):
                ns = self.ns(host)
                self._add_ns(ns)
                port = f"p{index}"
                _ip("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", self.switch)
                self._exec(self.switch, "ip", "link", "set", port, "master", "br0", "up")
                self._exec(ns, "ip", "addr", "add", self.interfaces[host], "dev", "eth0")
                self._exec(ns, "ip", "link", "set", "eth0", "up")
                if self.onlink_default:
                    self._exec(ns, "ip", "route", "add", "default", "dev", "eth0")
        except BaseException:
            self.close()
            raise
        return self

    def _add_ns(self, ns: str) -> None:
        _ip("netns", "add", ns)
        self._created.append(ns)
        self._exec(ns, "ip", "link", "set", "lo", "up")

    def _exec(self, ns: str, *argv: str, input: str | None = None) -> str:
        done = subprocess.run(
            ["ip", "netns", "exec", ns, *argv],
            check=False,
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} in {ns} failed: {done.stderr.strip()}")
        return done.stdout

    def apply_ruleset(self, host: str, ruleset: str) -> None:
        """Replace the host's filter with ``ruleset`` (``nft -f``) and forget old flows."""
        self._exec(self.ns(host), "nft", "-f", "-", input=ruleset)
        if shutil.which("conntrack"):
            self._exec(self.ns(host), "conntrack", "-F")

    def apply_rulesets(self, rulesets: Mapping[str, str]) -> None:
        for host, text in rulesets.items():
            self.apply_ruleset(host, text)

    def run(self, host: str, argv: Sequence[str], timeout: float = 60, **kw) -> CompletedProcess:
        return subprocess.run(
            ["ip", "netns", "exec", self.ns(host), *argv],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kw,
        )

    def popen(self, host: str, argv: Sequence[str], **kwargs) -> subprocess.Popen:
        """Start a tracked process in its own process group inside the host's namespace."""
        argv = ["ip", "netns", "exec", self.ns(host), *argv]
        proc = subprocess.Popen(argv, start_new_session=True, **kwargs)
        self.procs.append(proc)
        return proc

    def stop(self, procs: Iterable[subprocess.Popen], grace: float = 5.0) -> None:
        procs = [p for p in procs if p.poll() is None]
        for proc in procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in procs:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for proc in procs:
            _signal_group(proc, signal.SIGKILL)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                pass

    def close(self) -> None:
        try:
            self.stop(self.procs, grace=3.0)
        finally:
            for ns in reversed(self._created):
                _kill_namespace_pids(ns)
                _ip("netns", "del", ns, check=False)
            self._created.clear()

    def leftovers(self) -> list[str]:
        """Lab namespaces of this lab that still exist (for the cleanup test)."""
        listing = _ip("netns", "list", check=False).stdout
        return [line.split()[0] for line in listing.splitlines() if line.startswith(self.tag)]


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass

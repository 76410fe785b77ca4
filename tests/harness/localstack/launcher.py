"""Start LocalStack Community in this process (the runtime venv's Python), with the suite's patches.

Run by ``harness.localstack.runtime`` as ``<runtime venv>/bin/python launcher.py``; it imports nothing
from the suite (the runtime venv has LocalStack's own moto fork, ``moto-ext``, and no harness).

Two changes to LocalStack 2026.3.0, each named, each guarded (skipped when LocalStack already does
it) and each reported on stdout as ``glue-netcheck patch <name>: applied|native|off``:

``loopback_bind``
    LocalStack's twisted gateway ignores the host of ``GATEWAY_LISTEN`` for IPv4 and listens on
    every interface (localstack/runtime/server/twisted.py builds ``TCP4ServerEndpoint(reactor, port)``
    under ``# TODO: interface = host?``). The suite asks for 127.0.0.1; this binds the gateway's
    port there. Not an emulator gap but a safety measure, so it is never switched off.

``security_group_rule_descriptions``
    The same gap as the suite's moto patch (h) (tests/harness/emulator/moto_patches.py): moto-ext
    reads a rule's Description from its CIDR entry only, so DescribeSecurityGroupRules answers
    without ``Description`` for a rule that references a security group or a prefix list. The vpc
    module's self-referencing ingress rule then shows ``+ description`` on every plan after apply
    and the re-plan never settles. ``GLUE_NETCHECK_NO_LOCALSTACK_PATCHES=1`` leaves it out (the
    test that proves the gap starts a LocalStack that way).

The gateway's TLS certificate is generated here too (``ensure_certificate``), before LocalStack
starts: LocalStack 2026.3.0 would make it with pyOpenSSL's ``X509.add_extensions``, which
pyOpenSSL 25 removed, so on a machine with no certificate yet the gateway failed to start
(issue 21). ``cryptography``'s builder is the API pyOpenSSL itself points to.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from typing import Any

NO_PATCHES_ENV = "GLUE_NETCHECK_NO_LOCALSTACK_PATCHES"
CERT_ENV = "CUSTOM_SSL_CERT_PATH"  # LocalStack's own setting: a PEM file with the key, then the certificate
# The pid of the test process: when it dies (even by SIGKILL), LocalStack shuts itself down.
PARENT_ENV = "GLUE_NETCHECK_PARENT_PID"
_MARKER = "_glue_netcheck_patch"


def _report(name: str, outcome: str) -> None:
    print(f"glue-netcheck patch {name}: {outcome}", flush=True)


# --- loopback_bind ---------------------------------------------------------------------------


def patch_loopback_bind() -> str:
    from localstack import config
    from localstack.runtime.server import twisted as twisted_server

    source = inspect.getsource(twisted_server.TwistedRuntimeServer.register)
    if "TCP4ServerEndpoint(reactor, host_and_port.port)" not in source:
        return "native"  # LocalStack passes the interface itself (or changed the code: see the bind test)
    hosts = {hp.port: hp.host for hp in config.GATEWAY_LISTEN if hp.host not in ("0.0.0.0", "")}
    endpoints = twisted_server.endpoints
    original = endpoints.TCP4ServerEndpoint
    if getattr(original, _MARKER, None):
        return "already"

    def tcp4_server_endpoint(reactor: Any, port: int, *args: Any, **kwargs: Any) -> Any:
        if not args and "interface" not in kwargs and port in hosts:
            kwargs["interface"] = hosts[port]
        return original(reactor, port, *args, **kwargs)

    setattr(tcp4_server_endpoint, _MARKER, "loopback_bind")
    endpoints.TCP4ServerEndpoint = tcp4_server_endpoint
    return "applied"


# --- security_group_rule_descriptions ---------------------------------------------------------


def patch_security_group_rule_descriptions() -> str:
    from types import SimpleNamespace

    from moto.ec2.models.security_groups import SecurityGroupRule

    def reported_natively() -> bool:
        backend = SimpleNamespace(account_id="000000000000")
        group_rule = SecurityGroupRule(
            backend, "tcp", "sg-probe", "0", "65535", None, {"GroupId": "sg-probe", "Description": "g"}
        )
        prefix_rule = SecurityGroupRule(
            backend, "tcp", "sg-probe", "443", "443", None, None, {"PrefixListId": "pl-probe", "Description": "p"}
        )
        return group_rule.description == "g" and prefix_rule.description == "p"

    if getattr(SecurityGroupRule.__init__, _MARKER, None):
        return "already"
    if reported_natively():
        return "native"

    original_init: Callable[..., None] = SecurityGroupRule.__init__
    signature = inspect.signature(original_init)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        entry = signature.bind(self, *args, **kwargs).arguments.get("prefix_list_id")
        self.prefix_list_description = entry.get("Description") if isinstance(entry, dict) else None

    def description(self: Any) -> str | None:
        # As AWS: the Description the rule was authorised with, whatever it references.
        for source in (
            self.ip_range,
            self.source_group,
            {"Description": getattr(self, "prefix_list_description", None)},
        ):
            if source and source.get("Description") is not None:
                return source["Description"]
        return None

    setattr(__init__, _MARKER, "security_group_rule_descriptions")
    SecurityGroupRule.__init__ = __init__
    SecurityGroupRule.description = property(description)
    return "applied"


GAP_PATCHES: dict[str, Callable[[], str]] = {
    "security_group_rule_descriptions": patch_security_group_rule_descriptions,
}


# --- the gateway certificate -------------------------------------------------------------------


def ensure_certificate(path: str) -> str:
    """A self-signed certificate for the gateway at ``path`` (key, then certificate, as LocalStack reads it).

    Made once per LocalStack working directory; LocalStack only reads it (``utils/crypto.py``
    ``generate_ssl_cert`` uses an existing non-empty file as it is).
    """
    import datetime
    import ipaddress
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    target = Path(path)
    if target.is_file() and target.stat().st_size > 0:
        return "present"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.DNSName("localhost.localstack.cloud"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(key_pem + cert.public_bytes(serialization.Encoding.PEM))
    return "generated"


# --- parent watchdog ----------------------------------------------------------------------------


def watch_parent(pid: int, interval: float = 1.0, grace: float = 30.0) -> None:
    """When ``pid`` is gone, SIGTERM ourselves (LocalStack's own clean shutdown), then exit hard after ``grace``.

    LocalStack runs in its own session (so that stopping it reaches everything it started), which
    also shields it from the terminal's signals: without this, a test run killed by SIGKILL or a CI
    timeout would leave it listening.
    """
    import signal
    import threading
    import time

    def alive() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def watch() -> None:
        while alive():
            time.sleep(interval)
        print(f"glue-netcheck: parent process {pid} is gone; stopping LocalStack", flush=True)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        os._exit(1)

    threading.Thread(target=watch, name="glue-netcheck-parent-watch", daemon=True).start()


def main() -> None:
    if os.environ.get(PARENT_ENV):
        watch_parent(int(os.environ[PARENT_ENV]))
    if os.environ.get(CERT_ENV):
        print(
            f"glue-netcheck certificate {os.environ[CERT_ENV]}: {ensure_certificate(os.environ[CERT_ENV])}", flush=True
        )
    _report("loopback_bind", patch_loopback_bind())
    for name, install in GAP_PATCHES.items():
        _report(name, "off" if os.environ.get(NO_PATCHES_ENV) == "1" else install())
    from localstack.runtime.main import main as localstack_main

    sys.argv = ["localstack-runtime"]
    localstack_main()


if __name__ == "__main__":
    main()

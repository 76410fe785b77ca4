"""LocalStack as a backend: one endpoint, the certificate on loopback, the started runtime, its known gaps.

The first tests need no LocalStack (a stand-in HTTP server answers the health check); the last
group needs the LocalStack the suite starts (`tox -e localstack` without LOCALSTACK_ENDPOINT) and
skips elsewhere with that reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import SSLError

from glue_netcheck.live_adapter import NETWORK_RULES
from harness.backends import BackendRefused, moto_backend
from harness.deploy_summary import REQUIRE_DEPLOY_MESSAGE
from harness.emulator import STACK_SERVICES as OVERRIDE_SERVICES
from harness.localstack.backend import (
    SERVICE_ENDPOINT_ENVS,
    LocalStackBackend,
    health,
    localstack_backend,
    self_signed_ok,
)
from harness.localstack.gaps import RULE_DESCRIPTIONS, unexplained_changes
from harness.localstack.runtime import (
    RUNTIME_PYTHON_ENV,
    LocalStackProcess,
    LocalStackStartError,
    free_port,
    runtime_python,
    start_localstack,
)
from harness.paths import REPO
from harness.vpc_stack import VpcStackLifecycle

pytestmark = [pytest.mark.integration]

REGION = "us-east-1"
# What a community LocalStack answers: no glue.
COMMUNITY_HEALTH = {
    "services": {s: "available" for s in ("ec2", "iam", "s3", "sts", "kms", "logs")},
    "edition": "community",
    "version": "stand-in",
}
BOTO3_SERVICE = {"logs": "logs", "ec2": "ec2", "glue": "glue", "iam": "iam", "kms": "kms", "s3": "s3", "sts": "sts"}


STS_IDENTITY = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn><UserId>AKIAIOSFODNN7EXAMPLE</UserId>
  <Account>000000000000</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""


class FakeLocalStack:
    """Answers the health check and STS GetCallerIdentity (as LocalStack does); records every other request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path != "/_localstack/health":
                    fake.requests.append(("GET", self.path))
                self._answer(200 if self.path == "/_localstack/health" else 404, COMMUNITY_HEALTH)

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.requests.append(("POST", self.path))
                if b"Action=GetCallerIdentity" in body:
                    data = STS_IDENTITY.encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/xml")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self._answer(404, {})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_localstack() -> Iterator[FakeLocalStack]:
    fake = FakeLocalStack()
    yield fake
    fake.close()


def override_endpoints(hcl: str) -> dict[str, str]:
    return dict(re.findall(r'^\s+(\w+)\s+= "(http[^"]*)"$', hcl, re.M))


# --- one endpoint ------------------------------------------------------------------------------


def test_localstack_without_glue_names_the_reason(fake_localstack: FakeLocalStack):
    backend = localstack_backend(REGION, endpoint_url=fake_localstack.url, env={})

    assert backend.missing("ec2", "s3", "iam") is None
    reason = backend.missing("ec2", "glue")
    assert reason == (
        f"LocalStack at {fake_localstack.url} does not serve glue (not listed) (Glue is in LocalStack's paid image only)"
    )


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"])
def test_an_aws_endpoint_url_that_disagrees_is_refused_in_one_line(fake_localstack: FakeLocalStack, variable: str):
    env = {"LOCALSTACK_ENDPOINT": fake_localstack.url, variable: "http://127.0.0.1:9"}

    with pytest.raises(BackendRefused) as refused:
        localstack_backend(REGION, env=env)

    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(
        f"{variable}=http://127.0.0.1:9 disagrees with the LocalStack endpoint {fake_localstack.url}"
    )
    assert f"unset {variable} or set it to {fake_localstack.url}" in message


def test_an_aws_endpoint_url_that_agrees_is_accepted(fake_localstack: FakeLocalStack):
    url = fake_localstack.url
    env = {
        "LOCALSTACK_ENDPOINT": url,
        "AWS_ENDPOINT_URL": f"{url}/",
        "AWS_ENDPOINT_URL_EC2": url.replace("http", "HTTP"),
    }

    backend = localstack_backend(REGION, env=env)

    assert backend.endpoint_url == url


def test_clients_and_terraform_use_the_one_endpoint_whatever_the_environment_says(
    fake_localstack: FakeLocalStack, monkeypatch: pytest.MonkeyPatch
):
    """AWS_ENDPOINT_URL* in the process environment (what boto3 would read) does not move a client."""
    for variable in ("AWS_ENDPOINT_URL", *SERVICE_ENDPOINT_ENVS):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    backend = localstack_backend(REGION, endpoint_url=fake_localstack.url, env={})

    clients = {service: backend.client(BOTO3_SERVICE[service]) for service in OVERRIDE_SERVICES}
    assert clients["sts"].get_caller_identity()["Account"] == "000000000000"  # the stand-in answered

    assert {s: c.meta.endpoint_url for s, c in clients.items()} == dict.fromkeys(OVERRIDE_SERVICES, fake_localstack.url)
    assert ("POST", "/") in fake_localstack.requests
    override = backend.override_hcl()
    assert override_endpoints(override) == dict.fromkeys(OVERRIDE_SERVICES, fake_localstack.url)
    # The account LocalStack's STS names is the only one Terraform may deploy to.
    assert 'allowed_account_ids         = ["000000000000"]' in override


def test_a_run_with_a_conflicting_aws_endpoint_url_stops_before_any_terraform(fake_localstack: FakeLocalStack):
    env = clean_env(LOCALSTACK_ENDPOINT=fake_localstack.url, AWS_ENDPOINT_URL="http://127.0.0.1:9")

    run = run_pytest(env, "tests/integration/test_vpc_stack.py")

    assert run.returncode == 4, run.stdout[-2000:]
    refusal = [line for line in run.stdout.splitlines() if "disagrees with the LocalStack endpoint" in line]
    assert len(refusal) == 1 and "AWS_ENDPOINT_URL=http://127.0.0.1:9 disagrees" in refusal[0], run.stdout[-2000:]
    assert "Traceback" not in run.stdout
    assert fake_localstack.requests == []  # refused before even the health check


def test_localstack_clients_have_the_moto_backends_timeouts_and_retries(fake_localstack: FakeLocalStack):
    localstack = localstack_backend(REGION, endpoint_url=fake_localstack.url, env={}).client("ec2").meta.config
    moto = moto_backend(fake_localstack.url, REGION).client("ec2").meta.config

    def timing(config: Any) -> tuple[Any, ...]:
        return config.connect_timeout, config.read_timeout, config.retries

    assert (
        timing(localstack) == timing(moto) == (5, 60, {"mode": "standard", "total_max_attempts": 4})
    )  # botocore: 3 retries = 4 attempts


@pytest.mark.parametrize(
    ("endpoint", "lifted"),
    [
        ("https://127.0.0.1:4566", True),
        ("https://localhost:4566", True),
        ("https://[::1]:4566", True),
        ("http://127.0.0.1:4566", False),
        ("https://10.0.0.5:4566", False),
        ("https://192.0.2.1:443", False),
    ],
)
def test_certificate_checks_are_lifted_for_https_on_loopback_only(endpoint: str, lifted: bool):
    assert self_signed_ok(endpoint) is lifted


# --- --require-deploy --------------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_ENDPOINT_URL", "LOCALSTACK_", "GLUE_TEST_BACKEND", "PYTEST_"))
    }
    env.update(extra)
    return env


def run_pytest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "integration",
            "--backend",
            "localstack",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_require_deploy_fails_a_run_that_deployed_nothing():
    dead = f"http://127.0.0.1:{free_port()}"
    env = clean_env(LOCALSTACK_ENDPOINT=dead)

    lenient = run_pytest(env, "tests/integration/test_vpc_stack.py")
    strict = run_pytest(env, "tests/integration/test_vpc_stack.py", "--require-deploy")

    assert lenient.returncode == 0, lenient.stdout[-2000:]
    assert strict.returncode == 1, strict.stdout[-2000:]
    # The vpc stack's tests: one per network rule, the stack check and the re-plan (its destroy and leak
    # check are the fixture's finalizer, not a test).
    n = len(NETWORK_RULES) + 2
    summary = (
        f"localstack: deployed 0 stack(s) [none], verified 0 check(s), skipped {n} of {n} deploying test(s): "
        f"{n} x LocalStack at {dead} is not reachable"
    )
    for run in (lenient, strict):
        assert summary in run.stdout, run.stdout[-2000:]
    assert REQUIRE_DEPLOY_MESSAGE.format(backend="localstack") in strict.stdout
    assert REQUIRE_DEPLOY_MESSAGE.format(backend="localstack") not in lenient.stdout


# --- LocalStack's virtualenv (tox -e localstack makes it) ----------------------------------------


def test_outside_tox_the_missing_virtualenv_is_named_in_one_line():
    with pytest.raises(LocalStackStartError) as raised:
        runtime_python({})

    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{RUNTIME_PYTHON_ENV} is not set: run the suite as `tox -e localstack`")
    assert message.endswith("or run your own LocalStack and set LOCALSTACK_ENDPOINT")
    assert runtime_python({RUNTIME_PYTHON_ENV: sys.executable}) == Path(sys.executable)


def test_a_run_without_python_3_13_stops_in_one_line_before_any_terraform(tmp_path: Path):
    """tox could not make the virtualenv (no python3.13): the run says so once and deploys nothing."""
    missing = tmp_path / "localstack-runtime" / "bin" / "python"
    run = run_pytest(clean_env(**{RUNTIME_PYTHON_ENV: str(missing)}), "tests/integration/test_vpc_stack.py")

    assert run.returncode == 4, run.stdout[-2000:]
    said = [line for line in run.stdout.splitlines() if f"no LocalStack virtualenv at {missing}" in line]
    assert len(said) == 1, run.stdout[-2000:]
    assert "needs a Python 3.13 on PATH" in said[0] and "set LOCALSTACK_ENDPOINT" in said[0]
    assert "Traceback" not in run.stdout
    assert "stack vpc: apply" not in run.stdout


# --- gaps: which re-plan differences a gap explains --------------------------------------------


def rule_change(type_: str, before: dict[str, Any], after: dict[str, Any], actions: list[str] | None = None) -> dict:
    return {
        "address": f"module.vpc.{type_}.x",
        "type": type_,
        "change": {"actions": actions or ["update"], "before": before, "after": after, "after_unknown": {}},
    }


SELF_RULE = {"referenced_security_group_id": "sg-1", "ip_protocol": "tcp", "from_port": 0, "to_port": 65535}


def test_rule_description_gap_explains_only_a_description_update_on_a_referencing_rule():
    description_only = rule_change(
        "aws_vpc_security_group_ingress_rule", {**SELF_RULE, "description": None}, {**SELF_RULE, "description": "d"}
    )
    ports_too = rule_change(
        "aws_vpc_security_group_ingress_rule",
        {**SELF_RULE, "description": None, "to_port": 1},
        {**SELF_RULE, "description": "d"},
    )
    cidr_rule = rule_change(
        "aws_vpc_security_group_egress_rule",
        {"cidr_ipv4": "0.0.0.0/0", "description": None},
        {"cidr_ipv4": "0.0.0.0/0", "description": "d"},
    )
    replaced = rule_change(
        "aws_vpc_security_group_ingress_rule", {**SELF_RULE}, {**SELF_RULE, "description": "d"}, ["delete", "create"]
    )
    plan = {"resource_changes": [description_only, ports_too, cidr_rule, replaced]}

    assert RULE_DESCRIPTIONS.explains(description_only)
    left = unexplained_changes(plan, [RULE_DESCRIPTIONS.name])
    assert left == [
        "module.vpc.aws_vpc_security_group_ingress_rule.x: update ['description', 'to_port']",
        "module.vpc.aws_vpc_security_group_egress_rule.x: update ['description']",
        "module.vpc.aws_vpc_security_group_ingress_rule.x: delete/create ['description']",
    ]
    assert len(unexplained_changes(plan, [])) == 4  # no gap named: nothing is explained


# --- the LocalStack the suite starts -------------------------------------------------------------


@pytest.fixture(scope="module")
def started(request: pytest.FixtureRequest, backend: Any) -> LocalStackProcess:
    if request.config.getoption("--backend") != "localstack":
        pytest.skip("needs the LocalStack the suite starts: tox -e localstack (without LOCALSTACK_ENDPOINT)")
    process = request.getfixturevalue("localstack_process")
    if process is None:
        pytest.skip(
            "LocalStack is yours (LOCALSTACK_ENDPOINT): the launcher's patches apply to the one the suite starts"
        )
    return process


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    found.add(".".join(str(b) for b in raw[::-1]))
                else:
                    found.add(raw.hex())
    return found


def test_started_localstack_listens_on_loopback_only(started: LocalStackProcess):
    assert started.patches["loopback_bind"] == "applied"
    assert listening_addresses(started.port) == {"127.0.0.1"}


def test_started_localstack_is_patched_and_keeps_rule_descriptions(
    started: LocalStackProcess, backend: LocalStackBackend
):
    assert started.patches["security_group_rule_descriptions"] == "applied"
    assert RULE_DESCRIPTIONS.probe(backend.client) is False
    assert backend.known_gaps == {}


def test_unpatched_localstack_drops_the_self_rule_description(started: LocalStackProcess, tmp_path: Path):
    """Proves the launcher's patch is needed: fails once LocalStack reports the Description itself."""
    with start_localstack(tmp_path / "unpatched", patched=False) as unpatched:
        assert unpatched.patches == {"loopback_bind": "applied", "security_group_rule_descriptions": "off"}
        backend = localstack_backend(REGION, unpatched.endpoint_url, env={}, started_here=True)

        assert RULE_DESCRIPTIONS.probe(backend.client) is True


def test_localstack_starts_and_serves_on_a_machine_that_never_ran_it(
    started: LocalStackProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Issue 21: no certificate, no LocalStack state, an empty HOME and temp dir: it starts, serves http
    and https, makes its certificate in its own directory and writes nothing into HOME."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmp))
    workdir = tmp_path / "fresh"
    with start_localstack(workdir) as fresh:
        assert f"glue-netcheck certificate {workdir}/certificate/server.test.pem: generated" in fresh.log_text()
        assert health(fresh.endpoint_url)["services"]["ec2"] in ("available", "running")
        assert health(f"https://127.0.0.1:{fresh.port}")["services"]["sts"] in ("available", "running")
    assert list(home.iterdir()) == [], "LocalStack wrote into HOME"
    assert list(tmp.iterdir()) == [], "LocalStack wrote into the temp dir"


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_https_endpoint_on_loopback_serves_health_clients_and_terraform(
    started: LocalStackProcess, sources: Any, tfenv: Any, tmp_path: Path
):
    """LocalStack serves https on its port with a self-signed certificate; every part of the run accepts it there."""
    https = f"https://127.0.0.1:{started.port}"
    backend = localstack_backend(REGION, https, env={}, started_here=True)

    assert health(https)["services"]["ec2"] in ("available", "running")
    assert backend.insecure_tls
    assert backend.client("sts").get_caller_identity()["Account"]
    assert "insecure                    = true" in (backend.override_hcl() or "")

    lifecycle = VpcStackLifecycle(sources, tfenv, backend, tmp_path / "stack", run_id="0000000000-000000-tls")
    lifecycle.prepare()
    assert lifecycle.tf is not None
    lifecycle.tf.init_offline(timeout=180)
    plan = lifecycle.tf.run("plan", "-input=false", "-no-color", "-lock=false", timeout=300, check=False)
    assert plan.returncode == 0, plan.stderr[-2000:]

    # The certificate is LocalStack's own: a client that verifies it is refused, so lifting the check is needed.
    strict = boto3.client(
        "sts", endpoint_url=https, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )
    with pytest.raises(SSLError):
        strict.get_caller_identity()


def test_started_localstack_stops_itself_when_the_test_process_dies(started: LocalStackProcess, tmp_path: Path):
    """A killed test run (SIGKILL, a CI timeout) leaves no LocalStack behind: it watches its parent."""
    stand_in = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(8)"])
    try:
        orphan = start_localstack(tmp_path / "orphan", parent_pid=stand_in.pid)
    except BaseException:
        stand_in.kill()
        raise
    try:
        assert orphan.proc.poll() is None
        stand_in.wait(30)

        orphan.proc.wait(60)  # raises TimeoutExpired if LocalStack outlived its parent
        assert f"parent process {stand_in.pid} is gone" in orphan.log_text()
    finally:
        orphan.stop()

"""The backend layer without deploying: run ids, the AWS account guard, LocalStack's health answer."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from harness.backends import (
    MAX_PREFIX_LEN,
    BackendRefused,
    BackendUnavailable,
    check_account,
    localstack_backend,
    name_prefix,
    new_run_id,
    probe_endpoint,
)
from harness.leaks import run_key, run_time

pytestmark = [pytest.mark.integration]

# What a community LocalStack answers: no glue.
COMMUNITY_HEALTH = {
    "services": {s: "available" for s in ("ec2", "iam", "s3", "sts", "kms", "logs")},
    "edition": "community",
}


def test_run_ids_are_unique_short_lower_case_and_dated():
    ids = {new_run_id("good") for _ in range(50)}

    assert len(ids) == 50
    for run_id in ids:
        prefix = name_prefix(run_id)
        assert re.fullmatch(r"gnt-\d{10}-[0-9a-f]{6}-good", prefix)
        assert len(prefix) <= MAX_PREFIX_LEN
        assert run_key(prefix) == run_id.removesuffix("-good")
        assert run_time(prefix) is not None


@pytest.mark.parametrize(
    ("account", "allowed", "message"),
    [
        ("123456789012", [], "ALLOWED_AWS_ACCOUNT_IDS is empty"),
        ("123456789012", ["111111111111"], "refusing to deploy to AWS account 123456789012: not in"),
    ],
)
def test_aws_account_guard_refuses(account: str, allowed: list[str], message: str):
    with pytest.raises(BackendRefused, match=message) as refused:
        check_account(account, allowed)
    assert "\n" not in str(refused.value)


def test_aws_account_guard_lets_a_listed_account_through():
    check_account("123456789012", ["111111111111", "123456789012"])


STS_IDENTITY = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn><UserId>AKIAIOSFODNN7EXAMPLE</UserId>
  <Account>000000000000</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""


@pytest.fixture
def fake_localstack() -> Iterator[str]:
    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = json.dumps(COMMUNITY_HEALTH).encode()
            self.send_response(200 if self.path == "/_localstack/health" else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802 - STS GetCallerIdentity, as LocalStack answers it
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = STS_IDENTITY.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_localstack_without_glue_names_the_reason(fake_localstack: str):
    backend = localstack_backend("us-east-1", endpoint_url=fake_localstack)

    assert backend.missing("ec2", "s3", "iam") is None
    reason = backend.missing("ec2", "glue")
    assert reason and "does not serve glue" in reason and "paid image" in reason
    assert backend.endpoint_url == fake_localstack
    override = backend.override_hcl()
    assert re.search(rf'glue\s+= "{re.escape(fake_localstack)}"', override)
    # The account LocalStack's STS names is the only one Terraform may deploy to.
    assert 'allowed_account_ids         = ["000000000000"]' in override


def test_unreachable_endpoint_is_a_quick_one_line_error():
    with pytest.raises(BackendUnavailable) as down:
        probe_endpoint("http://127.0.0.1:9", timeout=2, what="LocalStack")
    assert "\n" not in str(down.value)
    assert "LocalStack at http://127.0.0.1:9 is not reachable" in str(down.value)

"""The CLI against a moto server through --endpoint-url, as a user would point it at an emulator."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

from glue_netcheck.aws_clients import open_clients
from glue_netcheck.cli import main
from glue_netcheck.live_adapter import deployment_from_aws
from harness.aws_world import REGION, build_world, make_clients

pytestmark = pytest.mark.cli


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        # stop() only ends serve_forever(); close the listening socket too (as harness.emulator does).
        wsgi = getattr(server, "_server", None)
        if wsgi is not None:
            wsgi.server_close()


def test_job_via_endpoint_url(moto_server: str, fake_credentials: None, capsys: pytest.CaptureFixture[str]) -> None:
    world = build_world(make_clients(moto_server))
    argv = ["job", world.good_job, world.before_job, "--region", REGION, "--endpoint-url", moto_server]
    code = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    doc = json.loads(out)
    assert [(f["rule_id"], f["resource"], f["status"]) for f in doc["findings"]] == [
        ("GNET001", world.before_job, "fail"),
        ("GNET005", world.before_job, "fail"),
    ]
    assert all("ConnectionType" in g for g in doc["gaps"]) and len(doc["gaps"]) == 2
    # The clients the CLI opens really go to the server: its ids and the job's tags come back.
    d = deployment_from_aws([world.good_job], open_clients(REGION, endpoint_url=moto_server), REGION)
    assert set(d.subnets) == {world.subnet_a, world.subnet_b}
    assert sorted(d.vpc_endpoints[world.s3_endpoint].route_table_ids) == sorted([world.rtb_a, world.rtb_b])
    assert d.jobs[world.good_job].tags == {"glue-netcheck:network-mode": "vpc"}

"""start_moto's contract: where it listens, reset, stop, and one-line start errors."""

import socket
import urllib.error
import urllib.request

import pytest

from harness.emulator import EmulatorStartError, MotoEmulator, start_moto

pytestmark = pytest.mark.emulator


def answers(endpoint_url: str) -> bool:
    try:
        urllib.request.urlopen(f"{endpoint_url}/moto-api/", timeout=5).close()
    except urllib.error.URLError:
        return False
    return True


def test_emulator_listens_on_loopback(emulator: MotoEmulator):
    assert emulator.endpoint_url == f"http://127.0.0.1:{emulator.port}"
    assert emulator.port > 0
    assert answers(emulator.endpoint_url)


def test_reset_drops_resources_and_keeps_managed_policies(emulator: MotoEmulator):
    ec2 = emulator.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]

    emulator.reset()

    assert vpc_id not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    emulator.client("iam").get_policy(PolicyArn="arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole")


def test_context_manager_stops_the_server():
    with start_moto() as second:
        endpoint_url = second.endpoint_url
        assert answers(endpoint_url)

    assert not answers(endpoint_url)
    second.stop()  # a second stop is harmless


def test_port_in_use_is_a_one_line_start_error():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken_port = holder.getsockname()[1]

        with pytest.raises(EmulatorStartError) as error:
            start_moto(port=taken_port)

    assert str(taken_port) in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_moto_is_a_one_line_start_error(monkeypatch: pytest.MonkeyPatch):
    import sys

    monkeypatch.setitem(sys.modules, "moto.server", None)  # makes `import moto.server` fail

    with pytest.raises(EmulatorStartError, match="moto") as error:
        start_moto()
    assert "\n" not in str(error.value)

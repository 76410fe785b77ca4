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


@pytest.mark.parametrize("variable", ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"])
def test_emulator_clients_ignore_an_aws_profile_of_the_environment(
    emulator: MotoEmulator, variable: str, monkeypatch: pytest.MonkeyPatch, tmp_path
):
    """A test's own AWS_CONFIG_FILE and profile (the account-guard tests) must not break emulator clients:
    boto3's default session would raise ProfileNotFound here (seen under pytest-xdist, order-dependent)."""
    from harness.backends import moto_backend

    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config-without-profiles"))
    monkeypatch.setenv(variable, "sandbox")

    assert emulator.client("sts").get_caller_identity()["Account"] == "123456789012"
    assert moto_backend(emulator.endpoint_url).client("sts").get_caller_identity()["Account"] == "123456789012"


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

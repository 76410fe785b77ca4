"""scripts/sweep.py on moto: leftovers made with boto3 are listed, kept when young, deleted with --delete.

moto stamps everything "now", so the tests pass the sweep a clock two days ahead; EC2 resources
(no creation time in the API) take their age from the run id in their tags. The prefix is
``gsw-`` so that nothing of the other integration tests can be touched.
"""

from __future__ import annotations

import importlib.util
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.leaks import list_resources
from harness.workspace import REPO

pytestmark = [pytest.mark.integration]

PREFIX = "gsw-"
GLUE_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"


def load_sweep() -> Any:
    spec = importlib.util.spec_from_file_location("sweep", REPO / "scripts" / "sweep.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sweep = load_sweep()


def stamp(when: datetime) -> str:
    return f"{when:%y%m%d%H%M}-{uuid.uuid4().hex[:6]}"


def make_old_run(emulator: Any, run: str) -> None:
    """One of everything the stack makes, as a crashed run would leave it."""
    name = f"{PREFIX}{run}"
    tags = [{"Key": "Stack", "Value": name}, {"Key": "glue-netcheck-run", "Value": run}]
    glue, s3, iam = emulator.client("glue"), emulator.client("s3"), emulator.client("iam")
    logs, kms, ec2 = emulator.client("logs"), emulator.client("kms"), emulator.client("ec2")

    role = iam.create_role(RoleName=f"{name}-glue-1", AssumeRolePolicyDocument=json.dumps({"Statement": []}))["Role"]
    iam.attach_role_policy(RoleName=role["RoleName"], PolicyArn=GLUE_ROLE_POLICY)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    iam.put_role_policy(RoleName=role["RoleName"], PolicyName="job", PolicyDocument=json.dumps(policy))
    glue.create_job(Name=f"{name}-job", Role=role["Arn"], Command={"Name": "glueetl", "ScriptLocation": "s3://b/k"})
    glue.create_workflow(Name=f"{name}-workflow")
    glue.create_trigger(Name=f"{name}-start", Type="ON_DEMAND", Actions=[{"JobName": f"{name}-job"}])
    glue.create_security_configuration(Name=f"{name}-security", EncryptionConfiguration={})
    bucket = f"{name}-glue-1"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="scripts/a.py", Body=b"1")
    s3.put_object(Bucket=bucket, Key="scripts/a.py", Body=b"2")
    logs.create_log_group(logGroupName=f"/aws-glue/jobs/{name}")
    key = kms.create_key(Description=f"{name}: Glue data")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=f"alias/{name}-glue", TargetKeyId=key)
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": tags}])
    vpc_id = vpc["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(
        VpcId=vpc_id, CidrBlock="10.50.0.0/20", TagSpecifications=[{"ResourceType": "subnet", "Tags": tags}]
    )["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=[{"ResourceType": "route-table", "Tags": tags}])[
        "RouteTable"
    ]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    group = ec2.create_security_group(
        GroupName=f"{name}-glue",
        Description="t",
        VpcId=vpc_id,
        TagSpecifications=[{"ResourceType": "security-group", "Tags": tags}],
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": group}]}],
    )
    igw = ec2.create_internet_gateway(TagSpecifications=[{"ResourceType": "internet-gateway", "Tags": tags}])
    ec2.attach_internet_gateway(InternetGatewayId=igw["InternetGateway"]["InternetGatewayId"], VpcId=vpc_id)
    ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName=f"com.amazonaws.{emulator.region}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[table],
        TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": tags}],
    )


def kinds(resources: list[Any]) -> set[str]:
    return {r.kind for r in resources}


def test_sweep_lists_keeps_young_runs_and_deletes_old_ones(
    moto_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    real_now = datetime.now(UTC)
    later = real_now + timedelta(days=2)  # moto's creation times are "now": two days old by then
    old_run, young_run = stamp(real_now - timedelta(days=1)), stamp(later - timedelta(hours=1))
    make_old_run(moto_server, old_run)
    # A run still going: its VPC (dated by its run id) is an hour old, its job two days (by the API).
    moto_server.client("ec2").create_vpc(
        CidrBlock="10.51.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Stack", "Value": f"{PREFIX}{young_run}"}]}],
    )
    glue = moto_server.client("glue")
    glue.create_job(
        Name=f"{PREFIX}{young_run}-job", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k"}
    )
    unrelated = f"other-{uuid.uuid4().hex[:8]}"
    moto_server.client("s3").create_bucket(Bucket=unrelated)
    base = ["--prefix", PREFIX, "--endpoint-url", moto_server.endpoint_url, "--region", moto_server.region]
    old = list_resources(moto_server, f"{PREFIX}{old_run}")
    assert kinds(old) == {
        "glue trigger",
        "glue job",
        "glue workflow",
        "glue security configuration",
        "log group",
        "kms alias",
        "kms key",
        "iam role",
        "s3 bucket",
        "vpc endpoint",
        "internet gateway",
        "subnet",
        "route table",
        "security group",
        "vpc",
    }

    # Today everything is minutes old: nothing to sweep at the default 6h.
    assert sweep.run(base) == 0
    assert "nothing to sweep" in capsys.readouterr().out

    # Dry run two days later: the old run is listed, the young run kept whole, nothing deleted.
    assert sweep.run(base, now=later) == 0
    out = capsys.readouterr().out
    for r in old:
        assert f"would delete {r} " in out
    assert f"keep glue job {PREFIX}{young_run}-job (run {young_run} has resources younger than" in out
    assert list_resources(moto_server, f"{PREFIX}{old_run}") == old

    # --delete: the old run is gone, the young run and the unrelated bucket stay.
    assert sweep.run([*base, "--delete"], now=later) == 0
    out = capsys.readouterr().out
    assert f"deleted {len(old)} of {len(old)} resource(s)" in out, out
    assert list_resources(moto_server, f"{PREFIX}{old_run}") == []
    assert kinds(list_resources(moto_server, f"{PREFIX}{young_run}")) == {"glue job", "vpc"}
    assert unrelated in {b["Name"] for b in moto_server.client("s3").list_buckets()["Buckets"]}
    (key,) = [k for k in old if k.kind == "kms key"]
    assert moto_server.client("kms").describe_key(KeyId=key.id)["KeyMetadata"]["KeyState"] == "PendingDeletion"

    # Tidy up the young run too (the age rule, not the test, decides: a week later it is old).
    assert sweep.run([*base, "--delete"], now=later + timedelta(days=7)) == 0
    assert list_resources(moto_server, PREFIX) == []


def test_sweep_refuses_aws_without_allowed_accounts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", "")

    assert sweep.main(["--delete"]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refusing to sweep AWS: ALLOWED_AWS_ACCOUNT_IDS is empty" in err


def test_sweep_refuses_an_account_that_is_not_allowed(
    moto_server: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # STS (only STS) answered by moto: account 123456789012, not in the list.
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_server.endpoint_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", "111111111111")

    assert sweep.main(["--delete", "--region", moto_server.region]) == 2

    err = capsys.readouterr().err
    assert "refusing to sweep AWS account 123456789012: not in ALLOWED_AWS_ACCOUNT_IDS (111111111111)" in err

"""scripts/sweep.py on moto: only the suite's own resources are listed and deleted, old runs only.

moto stamps everything "now", so the tests pass the sweep a clock ahead; EC2 resources (no creation
time in the API) take their age from the run id in their tags. The emulator is a moto server of
this module's own (a process), so the other integration tests' runs are never in reach.

The decoys are the issue's (a Glue job ``gnt-prod-db``, a bucket ``gnt-prod-data`` with an object,
a role ``gnt-prod-role``, a log group, a KMS key described "gnt-prod: production data key") plus
near misses of the rule: a run-shaped name without the run tag, the run tag on a name that does not
match it, an alias and a security configuration named like a run but tied to the decoy key, EC2
resources with only one of the two tags.
"""

from __future__ import annotations

import json
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.emulator.moto_server import MotoProcess
from harness.journal import RUN_MARKER
from harness.leaks import RUN_TAG_KEY, list_resources
from harness.paths import SCRIPTS, load_module
from harness.terraform import Terraform, TerraformEnv

pytestmark = [pytest.mark.integration]

PREFIX = "gnt-"
GLUE_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"


sweep = load_module(SCRIPTS / "sweep.py")


@pytest.fixture(scope="module")
def emulator(outliving_moto: MotoProcess) -> MotoProcess:
    """The server the tests seed and sweep (conftest.py: a moto server in a process of its own)."""
    return outliving_moto


@pytest.fixture
def runs_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """No journals of this checkout's real runs in these tests."""
    directory = tmp_path / "runs"
    monkeypatch.setenv("GLUE_NETCHECK_RUNS_DIR", str(directory))
    return directory


def stamp(when: datetime) -> str:
    return f"{when:%y%m%d%H%M}-{uuid.uuid4().hex[:6]}"


def make_old_run(emulator: Any, run: str) -> None:
    """One of everything the stack makes, tagged as the provider's default_tags tag it, as a crashed run leaves it."""
    name = f"{PREFIX}{run}"
    tags = [{"Key": "Stack", "Value": name}, {"Key": RUN_TAG_KEY, "Value": run}]
    tag_map = {t["Key"]: t["Value"] for t in tags}
    glue, s3, iam = emulator.client("glue"), emulator.client("s3"), emulator.client("iam")
    logs, kms, ec2 = emulator.client("logs"), emulator.client("kms"), emulator.client("ec2")

    role = iam.create_role(
        RoleName=f"{name}-glue-1", AssumeRolePolicyDocument=json.dumps({"Statement": []}), Tags=tags
    )["Role"]
    iam.attach_role_policy(RoleName=role["RoleName"], PolicyArn=GLUE_ROLE_POLICY)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    iam.put_role_policy(RoleName=role["RoleName"], PolicyName="job", PolicyDocument=json.dumps(policy))
    command = {"Name": "glueetl", "ScriptLocation": "s3://b/k"}
    glue.create_job(Name=f"{name}-job", Role=role["Arn"], Command=command, Tags=tag_map)
    glue.create_workflow(Name=f"{name}-workflow", Tags=tag_map)
    glue.create_trigger(Name=f"{name}-start", Type="ON_DEMAND", Actions=[{"JobName": f"{name}-job"}], Tags=tag_map)
    key = kms.create_key(
        Description=f"{name}: Glue data", Tags=[{"TagKey": k, "TagValue": v} for k, v in tag_map.items()]
    )
    key_arn = key["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName=f"alias/{name}-glue", TargetKeyId=key["KeyMetadata"]["KeyId"])
    glue.create_security_configuration(
        Name=f"{name}-security",
        EncryptionConfiguration={"S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key_arn}]},
    )
    bucket = f"{name}-glue-1"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="scripts/a.py", Body=b"1")
    s3.put_object(Bucket=bucket, Key="scripts/a.py", Body=b"2")
    logs.create_log_group(logGroupName=f"/aws-glue/jobs/{name}", tags=tag_map)
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": tags}])
    vpc_id = vpc["Vpc"]["VpcId"]
    # The vpc module's flow logs: a flow log on the VPC into a log group of its own.
    flow_group = f"/aws/vpc-flow-logs/{name}"
    logs.create_log_group(logGroupName=flow_group, tags=tag_map)
    ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName=flow_group,
        DeliverLogsPermissionArn=role["Arn"],
        TagSpecifications=[{"ResourceType": "vpc-flow-log", "Tags": tags}],
    )
    subnet = ec2.create_subnet(
        VpcId=vpc_id, CidrBlock="10.50.0.0/20", TagSpecifications=[{"ResourceType": "subnet", "Tags": tags}]
    )["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=[{"ResourceType": "route-table", "Tags": tags}])[
        "RouteTable"
    ]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    # Two groups whose rules name each other (the stack's endpoint group admits the Glue group):
    # whichever the sweep deletes first, the other still names it unless the rules go first.
    group, endpoints = (
        ec2.create_security_group(
            GroupName=f"{name}-{role}",
            Description="t",
            VpcId=vpc_id,
            TagSpecifications=[{"ResourceType": "security-group", "Tags": tags}],
        )["GroupId"]
        for role in ("glue", "endpoints")
    )
    for grantee, source in ((group, group), (group, endpoints), (endpoints, group)):
        ec2.authorize_security_group_ingress(
            GroupId=grantee,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": source}]}
            ],
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


ALL_KINDS = {
    "flow log",
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


def base_args(emulator: MotoProcess) -> list[str]:
    return ["--endpoint-url", emulator.endpoint_url, "--region", emulator.region]


def test_sweep_lists_keeps_young_runs_and_deletes_old_ones(
    emulator: MotoProcess, runs_dir: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    real_now = datetime.now(UTC)
    later = real_now + timedelta(days=2)  # moto's creation times are "now": two days old by then
    old_run, young_run = stamp(real_now - timedelta(days=1)), stamp(later - timedelta(hours=1))
    make_old_run(emulator, old_run)
    # A run still going: its VPC (dated by its run id) is an hour old, its job two days (by the API).
    young_tags = [{"Key": "Stack", "Value": f"{PREFIX}{young_run}"}, {"Key": RUN_TAG_KEY, "Value": young_run}]
    emulator.client("ec2").create_vpc(
        CidrBlock="10.51.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": young_tags}]
    )
    emulator.client("glue").create_job(
        Name=f"{PREFIX}{young_run}-job",
        Role="r",
        Command={"Name": "glueetl", "ScriptLocation": "s3://b/k"},
        Tags={RUN_TAG_KEY: young_run},
    )
    unrelated = f"other-{uuid.uuid4().hex[:8]}"
    emulator.client("s3").create_bucket(Bucket=unrelated)
    base = base_args(emulator)
    old = list_resources(emulator, f"{PREFIX}{old_run}")
    assert kinds(old) == ALL_KINDS
    assert f"/aws/vpc-flow-logs/{PREFIX}{old_run}" in {r.id for r in old if r.kind == "log group"}

    # Today everything is minutes old: nothing to sweep at the default 6h.
    assert sweep.run(base) == 0
    assert "nothing to sweep" in capsys.readouterr().out

    # Dry run two days later: the old run is listed with why it qualifies, the young run kept whole.
    assert sweep.run(base, now=later) == 0
    out = capsys.readouterr().out
    for r in old:
        assert f"would delete {r} (" in out
    assert f"would delete glue job {PREFIX}{old_run}-job (48.0h old; tag {RUN_TAG_KEY}={old_run} and name starts" in out
    assert f"keep glue job {PREFIX}{young_run}-job (run {young_run} has resources younger than" in out
    assert list_resources(emulator, f"{PREFIX}{old_run}") == old

    # --delete: the old run is gone, the young run and the unrelated bucket stay.
    assert sweep.run([*base, "--delete"], now=later) == 0
    out = capsys.readouterr().out
    assert f"deleted {len(old)} of {len(old)} resource(s)" in out, out
    assert list_resources(emulator, f"{PREFIX}{old_run}") == []
    assert kinds(list_resources(emulator, f"{PREFIX}{young_run}")) == {"glue job", "vpc"}
    assert unrelated in {b["Name"] for b in emulator.client("s3").list_buckets()["Buckets"]}
    (key,) = [k for k in old if k.kind == "kms key"]
    assert emulator.client("kms").describe_key(KeyId=key.id)["KeyMetadata"]["KeyState"] == "PendingDeletion"

    # Tidy up the young run too (the age rule, not the test, decides: a week later it is old).
    assert sweep.run([*base, "--delete"], now=later + timedelta(days=7)) == 0
    assert list_resources(emulator, PREFIX) == []


def seed_decoys(emulator: MotoProcess, run_shaped: str) -> dict[str, Any]:
    """Resources the suite did not create, some of them close to its rule. Returns their ids."""
    glue, s3, iam = emulator.client("glue"), emulator.client("s3"), emulator.client("iam")
    logs, kms, ec2 = emulator.client("logs"), emulator.client("kms"), emulator.client("ec2")
    command = {"Name": "glueetl", "ScriptLocation": "s3://b/k"}
    ids: dict[str, Any] = {}
    # The issue's: names under gnt- but no run id, no run tag.
    glue.create_job(Name="gnt-prod-db", Role="r", Command=command)
    s3.create_bucket(Bucket="gnt-prod-data")
    s3.put_object(Bucket="gnt-prod-data", Key="customers.csv", Body=b"id,name\n1,a\n")
    iam.create_role(RoleName="gnt-prod-role", AssumeRolePolicyDocument=json.dumps({"Statement": []}))
    logs.create_log_group(logGroupName="/aws-glue/jobs/gnt-prod")
    ids["prod_key"] = kms.create_key(Description="gnt-prod: production data key")["KeyMetadata"]
    # A run-shaped name without the run tag.
    glue.create_job(Name=f"gnt-{run_shaped}-job", Role="r", Command=command)
    # The run tag (a valid run id) on a name that does not carry it.
    s3.create_bucket(Bucket="gnt-prod-tagged")
    s3.put_bucket_tagging(Bucket="gnt-prod-tagged", Tagging={"TagSet": [{"Key": RUN_TAG_KEY, "Value": run_shaped}]})
    s3.put_object(Bucket="gnt-prod-tagged", Key="keep.txt", Body=b"keep")
    # Run-shaped alias and security configuration tied to the production key.
    kms.create_alias(AliasName=f"alias/gnt-{run_shaped}-glue", TargetKeyId=ids["prod_key"]["KeyId"])
    glue.create_security_configuration(
        Name=f"gnt-{run_shaped}-security",
        EncryptionConfiguration={
            "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": ids["prod_key"]["Arn"]}]
        },
    )
    # EC2 with one of the two tags only.
    only_stack = [{"Key": "Stack", "Value": f"gnt-{run_shaped}"}]
    only_run = [{"Key": RUN_TAG_KEY, "Value": run_shaped}, {"Key": "Stack", "Value": "gnt-prod"}]
    ids["vpcs"] = [
        ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[{"ResourceType": "vpc", "Tags": tags}])["Vpc"]["VpcId"]
        for cidr, tags in (("10.60.0.0/16", only_stack), ("10.61.0.0/16", only_run))
    ]
    return ids


def assert_decoys_intact(emulator: MotoProcess, run_shaped: str, ids: dict[str, Any]) -> None:
    glue, s3, iam = emulator.client("glue"), emulator.client("s3"), emulator.client("iam")
    logs, kms, ec2 = emulator.client("logs"), emulator.client("kms"), emulator.client("ec2")
    jobs = {j["Name"] for j in glue.get_jobs()["Jobs"]}
    assert {"gnt-prod-db", f"gnt-{run_shaped}-job"} <= jobs
    assert s3.get_object(Bucket="gnt-prod-data", Key="customers.csv")["Body"].read() == b"id,name\n1,a\n"
    assert s3.get_object(Bucket="gnt-prod-tagged", Key="keep.txt")["Body"].read() == b"keep"
    iam.get_role(RoleName="gnt-prod-role")
    assert logs.describe_log_groups(logGroupNamePrefix="/aws-glue/jobs/gnt-prod")["logGroups"]
    assert kms.describe_key(KeyId=ids["prod_key"]["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    assert f"alias/gnt-{run_shaped}-glue" in {a["AliasName"] for a in kms.list_aliases()["Aliases"]}
    assert glue.get_security_configuration(Name=f"gnt-{run_shaped}-security")["SecurityConfiguration"]
    assert {v["VpcId"] for v in ec2.describe_vpcs(VpcIds=ids["vpcs"])["Vpcs"]} == set(ids["vpcs"])


@pytest.mark.parametrize("older_than", [None, "0"], ids=["default-6h-clock-7h-ahead", "older-than-0"])
def test_sweep_deletes_only_what_carries_the_run_tag_and_the_run_name(
    emulator: MotoProcess, runs_dir: Any, capsys: pytest.CaptureFixture[str], older_than: str | None
) -> None:
    emulator.reset()  # the decoys have fixed names: one set per case
    now = datetime.now(UTC)
    ahead = now + timedelta(hours=7)
    run_shaped, ours = stamp(now - timedelta(hours=1)), stamp(now - timedelta(hours=1))
    ids = seed_decoys(emulator, run_shaped)
    make_old_run(emulator, ours)
    mine = list_resources(emulator, f"{PREFIX}{ours}")
    assert kinds(mine) == ALL_KINDS
    args = [*base_args(emulator), "--delete"] + (["--older-than", older_than] if older_than else [])

    assert sweep.run(args, now=ahead if older_than is None else None) == 0  # None: the real clock

    out = capsys.readouterr().out
    assert f"deleted {len(mine)} of {len(mine)} resource(s)" in out, out
    assert list_resources(emulator, PREFIX) == []
    assert_decoys_intact(emulator, run_shaped, ids)
    assert "gnt-prod" not in out and run_shaped not in out, out


@pytest.mark.parametrize("prefix", ["", "g", "gnt", "x-", "gn-"])
def test_sweep_refuses_a_prefix_that_is_not_the_suites(
    prefix: str, runs_dir: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sweep.main(["--prefix", prefix, "--endpoint-url", "http://127.0.0.1:9", "--delete"]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"sweep: --prefix {prefix!r}: must start with 'gnt-' (the suite's names)" in err


@pytest.mark.parametrize("url", ["http://10.1.2.3:4566", "https://moto.example.com", "http://localhost.example:5000"])
def test_sweep_checks_the_account_behind_a_non_loopback_endpoint(
    url: str, runs_dir: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", "")

    assert sweep.main(["--endpoint-url", url, "--delete"]) == 2

    err = capsys.readouterr().err
    assert err == (
        f"sweep: refusing to sweep endpoint {url}: ALLOWED_AWS_ACCOUNT_IDS is empty; list the sandbox account ids "
        "(comma-separated) that tests may create resources in\n"
    )


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}", "http://localhost:{port}"])
def test_sweep_skips_the_account_check_only_for_loopback(
    url: str, emulator: MotoProcess, runs_dir: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", "")

    assert sweep.main(["--endpoint-url", url.format(port=emulator.port), "--region", emulator.region]) == 0

    assert "nothing to sweep" in capsys.readouterr().out


def test_sweep_refuses_aws_without_allowed_accounts(
    runs_dir: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", "")

    assert sweep.main(["--delete"]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refusing to sweep AWS: ALLOWED_AWS_ACCOUNT_IDS is empty" in err


def test_sweep_refuses_an_account_that_is_not_allowed(
    emulator: MotoProcess, runs_dir: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every service answered by moto (one endpoint, as the guard accepts): account 123456789012, not in the list.
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.endpoint_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", "111111111111")

    assert sweep.main(["--delete", "--region", emulator.region]) == 2

    err = capsys.readouterr().err
    assert "refusing to sweep AWS account 123456789012: not in ALLOWED_AWS_ACCOUNT_IDS (111111111111)" in err


def test_missing_profile_is_one_line(
    runs_dir: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config").write_text("[profile other]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("ALLOWED_AWS_ACCOUNT_IDS", "111111111111")

    assert sweep.main(["--profile", "sandbox-typo"]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err == (
        f"sweep: refusing to sweep AWS: profile 'sandbox-typo' is not in {tmp_path / 'config'}: add it (aws configure "
        "--profile NAME) or name an existing one\n"
    )


# Somebody's root on the same emulator: configured in full, its VPC without any of the run's tags.
FOREIGN_ROOT = """provider "aws" {{
  region                      = "{region}"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true

  endpoints {{
    ec2 = "{endpoint}"
    sts = "{endpoint}"
  }}
}}

resource "aws_vpc" "theirs" {{
  cidr_block = "10.70.0.0/16"
}}

output "vpc_id" {{
  value = aws_vpc.theirs.id
}}
"""


def test_delete_refuses_a_journal_whose_root_the_harness_did_not_create(
    emulator: MotoProcess, runs_dir: Any, tfenv: TerraformEnv, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "someones-stack" / "infra"
    foreign.mkdir(parents=True)
    (foreign / "main.tf").write_text(FOREIGN_ROOT.format(region=emulator.region, endpoint=emulator.endpoint_url))
    tf = Terraform(foreign, tfenv, timeout=300, label="a root the harness did not create")
    tf.init_offline()
    tf.run("apply", "-auto-approve", "-input=false", "-no-color")
    vpc_id = json.loads(tf.run("output", "-json").stdout)["vpc_id"]["value"]
    # A journal of a dead run, naming that root (edited by hand, copied from elsewhere, ...).
    run_id = stamp(datetime.now(UTC) - timedelta(days=1))
    runs_dir.mkdir()
    journal = runs_dir / f"{run_id}.json"
    journal.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "prefix": f"{PREFIX}{run_id}",
                "phase": "apply",
                "owner": {"pid": None, "host": socket.gethostname()},
                "backend": "moto",
                "endpoint_url": emulator.endpoint_url,
                "region": emulator.region,
                "workdir": str(foreign.parent),
                "root": str(foreign),
            }
        )
    )

    code = sweep.run([*base_args(emulator), "--delete"])

    out = capsys.readouterr().out
    assert [v["VpcId"] for v in emulator.client("ec2").describe_vpcs()["Vpcs"] if v["VpcId"] == vpc_id], out
    assert (
        f"  not a root the harness created: {foreign.parent / RUN_MARKER} is missing (the harness writes it into "
        "every workdir it creates); --delete will not touch it"
    ) in out, out
    assert code == 1 and journal.is_file()
    tf.run("destroy", "-auto-approve", "-input=false", "-no-color")

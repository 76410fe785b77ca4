"""The root stack as committed: deploy, verify through the API, plan again (no changes), destroy.

The verifications read the deployed resources, not Terraform's state: the rule catalogue through
the live adapter, then the facts it rests on one by one (each rule of glue_netcheck.rules cites its AWS source).
The stack is one module fixture in stages (harness.integration.StackStages): deployed for the
first test that needs it, verified and re-planned by the tests in any order, destroyed after the
last one, with the leak check and the KMS key's scheduled deletion checked there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from glue_netcheck import Outcome, run_rules
from glue_netcheck.cli import main
from glue_netcheck.live_adapter import deployment_from_aws
from glue_netcheck.plan_adapter import deployment_from_plan
from glue_netcheck.rules import CATALOGUE
from harness.backends import Backend
from harness.constants import RUN_TAG_KEY
from harness.integration import NOTES, STACK_SERVICES, StackStages, require, timed_verification
from harness.lifecycle import StackLifecycle

# smoke: ./run smoke is this file alone (-m smoke), the one stack a newcomer deploys first.
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.smoke]

CLEANSING = "customer-data-cleansing"
FEATURES = "feature-engineering"
LOG_RETENTION_DAYS = 30  # the glue module's default
KMS_DELETION_WINDOW_DAYS = 7


@pytest.fixture(scope="module")
def good_stack(backend: Backend, stack_factory: Any) -> Iterator[StackLifecycle]:
    require(backend, *STACK_SERVICES)
    with StackStages(stack_factory("good")) as stages:
        stages.after_destroy(
            f"KMS key scheduled for deletion in {KMS_DELETION_WINDOW_DAYS} days",
            kms_key_scheduled_for_deletion(backend, stages.stack),
        )
        yield stages.stack


@pytest.fixture(autouse=True)
def verify_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from timed_verification(request, "good_stack")


@pytest.fixture(scope="module")
def out(good_stack: StackLifecycle) -> dict[str, Any]:
    return good_stack.outputs


@pytest.fixture(scope="module")
def jobs(backend: Backend, out: dict[str, Any]) -> dict[str, dict[str, Any]]:
    glue = backend.client("glue")
    return {key: glue.get_job(JobName=name)["Job"] for key, name in out["job_names"].items()}


def s3_location(uri: str) -> tuple[str, str]:
    parts = urlsplit(uri)
    assert parts.scheme == "s3", uri
    return parts.netloc, parts.path.lstrip("/")


@pytest.mark.verify
def test_rule_catalogue_finds_no_failure(backend: Backend, good_stack: StackLifecycle, out: dict[str, Any]):
    clients = {s: backend.client(s) for s in ("glue", "ec2", "iam", "sts")}
    deployment = deployment_from_aws(sorted(out["job_names"].values()), clients, backend.region)

    report = run_rules(deployment)
    # The module declares the jobs VPC jobs, and the account carries it (a tag on each job).
    assert {j.declared_network_mode for j in deployment.jobs.values()} == {"vpc"}
    # The default stack reaches KMS (its security configuration's key) through the interface endpoint.
    assert report.outcome_of("GNET014") == Outcome.PASSED, "\n".join(str(f) for f in report.by_rule("GNET014"))

    for finding in report.unverifiable:
        NOTES.append(f"{good_stack.prefix} on {backend.name}: unverifiable: {finding}")
    for gap in report.gaps:
        NOTES.append(f"{good_stack.prefix} on {backend.name}: gap: {gap}")
    assert not report.failures, "\n".join(str(f) for f in report.failures)
    assert set(deployment.jobs) == set(out["job_names"].values())
    # The adapter really followed the jobs into the network (an empty model would pass every rule).
    assert set(deployment.connections) == {c for names in out["job_connections"].values() for c in names}
    assert {s.id for s in deployment.subnets.values()} == {s["id"] for s in out["private_subnets"]}


@pytest.mark.verify
def test_cli_passes_the_deployed_jobs(
    backend: Backend, out: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    for key, value in backend.cli_env().items():
        monkeypatch.setenv(key, value)
    jobs = sorted(out["job_names"].values())

    code = main(["job", *jobs, *backend.cli_args()])

    text, err = capsys.readouterr()
    assert (code, err) == (0, ""), text
    # Every rule of the catalogue that reads a live account applied to the deployed jobs and passed;
    # GNET016 judges how a configuration writes its rules, which an account does not show.
    n = len(CATALOGUE)
    assert f"{n} rules: 0 failed, 0 unverifiable, {n - 1} passed, 0 passed with warnings, 1 did not apply" in text
    assert "0 unverifiable facts" in text, text


@pytest.mark.verify
def test_jobs_list_one_connection_per_private_subnet_in_order(jobs: dict[str, Any], out: dict[str, Any]):
    prefix = out["job_names"][CLEANSING].removesuffix(f"-{CLEANSING}")
    expected = [f"{prefix}-network-{s['availability_zone']}" for s in out["private_subnets"]]

    assert set(jobs) == {CLEANSING, FEATURES}
    for key, job in jobs.items():
        assert job["Connections"]["Connections"] == out["job_connections"][key] == expected, key


@pytest.mark.verify
def test_each_connection_is_network_in_its_subnets_own_az(backend: Backend, out: dict[str, Any]):
    glue, ec2 = backend.client("glue"), backend.client("ec2")
    names = out["job_connections"][CLEANSING]
    assert len(names) == len(out["private_subnets"]) >= 2

    for name, subnet in zip(names, out["private_subnets"], strict=True):
        connection = glue.get_connection(Name=name, HidePassword=True)["Connection"]
        requirements = connection["PhysicalConnectionRequirements"]
        (described,) = ec2.describe_subnets(SubnetIds=[requirements["SubnetId"]])["Subnets"]

        assert connection.get("ConnectionType") == "NETWORK", name
        assert requirements["SubnetId"] == subnet["id"], name
        assert requirements["AvailabilityZone"] == described["AvailabilityZone"] == subnet["availability_zone"], name
        assert requirements["SecurityGroupIdList"] == [out["glue_security_group_id"]], name
        assert described["VpcId"] == out["vpc_id"], name
    assert len({s["availability_zone"] for s in out["private_subnets"]}) == len(names)


@pytest.mark.verify
def test_security_group_allows_all_tcp_from_itself_and_all_egress(backend: Backend, out: dict[str, Any]):
    group = out["glue_security_group_id"]
    rules = backend.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])[
        "SecurityGroupRules"
    ]

    self_ingress = [
        r
        for r in rules
        if not r["IsEgress"]
        and r["IpProtocol"] == "tcp"
        and (r.get("FromPort"), r.get("ToPort")) == (0, 65535)
        and (r.get("ReferencedGroupInfo") or {}).get("GroupId") == group
    ]
    assert len(self_ingress) == 1, rules
    assert self_ingress[0].get("Description") == "Glue driver <-> executors, all TCP ports"
    assert any(r["IsEgress"] and r["IpProtocol"] == "-1" and r.get("CidrIpv4") == "0.0.0.0/0" for r in rules), rules


@pytest.mark.verify
def test_vpc_flow_logs_go_to_an_encrypted_group_and_the_default_group_is_empty(backend: Backend, out: dict[str, Any]):
    """The scan's findings, handled in the vpc module: flow logs on (KMS-encrypted group), default group emptied."""
    ec2, logs = backend.client("ec2"), backend.client("logs")
    (flow,) = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [out["vpc_id"]]}])["FlowLogs"]
    assert (flow["TrafficType"], flow["LogDestinationType"]) == ("ALL", "cloud-watch-logs"), flow
    # Given as a destination ARN, the group's name is in it (LogGroupName is set only for a name).
    name = flow.get("LogGroupName") or flow["LogDestination"].split(":log-group:", 1)[1].removesuffix(":*")
    assert name.startswith("/aws/vpc-flow-logs/gnt-"), flow
    (group,) = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert group.get("kmsKeyId") and group.get("retentionInDays") == 365, group
    (default,) = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [out["vpc_id"]]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    assert (default["IpPermissions"], default["IpPermissionsEgress"]) == ([], []), default


@pytest.mark.verify
def test_s3_gateway_endpoint_serves_each_connection_subnets_route_table(backend: Backend, out: dict[str, Any]):
    ec2 = backend.client("ec2")
    endpoints = ec2.describe_vpc_endpoints(
        Filters=[
            {"Name": "vpc-id", "Values": [out["vpc_id"]]},
            {"Name": "service-name", "Values": [f"com.amazonaws.{backend.region}.s3"]},
        ]
    )["VpcEndpoints"]
    assert [e["VpcEndpointType"] for e in endpoints] == ["Gateway"]

    for subnet in out["private_subnets"]:
        tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet["id"]]}])[
            "RouteTables"
        ]
        assert len(tables) == 1, subnet
        assert tables[0]["RouteTableId"] in endpoints[0]["RouteTableIds"], subnet
        # Private: no route to an internet gateway.
        assert not any(r.get("GatewayId", "").startswith("igw-") for r in tables[0].get("Routes", [])), subnet


@pytest.mark.verify
def test_kms_is_reached_through_an_interface_endpoint_the_glue_group_may_use(backend: Backend, out: dict[str, Any]):
    """The jobs' security configuration uses KMS; with no NAT the route to KMS is the endpoint (Glue guide,
    "Creating a route to AWS KMS for VPC jobs and crawlers"): private DNS on, in every private subnet,
    its group admitting HTTPS from the Glue group."""
    ec2 = backend.client("ec2")
    endpoints = ec2.describe_vpc_endpoints(
        Filters=[
            {"Name": "vpc-id", "Values": [out["vpc_id"]]},
            {"Name": "service-name", "Values": [f"com.amazonaws.{backend.region}.kms"]},
        ]
    )["VpcEndpoints"]
    assert [e["VpcEndpointId"] for e in endpoints] == [out["interface_endpoint_ids"]["kms"]], endpoints
    (kms,) = endpoints

    assert kms["VpcEndpointType"] == "Interface"
    assert kms.get("PrivateDnsEnabled") is True
    assert sorted(kms["SubnetIds"]) == sorted(s["id"] for s in out["private_subnets"])
    assert [g["GroupId"] for g in kms["Groups"]] == [out["endpoint_security_group_id"]]
    rules = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [out["endpoint_security_group_id"]]}]
    )["SecurityGroupRules"]
    ingress = [
        (r["IpProtocol"], r.get("FromPort"), r.get("ToPort"), (r.get("ReferencedGroupInfo") or {}).get("GroupId"))
        for r in rules
        if not r["IsEgress"]
    ]
    assert ingress == [("tcp", 443, 443, out["glue_security_group_id"])], rules


@pytest.mark.verify
def test_no_internet_path_with_endpoints_only(backend: Backend, out: dict[str, Any]):
    """The default stack has no NAT: then it has no internet gateway and no public subnet either."""
    ec2 = backend.client("ec2")
    in_vpc = [{"Name": "vpc-id", "Values": [out["vpc_id"]]}]

    gateways = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [out["vpc_id"]]}])
    nats = [n for n in ec2.describe_nat_gateways(Filters=in_vpc)["NatGateways"] if n["State"] != "deleted"]
    subnets = ec2.describe_subnets(Filters=in_vpc)["Subnets"]

    # Null outputs are left out of `terraform output -json`.
    assert (out.get("internet_gateway_id"), out.get("nat_gateway_id")) == (None, None)
    assert gateways["InternetGateways"] == [] and nats == []
    assert sorted(s["SubnetId"] for s in subnets) == sorted(s["id"] for s in out["private_subnets"])
    for subnet in subnets:
        tags = {t["Key"]: t["Value"] for t in subnet.get("Tags", [])}
        # Declared for Glue: glue-netcheck's failover rule expects a connection on each such subnet.
        assert tags.get("glue-netcheck:glue-subnet") == "true", subnet["SubnetId"]


@pytest.mark.verify
def test_jobs_carry_their_vpc_intent(backend: Backend, out: dict[str, Any]):
    account = backend.client("sts").get_caller_identity()["Account"]
    glue = backend.client("glue")
    for name in out["job_names"].values():
        tags = glue.get_tags(ResourceArn=f"arn:aws:glue:{backend.region}:{account}:job/{name}")["Tags"]
        assert tags.get("glue-netcheck:network-mode") == "vpc", (name, tags)
    assert out["network_mode"] == "vpc"
    # The module's summary is read from the jobs' own connections.
    for key, network in out["job_network"].items():
        assert network == {
            "network_mode": "vpc",
            "in_vpc": True,
            "subnet_ids": [s["id"] for s in out["private_subnets"]],
            "availability_zones": [s["availability_zone"] for s in out["private_subnets"]],
            "security_group_ids": [out["glue_security_group_id"]],
        }, key


@pytest.mark.verify
def test_vpc_has_dns_support_and_hostnames_and_the_run_tag(backend: Backend, good_stack: StackLifecycle, out: dict):
    ec2 = backend.client("ec2")
    vpc = out["vpc_id"]

    support = ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsSupport")["EnableDnsSupport"]["Value"]
    hostnames = ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]

    assert (support, hostnames) == (True, True)
    (described,) = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]
    tags = {t["Key"]: t["Value"] for t in described.get("Tags", [])}
    assert tags[RUN_TAG_KEY] == good_stack.run_id
    assert tags["Stack"] == good_stack.prefix


@pytest.mark.verify
def test_scripts_and_libraries_are_at_the_jobs_s3_locations(
    backend: Backend, good_stack: StackLifecycle, jobs: dict[str, Any]
):
    s3 = backend.client("s3")
    scripts_dir = good_stack.workdir / "glue_scripts"
    local_libs = sorted(p.name for p in (scripts_dir / "lib").glob("*.py"))
    assert local_libs, "glue_scripts/lib has no libraries"

    for key, job in jobs.items():
        bucket, script_key = s3_location(job["Command"]["ScriptLocation"])
        head = s3.head_object(Bucket=bucket, Key=script_key)
        assert head["ContentLength"] == (scripts_dir / Path(script_key).name).stat().st_size, key

        libraries = job["DefaultArguments"]["--extra-py-files"].split(",")
        assert sorted(Path(s3_location(u)[1]).name for u in libraries) == local_libs, key
        for uri in libraries:
            lib_bucket, lib_key = s3_location(uri)
            head = s3.head_object(Bucket=lib_bucket, Key=lib_key)
            assert head["ContentLength"] == (scripts_dir / "lib" / Path(lib_key).name).stat().st_size, uri


@pytest.mark.verify
def test_log_group_exists_with_retention_and_the_jobs_log_to_it(
    backend: Backend, good_stack: StackLifecycle, jobs: dict[str, Any]
):
    name = f"/aws-glue/jobs/{good_stack.prefix}"
    groups = backend.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]

    assert [g["logGroupName"] for g in groups] == [name]
    assert groups[0].get("retentionInDays") == LOG_RETENTION_DAYS
    assert groups[0].get("kmsKeyId", "").startswith("arn:")
    for key, job in jobs.items():
        assert job["DefaultArguments"]["--continuous-log-logGroup"] == name, key


@pytest.mark.verify
def test_workflow_starts_cleansing_on_demand_then_features_on_success(backend: Backend, out: dict[str, Any]):
    glue = backend.client("glue")
    triggers = []
    for page in glue.get_paginator("get_triggers").paginate():
        triggers += [t for t in page["Triggers"] if t.get("WorkflowName") == out["workflow_name"]]
    by_type = {t["Type"]: t for t in triggers}

    assert sorted(by_type) == ["CONDITIONAL", "ON_DEMAND"], triggers
    assert [a["JobName"] for a in by_type["ON_DEMAND"]["Actions"]] == [out["job_names"][CLEANSING]]
    conditional = by_type["CONDITIONAL"]
    assert [a["JobName"] for a in conditional["Actions"]] == [out["job_names"][FEATURES]]
    assert [
        (c.get("JobName"), c.get("State"), c.get("LogicalOperator")) for c in conditional["Predicate"]["Conditions"]
    ] == [(out["job_names"][CLEANSING], "SUCCEEDED", "EQUALS")]


def test_plan_after_apply_shows_no_changes(good_stack: StackLifecycle):
    """Idempotency: `plan -detailed-exitcode` exits 0 (moto's false `+ description` is patched, see patch h)."""
    code, text = good_stack.replan()

    changes = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert code == 0, f"plan after apply wants changes: {changes}"


@pytest.mark.verify
def test_the_applied_values_decide_every_rule_the_unknowns_left_open(good_stack: StackLifecycle):
    """Issue 18, the property's converse: once apply has computed the ids, ARNs and the bucket name, a plan
    of the deployed stack read from its JSON alone (no sources) leaves no rule unverifiable. Before apply
    the same JSON leaves GNET014 open (tests/unit/test_rule_catalogue_on_scenarios.py)."""
    assert good_stack.tf is not None
    plan = good_stack.tf.plan_json(refresh=True)
    report = run_rules(deployment_from_plan(plan, source="plan:after-apply"))

    assert report.unverifiable == [], [str(f) for f in report.unverifiable]
    assert report.errors == [], [str(f) for f in report.errors]
    assert report.outcome_of("GNET014") == Outcome.PASSED


def kms_key_scheduled_for_deletion(backend: Backend, stack: StackLifecycle) -> Callable[[], None]:
    """The check for after destroy: the key is not deleted but scheduled, with the 7-day window (the
    shortest KMS allows). The key is found now, while the stack (and its alias) exists: without a
    key the check fails instead of passing with nothing to look at."""
    key_arn = _kms_key_of(backend, stack)

    def check() -> None:
        assert key_arn, f"alias/{stack.prefix}-glue named no key while the stack was deployed"
        meta = backend.client("kms").describe_key(KeyId=key_arn)["KeyMetadata"]
        assert meta["KeyState"] == "PendingDeletion", meta
        assert meta.get("DeletionDate"), f"no DeletionDate on a key pending deletion: {meta}"
        days = (meta["DeletionDate"] - datetime.now(UTC)) / timedelta(days=1)
        assert KMS_DELETION_WINDOW_DAYS - 1 < days <= KMS_DELETION_WINDOW_DAYS + 0.01, days

    return check


def _kms_key_of(backend: Backend, stack: StackLifecycle) -> str | None:
    alias = f"alias/{stack.prefix}-glue"
    for page in backend.client("kms").get_paginator("list_aliases").paginate():
        for entry in page["Aliases"]:
            if entry["AliasName"] == alias:
                return entry.get("TargetKeyId")
    return None

"""Each Glue/S3 patch, exercised over HTTP with boto3; each test fails on unpatched moto 5.2.5.

Run with GLUE_NETCHECK_NO_MOTO_PATCHES=1 to see them fail without the patches.
"""

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from harness.emulator import MotoEmulator
from harness.emulator.moto_patches import PATCHES, apply_moto_patches

pytestmark = pytest.mark.emulator

SUBNET_AZ = "us-east-1a"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def network_connection_input(name: str, subnet_id: str = "subnet-0aaa", description: str = "first") -> dict:
    return {
        "Name": name,
        "Description": description,
        "ConnectionType": "NETWORK",
        "ConnectionProperties": {},
        "PhysicalConnectionRequirements": {
            "SubnetId": subnet_id,
            "SecurityGroupIdList": ["sg-0aaa"],
            "AvailabilityZone": SUBNET_AZ,
        },
    }


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return error.value.response["Error"]["Code"]


@pytest.fixture
def glue(emulator: MotoEmulator):
    return emulator.client("glue")


@pytest.fixture
def connection_name(glue) -> str:
    name = unique("conn")
    glue.create_connection(ConnectionInput=network_connection_input(name), Tags={"Owner": "tests"})
    return name


@pytest.fixture
def job_name(glue) -> str:
    name = unique("job")
    glue.create_job(
        Name=name,
        Role="arn:aws:iam::123456789012:role/glue",
        Command={"Name": "glueetl", "ScriptLocation": "s3://bucket/job.py"},
        DefaultArguments={"--rev": "1"},
        Connections={"Connections": ["first"]},
        GlueVersion="4.0",
    )
    return name


# (a) ConnectionType in GetConnection / GetConnections


def test_get_connection_returns_connection_type_and_stored_requirements(glue, connection_name):
    connection = glue.get_connection(Name=connection_name, HidePassword=True)["Connection"]

    assert connection["ConnectionType"] == "NETWORK"
    assert connection["PhysicalConnectionRequirements"] == {
        "SubnetId": "subnet-0aaa",
        "SecurityGroupIdList": ["sg-0aaa"],
        "AvailabilityZone": SUBNET_AZ,
    }


def test_get_connections_returns_connection_type(glue, connection_name):
    listed = {c["Name"]: c for c in glue.get_connections()["ConnectionList"]}

    assert listed[connection_name]["ConnectionType"] == "NETWORK"


# (b) DeleteConnection


def test_delete_connection_removes_connection_and_its_tags(glue, emulator, connection_name):
    arn = f"arn:aws:glue:{emulator.region}:123456789012:connection/{connection_name}"
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"Owner": "tests"}

    glue.delete_connection(ConnectionName=connection_name)

    with pytest.raises(ClientError) as missing:
        glue.get_connection(Name=connection_name)
    assert error_code(missing) == "EntityNotFoundException"
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {}


def test_delete_connection_of_unknown_name_is_entity_not_found(glue):
    # The provider's destroy treats EntityNotFoundException as "already gone".
    with pytest.raises(ClientError) as missing:
        glue.delete_connection(ConnectionName=unique("absent"))
    assert error_code(missing) == "EntityNotFoundException"


# (c) UpdateConnection


def test_update_connection_replaces_definition(glue, connection_name):
    glue.update_connection(
        Name=connection_name,
        ConnectionInput=network_connection_input(connection_name, subnet_id="subnet-0bbb", description="second"),
    )

    connection = glue.get_connection(Name=connection_name)["Connection"]
    assert connection["Description"] == "second"
    assert connection["PhysicalConnectionRequirements"]["SubnetId"] == "subnet-0bbb"
    assert connection["ConnectionType"] == "NETWORK"


def test_update_connection_of_unknown_name_is_entity_not_found(glue):
    name = unique("absent")
    with pytest.raises(ClientError) as missing:
        glue.update_connection(Name=name, ConnectionInput=network_connection_input(name))
    assert error_code(missing) == "EntityNotFoundException"


# (d) UpdateJob


def test_update_job_overwrites_connections_arguments_and_security_configuration(glue, job_name):
    glue.update_job(
        JobName=job_name,
        JobUpdate={
            "Role": "arn:aws:iam::123456789012:role/glue",
            "Command": {"Name": "glueetl", "ScriptLocation": "s3://bucket/job.py"},
            "DefaultArguments": {"--rev": "2"},
            "Connections": {"Connections": ["first", "second"]},
            "SecurityConfiguration": "encrypted",
            "ExecutionClass": "STANDARD",
            "GlueVersion": "4.0",
        },
    )

    job = glue.get_job(JobName=job_name)["Job"]
    assert job["Connections"] == {"Connections": ["first", "second"]}
    assert job["DefaultArguments"] == {"--rev": "2"}
    assert job["SecurityConfiguration"] == "encrypted"
    assert job["ExecutionClass"] == "STANDARD"


def test_update_job_of_unknown_name_is_entity_not_found(glue):
    with pytest.raises(ClientError) as missing:
        glue.update_job(JobName=unique("absent"), JobUpdate={"Role": "r", "Command": {"Name": "glueetl"}})
    assert error_code(missing) == "EntityNotFoundException"


def job_state_predicate(job_name: str, state: str) -> dict:
    """A trigger predicate: run when ``job_name`` ends in ``state`` (as the glue module's triggers use)."""
    return {"Logical": "AND", "Conditions": [{"LogicalOperator": "EQUALS", "JobName": job_name, "State": state}]}


# (e) UpdateTrigger


def test_update_trigger_replaces_predicate_and_actions(glue, job_name):
    name = unique("trigger")
    glue.create_trigger(
        Name=name,
        Type="CONDITIONAL",
        Predicate=job_state_predicate(job_name, "SUCCEEDED"),
        Actions=[{"JobName": job_name}],
        StartOnCreation=True,
    )

    updated = glue.update_trigger(
        Name=name,
        TriggerUpdate={
            "Description": "after failure",
            "Predicate": job_state_predicate(job_name, "FAILED"),
            "Actions": [{"JobName": job_name, "Arguments": {"--phase": "cleanup"}}],
        },
    )["Trigger"]

    stored = glue.get_trigger(Name=name)["Trigger"]
    assert updated == stored
    assert stored["Description"] == "after failure"
    assert stored["Predicate"]["Conditions"][0]["State"] == "FAILED"
    assert stored["Actions"] == [{"JobName": job_name, "Arguments": {"--phase": "cleanup"}}]
    assert stored["State"] == "ACTIVATED"


# (f) StartTrigger on ON_DEMAND


def test_start_trigger_leaves_on_demand_trigger_created(glue, job_name):
    name = unique("on-demand")
    glue.create_trigger(Name=name, Type="ON_DEMAND", Actions=[{"JobName": job_name}])

    glue.start_trigger(Name=name)

    assert glue.get_trigger(Name=name)["Trigger"]["State"] == "CREATED"


def test_start_trigger_still_activates_conditional_trigger(glue, job_name):
    name = unique("conditional")
    glue.create_trigger(
        Name=name,
        Type="CONDITIONAL",
        Predicate=job_state_predicate(job_name, "SUCCEEDED"),
        Actions=[{"JobName": job_name}],
    )

    glue.start_trigger(Name=name)

    assert glue.get_trigger(Name=name)["Trigger"]["State"] == "ACTIVATED"


# (g) S3 bucket policy with a conditional Deny


def bucket_with_policy(s3, statement: dict) -> str:
    bucket = unique("bucket")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="scripts/job.py", Body=b"print('hi')\n")
    policy = {"Version": "2012-10-17", "Statement": [{"Principal": "*", "Action": "s3:*", **statement}]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return bucket


def test_deny_insecure_transport_policy_does_not_block_object_reads(emulator):
    s3 = emulator.client("s3")
    bucket = bucket_with_policy(
        s3,
        {
            "Effect": "Deny",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    )

    assert s3.head_object(Bucket=bucket, Key="scripts/job.py")["ContentLength"] == 12


def test_unconditional_deny_still_blocks_object_reads(emulator):
    # The patch must not switch bucket-policy enforcement off altogether.
    s3 = emulator.client("s3")
    bucket = bucket_with_policy(s3, {"Effect": "Deny", "Resource": "*"})

    with pytest.raises(ClientError) as denied:
        s3.head_object(Bucket=bucket, Key="scripts/job.py")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


# Patch bookkeeping


def test_applying_patches_again_changes_nothing(emulator):
    if not emulator.patched:
        pytest.skip("emulator started without patches")

    outcome = apply_moto_patches()

    assert set(outcome) == {patch.name for patch in PATCHES}
    assert set(outcome.values()) <= {"already", "native"}

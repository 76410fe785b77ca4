"""moto serves the non-Glue calls the stack makes, and the managed policy it attaches."""

import json

import pytest

from harness.emulator import MotoEmulator
from harness.emulator.moto_server import PROBE_POLICY_ARN

pytestmark = pytest.mark.emulator

GLUE_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def test_aws_glue_service_role_managed_policy_is_served(emulator: MotoEmulator):
    policy = emulator.client("iam").get_policy(PolicyArn=PROBE_POLICY_ARN)["Policy"]

    assert policy["PolicyName"] == "AWSGlueServiceRole"


def test_role_can_attach_aws_glue_service_role(emulator: MotoEmulator):
    iam = emulator.client("iam")
    iam.create_role(RoleName="glue-job-services-test", AssumeRolePolicyDocument=json.dumps(GLUE_TRUST_POLICY))

    iam.attach_role_policy(RoleName="glue-job-services-test", PolicyArn=PROBE_POLICY_ARN)

    attached = iam.list_attached_role_policies(RoleName="glue-job-services-test")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [PROBE_POLICY_ARN]


def test_sts_answers_caller_identity(emulator: MotoEmulator):
    assert emulator.client("sts").get_caller_identity()["Account"] == "123456789012"


def test_ec2_serves_the_private_network_pieces(emulator: MotoEmulator):
    ec2 = emulator.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.30.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    route_table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    group_id = ec2.create_security_group(GroupName="glue-services-test", Description="t", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": group_id}]}
        ],
    )
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName=f"com.amazonaws.{emulator.region}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[route_table_id],
    )["VpcEndpoint"]

    assert subnet["AvailabilityZone"] == "us-east-1a"
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]
    assert endpoint["RouteTableIds"] == [route_table_id]
    prefix_lists = ec2.describe_prefix_lists()["PrefixLists"]
    assert f"com.amazonaws.{emulator.region}.s3" in {p["PrefixListName"] for p in prefix_lists}
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    assert any(r.get("ReferencedGroupInfo", {}).get("GroupId") == group_id for r in rules["SecurityGroupRules"])


def test_kms_s3_and_logs_serve_encrypted_storage(emulator: MotoEmulator):
    key_arn = emulator.client("kms").create_key(Description="glue")["KeyMetadata"]["Arn"]
    s3 = emulator.client("s3")
    s3.create_bucket(Bucket="glue-services-test")
    s3.put_bucket_encryption(
        Bucket="glue-services-test",
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}}]
        },
    )
    logs = emulator.client("logs")
    logs.create_log_group(logGroupName="/aws-glue/services-test", kmsKeyId=key_arn)

    encryption = s3.get_bucket_encryption(Bucket="glue-services-test")["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key_arn
    groups = logs.describe_log_groups(logGroupNamePrefix="/aws-glue/services-test")["logGroups"]
    assert groups[0]["kmsKeyId"] == key_arn

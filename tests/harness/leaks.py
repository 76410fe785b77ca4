"""Find (and, for scripts/sweep.py, delete) what a test run left in an account or emulator.

A run's resources are recognised by name prefix (``gnt-<run id>``: Glue, S3, IAM, logs, KMS
aliases and keys by description) and, for EC2 which has no names, by the run tag
``glue-netcheck-run`` or the ``Stack``/``Name`` tags the stack sets from the prefix. KMS keys
pending deletion are not leftovers: KMS cannot delete a key sooner (the stack uses 7 days).

``clients`` is anything with ``.client(service_name)`` (a ``Backend``, a ``MotoEmulator``).
Only boto3 is needed, so scripts/sweep.py uses this module outside pytest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

RUN_TAG_KEY = "glue-netcheck-run"
# <yymmddHHMM>-<6 hex>: the run id's time (see harness.backends.new_run_id).
_RUN_TIME = re.compile(r"(\d{10})-[0-9a-f]{6}")


@dataclass(frozen=True)
class Resource:
    kind: str
    id: str
    created: datetime | None = None
    # extra identifiers needed to delete it (e.g. the VPC of an internet gateway)
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # "<yymmddHHMM>-<6 hex>" of the run that made it, from its name or tags (None: not known)
    run: str | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


def run_key(*texts: str | None) -> str | None:
    """The ``<yymmddHHMM>-<6 hex>`` run id found in the first of ``texts`` that has one."""
    for text in texts:
        match = _RUN_TIME.search(text or "")
        if match:
            return match.group(0)
    return None


def run_time(text: str) -> datetime | None:
    """The creation time encoded in a run id inside ``text`` (a name, a tag value), if any."""
    match = _RUN_TIME.search(text or "")
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):  # CloudWatch Logs: milliseconds since the epoch
        return datetime.fromtimestamp(value / 1000, UTC)
    return None


def _tags(raw: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in raw or []}


class Selector:
    """Which resources belong to the run(s) being looked for."""

    def __init__(self, prefix: str, run_tag: str | None = None):
        self.prefix = prefix
        self.run_tag = run_tag

    def name(self, name: str | None) -> bool:
        return bool(name) and name.startswith(self.prefix)

    def tags(self, tags: dict[str, str]) -> bool:
        # The run tag when looking for one run; else (sweep) the Stack / Name tags the stack derives from the prefix.
        if self.run_tag is not None and tags.get(RUN_TAG_KEY) == self.run_tag:
            return True
        return self.name(tags.get("Stack")) or self.name(tags.get("Name"))


def _pages(client: Any, op: str, key: str, **kwargs: Any) -> Iterator[Any]:
    for page in client.get_paginator(op).paginate(**kwargs):
        yield from page.get(key, [])


# --- listing, one function per service, in deletion order ------------------------------------


def _glue(client_for: Callable[[str], Any], sel: Selector) -> Iterator[Resource]:
    glue = client_for("glue")
    for name in _pages(glue, "list_triggers", "TriggerNames"):
        if sel.name(name):
            yield Resource("glue trigger", name, run_time(name))
    for job in _pages(glue, "get_jobs", "Jobs"):
        if sel.name(job["Name"]):
            yield Resource("glue job", job["Name"], _aware(job.get("CreatedOn")) or run_time(job["Name"]))
    for name in _pages(glue, "list_workflows", "Workflows"):
        if sel.name(name):
            created = None
            try:
                created = _aware(glue.get_workflow(Name=name)["Workflow"].get("CreatedOn"))
            except Exception:  # noqa: BLE001 - the name's time is good enough
                pass
            yield Resource("glue workflow", name, created or run_time(name))
    for conn in _pages(glue, "get_connections", "ConnectionList"):
        if sel.name(conn["Name"]):
            yield Resource("glue connection", conn["Name"], _aware(conn.get("CreationTime")) or run_time(conn["Name"]))
    for config in _pages(glue, "get_security_configurations", "SecurityConfigurations"):
        if sel.name(config["Name"]):
            created = _aware(config.get("CreatedTimeStamp")) or run_time(config["Name"])
            yield Resource("glue security configuration", config["Name"], created)


def _logs(client_for: Callable[[str], Any], sel: Selector) -> Iterator[Resource]:
    logs = client_for("logs")
    for group in _pages(logs, "describe_log_groups", "logGroups"):
        name = group["logGroupName"]
        if sel.name(name.removeprefix("/aws-glue/jobs/")) or sel.name(name):
            yield Resource("log group", name, _aware(group.get("creationTime")) or run_time(name))


def _kms(client_for: Callable[[str], Any], sel: Selector) -> Iterator[Resource]:
    kms = client_for("kms")
    for alias in _pages(kms, "list_aliases", "Aliases"):
        if sel.name(alias["AliasName"].removeprefix("alias/")):
            created = _aware(alias.get("CreationDate")) or run_time(alias["AliasName"])
            yield Resource("kms alias", alias["AliasName"], created)
    for key in _pages(kms, "list_keys", "Keys"):
        try:
            meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        except Exception:  # noqa: BLE001 - a key we may not describe is not ours
            continue
        if meta.get("KeyManager") == "AWS" or meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
            continue
        description = meta.get("Description") or ""
        mine = sel.name(description)
        if not mine:
            try:
                tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags", [])}
            except Exception:  # noqa: BLE001
                tags = {}
            mine = sel.tags(tags)
        if mine:
            created = _aware(meta.get("CreationDate")) or run_time(description)
            yield Resource("kms key", meta["KeyId"], created, run=run_key(description))


def _iam(client_for: Callable[[str], Any], sel: Selector) -> Iterator[Resource]:
    iam = client_for("iam")
    for role in _pages(iam, "list_roles", "Roles"):
        if sel.name(role["RoleName"]):
            yield Resource("iam role", role["RoleName"], _aware(role.get("CreateDate")) or run_time(role["RoleName"]))


def _s3(client_for: Callable[[str], Any], sel: Selector) -> Iterator[Resource]:
    s3 = client_for("s3")
    for bucket in s3.list_buckets().get("Buckets", []):
        if sel.name(bucket["Name"]):
            yield Resource("s3 bucket", bucket["Name"], _aware(bucket.get("CreationDate")) or run_time(bucket["Name"]))


def _ec2(client_for: Callable[[str], Any], sel: Selector) -> Iterator[Resource]:
    ec2 = client_for("ec2")

    def tagged(op: str, key: str, id_key: str, kind: str, **kwargs: Any) -> Iterator[tuple[dict[str, Any], Resource]]:
        for raw in _pages(ec2, op, key, **kwargs):
            tags = _tags(raw.get("Tags"))
            if sel.tags(tags):
                created = _aware(raw.get("CreateTime") or raw.get("CreationTimestamp"))
                created = created or run_time(tags.get(RUN_TAG_KEY, "")) or run_time(tags.get("Stack", ""))
                run = run_key(tags.get(RUN_TAG_KEY), tags.get("Stack"), tags.get("Name"))
                yield raw, Resource(kind, raw[id_key], created, run=run)

    vpcs = {r.id: r for _, r in tagged("describe_vpcs", "Vpcs", "VpcId", "vpc")}
    nat_states = ["pending", "available", "failed"]
    for _, res in tagged(
        "describe_nat_gateways",
        "NatGateways",
        "NatGatewayId",
        "nat gateway",
        Filters=[{"Name": "state", "Values": nat_states}],
    ):
        yield res
    for raw, res in tagged("describe_vpc_endpoints", "VpcEndpoints", "VpcEndpointId", "vpc endpoint"):
        if raw.get("State", "").lower() not in ("deleted", "deleting"):
            yield res
    for raw, res in tagged("describe_internet_gateways", "InternetGateways", "InternetGatewayId", "internet gateway"):
        attached = [a["VpcId"] for a in raw.get("Attachments", [])]
        yield Resource(res.kind, res.id, res.created, {"vpc_ids": attached}, run=res.run)
    for raw in ec2.describe_addresses().get("Addresses", []):
        tags = _tags(raw.get("Tags"))
        if sel.tags(tags) and raw.get("AllocationId"):
            run = run_key(tags.get(RUN_TAG_KEY), tags.get("Stack"), tags.get("Name"))
            yield Resource("elastic ip", raw["AllocationId"], run_time(run or ""), run=run)
    for _, res in tagged("describe_subnets", "Subnets", "SubnetId", "subnet"):
        yield res
    for raw, res in tagged("describe_route_tables", "RouteTables", "RouteTableId", "route table"):
        if not any(a.get("Main") for a in raw.get("Associations", [])):
            yield res
    for raw, res in tagged("describe_security_groups", "SecurityGroups", "GroupId", "security group"):
        if raw.get("GroupName") != "default":
            yield res
    yield from vpcs.values()


LISTERS = (_glue, _logs, _kms, _iam, _s3, _ec2)


def list_resources(clients: Any, prefix: str, run_tag: str | None = None) -> list[Resource]:
    """Every resource of the runs named by ``prefix`` (and tagged ``run_tag``, when given), in deletion order."""
    selector = Selector(prefix, run_tag)
    client_for = clients.client if hasattr(clients, "client") else clients
    found: list[Resource] = []
    for lister in LISTERS:
        found.extend(r if r.run else replace(r, run=run_key(r.id)) for r in lister(client_for, selector))
    return found


def find_leftovers(clients: Any, prefix: str, run_tag: str) -> list[str]:
    """What a destroyed run left behind, one ``"<kind> <id>"`` line each (empty: nothing leaked)."""
    return [str(r) for r in list_resources(clients, prefix, run_tag)]


# --- deletion (scripts/sweep.py) ---------------------------------------------------------------


def delete_resource(clients: Any, res: Resource) -> None:
    """Delete one resource, with what it needs first (detach, empty, revoke). Raises on failure."""
    client_for = clients.client if hasattr(clients, "client") else clients
    kind = res.kind
    if kind.startswith("glue "):
        glue = client_for("glue")
        op, arg = {
            "glue trigger": ("delete_trigger", "Name"),
            "glue job": ("delete_job", "JobName"),
            "glue workflow": ("delete_workflow", "Name"),
            "glue connection": ("delete_connection", "ConnectionName"),
            "glue security configuration": ("delete_security_configuration", "Name"),
        }[kind]
        getattr(glue, op)(**{arg: res.id})
    elif kind == "log group":
        client_for("logs").delete_log_group(logGroupName=res.id)
    elif kind == "kms alias":
        client_for("kms").delete_alias(AliasName=res.id)
    elif kind == "kms key":
        client_for("kms").schedule_key_deletion(KeyId=res.id, PendingWindowInDays=7)
    elif kind == "iam role":
        _delete_role(client_for("iam"), res.id)
    elif kind == "s3 bucket":
        _delete_bucket(client_for("s3"), res.id)
    else:
        _delete_ec2(client_for("ec2"), res)


def _delete_role(iam: Any, name: str) -> None:
    for policy in _pages(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
        iam.detach_role_policy(RoleName=name, PolicyArn=policy["PolicyArn"])
    for policy_name in _pages(iam, "list_role_policies", "PolicyNames", RoleName=name):
        iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
    for profile in _pages(iam, "list_instance_profiles_for_role", "InstanceProfiles", RoleName=name):
        iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=name)
    iam.delete_role(RoleName=name)


def _delete_bucket(s3: Any, name: str) -> None:
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
        objects = [
            {"Key": o["Key"], "VersionId": o["VersionId"]}
            for o in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        if objects:
            s3.delete_objects(Bucket=name, Delete={"Objects": objects, "Quiet": True})
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
        objects = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if objects:
            s3.delete_objects(Bucket=name, Delete={"Objects": objects, "Quiet": True})
    s3.delete_bucket(Bucket=name)


def _delete_ec2(ec2: Any, res: Resource) -> None:
    kind = res.kind
    if kind == "nat gateway":
        ec2.delete_nat_gateway(NatGatewayId=res.id)
    elif kind == "vpc endpoint":
        ec2.delete_vpc_endpoints(VpcEndpointIds=[res.id])
    elif kind == "internet gateway":
        for vpc_id in res.detail.get("vpc_ids", []):
            ec2.detach_internet_gateway(InternetGatewayId=res.id, VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=res.id)
    elif kind == "elastic ip":
        ec2.release_address(AllocationId=res.id)
    elif kind == "subnet":
        ec2.delete_subnet(SubnetId=res.id)
    elif kind == "route table":
        table = ec2.describe_route_tables(RouteTableIds=[res.id])["RouteTables"][0]
        for assoc in table.get("Associations", []):
            if not assoc.get("Main"):
                ec2.disassociate_route_table(AssociationId=assoc["RouteTableAssociationId"])
        ec2.delete_route_table(RouteTableId=res.id)
    elif kind == "security group":
        group = ec2.describe_security_groups(GroupIds=[res.id])["SecurityGroups"][0]
        if group.get("IpPermissions"):
            ec2.revoke_security_group_ingress(GroupId=res.id, IpPermissions=group["IpPermissions"])
        if group.get("IpPermissionsEgress"):
            ec2.revoke_security_group_egress(GroupId=res.id, IpPermissions=group["IpPermissionsEgress"])
        ec2.delete_security_group(GroupId=res.id)
    elif kind == "vpc":
        ec2.delete_vpc(VpcId=res.id)
    else:
        raise ValueError(f"cannot delete unknown kind {kind!r}")

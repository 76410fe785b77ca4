"""Find (and, for scripts/sweep.py, delete) what a test run left in an account or emulator.

What counts as the suite's, per kind (the sweep deletes nothing else):

  taggable, named     Glue jobs, triggers, workflows, connections; IAM roles; S3 buckets; log
                      groups (``/aws-glue/jobs/<name>``, ``/aws/vpc-flow-logs/<name>``): the run tag ``glue-netcheck-run=R``, R a
                      full run id (``<yymmddHHMM>-<6 hex>[-label]``), AND a name ``gnt-R`` or ``gnt-R-...``.
  KMS keys            no name: the run tag alone.
  KMS aliases         ``alias/gnt-R...`` pointing at a key that qualifies with the same R.
  Glue security       not taggable: ``gnt-R...`` encrypting with a key that qualifies with the same R.
  configurations
  EC2 (VPC, subnets,  by tags only (flow logs too): the run tag R and the ``Stack = gnt-R`` tag the provider's
  route tables, ...)  default_tags give every resource of the run.

A name alone is not enough (``gnt-prod-db`` is somebody's), nor is a prefix: the run id's time
and random part must be there and agree with the tag. For the leak check of ONE run (a unique
run id), ``list_resources(..., run_tag=R)`` also reports what has the run's name but no tag: such a
resource is listed with ``qualified=False`` (reported, never deleted). KMS keys pending deletion
are not leftovers: KMS cannot delete a key sooner (the stack uses 7 days).

``clients`` is anything with ``.client(service_name)`` (a ``Backend``, a ``MotoEmulator``).
Only boto3 is needed, so scripts/sweep.py uses this module outside pytest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.constants import NAME_PREFIX, RUN_TAG_KEY

# A full run id: <UTC yymmddHHMM>-<6 hex>[-label...] (harness.backends.new_run_id).
RUN_ID = re.compile(r"^\d{10}-[0-9a-f]{6}(?:-[a-z0-9]+)*$")
# A name of some run: gnt-<yymmddHHMM>-<6 hex>, then the label and the resource's own suffix.
RUN_NAME = re.compile(r"^gnt-\d{10}-[0-9a-f]{6}(?:-|$)")
# <yymmddHHMM>-<6 hex>: the run id's time (see harness.backends.new_run_id).
_RUN_TIME = re.compile(r"(\d{10})-[0-9a-f]{6}")
LOG_GROUP_PREFIX = "/aws-glue/jobs/"
# Every log group prefix the stack names its groups with: the jobs' and the VPC flow logs' (vpc module).
LOG_GROUP_PREFIXES = (LOG_GROUP_PREFIX, "/aws/vpc-flow-logs/")


@dataclass(frozen=True)
class Resource:
    kind: str
    id: str
    created: datetime | None = None
    # extra identifiers needed to delete it (e.g. the VPC of an internet gateway)
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # the full run id (tag value) of the run that made it, or "<yymmddHHMM>-<6 hex>" from its name
    run: str | None = None
    # why it is the suite's (or, when not qualified, why it was listed but must not be deleted)
    why: str = field(default="", compare=False)
    qualified: bool = field(default=True, compare=False)

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


def named_for(name: str, run: str) -> bool:
    """``name`` is the run's: ``gnt-R`` or ``gnt-R-...``."""
    base = f"{NAME_PREFIX}{run}"
    return name == base or name.startswith(base + "-")


class PrefixRefused(ValueError):
    """A prefix that would select more than the suite's runs."""


def check_prefix(prefix: str) -> str:
    """The sweep's prefix must be ``gnt-`` or longer (narrowing to runs, e.g. ``gnt-2611``)."""
    if not prefix.startswith(NAME_PREFIX):
        raise PrefixRefused(
            f"--prefix {prefix!r}: must start with {NAME_PREFIX!r} (the suite's names); an empty or shorter prefix "
            "would select resources the suite did not create"
        )
    return prefix


@dataclass(frozen=True)
class Verdict:
    run: str
    why: str
    qualified: bool = True


class Selector:
    """Which resources belong to the runs looked for: one run (``run``) or every run under ``prefix``."""

    def __init__(self, prefix: str = NAME_PREFIX, run: str | None = None):
        self.prefix = check_prefix(prefix)
        self.run = run

    def candidate(self, name: str | None) -> bool:
        """Worth a tag lookup: a run-shaped name under the prefix."""
        if not name or not name.startswith(self.prefix):
            return False
        if self.run is not None:
            return named_for(name, self.run)
        return bool(RUN_NAME.match(name))

    def tag_run(self, tags: dict[str, str]) -> str | None:
        """The run id in the run tag when it is a full run id this selector looks for."""
        value = tags.get(RUN_TAG_KEY) or ""
        if not RUN_ID.match(value) or not f"{NAME_PREFIX}{value}".startswith(self.prefix.rstrip("-")):
            return None
        if self.run is not None and value != self.run:
            return None
        return value

    def named(self, name: str, tags: dict[str, str]) -> Verdict | None:
        """Taggable, named kinds: the run tag R and a name gnt-R[-...]."""
        if not self.candidate(name):
            return None
        run = self.tag_run(tags)
        if run is not None and named_for(name, run):
            return Verdict(run, f"tag {RUN_TAG_KEY}={run} and name starts with {NAME_PREFIX}{run}")
        if self.run is not None:  # the leak check of one run: report, never delete
            return Verdict(self.run, f"name starts with {NAME_PREFIX}{self.run} but no matching run tag", False)
        return None

    def tagged(self, tags: dict[str, str]) -> Verdict | None:
        """EC2 (tags only): the run tag R and Stack = gnt-R, as the provider's default_tags set them."""
        run = self.tag_run(tags)
        if run is not None and tags.get("Stack") == f"{NAME_PREFIX}{run}":
            return Verdict(run, f"tags {RUN_TAG_KEY}={run} and Stack={NAME_PREFIX}{run}")
        if self.run is not None:
            for key in ("Stack", "Name"):
                value = tags.get(key) or ""
                if named_for(value, self.run) or tags.get(RUN_TAG_KEY) == self.run:
                    return Verdict(self.run, f"tags name the run ({key}={value}) but not both run tags", False)
        return None


def _pages(client: Any, op: str, key: str, **kwargs: Any) -> Iterator[Any]:
    for page in client.get_paginator(op).paginate(**kwargs):
        yield from page.get(key, [])


class Context:
    """Per listing: the account (for Glue ARNs) and the KMS keys that qualify (for aliases, security configs)."""

    def __init__(self, client_for: Callable[[str], Any], sel: Selector):
        self.client_for = client_for
        self.sel = sel
        self._account: str | None = None
        self._keys: dict[str, tuple[dict[str, Any], Verdict]] | None = None

    def arn(self, service: str, region: str, resource: str) -> str:
        if self._account is None:
            self._account = str(self.client_for("sts").get_caller_identity()["Account"])
        partition = "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
        return f"arn:{partition}:{service}:{region}:{self._account}:{resource}"

    def keys(self) -> dict[str, tuple[dict[str, Any], Verdict]]:
        """Customer keys whose run tag qualifies, by key id and ARN (any state: aliases and configs need it)."""
        if self._keys is None:
            self._keys = {}
            kms = self.client_for("kms")
            for key in _pages(kms, "list_keys", "Keys"):
                try:
                    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
                    if meta.get("KeyManager") == "AWS":
                        continue
                    raw = kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags", [])
                except Exception:  # noqa: BLE001 - a key we may not read is not ours
                    continue
                tags = {t["TagKey"]: t["TagValue"] for t in raw}
                run = self.sel.tag_run(tags)
                if run is not None:
                    verdict = Verdict(run, f"tag {RUN_TAG_KEY}={run} (KMS keys have no name)")
                    self._keys[meta["KeyId"]] = (meta, verdict)
                    self._keys[meta["Arn"]] = (meta, verdict)
        return self._keys


def _listed(kind: str, ident: str, created: datetime | None, verdict: Verdict, **detail: Any) -> Resource:
    return Resource(kind, ident, created or run_time(verdict.run), detail, verdict.run, verdict.why, verdict.qualified)


# --- listing, one function per service, in deletion order ------------------------------------


def _glue(ctx: Context) -> Iterator[Resource]:
    glue = ctx.client_for("glue")
    region = glue.meta.region_name

    def tags_of(kind: str, name: str) -> dict[str, str]:
        try:
            return glue.get_tags(ResourceArn=ctx.arn("glue", region, f"{kind}/{name}")).get("Tags", {}) or {}
        except Exception:  # noqa: BLE001 - unreadable tags: not ours
            return {}

    for name in _pages(glue, "list_triggers", "TriggerNames"):
        if ctx.sel.candidate(name) and (v := ctx.sel.named(name, tags_of("trigger", name))):
            yield _listed("glue trigger", name, None, v)
    for job in _pages(glue, "get_jobs", "Jobs"):
        name = job["Name"]
        if ctx.sel.candidate(name) and (v := ctx.sel.named(name, tags_of("job", name))):
            yield _listed("glue job", name, _aware(job.get("CreatedOn")), v)
    for name in _pages(glue, "list_workflows", "Workflows"):
        if ctx.sel.candidate(name) and (v := ctx.sel.named(name, tags_of("workflow", name))):
            created = None
            try:
                created = _aware(glue.get_workflow(Name=name)["Workflow"].get("CreatedOn"))
            except Exception:  # noqa: BLE001 - the run id's time is good enough
                pass
            yield _listed("glue workflow", name, created, v)
    for conn in _pages(glue, "get_connections", "ConnectionList"):
        name = conn["Name"]
        if ctx.sel.candidate(name) and (v := ctx.sel.named(name, tags_of("connection", name))):
            yield _listed("glue connection", name, _aware(conn.get("CreationTime")), v)
    for config in _pages(glue, "get_security_configurations", "SecurityConfigurations"):
        name = config["Name"]
        if not ctx.sel.candidate(name):
            continue
        verdict = _security_configuration_verdict(ctx, name, config.get("EncryptionConfiguration") or {})
        if verdict:
            yield _listed("glue security configuration", name, _aware(config.get("CreatedTimeStamp")), verdict)


def _security_configuration_verdict(ctx: Context, name: str, encryption: dict[str, Any]) -> Verdict | None:
    arns = [e.get("KmsKeyArn") for e in encryption.get("S3Encryption") or []]
    arns += [(encryption.get(k) or {}).get("KmsKeyArn") for k in ("CloudWatchEncryption", "JobBookmarksEncryption")]
    keys = ctx.keys()
    for arn in filter(None, arns):
        if arn in keys and named_for(name, run := keys[arn][1].run):
            key_id = arn.rsplit("/", 1)[-1]
            return Verdict(run, f"name starts with {NAME_PREFIX}{run} and it encrypts with key {key_id} of run {run}")
    if ctx.sel.run is not None:
        return Verdict(
            ctx.sel.run, "name of the run, but no key of the run (security configurations have no tags)", False
        )
    return None


def _logs(ctx: Context) -> Iterator[Resource]:
    logs = ctx.client_for("logs")
    for group in _pages(logs, "describe_log_groups", "logGroups"):
        name = group["logGroupName"]
        short = next((name.removeprefix(p) for p in LOG_GROUP_PREFIXES if name.startswith(p)), name)
        if not ctx.sel.candidate(short):
            continue
        try:
            tags = logs.list_tags_log_group(logGroupName=name).get("tags", {})
        except Exception:  # noqa: BLE001
            tags = {}
        if v := ctx.sel.named(short, tags):
            yield _listed("log group", name, _aware(group.get("creationTime")), v)


def _kms(ctx: Context) -> Iterator[Resource]:
    kms = ctx.client_for("kms")
    keys = ctx.keys()
    for alias in _pages(kms, "list_aliases", "Aliases"):
        name = alias["AliasName"].removeprefix("alias/")
        if not ctx.sel.candidate(name):
            continue
        target = keys.get(alias.get("TargetKeyId") or "")
        verdict = None
        if target is not None and named_for(name, run := target[1].run):
            verdict = Verdict(run, f"name starts with {NAME_PREFIX}{run} and its key qualifies ({target[1].why})")
        if verdict is None and ctx.sel.run is not None:
            verdict = Verdict(ctx.sel.run, "name of the run, but its key is not the run's", False)
        if verdict:
            yield _listed("kms alias", alias["AliasName"], _aware(alias.get("CreationDate")), verdict)
    seen = set()
    for meta, verdict in keys.values():
        if meta["KeyId"] in seen:
            continue
        seen.add(meta["KeyId"])
        if meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
            continue
        yield _listed("kms key", meta["KeyId"], _aware(meta.get("CreationDate")), verdict)


def _iam(ctx: Context) -> Iterator[Resource]:
    iam = ctx.client_for("iam")
    for role in _pages(iam, "list_roles", "Roles"):
        name = role["RoleName"]
        if not ctx.sel.candidate(name):
            continue
        try:
            tags = _tags(iam.list_role_tags(RoleName=name).get("Tags"))
        except Exception:  # noqa: BLE001
            tags = {}
        if v := ctx.sel.named(name, tags):
            yield _listed("iam role", name, _aware(role.get("CreateDate")), v)


def bucket_tags(s3: Any, name: str) -> dict[str, str]:
    try:
        return _tags(s3.get_bucket_tagging(Bucket=name).get("TagSet"))
    except Exception:  # noqa: BLE001 - NoSuchTagSet, or a bucket elsewhere: no tags we can trust
        return {}


def _s3(ctx: Context) -> Iterator[Resource]:
    s3 = ctx.client_for("s3")
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        if ctx.sel.candidate(name) and (v := ctx.sel.named(name, bucket_tags(s3, name))):
            yield _listed("s3 bucket", name, _aware(bucket.get("CreationDate")), v)


def _ec2(ctx: Context) -> Iterator[Resource]:
    ec2 = ctx.client_for("ec2")

    def tagged(op: str, key: str, id_key: str, kind: str, **kwargs: Any) -> Iterator[tuple[dict[str, Any], Resource]]:
        for raw in _pages(ec2, op, key, **kwargs):
            if v := ctx.sel.tagged(_tags(raw.get("Tags"))):
                created = _aware(raw.get("CreateTime") or raw.get("CreationTimestamp") or raw.get("CreationTime"))
                yield raw, _listed(kind, raw[id_key], created, v)

    # Flow logs first: they are deleted before the VPC they watch.
    yield from (r for _, r in tagged("describe_flow_logs", "FlowLogs", "FlowLogId", "flow log"))
    vpcs = [r for _, r in tagged("describe_vpcs", "Vpcs", "VpcId", "vpc")]
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
        yield Resource(res.kind, res.id, res.created, {"vpc_ids": attached}, res.run, res.why, res.qualified)
    for raw in ec2.describe_addresses().get("Addresses", []):
        if raw.get("AllocationId") and (v := ctx.sel.tagged(_tags(raw.get("Tags")))):
            yield _listed("elastic ip", raw["AllocationId"], None, v)
    for _, res in tagged("describe_subnets", "Subnets", "SubnetId", "subnet"):
        yield res
    for raw, res in tagged("describe_route_tables", "RouteTables", "RouteTableId", "route table"):
        if not any(a.get("Main") for a in raw.get("Associations", [])):
            yield res
    for raw, res in tagged("describe_security_groups", "SecurityGroups", "GroupId", "security group"):
        if raw.get("GroupName") != "default":
            yield res
    yield from vpcs


# Per service, in deletion order.
LISTERS = {"glue": _glue, "logs": _logs, "kms": _kms, "iam": _iam, "s3": _s3, "ec2": _ec2}


def _client_for(clients: Any) -> Callable[[str], Any]:
    """A service -> client function, from a backend (``.client``) or such a function itself."""
    return clients.client if hasattr(clients, "client") else clients


def list_resources(
    clients: Any, prefix: str = NAME_PREFIX, run_tag: str | None = None, services: Iterable[str] | None = None
) -> list[Resource]:
    """Resources of the runs under ``prefix`` (or of the one run ``run_tag``), in deletion order.

    Without ``run_tag`` only what qualifies is listed. With it (the leak check of one run) also
    what bears that run's name without its tag, marked ``qualified=False``. ``services`` limits the
    listing to those services (a backend that does not serve one can hold nothing there).
    """
    ctx = Context(_client_for(clients), Selector(prefix, run_tag))
    wanted = set(LISTERS) if services is None else set(services)
    unknown = wanted - set(LISTERS)
    if unknown:
        raise ValueError(f"no leak lister for {sorted(unknown)}; known: {sorted(LISTERS)}")
    found: list[Resource] = []
    for service, lister in LISTERS.items():
        if service in wanted:
            found.extend(lister(ctx))
    return found


def find_leftovers(clients: Any, prefix: str, run_tag: str, services: Iterable[str] | None = None) -> list[str]:
    """What a destroyed run left behind, one ``"<kind> <id>"`` line each (empty: nothing leaked)."""
    return [str(r) for r in list_resources(clients, prefix, run_tag, services)]


# --- deletion (scripts/sweep.py) ---------------------------------------------------------------


def delete_resource(clients: Any, res: Resource) -> None:
    """Delete one resource, with what it needs first (detach, empty, revoke). Raises on failure."""
    client_for = _client_for(clients)
    if not res.qualified:
        raise ValueError(f"{res} does not qualify as the suite's ({res.why}): not deleted")
    if res.kind not in DELETERS:
        raise ValueError(f"cannot delete unknown kind {res.kind!r}")
    service, delete = DELETERS[res.kind]
    delete(client_for(service), res)


def delete_resources(clients: Any, resources: list[Resource]) -> Iterator[tuple[Resource, Exception | None]]:
    """Delete ``resources`` in order, each with its outcome (None: deleted), going on after a failure.

    The rules of every listed security group are revoked before any group is deleted: one group's
    rule may name another (the VPC endpoints' group admits the Glue group), and AWS refuses to delete
    a group that a rule still names (DependencyViolation)."""
    client_for = _client_for(clients)
    revoke_failed: dict[str, Exception] = {}
    for res in resources:
        if res.kind == "security group" and res.qualified:
            try:
                _revoke_rules(client_for("ec2"), res.id)
            except Exception as exc:  # noqa: BLE001 - reported as that group's outcome
                revoke_failed[res.id] = exc
    for res in resources:
        if res.kind == "security group" and res.id in revoke_failed:
            yield res, revoke_failed[res.id]
            continue
        try:
            delete_resource(clients, res)
        except Exception as exc:  # noqa: BLE001 - each outcome is reported, the rest still deleted
            yield res, exc
        else:
            yield res, None


def _delete_role(iam: Any, res: Resource) -> None:
    name = res.id
    for policy in _pages(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
        iam.detach_role_policy(RoleName=name, PolicyArn=policy["PolicyArn"])
    for policy_name in _pages(iam, "list_role_policies", "PolicyNames", RoleName=name):
        iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
    for profile in _pages(iam, "list_instance_profiles_for_role", "InstanceProfiles", RoleName=name):
        iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=name)
    iam.delete_role(RoleName=name)


def _delete_bucket(s3: Any, res: Resource) -> None:
    name = res.id
    # Objects are data: check again, right before emptying, that the bucket is the run's.
    if bucket_tags(s3, name).get(RUN_TAG_KEY) != res.run:
        raise ValueError(f"bucket {name} no longer carries {RUN_TAG_KEY}={res.run}: not emptied")
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


def _delete_internet_gateway(ec2: Any, res: Resource) -> None:
    for vpc_id in res.detail.get("vpc_ids", []):
        ec2.detach_internet_gateway(InternetGatewayId=res.id, VpcId=vpc_id)
    ec2.delete_internet_gateway(InternetGatewayId=res.id)


def _delete_route_table(ec2: Any, res: Resource) -> None:
    table = ec2.describe_route_tables(RouteTableIds=[res.id])["RouteTables"][0]
    for assoc in table.get("Associations", []):
        if not assoc.get("Main"):
            ec2.disassociate_route_table(AssociationId=assoc["RouteTableAssociationId"])
    ec2.delete_route_table(RouteTableId=res.id)


def _revoke_rules(ec2: Any, group_id: str) -> None:
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    if group.get("IpPermissions"):
        ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=group["IpPermissions"])
    if group.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=group["IpPermissionsEgress"])


def _delete_security_group(ec2: Any, res: Resource) -> None:
    _revoke_rules(ec2, res.id)
    ec2.delete_security_group(GroupId=res.id)


Deleter = Callable[[Any, Resource], None]
# Every kind the listers above report: the service whose client deletes it, and how.
DELETERS: dict[str, tuple[str, Deleter]] = {
    "glue trigger": ("glue", lambda glue, r: glue.delete_trigger(Name=r.id)),
    "glue job": ("glue", lambda glue, r: glue.delete_job(JobName=r.id)),
    "glue workflow": ("glue", lambda glue, r: glue.delete_workflow(Name=r.id)),
    "glue connection": ("glue", lambda glue, r: glue.delete_connection(ConnectionName=r.id)),
    "glue security configuration": ("glue", lambda glue, r: glue.delete_security_configuration(Name=r.id)),
    "log group": ("logs", lambda logs, r: logs.delete_log_group(logGroupName=r.id)),
    "kms alias": ("kms", lambda kms, r: kms.delete_alias(AliasName=r.id)),
    # Not deleted but scheduled: KMS allows nothing sooner than 7 days.
    "kms key": ("kms", lambda kms, r: kms.schedule_key_deletion(KeyId=r.id, PendingWindowInDays=7)),
    "iam role": ("iam", _delete_role),
    "s3 bucket": ("s3", _delete_bucket),
    "flow log": ("ec2", lambda ec2, r: ec2.delete_flow_logs(FlowLogIds=[r.id])),
    "nat gateway": ("ec2", lambda ec2, r: ec2.delete_nat_gateway(NatGatewayId=r.id)),
    "vpc endpoint": ("ec2", lambda ec2, r: ec2.delete_vpc_endpoints(VpcEndpointIds=[r.id])),
    "internet gateway": ("ec2", _delete_internet_gateway),
    "elastic ip": ("ec2", lambda ec2, r: ec2.release_address(AllocationId=r.id)),
    "subnet": ("ec2", lambda ec2, r: ec2.delete_subnet(SubnetId=r.id)),
    "route table": ("ec2", _delete_route_table),
    "security group": ("ec2", _delete_security_group),
    "vpc": ("ec2", lambda ec2, r: ec2.delete_vpc(VpcId=r.id)),
}

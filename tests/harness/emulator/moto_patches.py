"""Monkeypatches that close gaps in moto's Glue emulation hit by Terraform (hashicorp/aws 5.100.0).

(Patch (h) is not Glue: it closes an EC2 security-group rule gap that shows as a diff on every
plan after apply of the vpc module.)

Each patch adds what moto lacks in moto's own style -- a method on `GlueBackend` (state) and
one on `GlueResponse` (wire format) -- so it can be offered upstream as is. Every patch is

- guarded: skipped when moto already implements the operation (a later moto release), and
- idempotent: applying twice is the same as once (a marker attribute records it).

API references are the AWS Glue API reference, "Connection API", "Jobs API" and
"Triggers API" pages (docs.aws.amazon.com/glue/latest/dg/aws-glue-api-*.html).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.glue.exceptions import AlreadyExistsException, EntityNotFoundException
from moto.glue.models import FakeConnection, FakeJob, FakeTrigger, GlueBackend
from moto.glue.responses import GlueResponse
from moto.glue.utils import Action, Predicate
from moto.iam.access_control import PermissionResult
from moto.s3.models import FakeBucket

# Set on every function this module installs, so a second apply can tell ours from moto's.
_MARKER = "_glue_netcheck_patch"


@dataclass(frozen=True)
class Replace:
    """``owner.attribute`` becomes ``build(the current value)`` (a wrapper reads the original)."""

    owner: type
    attribute: str
    build: Callable[[Any], Any]


def put(value: Any) -> Callable[[Any], Any]:
    """``build`` for a plain replacement that does not need the original."""
    return lambda _original: value


@dataclass(frozen=True)
class MotoPatch:
    """One gap in moto, as data: its name, how to tell whether moto already covers it, what it replaces."""

    name: str
    is_native: Callable[[], bool]
    replaces: tuple[Replace, ...]

    def is_applied(self) -> bool:
        """Every replaced attribute carries this patch's marker."""
        return all(getattr(getattr(r.owner, r.attribute, None), _MARKER, None) == self.name for r in self.replaces)

    def install(self) -> None:
        for r in self.replaces:
            value = r.build(getattr(r.owner, r.attribute, None))
            setattr(value, _MARKER, self.name)
            setattr(r.owner, r.attribute, value)


def apply_moto_patches() -> dict[str, str]:
    """Install every patch moto needs; returns {patch name: "applied" | "already" | "native"}."""
    outcome = {}
    for patch in PATCHES:
        if patch.is_applied():
            outcome[patch.name] = "already"
        elif patch.is_native():
            outcome[patch.name] = "native"
        else:
            patch.install()
            outcome[patch.name] = "applied"
    return outcome


def _missing_operation(name: str, backend_method: Any, response_method: Any, *more: Replace) -> MotoPatch:
    """An operation moto does not serve at all: ``name`` on GlueBackend (state) and GlueResponse (wire)."""
    return MotoPatch(
        name,
        lambda: callable(getattr(GlueResponse, name, None)),
        (*more, Replace(GlueBackend, name, put(backend_method)), Replace(GlueResponse, name, put(response_method))),
    )


# What moto's model constructors read of their backend, for the probes below.
_STAND_IN_BACKEND = SimpleNamespace(region_name="us-east-1", account_id="123456789012", tag_resource=lambda *_: None)


# --- (a) GetConnection / GetConnections: ConnectionType and MatchCriteria --------------------


def _connection_as_dict(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def as_dict(self: FakeConnection, hide_password: bool = False) -> dict[str, Any]:
        """Report ConnectionType and MatchCriteria as stored, as AWS does.

        moto 5.2.5 builds the `Connection` structure without `ConnectionType` (and
        `MatchCriteria`), so GetConnection/GetConnections answer without them. AWS returns
        both (Glue API reference, Connection API, "Connection structure"). The provider
        sets `connection_type` from the answer, so every plan after apply shows
        `connection_type: "" -> "NETWORK"` and forces a replacement.
        PhysicalConnectionRequirements is already returned as stored.
        """
        data = original(self, hide_password)
        data["ConnectionType"] = self.connection_input.get("ConnectionType")
        if self.connection_input.get("MatchCriteria") is not None:
            data["MatchCriteria"] = self.connection_input["MatchCriteria"]
        return data

    return as_dict


def _connection_reports_type_natively() -> bool:
    # Build a connection against a stand-in backend and look at what moto would answer.
    probe = FakeConnection(_STAND_IN_BACKEND, "123456789012", {"Name": "probe", "ConnectionType": "NETWORK"}, {})  # type: ignore[arg-type]
    return probe.as_dict().get("ConnectionType") == "NETWORK"


# --- (b) DeleteConnection ---------------------------------------------------------------------


def backend_delete_connection(self: GlueBackend, catalog_id: str | None, connection_name: str) -> None:
    """Delete a connection and its tags.

    moto 5.2.5 has no DeleteConnection: the server answers HTTP 500 (NotImplementedError),
    which the provider retries for many minutes during `terraform destroy`. AWS answers an
    empty 200, or EntityNotFoundException if no such connection exists (Glue API reference,
    Connection API, "DeleteConnection action"); the provider's destroy relies on both.
    """
    connection = self.connections.pop(connection_name, None)
    if connection is None:
        raise EntityNotFoundException(f"Connection {connection_name} not found")
    self.tagger.delete_all_tags_for_resource(connection.arn)


def response_delete_connection(self: GlueResponse) -> EmptyResult:
    self.glue_backend.delete_connection(  # type: ignore[attr-defined]
        catalog_id=self._get_param("CatalogId"), connection_name=self._get_param("ConnectionName")
    )
    return EmptyResult()


# --- (c) UpdateConnection ---------------------------------------------------------------------


def connection_update(self: FakeConnection, connection_input: dict[str, Any]) -> None:
    """Replace the stored definition, keeping creation time, ARN-held tags and status."""
    self.connection_input = connection_input
    self.name = connection_input.get("Name")
    self.description = connection_input.get("Description")
    self.connection_properties = connection_input.get("ConnectionProperties", {})
    self.spark_properties = connection_input.get("SparkProperties", {})
    self.athena_properties = connection_input.get("AthenaProperties", {})
    self.python_properties = connection_input.get("PythonProperties", {})
    self.updated_time = utcnow()


def backend_update_connection(
    self: GlueBackend, catalog_id: str | None, name: str, connection_input: dict[str, Any]
) -> None:
    """Overwrite a connection definition with `connection_input`.

    moto 5.2.5 has no UpdateConnection: HTTP 500, which the provider retries for many
    minutes on any in-place change (description, subnet, security groups, properties).
    AWS replaces the definition with ConnectionInput and answers an empty 200, or
    EntityNotFoundException (Glue API reference, Connection API, "UpdateConnection action").
    ConnectionInput.Name may differ from Name, which renames the connection.
    """
    connection = self.connections.get(name)
    if connection is None:
        raise EntityNotFoundException(f"Connection {name} not found")
    new_name = connection_input.get("Name") or name
    if new_name != name:
        if new_name in self.connections:
            raise AlreadyExistsException(f"Connection {new_name} already exists")
        tags = self.tagger.get_tag_dict_for_resource(connection.arn)
        self.tagger.delete_all_tags_for_resource(connection.arn)
        connection.arn = connection.arn.rsplit("/", 1)[0] + f"/{new_name}"
        self.tag_resource(connection.arn, tags)
        self.connections[new_name] = self.connections.pop(name)
    connection.update({**connection_input, "Name": new_name})  # type: ignore[attr-defined]


def response_update_connection(self: GlueResponse) -> EmptyResult:
    self.glue_backend.update_connection(  # type: ignore[attr-defined]
        catalog_id=self._get_param("CatalogId"),
        name=self._get_param("Name"),
        connection_input=self._get_param("ConnectionInput"),
    )
    return EmptyResult()


# --- (d) UpdateJob ----------------------------------------------------------------------------

# JobUpdate member -> FakeJob attribute. JobMode, JobRunQueuingEnabled and MaintenanceWindow
# are left out because FakeJob does not model them at all.
_JOB_UPDATE_ATTRIBUTES = {
    "Description": "description",
    "LogUri": "log_uri",
    "Role": "role",
    "ExecutionProperty": "execution_property",
    "Command": "command",
    "DefaultArguments": "default_arguments",
    "NonOverridableArguments": "non_overridable_arguments",
    "Connections": "connections",
    "MaxRetries": "max_retries",
    "AllocatedCapacity": "allocated_capacity",
    "Timeout": "timeout",
    "MaxCapacity": "max_capacity",
    "WorkerType": "worker_type",
    "NumberOfWorkers": "number_of_workers",
    "SecurityConfiguration": "security_configuration",
    "NotificationProperty": "notification_property",
    "GlueVersion": "glue_version",
    "CodeGenConfigurationNodes": "code_gen_configuration_nodes",
    "ExecutionClass": "execution_class",
    "SourceControlDetails": "source_control_details",
}


def backend_update_job(self: GlueBackend, name: str, job_update: dict[str, Any]) -> str:
    """Overwrite a job definition with `job_update`.

    moto 5.2.5 has no UpdateJob: HTTP 500, so any in-place change to aws_glue_job (for
    example adding a connection, changing default_arguments or security_configuration)
    retries until the provider gives up. AWS: "The previous job definition is completely
    overwritten by this information" and answers {"JobName": ...}, or EntityNotFoundException
    (Glue API reference, Jobs API, "UpdateJob action" and "JobUpdate structure").
    Defaults mirror FakeJob.__init__ (empty argument maps, ExecutionClass STANDARD).
    """
    job: FakeJob = self.get_job(name)
    for member, attribute in _JOB_UPDATE_ATTRIBUTES.items():
        setattr(job, attribute, job_update.get(member))
    job.execution_property = job.execution_property or {}
    job.default_arguments = job.default_arguments or {}
    job.execution_class = job.execution_class or "STANDARD"
    job.last_modified_on = utcnow()
    return name


def response_update_job(self: GlueResponse) -> ActionResult:
    name = self._get_param("JobName")
    self.glue_backend.update_job(name, self._get_param("JobUpdate"))  # type: ignore[attr-defined]
    return ActionResult({"JobName": name})


# --- (e) UpdateTrigger ------------------------------------------------------------------------


def backend_update_trigger(self: GlueBackend, name: str, trigger_update: dict[str, Any]) -> FakeTrigger:
    """Apply the members present in `trigger_update` to a trigger.

    moto 5.2.5 has no UpdateTrigger: HTTP 500, so changing a trigger's actions, predicate,
    schedule or description in place never completes. AWS answers {"Trigger": <Trigger>}
    with the updated definition, or EntityNotFoundException (Glue API reference, Triggers
    API, "UpdateTrigger action", "TriggerUpdate structure"). Type and state do not change.
    """
    trigger: FakeTrigger = self.get_trigger(name)
    if "Description" in trigger_update:
        trigger.description = trigger_update["Description"]
    if "Schedule" in trigger_update:
        trigger.schedule = trigger_update["Schedule"]
    if "Actions" in trigger_update:
        trigger.actions = [Action(action) for action in trigger_update["Actions"]]
    if "Predicate" in trigger_update:
        trigger.predicate = Predicate(trigger_update["Predicate"]) if trigger_update["Predicate"] else None
    if "EventBatchingCondition" in trigger_update:
        trigger.event_batching_condition = trigger_update["EventBatchingCondition"]
    return trigger


def response_update_trigger(self: GlueResponse) -> ActionResult:
    trigger = self.glue_backend.update_trigger(  # type: ignore[attr-defined]
        self._get_param("Name"), self._get_param("TriggerUpdate")
    )
    return ActionResult({"Trigger": trigger.as_dict()})


# --- (f) StartTrigger on an ON_DEMAND trigger ------------------------------------------------


def trigger_start_trigger(self: FakeTrigger) -> None:
    """Start the trigger; an ON_DEMAND trigger fires once and stays CREATED.

    moto 5.2.5 sets every started trigger to ACTIVATED. On AWS only SCHEDULED, CONDITIONAL
    and EVENT triggers are activated; StartTrigger on an ON_DEMAND trigger runs its actions
    once and the trigger stays CREATED (Glue developer guide, "Starting jobs and crawlers
    using triggers"; Glue API reference, Triggers API, "StartTrigger action"). Provider
    5.100.0 calls StartTrigger after creating any enabled trigger and reads an ON_DEMAND
    trigger as enabled only while it is CREATED, so on moto every plan after apply shows
    `enabled: false -> true`. Running the actions is not modelled (moto does not run jobs
    for activated triggers either).
    """
    if self.trigger_type != "ON_DEMAND":
        self.state = "ACTIVATED"


def _on_demand_start_keeps_created_natively() -> bool:
    probe = FakeTrigger(_STAND_IN_BACKEND, "probe", None, "ON_DEMAND", None, None, [], None, False, {}, {})  # type: ignore[arg-type]
    probe.start_trigger()
    return probe.state == "CREATED"


# --- (g) S3 bucket policy: a conditional Deny is not an unconditional Deny --------------------


def bucket_get_permission(self: FakeBucket, action: str, resource: str) -> Any:
    """Evaluate the bucket policy, leaving out Deny statements that carry a Condition.

    moto evaluates bucket policies with no request context and treats condition operators
    it does not know (everything but StringEquals) as satisfied. A Deny guarded by a
    condition -- the usual `"Bool": {"aws:SecureTransport": "false"}` statement -- therefore
    denies every object request, and the provider's refresh of aws_s3_object fails with
    `HeadObject ... 403 Forbidden`. On AWS a statement applies only when its Condition
    matches (IAM User Guide, "Policy evaluation logic"; S3 User Guide, "Bucket policy
    examples": enforce encryption in transit), and the provider always talks HTTPS, so such
    a Deny never applies to it. Without request context the closer approximation is to let
    conditional Deny statements not apply; unconditional Deny and all Allow stay as before.
    """
    from moto.iam.access_control import IAMPolicy

    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy)
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    document["Statement"] = [
        statement for statement in statements if not (statement.get("Effect") == "Deny" and statement.get("Condition"))
    ]
    return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)


_CONDITIONAL_DENY_PROBE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::probe/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}


def _bucket_ignores_unmet_conditional_deny_natively() -> bool:
    stand_in = SimpleNamespace(policy=json.dumps(_CONDITIONAL_DENY_PROBE).encode())
    verdict = FakeBucket.get_permission(stand_in, "s3:GetObject", "arn:aws:s3:::probe/key")  # type: ignore[arg-type]
    return verdict != PermissionResult.DENIED


# --- (h) DescribeSecurityGroupRules: Description of group- and prefix-list rules -------------


class _PatchProperty(property):
    """A property that can carry the patch marker (a plain property object cannot)."""


def security_group_rule_description(self: SecurityGroupRule) -> str | None:
    """The rule's Description, whatever the rule references: a CIDR, a security group or a prefix list.

    moto 5.2.5 reads `SecurityGroupRule.description` from the CIDR entry (`ip_range`) only. A rule
    that references a security group keeps its Description in `source_group`, and a prefix-list
    rule drops it when the rule is built, so DescribeSecurityGroupRules answers without
    `Description` for both. AWS returns the Description the rule was authorised with for every
    kind of rule (EC2 API reference, "SecurityGroupRule" data type;
    AuthorizeSecurityGroupIngress/Egress take it in IpRange, UserIdGroupPair and PrefixListId).
    aws_vpc_security_group_ingress_rule/egress_rule read the rule back with
    DescribeSecurityGroupRules, so on moto every plan after apply shows `+ description` for a
    self-referencing rule (the vpc module's glue_self_all_tcp) and for a rule to the S3 prefix
    list. DescribeSecurityGroups already returns the group pair's Description; its PrefixListIds
    entries still lack it (not read by the provider's per-rule resources).
    """
    for source in (self.ip_range, self.source_group, {"Description": getattr(self, "prefix_list_description", None)}):
        if source and source.get("Description") is not None:
            return source["Description"]
    return None


def _rule_init_keeping_prefix_list_description(original: Callable[..., None]) -> Callable[..., None]:
    signature = inspect.signature(original)

    def __init__(self: SecurityGroupRule, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        entry = signature.bind(self, *args, **kwargs).arguments.get("prefix_list_id")
        self.prefix_list_description = entry.get("Description") if isinstance(entry, dict) else None

    return __init__


def _rule_descriptions_reported_natively() -> bool:
    group_rule = SecurityGroupRule(
        _STAND_IN_BACKEND, "tcp", "sg-probe", "0", "65535", None, {"GroupId": "sg-probe", "Description": "g"}
    )
    prefix_rule = SecurityGroupRule(
        _STAND_IN_BACKEND, "tcp", "sg-probe", "443", "443", None, None, {"PrefixListId": "pl-probe", "Description": "p"}
    )
    return group_rule.description == "g" and prefix_rule.description == "p"


# --- registry ---------------------------------------------------------------------------------

PATCHES: tuple[MotoPatch, ...] = (
    MotoPatch(
        "connection_type_in_answers",
        _connection_reports_type_natively,
        (Replace(FakeConnection, "as_dict", _connection_as_dict),),
    ),
    _missing_operation("delete_connection", backend_delete_connection, response_delete_connection),
    _missing_operation(
        "update_connection",
        backend_update_connection,
        response_update_connection,
        Replace(FakeConnection, "update", put(connection_update)),
    ),
    _missing_operation("update_job", backend_update_job, response_update_job),
    _missing_operation("update_trigger", backend_update_trigger, response_update_trigger),
    MotoPatch(
        "on_demand_start_trigger",
        _on_demand_start_keeps_created_natively,
        (Replace(FakeTrigger, "start_trigger", put(trigger_start_trigger)),),
    ),
    MotoPatch(
        "s3_conditional_deny",
        _bucket_ignores_unmet_conditional_deny_natively,
        (Replace(FakeBucket, "get_permission", put(bucket_get_permission)),),
    ),
    MotoPatch(
        "security_group_rule_descriptions",
        _rule_descriptions_reported_natively,
        (
            Replace(SecurityGroupRule, "__init__", _rule_init_keeping_prefix_list_description),
            Replace(SecurityGroupRule, "description", put(_PatchProperty(security_group_rule_description))),
        ),
    ),
)

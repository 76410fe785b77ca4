"""The normalised model of a Glue deployment's network that every rule reads.

Two adapters build it: ``plan_adapter`` from ``terraform show -json`` and
``live_adapter`` from the AWS API. Rules never see either source, so one rule
set serves unit tests, integration tests and the ``glue-netcheck`` CLI.

Identifiers are opaque keys. From a live account they are AWS ids
(``subnet-0abc``); from a plan they are the ids when known and the Terraform
resource address (``module.vpc.aws_subnet.private[0]``) when the id is only
known after apply. A reference between objects (a rule's source group, a
connection's subnet) always uses the same key as the object it points at.

Known, absent and unknown are three different things. An attribute that the
configuration leaves out is *known*: empty, or the provider's default. An
attribute whose value Terraform learns only at apply, and that the plan adapter
could not resolve through the plan's configuration, is named in the object's
``unknown`` set; rules report what depends on it as unverifiable, never as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Direction = Literal["ingress", "egress"]
SourceKind = Literal["plan", "live"]

# Not an AWS API: PyPI and other package indexes, reachable through NAT only.
INTERNET = "internet"
ALL_PROTOCOLS = "-1"
TCP = "tcp"

# Tags the glue module writes so that a plan and a live account both carry the intent.
NETWORK_MODE_TAG = "glue-netcheck:network-mode"  # on jobs: "vpc" | "none"
GLUE_SUBNET_TAG = "glue-netcheck:glue-subnet"  # on subnets meant for Glue connections: "true"

# Connection types that place a job in a VPC when they carry physical connection
# requirements (Glue developer guide, "Connecting to a JDBC data store in a VPC").
VPC_PLACING_TYPES = frozenset({"NETWORK", "JDBC", "KAFKA", "MONGODB"})


@dataclass(frozen=True)
class Pending:
    """A value known only after apply, with what is known about it.

    ``pieces`` are the literal parts of a string template around the unknown parts
    (``"s3://"``, ``"/temp/"``); ``built_from`` the (resource type, attribute) pairs it is computed
    from (``("aws_s3_bucket", "bucket")``); ``opaque`` says it also depends on something that could
    not be followed (a local without sources, a function that was not evaluated).
    """

    pieces: tuple[str, ...] = ()
    built_from: tuple[tuple[str, str], ...] = ()
    opaque: bool = False


@dataclass(frozen=True)
class SecurityGroupRule:
    direction: Direction
    protocol: str  # "tcp", "udp", "icmp" ... or "-1" (all); see normalize.protocol
    from_port: int | None = None  # None with protocol "-1"
    to_port: int | None = None
    cidr_ipv4: str | None = None
    cidr_ipv6: str | None = None
    prefix_list_id: str | None = None
    referenced_security_group_id: str | None = None
    source: str = ""  # where the rule came from (resource address or rule id)
    # Fields whose value the source could not know (e.g. a referenced group
    # that could not be resolved). Rules never read such a field as absent.
    unknown: frozenset[str] = frozenset()

    def covers_tcp_port(self, port: int) -> bool:
        if self.protocol == ALL_PROTOCOLS:
            return True
        if self.protocol != TCP or self.from_port is None or self.to_port is None:
            return False
        return self.from_port <= port <= self.to_port

    @property
    def tcp_range(self) -> tuple[int, int] | None:
        """The TCP ports the rule opens, or None when it opens no TCP port."""
        if self.protocol == ALL_PROTOCOLS:
            return (0, 65535)
        if self.protocol != TCP or self.from_port is None or self.to_port is None:
            return None
        return (self.from_port, self.to_port)

    @property
    def covers_all_tcp(self) -> bool:
        return self.covers_tcp_port(0) and self.covers_tcp_port(65535)


@dataclass
class SecurityGroup:
    id: str
    vpc_id: str | None = None
    name: str | None = None
    rules: list[SecurityGroupRule] = field(default_factory=list)
    # False when some rule resource could belong to this group but the source
    # could not tell (a plan rule whose group is unknown): a missing rule is then
    # not proven missing.
    rules_complete: bool = True
    address: str = field(default="", compare=False)  # the Terraform address (plan) or id/ARN (live), for findings
    # How the configuration writes the group's rules (plan only): the directions written inline
    # (``ingress {}`` / ``egress {}`` blocks or ``ingress = [...]``, judged from the configuration),
    # and the addresses of the separate rule resources by type.
    inline: set[str] = field(default_factory=set)
    rule_resources: dict[str, list[str]] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)

    def rules_for(self, direction: Direction) -> list[SecurityGroupRule]:
        return [r for r in self.rules if r.direction == direction]


@dataclass
class Vpc:
    id: str
    cidr_block: str | None = None
    enable_dns_support: bool | None = None
    enable_dns_hostnames: bool | None = None
    unknown: set[str] = field(default_factory=set)
    address: str = field(default="", compare=False)  # the Terraform address (plan) or id/ARN (live), for findings


@dataclass
class Subnet:
    id: str
    vpc_id: str | None = None
    availability_zone: str | None = None
    cidr_block: str | None = None
    # Free IPs now (live) or usable IPs of the CIDR (plan: size minus AWS's 5).
    available_ip_count: int | None = None
    tags: dict[str, str] = field(default_factory=dict)
    # "route_table": an association names this subnet but its table is unknown; also
    # "availability_zone", "cidr_block", "tags", "vpc_id" when those are known only after apply.
    unknown: set[str] = field(default_factory=set)
    address: str = field(default="", compare=False)  # the Terraform address (plan) or id/ARN (live), for findings

    @property
    def meant_for_glue(self) -> bool:
        return self.tags.get(GLUE_SUBNET_TAG, "").lower() == "true"


@dataclass
class Route:
    destination_cidr_block: str | None = None
    destination_prefix_list_id: str | None = None
    gateway_id: str | None = None  # internet gateway (igw-) or "local"
    nat_gateway_id: str | None = None
    vpc_endpoint_id: str | None = None
    # A target the model does not follow (transit gateway, peering, firewall ENI):
    # traffic may well reach AWS that way, so rules cannot judge such a route.
    other_target: str | None = None
    # The destination is known only after apply: the route may be the default route.
    destination_unknown: bool = False

    @property
    def is_default_route(self) -> bool:
        return self.destination_cidr_block == "0.0.0.0/0"

    @property
    def maybe_default_route(self) -> bool:
        return self.is_default_route or self.destination_unknown


@dataclass
class RouteTable:
    id: str
    vpc_id: str | None = None
    subnet_ids: list[str] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    is_main: bool = False
    # False when some route of the table is known only after apply (inline routes wholly unknown,
    # or an aws_route whose table cannot be told): a missing route is then not proven missing.
    routes_complete: bool = True
    # Why not, for messages ("some routes are known only after apply", "... is not in the plan").
    routes_note: str = ""
    address: str = field(default="", compare=False)  # the Terraform address (plan) or id/ARN (live), for findings


@dataclass
class VpcEndpoint:
    id: str
    vpc_id: str | None = None
    service_name: str | None = None
    endpoint_type: str | None = None  # "Gateway" or "Interface"
    route_table_ids: list[str] = field(default_factory=list)
    # A gateway endpoint's AWS-managed prefix list (pl-...): the destination of
    # security-group egress rules that reach the service through the endpoint.
    prefix_list_id: str | None = None
    private_dns_enabled: bool | None = None
    security_group_ids: list[str] = field(default_factory=list)
    subnet_ids: list[str] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)
    address: str = field(default="", compare=False)  # the Terraform address (plan) or id/ARN (live), for findings

    @property
    def is_gateway(self) -> bool:
        return (self.endpoint_type or "").lower() == "gateway"

    @property
    def is_interface(self) -> bool:
        return (self.endpoint_type or "").lower() == "interface"

    @property
    def service(self) -> str | None:
        """The short service name: ``com.amazonaws.us-east-1.kms`` -> ``kms``."""
        if not self.service_name:
            return None
        parts = self.service_name.split(".")
        return ".".join(parts[3:]) if len(parts) > 3 and parts[0] == "com" else parts[-1]

    @property
    def is_s3_gateway(self) -> bool:
        return self.is_gateway and self.service == "s3"


@dataclass
class InternetGateway:
    id: str
    vpc_id: str | None = None


@dataclass
class NatGateway:
    id: str
    subnet_id: str | None = None


@dataclass
class Connection:
    name: str
    # False when the plan cannot know the name (it is then keyed by address).
    name_known: bool = True
    connection_type: str | None = None  # None when the source omits it (moto)
    # Whether the connection has physical_connection_requirements at all.
    physical: bool = False
    subnet_id: str | None = None
    security_group_ids: list[str] = field(default_factory=list)
    availability_zone: str | None = None
    # Property names (values are secrets or irrelevant): SECRET_ID, JDBC_CONNECTION_URL ...
    property_names: set[str] = field(default_factory=set)
    # Secrets Manager secret the connection reads its credentials from, if any.
    secret: str | None = None
    address: str = ""  # the Terraform address or ARN, for messages
    unknown: set[str] = field(default_factory=set)
    module: str = ""  # the module instance that declares it (plan only)

    @property
    def places_job_in_vpc(self) -> bool:
        """NETWORK, or JDBC/Kafka/MongoDB with physical requirements, put the job's ENIs in a subnet."""
        kind = (self.connection_type or "").upper()
        if kind == "NETWORK":
            return True
        if self.connection_type is None or "connection_type" in self.unknown:
            return self.physical
        return kind in VPC_PLACING_TYPES and self.physical

    @property
    def reads_secret(self) -> bool:
        return bool(self.secret) or "SECRET_ID" in self.property_names


@dataclass
class SecurityConfiguration:
    name: str
    s3_mode: str | None = None  # DISABLED | SSE-S3 | SSE-KMS
    cloudwatch_mode: str | None = None  # DISABLED | SSE-KMS
    bookmarks_mode: str | None = None  # DISABLED | CSE-KMS
    unknown: set[str] = field(default_factory=set)
    address: str = field(default="", compare=False)  # the Terraform address (plan) or id/ARN (live), for findings

    @property
    def uses_kms(self) -> bool | None:
        """True when any mode is a KMS mode; None when a mode that could be is unknown."""
        modes = {
            "s3_mode": self.s3_mode,
            "cloudwatch_mode": self.cloudwatch_mode,
            "bookmarks_mode": self.bookmarks_mode,
        }
        if any("KMS" in (m or "").upper() for m in modes.values()):
            return True
        if any(k in self.unknown for k in modes):
            return None
        return False


@dataclass
class PolicyStatement:
    effect: str
    actions: list[str]
    resources: list[str] = field(default_factory=list)


@dataclass
class Role:
    id: str  # role name or address
    arn: str | None = None
    managed_policy_arns: list[str] = field(default_factory=list)
    # Statements of inline policies, of customer-managed policies attached and,
    # live, of AWS-managed policies.
    statements: list[PolicyStatement] = field(default_factory=list)
    # Why some policy could not be read (unknown at plan time, access denied,
    # NotAction): a missing permission is then not proven missing.
    unreadable: list[str] = field(default_factory=list)
    address: str = field(default="", compare=False)  # the Terraform address (plan) or id/ARN (live), for findings
    # What a reader of the configuration would miss: policies attached and then detached again
    # (an ``_exclusive`` resource that does not list them).
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unreadable


@dataclass
class Job:
    name: str
    # Exactly what the job lists, in order: names (or the model key of a connection whose name is
    # known only after apply), or whatever was put there. An omitted ``connections`` argument is a
    # known, empty list.
    connections: list[str] = field(default_factory=list)
    # False when a plan cannot know the whole list, in order.
    connections_known: bool = True
    # When the list is not known: the connections its configuration refers to (model keys), with
    # the attribute it reads of each ("name", "id", "arn"; "" for the whole object).
    connection_refs: dict[str, str] = field(default_factory=dict)
    # True when those references are all there is to the list (nothing opaque: a local without
    # sources, a value from outside the plan).
    connection_refs_complete: bool = False
    arguments: dict[str, str] = field(default_factory=dict)
    # Arguments whose value is known only after apply (their keys are known).
    pending_arguments: dict[str, Pending] = field(default_factory=dict)
    # False when a plan cannot know the argument keys (the AWS provider turns a map with any
    # value unknown until apply into a wholly unknown map; the sources, when at hand, keep them).
    arguments_known: bool = True
    tags: dict[str, str] = field(default_factory=dict)
    tags_known: bool = True
    security_configuration: str | None = None  # key into Deployment.security_configurations
    worker_type: str | None = None
    number_of_workers: int | None = None
    role: str | None = None  # key into Deployment.roles
    address: str = ""
    unknown: set[str] = field(default_factory=set)
    module: str = ""  # the module instance that declares it (plan only)
    # Services the job is known to call besides what its settings show (service -> why).
    calls: dict[str, str] = field(default_factory=dict)

    @property
    def declared_network_mode(self) -> str | None:
        return self.tags.get(NETWORK_MODE_TAG)

    @property
    def connections_from_computed(self) -> bool:
        """The unknown list is built from connection attributes that are not names (``.id``, ``.arn``)."""
        return not self.connections_known and any(a in ("id", "arn") for a in self.connection_refs.values())


@dataclass
class Deployment:
    """Everything the rules look at, keyed by the ids described above."""

    source: str  # for messages: "plan:<file>", "live:<region>"
    kind: SourceKind = "plan"
    jobs: dict[str, Job] = field(default_factory=dict)
    connections: dict[str, Connection] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    vpcs: dict[str, Vpc] = field(default_factory=dict)
    route_tables: dict[str, RouteTable] = field(default_factory=dict)
    vpc_endpoints: dict[str, VpcEndpoint] = field(default_factory=dict)
    internet_gateways: dict[str, InternetGateway] = field(default_factory=dict)
    nat_gateways: dict[str, NatGateway] = field(default_factory=dict)
    security_groups: dict[str, SecurityGroup] = field(default_factory=dict)
    security_configurations: dict[str, SecurityConfiguration] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    # The deployment's region when known: endpoint service names depend on it.
    region: str | None = None
    # Jobs the user says must run in a VPC (glue-netcheck --require-vpc).
    required_vpc_jobs: set[str] = field(default_factory=set)
    # Facts the source could not provide, with why (e.g. moto omits ConnectionType).
    gaps: list[str] = field(default_factory=list)
    # Where a plan address is written (sources.Locator), when the configuration's sources were read.
    locator: Any = field(default=None, repr=False, compare=False)

    # Lookups by subnet and VPC, built on first use so that rules stay linear in the
    # deployment's size. ``Catalogue.run`` drops them: a model may change between runs.
    _lookups: _Lookups | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def sees_every_connection(self) -> bool:
        """A live account answers for every name; a plan holds only what it creates."""
        return self.kind == "live"

    def forget_lookups(self) -> None:
        self._lookups = None

    @property
    def lookups(self) -> _Lookups:
        if self._lookups is None:
            self._lookups = _Lookups(self)
        return self._lookups

    def route_table_for_subnet(self, subnet_id: str) -> RouteTable | None:
        """The explicitly associated table, else the VPC's main table (as AWS does)."""
        table = self.lookups.table_of_subnet.get(subnet_id)
        if table is not None:
            return table
        subnet = self.subnets.get(subnet_id)
        return self.lookups.main_table_of_vpc.get(subnet.vpc_id or "") if subnet is not None else None

    def endpoints_near(self, subnet: Subnet) -> list[VpcEndpoint]:
        """The endpoints of the subnet's VPC; every endpoint when that VPC is not known (a subnet outside
        the plan): a route-table association or the subnet list still says which one serves it."""
        if subnet.vpc_id is None and "vpc_id" in subnet.unknown:
            return list(self.vpc_endpoints.values())
        return self.endpoints_in(subnet.vpc_id)

    def endpoints_in(self, vpc_id: str | None) -> list[VpcEndpoint]:
        return self.lookups.endpoints_of_vpc.get(vpc_id or "", [])

    def subnets_in(self, vpc_id: str | None) -> list[Subnet]:
        return self.lookups.subnets_of_vpc.get(vpc_id or "", [])


class _Lookups:
    _attachments: dict[str, Any] | None = None

    def attachments(self, d: Deployment) -> dict[str, Any]:
        """Connection name -> network.Attachment, built once per run."""
        if self._attachments is None:
            from glue_netcheck.network import Attachment, placement

            found: dict[str, Attachment] = {}
            hidden_names = False
            for job in d.jobs.values():
                where = placement(d, job)
                for c in where.connections:
                    status = "listed" if where.certain else "maybe"
                    previous = found.get(c.name)
                    if previous is None or (previous.status == "maybe" and status == "listed"):
                        found[c.name] = Attachment(
                            status, "" if where.certain else f"job {job.name}: {where.why}", (job.name,)
                        )
                    elif previous.status == status:
                        found[c.name] = Attachment(status, previous.why, (*previous.jobs, job.name))
                if job.connections_known and any(n not in d.connections for n in job.connections):
                    hidden_names = True
            if hidden_names and not d.sees_every_connection:
                # A job lists a name no known connection has: it may be one whose name is known after apply.
                for c in d.connections.values():
                    if not c.name_known and c.name not in found:
                        found[c.name] = Attachment(
                            "maybe", "its name is known only after apply, and a job lists a name the plan does not show"
                        )
            self._attachments = found
        return self._attachments

    def __init__(self, d: Deployment) -> None:
        self.table_of_subnet: dict[str, RouteTable] = {}
        self.main_table_of_vpc: dict[str, RouteTable] = {}
        for table in d.route_tables.values():
            for subnet_id in table.subnet_ids:
                self.table_of_subnet.setdefault(subnet_id, table)
            if table.is_main and table.vpc_id:
                self.main_table_of_vpc.setdefault(table.vpc_id, table)
        self.endpoints_of_vpc: dict[str, list[VpcEndpoint]] = {}
        for e in d.vpc_endpoints.values():
            self.endpoints_of_vpc.setdefault(e.vpc_id or "", []).append(e)
        self.subnets_of_vpc: dict[str, list[Subnet]] = {}
        for s in d.subnets.values():
            self.subnets_of_vpc.setdefault(s.vpc_id or "", []).append(s)

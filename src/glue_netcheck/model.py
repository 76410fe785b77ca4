"""The normalised model of a Glue deployment's network that every rule reads.

Two adapters build it: ``plan_adapter`` from ``terraform show -json`` and
``live_adapter`` from the AWS API. Rules never see either source, so one rule
set serves unit tests, integration tests and the ``glue-netcheck`` CLI.

Identifiers are opaque keys. From a live account they are AWS ids
(``subnet-0abc``); from a plan they are the ids when known and the Terraform
resource address (``module.vpc.aws_subnet.private[0]``) when the id is only
known after apply. A reference between objects (a rule's source group, a
connection's subnet) always uses the same key as the object it points at.
``None`` means "not known from this source", which rules treat as
"cannot verify", never as "wrong".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["ingress", "egress"]

ALL_PROTOCOLS = "-1"


@dataclass(frozen=True)
class SecurityGroupRule:
    direction: Direction
    protocol: str  # "tcp", "udp", "icmp" or "-1" (all)
    from_port: int | None = None
    to_port: int | None = None
    cidr_ipv4: str | None = None
    cidr_ipv6: str | None = None
    prefix_list_id: str | None = None
    referenced_security_group_id: str | None = None
    source: str = ""  # where the rule came from (resource address or rule id)

    def covers_tcp_port(self, port: int) -> bool:
        if self.protocol == ALL_PROTOCOLS:
            return True
        if self.protocol not in ("tcp", "6"):
            return False
        if self.from_port is None or self.to_port is None:
            return False
        return self.from_port <= port <= self.to_port

    @property
    def covers_all_tcp(self) -> bool:
        return self.covers_tcp_port(0) and self.covers_tcp_port(65535)


@dataclass
class SecurityGroup:
    id: str
    vpc_id: str | None = None
    name: str | None = None
    rules: list[SecurityGroupRule] = field(default_factory=list)

    def rules_for(self, direction: Direction) -> list[SecurityGroupRule]:
        return [r for r in self.rules if r.direction == direction]


@dataclass
class Vpc:
    id: str
    cidr_block: str | None = None
    enable_dns_support: bool | None = None
    enable_dns_hostnames: bool | None = None


@dataclass
class Subnet:
    id: str
    vpc_id: str | None = None
    availability_zone: str | None = None
    cidr_block: str | None = None
    # Free IPs now (live) or usable IPs of the CIDR (plan: size minus AWS's 5).
    available_ip_count: int | None = None


@dataclass
class Route:
    destination_cidr_block: str | None = None
    destination_prefix_list_id: str | None = None
    gateway_id: str | None = None  # internet gateway (igw-) or "local"
    nat_gateway_id: str | None = None
    vpc_endpoint_id: str | None = None

    @property
    def is_default_route(self) -> bool:
        return self.destination_cidr_block == "0.0.0.0/0"


@dataclass
class RouteTable:
    id: str
    vpc_id: str | None = None
    subnet_ids: list[str] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    is_main: bool = False


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

    @property
    def is_s3_gateway(self) -> bool:
        return (self.endpoint_type or "").lower() == "gateway" and (self.service_name or "").endswith(".s3")


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
    connection_type: str | None = None  # None when the source omits it (moto)
    subnet_id: str | None = None
    security_group_ids: list[str] = field(default_factory=list)
    availability_zone: str | None = None
    address: str = ""  # the Terraform address or ARN, for messages


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
    # Statements of inline policies and of customer-managed policies attached.
    statements: list[PolicyStatement] = field(default_factory=list)
    # False when some attached policy could not be read (rules then cannot fail).
    complete: bool = True


@dataclass
class Job:
    name: str
    # Exactly what the job lists, in order: names, or whatever was put there.
    connections: list[str] = field(default_factory=list)
    # False when a plan cannot know the list (built from values known only
    # after apply, such as connection ids).
    connections_known: bool = True
    arguments: dict[str, str] = field(default_factory=dict)
    # False when a plan cannot know the argument keys (the AWS provider turns a
    # map with any value unknown until apply into a wholly unknown map).
    arguments_known: bool = True
    worker_type: str | None = None
    number_of_workers: int | None = None
    role: str | None = None  # key into Deployment.roles
    # Whether the deployment intends this job to run inside a VPC. A job with
    # no connections and no VPC intent is legitimate (backward compatible).
    expects_vpc: bool = True
    address: str = ""


@dataclass
class Deployment:
    """Everything the rules look at, keyed by the ids described above."""

    source: str  # "plan:<file>" or "live:<region>"
    jobs: dict[str, Job] = field(default_factory=dict)
    connections: dict[str, Connection] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    vpcs: dict[str, Vpc] = field(default_factory=dict)
    route_tables: dict[str, RouteTable] = field(default_factory=dict)
    vpc_endpoints: dict[str, VpcEndpoint] = field(default_factory=dict)
    internet_gateways: dict[str, InternetGateway] = field(default_factory=dict)
    nat_gateways: dict[str, NatGateway] = field(default_factory=dict)
    security_groups: dict[str, SecurityGroup] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    # The deployment's region when known: the S3 service name depends on it.
    region: str | None = None
    # Facts the source could not provide, with why (e.g. moto omits ConnectionType).
    gaps: list[str] = field(default_factory=list)

    def route_table_for_subnet(self, subnet_id: str) -> RouteTable | None:
        """The explicitly associated table, else the VPC's main table (as AWS does)."""
        for table in self.route_tables.values():
            if subnet_id in table.subnet_ids:
                return table
        subnet = self.subnets.get(subnet_id)
        if subnet is None:
            return None
        for table in self.route_tables.values():
            if table.is_main and table.vpc_id == subnet.vpc_id:
                return table
        return None

    def connection_by_name(self, name: str) -> Connection | None:
        return self.connections.get(name)

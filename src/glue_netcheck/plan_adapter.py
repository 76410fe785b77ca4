"""Build the normalised model from a Terraform plan (``terraform show -json``).

Objects are keyed by their id when the plan knows it and by their resource address otherwise.
Every value comes through one reader, ``facts.PlanFacts.get``, which answers known, unknown or
absent (tests/unit/test_plan_facts.py checks that this module reads the plan no other way):

* known: the planned value; inside a list or map, the elements known only after apply are holes;
* absent: left out of the configuration (or null): the provider's default (``enable_dns_hostnames``
  false, ``connection_type`` JDBC, an omitted ``connections`` list empty);
* unknown: known only after apply. A reference to exactly one object of the expected type stands
  for that object (``subnet_id = aws_subnet.a.id``); anything else is recorded in the object's
  ``unknown`` set, or as a ``Pending`` value, and the rules report what depends on it as
  unverifiable, never as wrong.

With the root's sources at hand (``sources.Sources``) a value the plan lost (a map wholly unknown
for one computed element, a list built in a local) is read from them, element by element.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from glue_netcheck import normalize
from glue_netcheck.facts import Absent, Fact, Known, PlanFacts, Unknown, holes
from glue_netcheck.model import (
    Connection,
    Deployment,
    InternetGateway,
    Job,
    NatGateway,
    Pending,
    Role,
    Route,
    RouteTable,
    SecurityConfiguration,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)
from glue_netcheck.plan_index import PlanIndex, Rc, Target

Want = str | tuple[str, ...] | None

# Provider defaults for attributes a configuration may leave out (hashicorp/aws 5.x). The account's
# default VPC (aws_default_vpc) has DNS hostnames on (Amazon VPC user guide, "Default VPCs").
VPC_DEFAULTS = {"enable_dns_support": True, "enable_dns_hostnames": False}
DEFAULT_VPC_DEFAULTS = {"enable_dns_support": True, "enable_dns_hostnames": True}
VPC_TYPES = ("aws_vpc", "aws_default_vpc")
SUBNET_TYPES = ("aws_subnet", "aws_default_subnet")
CONNECTION_TYPE_DEFAULT = "JDBC"
ENDPOINT_TYPE_DEFAULT = "Gateway"
ENDPOINT_PRIVATE_DNS_DEFAULT = False
MAIN_ROUTE_TABLE = ":main-route-table"
DEFAULT_SECURITY_GROUP = ":default-security-group"
# Route targets the model does not follow.
OTHER_ROUTE_TARGETS = (
    "transit_gateway_id",
    "vpc_peering_connection_id",
    "network_interface_id",
    "egress_only_gateway_id",
    "local_gateway_id",
    "carrier_gateway_id",
    "core_network_arn",
)
AWS_MANAGED_POLICY_PREFIX = ":iam::aws:policy/"
# The separate security-group rule resources, by the style they belong to.
RULE_RESOURCE_TYPES = {
    "aws_security_group_rule": "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule": "aws_vpc_security_group_*_rule",
    "aws_vpc_security_group_egress_rule": "aws_vpc_security_group_*_rule",
}
# Every resource type the model is built from (data sources included); other types reach it only
# through the references of these.
READ_TYPES = frozenset(
    {
        "aws_default_route_table",
        "aws_default_security_group",
        "aws_default_subnet",
        "aws_default_vpc",
        "aws_glue_connection",
        "aws_glue_job",
        "aws_glue_security_configuration",
        "aws_iam_policy",
        "aws_iam_policy_attachment",
        "aws_iam_policy_document",
        "aws_iam_role",
        "aws_iam_role_policies_exclusive",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_role_policy_attachments_exclusive",
        "aws_internet_gateway",
        "aws_main_route_table_association",
        "aws_nat_gateway",
        "aws_region",
        "aws_route",
        "aws_route_table",
        "aws_route_table_association",
        "aws_security_group",
        "aws_security_group_rule",
        "aws_subnet",
        "aws_vpc",
        "aws_vpc_endpoint",
        "aws_vpc_endpoint_route_table_association",
        "aws_vpc_endpoint_security_group_association",
        "aws_vpc_endpoint_subnet_association",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
    }
)


def _types(want: Want) -> tuple[str, ...] | None:
    return (want,) if isinstance(want, str) else want


def _strings(value: Any) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}


class _Builder:
    def __init__(self, plan: dict[str, Any], source: str, required_vpc: Iterable[str], sources: Any = None):
        self.ix = PlanIndex(plan)
        self.f = PlanFacts(self.ix, sources)
        self.d = Deployment(source=source, kind="plan", required_vpc_jobs=set(required_vpc))
        # Security configurations are keyed by name; a job may reach one by address.
        self._config_keys: dict[str, str] = {}
        self._policies_by_arn: dict[str, Rc] | None = None
        self._unknown_rule_targets = False
        # Whether a provider configuration sets default_tags (tags_all then holds more than tags).
        self._default_tags = any(
            "default_tags" in (p.get("expressions") or {})
            for p in ((plan.get("configuration") or {}).get("provider_config") or {}).values()
            if isinstance(p, dict)
        )

    # --- reading one value ---------------------------------------------------------------
    def get(self, rc: Rc, *path: str | int, default: Any = None, computed: bool = False) -> Fact:
        return self.f.get(rc, *path, default=default, computed=computed)

    def value(self, rc: Rc, *path: str | int, default: Any = None, computed: bool = False) -> Any:
        """The known value, the default when absent, or an ``Unknown`` (never to be read as empty)."""
        fact = self.get(rc, *path, default=default, computed=computed)
        return fact if isinstance(fact, Unknown) else fact.value

    def _target_key(self, t: Target) -> str | None:
        """The model key of a referenced object, with a VPC's implicit main table and default group."""
        if t.rc["type"] in VPC_TYPES:
            if t.attr in ("main_route_table_id", "default_route_table_id"):
                return self.ix.key(t.rc) + MAIN_ROUTE_TABLE
            if t.attr == "default_security_group_id":
                return self.ix.key(t.rc) + DEFAULT_SECURITY_GROUP
        return self.ix.key(t.rc)

    def _referenced(self, unknown: Unknown, want: Want) -> list[str] | None:
        """Keys of the objects of the wanted types an unknown value refers to; None when it cannot be followed."""
        if unknown.opaque:
            return None
        types = _types(want)
        keys = []
        for t in unknown.targets:
            pseudo = t.rc["type"] in VPC_TYPES and t.attr in (
                "main_route_table_id",
                "default_route_table_id",
                "default_security_group_id",
            )
            if types is None or t.rc["type"] in types or pseudo:
                key = self._target_key(t)
                if key:
                    keys.append(key)
        return list(dict.fromkeys(keys))

    def one(self, rc: Rc, *path: str | int, want: Want = None, computed: bool = False) -> tuple[str | None, bool]:
        """(value, known) of an id or name: known, None when absent, else the one object it refers to."""
        fact = self.get(rc, *path, computed=computed)
        if isinstance(fact, Unknown):
            return self._resolve_one(fact, want)
        value = fact.value
        return (value, True) if isinstance(value, str) and value else (None, True)

    def _resolve_one(self, unknown: Unknown, want: Want) -> tuple[str | None, bool]:
        keys = self._referenced(unknown, want)
        return (keys[0], True) if keys is not None and len(keys) == 1 else (None, False)

    def many(self, rc: Rc, *path: str | int, want: Want = None) -> tuple[list[str], bool]:
        """(keys, complete) of a list of ids.

        A known list keeps its known elements and the object each unknown element refers to. A list
        wholly known only after apply (the plan alone, without sources) gives the objects its
        expression refers to, which may not be all of it: ``complete`` is then False.
        """
        fact = self.get(rc, *path)
        if isinstance(fact, Absent):
            return [], True
        if isinstance(fact, Unknown):
            found = self._referenced(fact, want)
            return (found or []), False
        keys: list[str] = []
        complete = True
        for element in fact.value if isinstance(fact.value, list) else []:
            if isinstance(element, Unknown):
                key, known = self._resolve_one(element, want)
                if key:
                    keys.append(key)
                complete = complete and known
            elif isinstance(element, str) and element:
                keys.append(element)
        return list(dict.fromkeys(keys)), complete

    def flag(self, rc: Rc, attr: str, default: bool | None) -> tuple[bool | None, bool]:
        """(value, known) of a bool: planned, the provider default when left out, else unknown."""
        fact = self.get(rc, attr, default=default)
        if isinstance(fact, Unknown):
            return None, False
        return (fact.value, True) if isinstance(fact.value, bool) else (default, default is not None)

    def text(self, rc: Rc, *path: str | int, default: str | None = None) -> tuple[str | None, bool]:
        """(value, known) of a string that is a value, not a reference (a name, a CIDR, a mode)."""
        fact = self.get(rc, *path, default=default)
        if isinstance(fact, Unknown):
            return None, False
        return (fact.value if isinstance(fact.value, str) else default), True

    def tags(self, rc: Rc) -> tuple[dict[str, str], bool]:
        """(tags, known): ``tags_all`` when planned, else ``tags`` plus the provider's default tags.

        ``tags_all`` is computed and plans as unknown on a new resource; it is ``tags`` merged over the
        provider's ``default_tags``, which the plan's configuration may hold only as an expression.
        """
        merged = self.value(rc, "tags_all", computed=True)
        if isinstance(merged, dict) and not holes(merged):
            return _strings(merged), True
        tags = self.value(rc, "tags")
        if isinstance(tags, Unknown):
            return {}, False
        own = _strings(tags) if isinstance(tags, dict) else {}
        known = isinstance(merged, dict) or not self._default_tags
        return own, known and (not isinstance(tags, dict) or len(own) == len(tags))

    # --- the model ----------------------------------------------------------------
    def build(self) -> Deployment:
        self.d.region = self._region()
        self._vpcs()
        self._subnets()
        self._gateways()
        self._route_tables()
        self._endpoints()
        self._security_groups()
        self._roles()
        self._security_configurations()
        self._connections()
        self._jobs()
        self.d.gaps += self.f.notes
        return self.d

    def _region(self) -> str | None:
        for rc in self.ix.of_type("aws_region", mode="data"):
            for attr in ("name", "region", "id"):
                name, known = self.text(rc, attr)
                if known and name:
                    return name
        return None

    def _vpcs(self) -> None:
        for rc in [*self.ix.of_type("aws_vpc"), *self.ix.of_type("aws_default_vpc")]:
            adopted = rc["type"] == "aws_default_vpc"
            key = self.ix.key(rc)
            cidr, cidr_known = self.text(rc, "cidr_block")
            vpc = Vpc(key, cidr_block=cidr, address=rc["address"])
            if not cidr_known:
                vpc.unknown.add("cidr_block")
            for attr, default in (DEFAULT_VPC_DEFAULTS if adopted else VPC_DEFAULTS).items():
                value, known = self.flag(rc, attr, default)
                setattr(vpc, attr, value)
                if not known:
                    vpc.unknown.add(attr)
            self.d.vpcs[key] = vpc
            # Every VPC has a main route table and a default security group, managed or not.
            # An adopted default VPC's main table exists outside the plan, with the routes AWS gave it
            # (0.0.0.0/0 to the default internet gateway): the plan does not show them.
            self.d.route_tables[key + MAIN_ROUTE_TABLE] = RouteTable(
                key + MAIN_ROUTE_TABLE,
                key,
                is_main=True,
                routes=[Route(vpc.cidr_block, gateway_id="local")],
                routes_complete=not adopted,
                routes_note="it is the default VPC's main route table, whose routes are not in the plan"
                if adopted
                else "",
            )
            group = key + DEFAULT_SECURITY_GROUP
            self.d.security_groups[group] = SecurityGroup(
                group,
                key,
                "default",
                [
                    normalize.security_group_rule("ingress", "-1", referenced_security_group_id=group, source=group),
                    normalize.security_group_rule("egress", "-1", cidr_ipv4="0.0.0.0/0", source=group),
                ],
            )

    def _subnets(self) -> None:
        default_vpcs = [self.ix.key(rc) for rc in self.ix.of_type("aws_default_vpc")]
        for rc in [*self.ix.of_type("aws_subnet"), *self.ix.of_type("aws_default_subnet")]:
            key = self.ix.key(rc)
            vpc_id, vpc_known = self.one(rc, "vpc_id", want=VPC_TYPES, computed=True)
            if rc["type"] == "aws_default_subnet" and not vpc_id and len(default_vpcs) == 1:
                # A default subnet is one of the default VPC's, which the plan adopts once per region.
                vpc_id, vpc_known = default_vpcs[0], True
            zone, zone_known = self.text(rc, "availability_zone")
            cidr, cidr_known = self.text(rc, "cidr_block")
            subnet = Subnet(
                key,
                vpc_id=vpc_id,
                availability_zone=zone,
                cidr_block=cidr,
                available_ip_count=normalize.usable_ips(cidr),
                address=rc["address"],
            )
            tags, tags_known = self.tags(rc)
            subnet.tags = tags
            if not tags_known:
                subnet.unknown.add("tags")
            for attr, known in (("vpc_id", vpc_known), ("availability_zone", zone_known), ("cidr_block", cidr_known)):
                if not known:
                    subnet.unknown.add(attr)
            self.d.subnets[key] = subnet

    def _gateways(self) -> None:
        for rc in self.ix.of_type("aws_internet_gateway"):
            key = self.ix.key(rc)
            self.d.internet_gateways[key] = InternetGateway(key, self.one(rc, "vpc_id", want=VPC_TYPES)[0])
        for rc in self.ix.of_type("aws_nat_gateway"):
            key = self.ix.key(rc)
            self.d.nat_gateways[key] = NatGateway(key, self.one(rc, "subnet_id", want=SUBNET_TYPES)[0])

    def _route(self, rc: Rc, *path: str | int) -> Route:
        """A route from an aws_route resource (no path) or an inline ``route`` element."""
        cidr_attr = "cidr_block" if path else "destination_cidr_block"
        cidr, cidr_known = self.text(rc, *path, cidr_attr)
        prefix_list, prefix_known = self.one(rc, *path, "destination_prefix_list_id", want="aws_vpc_endpoint")
        gateway, gateway_known = self.one(rc, *path, "gateway_id", want=("aws_internet_gateway", "aws_vpc_endpoint"))
        endpoint, endpoint_known = self.one(rc, *path, "vpc_endpoint_id", want="aws_vpc_endpoint")
        if gateway and (gateway.startswith("vpce-") or gateway in self.d.vpc_endpoints):
            gateway, endpoint = None, gateway
        nat, nat_known = self.one(rc, *path, "nat_gateway_id", want="aws_nat_gateway")
        other = None
        unknown_targets = [
            k
            for k, known in (
                ("gateway_id", gateway_known),
                ("nat_gateway_id", nat_known),
                ("vpc_endpoint_id", endpoint_known),
            )
            if not known
        ]
        for k in OTHER_ROUTE_TARGETS:
            target = self.get(rc, *path, k)
            if isinstance(target, Unknown):
                unknown_targets.append(k)
            elif target.value:
                other = f"{k} {target.value}"
                break
        if other is None and not (gateway or nat or endpoint) and unknown_targets:
            other = f"a target known only after apply ({unknown_targets[0]})"
        # A destination known only after apply may be 0.0.0.0/0 -- or not.
        dest_unknown = not cidr_known or (not prefix_known and not cidr)
        return Route(
            destination_cidr_block=cidr or None,
            destination_prefix_list_id=prefix_list,
            gateway_id=gateway,
            nat_gateway_id=nat if nat_known else None,
            vpc_endpoint_id=endpoint,
            other_target=other,
            destination_unknown=dest_unknown,
        )

    def _route_tables(self) -> None:
        for rtype in ("aws_route_table", "aws_default_route_table"):
            for rc in self.ix.of_type(rtype):
                key = self.ix.key(rc)
                if rtype == "aws_default_route_table":
                    main, _ = self.one(rc, "default_route_table_id", want=VPC_TYPES)
                    key = main or key
                    vpc_id = key[: -len(MAIN_ROUTE_TABLE)] if key.endswith(MAIN_ROUTE_TABLE) else None
                else:
                    vpc_id = self.one(rc, "vpc_id", want=VPC_TYPES)[0]
                table = RouteTable(
                    key, vpc_id=vpc_id, is_main=rtype == "aws_default_route_table", address=rc["address"]
                )
                routes = self.value(rc, "route")
                if isinstance(routes, Unknown):
                    table.routes_complete = False
                else:
                    for i, _ in enumerate(routes if isinstance(routes, list) else []):
                        table.routes.append(self._route(rc, "route", i))
                self.d.route_tables[key] = table
        for rc in self.ix.of_type("aws_route"):
            table_key, known = self.one(rc, "route_table_id", want=("aws_route_table", "aws_default_route_table"))
            table = self.d.route_tables.get(table_key or "")
            if table is not None:
                table.routes.append(self._route(rc))
            elif not known:
                # A route whose table is known only after apply might belong to any table.
                for t in self.d.route_tables.values():
                    t.routes_complete = False
        for rc in self.ix.of_type("aws_route_table_association"):
            table_key, _ = self.one(rc, "route_table_id", want="aws_route_table")
            subnet, _ = self.one(rc, "subnet_id", want=SUBNET_TYPES)
            table = self.d.route_tables.get(table_key or "")
            if subnet and subnet not in self.d.subnets and subnet.startswith("subnet-"):
                # A subnet outside the plan given by id: its route table is in the plan, the rest is not.
                self.d.subnets[subnet] = Subnet(subnet, unknown={"vpc_id", "availability_zone", "cidr_block", "tags"})
            if table is not None and subnet:
                table.subnet_ids.append(subnet)
            elif subnet in self.d.subnets:
                self.d.subnets[subnet].unknown.add("route_table")
        for rc in self.ix.of_type("aws_main_route_table_association"):
            table = self.d.route_tables.get(self.one(rc, "route_table_id", want="aws_route_table")[0] or "")
            vpc_id, _ = self.one(rc, "vpc_id", want=VPC_TYPES)
            if table is not None:
                table.is_main = True
                self.d.route_tables.pop((vpc_id or "") + MAIN_ROUTE_TABLE, None)

    def _endpoints(self) -> None:
        for rc in self.ix.of_type("aws_vpc_endpoint"):
            key = self.ix.key(rc)
            service, service_known = self.text(rc, "service_name")
            kind, kind_known = self.text(rc, "vpc_endpoint_type", default=ENDPOINT_TYPE_DEFAULT)
            prefix_list, _ = self.text(rc, "prefix_list_id")
            endpoint = VpcEndpoint(
                key,
                vpc_id=self.one(rc, "vpc_id", want=VPC_TYPES)[0],
                service_name=service,
                endpoint_type=kind if kind_known else None,
                prefix_list_id=prefix_list or None,
                address=rc["address"],
            )
            if not service_known:
                endpoint.unknown.add("service_name")
            if not kind_known:
                endpoint.unknown.add("endpoint_type")
            tables, tables_known = self.many(rc, "route_table_ids", want="aws_route_table")
            endpoint.route_table_ids = tables
            if not tables_known:
                endpoint.unknown.add("route_table_ids")
            endpoint.subnet_ids, subnets_known = self.many(rc, "subnet_ids", want=SUBNET_TYPES)
            if not subnets_known:
                endpoint.unknown.add("subnet_ids")
            groups, groups_known = self.many(rc, "security_group_ids", want="aws_security_group")
            if endpoint.is_interface and groups_known and not groups and endpoint.vpc_id:
                # AWS gives an interface endpoint without groups the VPC's default group.
                groups = [endpoint.vpc_id + DEFAULT_SECURITY_GROUP]
            endpoint.security_group_ids = groups
            if not groups_known:
                endpoint.unknown.add("security_group_ids")
            dns, dns_known = self.flag(rc, "private_dns_enabled", ENDPOINT_PRIVATE_DNS_DEFAULT)
            endpoint.private_dns_enabled = dns if dns_known else None
            self.d.vpc_endpoints[key] = endpoint
        for rtype, attr, field_name, want in (
            ("aws_vpc_endpoint_route_table_association", "route_table_id", "route_table_ids", "aws_route_table"),
            ("aws_vpc_endpoint_subnet_association", "subnet_id", "subnet_ids", SUBNET_TYPES),
            (
                "aws_vpc_endpoint_security_group_association",
                "security_group_id",
                "security_group_ids",
                "aws_security_group",
            ),
        ):
            for rc in self.ix.of_type(rtype):
                endpoint_key, endpoint_known = self.one(rc, "vpc_endpoint_id", want="aws_vpc_endpoint")
                endpoint = self.d.vpc_endpoints.get(endpoint_key or "")
                value, known = self.one(rc, attr, want=want)
                if endpoint is None:
                    if not endpoint_known:
                        for e in self.d.vpc_endpoints.values():
                            e.unknown.add(field_name)
                    continue
                if value:
                    getattr(endpoint, field_name).append(value)
                elif not known:
                    endpoint.unknown.add(field_name)

    # --- security groups --------------------------------------------------------------
    def _security_groups(self) -> None:
        for rc in self.ix.of_type("aws_security_group"):
            key = self.ix.key(rc)
            vpc_id, vpc_known = self.one(rc, "vpc_id", want=VPC_TYPES)
            name, _ = self.text(rc, "name")
            group = SecurityGroup(key, vpc_id=vpc_id, name=name, address=rc["address"])
            if not vpc_known:
                group.unknown.add("vpc_id")
            for direction in ("ingress", "egress"):
                group.rules += self._inline_rules(rc, direction, group)
            self.d.security_groups[key] = group
        for rc in self.ix.of_type("aws_default_security_group"):
            vpc_id, _ = self.one(rc, "vpc_id", want=VPC_TYPES)
            key = (vpc_id or rc["address"]) + DEFAULT_SECURITY_GROUP
            group = SecurityGroup(key, vpc_id=vpc_id, name="default", address=rc["address"])
            for direction in ("ingress", "egress"):
                group.rules += self._inline_rules(rc, direction, group)
            self.d.security_groups[key] = group
        for rtype, direction in (
            ("aws_vpc_security_group_ingress_rule", "ingress"),
            ("aws_vpc_security_group_egress_rule", "egress"),
        ):
            for rc in self.ix.of_type(rtype):
                group = self._rule_group(rc)
                if group is None:
                    continue
                protocol, protocol_known = self.text(rc, "ip_protocol")
                prefix_list, pl_known = self.one(rc, "prefix_list_id", want="aws_vpc_endpoint")
                referenced, ref_known = self.one(rc, "referenced_security_group_id", want="aws_security_group")
                ports = {p: self.value(rc, p) for p in ("from_port", "to_port")}
                cidr4, cidr4_known = self.text(rc, "cidr_ipv4")
                cidr6, _ = self.text(rc, "cidr_ipv6")
                unknown = [
                    n
                    for n, k in (
                        ("prefix_list_id", pl_known),
                        ("referenced_security_group_id", ref_known),
                        ("cidr_ipv4", cidr4_known),
                        ("protocol", protocol_known),
                    )
                    if not k
                ]
                unknown += [p for p, v in ports.items() if isinstance(v, Unknown)]
                group.rules.append(
                    normalize.security_group_rule(
                        direction,  # type: ignore[arg-type]
                        protocol if protocol_known else "-1",
                        None if isinstance(ports["from_port"], Unknown) else ports["from_port"],
                        None if isinstance(ports["to_port"], Unknown) else ports["to_port"],
                        cidr_ipv4=cidr4,
                        cidr_ipv6=cidr6,
                        prefix_list_id=prefix_list,
                        referenced_security_group_id=referenced,
                        source=rc["address"],
                        unknown=unknown,
                    )
                )
        for rc in self.ix.of_type("aws_security_group_rule"):
            group = self._rule_group(rc)
            if group is None:
                continue
            group.rules += self._rule_resource_rules(rc, group)
        if self._unknown_rule_targets:
            # A rule whose group is known only after apply might belong to any group.
            for group in self.d.security_groups.values():
                group.rules_complete = False

    def _rule_group(self, rc: Rc) -> SecurityGroup | None:
        key, known = self.one(rc, "security_group_id", want=("aws_security_group", "aws_default_security_group"))
        group = self.d.security_groups.get(key or "")
        if group is None and key:
            group = self.d.security_groups.get(key + DEFAULT_SECURITY_GROUP)
        if group is None:
            if not known:
                self._unknown_rule_targets = True
            return None
        group.rule_resources.setdefault(RULE_RESOURCE_TYPES[rc["type"]], []).append(rc["address"])
        return group

    def _rule_resource_rules(self, rc: Rc, group: SecurityGroup) -> list[SecurityGroupRule]:
        """The rules of one aws_security_group_rule: one per source (self, group, CIDR, prefix list)."""
        kind, kind_known = self.text(rc, "type")
        protocol, protocol_known = self.text(rc, "protocol")
        ports = {p: self.value(rc, p) for p in ("from_port", "to_port")}
        self_flag = self.value(rc, "self", default=False)
        unknown: list[str] = [p for p, v in ports.items() if isinstance(v, Unknown)]
        if not protocol_known:
            unknown.append("protocol")
        if isinstance(self_flag, Unknown):
            referenced, ref_known = None, False
        elif self_flag:
            referenced, ref_known = group.id, True
        else:
            referenced, ref_known = self.one(rc, "source_security_group_id", want="aws_security_group")
        if not ref_known:
            unknown.append("referenced_security_group_id")
        base = dict(source=rc["address"], unknown=unknown)
        directions = [kind] if kind_known and kind in ("ingress", "egress") else ["ingress", "egress"]
        if not kind_known:
            base["unknown"] = [*unknown, "direction"]
        targets: list[dict[str, Any]] = [{"referenced_security_group_id": referenced}] if referenced else []
        for attr, field_name in (
            ("cidr_blocks", "cidr_ipv4"),
            ("ipv6_cidr_blocks", "cidr_ipv6"),
            ("prefix_list_ids", "prefix_list_id"),
        ):
            values, complete = self.many(rc, attr, want="aws_vpc_endpoint" if attr == "prefix_list_ids" else None)
            targets += [{field_name: v} for v in values]
            if not complete:
                base["unknown"] = [*base["unknown"], field_name]
        if not targets and base["unknown"]:
            targets = [{}]
        out = []
        for direction in directions:
            for t in targets:
                out.append(
                    normalize.security_group_rule(
                        direction,  # type: ignore[arg-type]
                        protocol if protocol_known else "-1",
                        None if isinstance(ports["from_port"], Unknown) else ports["from_port"],
                        None if isinstance(ports["to_port"], Unknown) else ports["to_port"],
                        **t,
                        **base,  # type: ignore[arg-type]
                    )
                )
        return out

    def _inline_rules(self, rc: Rc, direction: str, group: SecurityGroup) -> list[SecurityGroupRule]:
        if self.ix.configured(rc, direction) is False:
            # Not written inline: the group's rules are separate resources. (Terraform
            # also removes the allow-all egress rule AWS adds to a new group.)
            return []
        group.inline.add(direction)
        rules = self.value(rc, direction)
        unknown_all = ["protocol", "cidr_ipv4", "referenced_security_group_id", "prefix_list_id"]
        if isinstance(rules, Unknown):
            self.d.gaps.append(f"{rc['address']}: inline {direction} rules known only after apply")
            return [normalize.security_group_rule(direction, "-1", source=rc["address"], unknown=unknown_all)]  # type: ignore[arg-type]
        out = []
        elements = rules if isinstance(rules, list) else []
        # Without sources an inline block's references belong to the whole attribute: a field
        # unknown in exactly one element stands for the one object of its type referenced.
        single = {
            field_name: sum(1 for e in elements if isinstance(e, dict) and isinstance(e.get(field_name), Unknown))
            for field_name in ("security_groups", "prefix_list_ids")
        }
        for element in elements:
            if isinstance(element, Unknown) or not isinstance(element, dict):
                out.append(normalize.security_group_rule(direction, "-1", source=rc["address"], unknown=unknown_all))  # type: ignore[arg-type]
                continue
            base: dict[str, Any] = dict(source=rc["address"])
            protocol = element.get("protocol")
            ports = [element.get("from_port"), element.get("to_port")]
            unknown = [
                n
                for n, v in (("protocol", protocol), ("from_port", ports[0]), ("to_port", ports[1]))
                if isinstance(v, Unknown)
            ]
            args = (
                direction,
                "-1" if isinstance(protocol, Unknown) else protocol,
                None if isinstance(ports[0], Unknown) else ports[0],
                None if isinstance(ports[1], Unknown) else ports[1],
            )
            if element.get("self") is True:
                out.append(
                    normalize.security_group_rule(*args, referenced_security_group_id=group.id, unknown=unknown, **base)
                )  # type: ignore[arg-type]
            pending: list[str] = []
            for field_name, model_field, want in (
                ("security_groups", "referenced_security_group_id", "aws_security_group"),
                ("cidr_blocks", "cidr_ipv4", None),
                ("ipv6_cidr_blocks", "cidr_ipv6", None),
                ("prefix_list_ids", "prefix_list_id", "aws_vpc_endpoint"),
            ):
                values = element.get(field_name)
                if isinstance(values, Unknown):
                    key, known = self._resolve_one(values, want) if single.get(field_name) == 1 else (None, False)
                    if key and known:
                        out.append(normalize.security_group_rule(*args, unknown=unknown, **{model_field: key}, **base))  # type: ignore[arg-type]
                    else:
                        # Which references belong to which inline rule the configuration cannot tell.
                        pending.append(model_field)
                    continue
                for v in values or []:
                    if isinstance(v, Unknown):
                        key, known = self._resolve_one(v, want)
                        if key and known:
                            out.append(
                                normalize.security_group_rule(*args, unknown=unknown, **{model_field: key}, **base)
                            )  # type: ignore[arg-type]
                        else:
                            pending.append(model_field)
                    elif isinstance(v, str):
                        out.append(normalize.security_group_rule(*args, unknown=unknown, **{model_field: v}, **base))  # type: ignore[arg-type]
            if isinstance(element.get("self"), Unknown):
                pending.append("referenced_security_group_id")
            if pending:
                out.append(normalize.security_group_rule(*args, unknown=[*unknown, *unknown_all], **base))  # type: ignore[arg-type]
        return out

    # --- IAM -------------------------------------------------------------------------
    def _roles(self) -> None:
        """Each policy of a role, read once.

        A policy reaches a role through its own resource (aws_iam_role_policy, an attachment, an
        ``_exclusive`` resource) or through the role's inline_policy / managed_policy_arns. Once the
        role exists, those two attributes list every policy of the role (the provider reads them
        all), including the ones the separate resources manage: the role's lists add only what no
        resource in the plan manages. ``aws_iam_role_policy_attachments_exclusive`` makes its list
        the role's managed policies: an attachment it does not list is detached.
        """
        for rc in self.ix.of_type("aws_iam_role"):
            arn, _ = self.text(rc, "arn")
            self.d.roles[rc["address"]] = Role(rc["address"], arn=arn, address=rc["address"])
        inline: dict[str, set[str]] = {}
        attached: dict[str, set[str]] = {}
        exclusive: dict[str, Rc] = {}
        for rc in self.ix.of_type("aws_iam_role_policy_attachments_exclusive"):
            role = self._role_for(rc, "role_name")
            if role is not None:
                exclusive[role.id] = rc
        for rc in self.ix.of_type("aws_iam_role_policy"):
            role = self._role_for(rc, "role")
            if role is not None:
                self._add_policy_of(role, rc, "policy")
                name, _ = self.text(rc, "name")
                inline.setdefault(role.id, set()).add(str(name))
        for rc in self.ix.of_type("aws_iam_role_policy_attachment"):
            role = self._role_for(rc, "role")
            if role is not None and role.id in exclusive:
                arn = self.value(rc, "policy_arn")
                role.notes.append(
                    f"{rc['address']} attaches {arn if isinstance(arn, str) else 'a policy'}, which "
                    f"{exclusive[role.id]['address']} detaches unless its policy_arns list it"
                )
            elif role is not None:
                attached.setdefault(role.id, set()).add(self._attach(role, rc, "policy_arn"))
        for rc in self.ix.of_type("aws_iam_policy_attachment"):
            roles = self.value(rc, "roles")
            for role_rc in self.ix.resolve(rc, "roles"):
                if role_rc["type"] == "aws_iam_role" and role_rc["address"] in self.d.roles:
                    role = self.d.roles[role_rc["address"]]
                    if role.id not in exclusive:
                        attached.setdefault(role.id, set()).add(self._attach(role, rc, "policy_arn"))
            if isinstance(roles, list):
                for name in roles:
                    if isinstance(name, str):
                        for role_rc in self.ix.of_type("aws_iam_role"):
                            if self.text(role_rc, "name")[0] == name and role_rc["address"] in self.d.roles:
                                role = self.d.roles[role_rc["address"]]
                                attached.setdefault(role.id, set()).add(self._attach(role, rc, "policy_arn"))
        for role_id, rc in exclusive.items():
            role = self.d.roles[role_id]
            self._add_policy_list(role, rc, "policy_arns", attached.setdefault(role.id, set()))
        for rc in self.ix.of_type("aws_iam_role"):
            role = self.d.roles[rc["address"]]
            policies = self.value(rc, "inline_policy")
            if isinstance(policies, Unknown):
                role.unreadable.append(f"{rc['address']}: inline_policy is known only after apply")
            else:
                for p in policies if isinstance(policies, list) else []:
                    if isinstance(p, Unknown) or not isinstance(p, dict):
                        role.unreadable.append(f"{rc['address']}: an inline policy is known only after apply")
                        continue
                    name = p.get("name")
                    if isinstance(name, str) and name in inline.get(role.id, set()):
                        continue
                    document = p.get("policy")
                    if isinstance(document, Unknown):
                        self._add_unknown_document(role, f"inline policy {name}", document)
                    elif document:
                        self._add_policy(role, f"inline policy {name}", document)
            if role.id not in exclusive:
                self._add_policy_list(role, rc, "managed_policy_arns", attached.get(role.id, set()))

    def _add_policy_list(self, role: Role, rc: Rc, attr: str, managed_elsewhere: set[str]) -> None:
        """The policies a list of ARNs attaches (``managed_policy_arns``, ``policy_arns``)."""
        arns = self.value(rc, attr)
        if isinstance(arns, Unknown):
            policies = [t.rc for t in arns.targets if t.rc["type"] == "aws_iam_policy"]
            for policy in policies:
                self._add_policy_of(role, policy, "policy")
            role.unreadable.append(
                f"{rc['address']}: {attr} is known only after apply"
                + (f"; it refers to {', '.join(p['address'] for p in policies)}, and may hold more" if policies else "")
            )
            return
        for arn in arns if isinstance(arns, list) else []:
            if isinstance(arn, Unknown):
                policies = [t.rc for t in arn.targets if t.rc["type"] == "aws_iam_policy"]
                if len(policies) == 1 and not arn.opaque:
                    self._add_policy_of(role, policies[0], "policy")
                else:
                    role.unreadable.append(f"{rc['address']}: a policy ARN of {attr} is known only after apply")
            elif isinstance(arn, str) and arn not in managed_elsewhere:
                self._add_managed(role, arn)

    def _role_for(self, rc: Rc, attr: str) -> Role | None:
        targets = [t for t in self.ix.resolve(rc, attr) if t["type"] == "aws_iam_role"]
        if len(targets) == 1:
            return self.d.roles.get(targets[0]["address"])
        name, _ = self.text(rc, attr)
        for role_rc in self.ix.of_type("aws_iam_role"):
            if name and self.text(role_rc, "name")[0] == name:
                return self.d.roles.get(role_rc["address"])
        return None

    def _attach(self, role: Role, rc: Rc, attr: str) -> str:
        """Add the policy an attachment attaches; returns its ARN, or "" when only known after apply."""
        arn = self.value(rc, attr)
        if isinstance(arn, str):
            self._add_managed(role, arn)
            return arn
        policies = [t.rc for t in arn.targets if t.rc["type"] == "aws_iam_policy"] if isinstance(arn, Unknown) else []
        if len(policies) == 1 and not arn.opaque:
            self._add_policy_of(role, policies[0], "policy")
        else:
            role.unreadable.append(f"{rc['address']}: the attached policy is known only after apply")
        return ""

    def _add_managed(self, role: Role, arn: str) -> None:
        """A policy by ARN: its document when the plan creates it, else AWS-managed or unreadable."""
        if self._policies_by_arn is None:
            self._policies_by_arn = {}
            for p in self.ix.of_type("aws_iam_policy"):
                policy_arn, _ = self.text(p, "arn")
                if policy_arn:
                    self._policies_by_arn.setdefault(policy_arn, p)
        policy = self._policies_by_arn.get(arn)
        if policy is not None:
            self._add_policy_of(role, policy, "policy")
            return
        role.managed_policy_arns.append(arn)
        if AWS_MANAGED_POLICY_PREFIX not in arn:
            role.unreadable.append(f"policy {arn} is not created by this plan, so its document is not in it")

    def _add_policy(self, role: Role, what: str, document: Any) -> None:
        statements, problems = normalize.policy_statements(document)
        role.statements += statements
        role.unreadable += [f"{what}: {p}" for p in problems]

    def _add_policy_of(self, role: Role, rc: Rc, attr: str) -> None:
        document = self.value(rc, attr)
        if isinstance(document, str):
            self._add_policy(role, rc["address"], document)
        elif isinstance(document, Unknown):
            self._add_unknown_document(role, rc["address"], document)

    def _add_unknown_document(self, role: Role, what: str, document: Unknown) -> None:
        # Known only after apply: if it comes from an aws_iam_policy_document, that data source's
        # statement blocks still carry the (constant) actions.
        sources = [t.rc for t in document.targets if t.rc["type"] == "aws_iam_policy_document"]
        if len(sources) == 1 and not document.opaque:
            blocks = self.value(sources[0], "statement")
            if isinstance(blocks, Unknown):
                role.unreadable.append(f"{sources[0]['address']}: its statements are known only after apply")
                return
            statements, problems = normalize.policy_document_blocks(_known_blocks(blocks))
            role.statements += statements
            role.unreadable += [f"{sources[0]['address']}: {p}" for p in problems]
        else:
            role.unreadable.append(
                f"{what}: the policy document is known only after apply (built with jsonencode() or "
                "templatefile() around values such as ARNs), so its actions cannot be read from the plan"
            )

    # --- Glue ---------------------------------------------------------------------------
    def _security_configurations(self) -> None:
        for rc in self.ix.of_type("aws_glue_security_configuration"):
            name, known = self.text(rc, "name")
            name = name if known and name else rc["address"]
            config = SecurityConfiguration(name, address=rc["address"])
            base = ("encryption_configuration", 0)
            for field_name, block, attr in (
                ("s3_mode", "s3_encryption", "s3_encryption_mode"),
                ("cloudwatch_mode", "cloudwatch_encryption", "cloudwatch_encryption_mode"),
                ("bookmarks_mode", "job_bookmarks_encryption", "job_bookmarks_encryption_mode"),
            ):
                mode = self.value(rc, *base, block, 0, attr, default="DISABLED")
                if isinstance(mode, Unknown):
                    config.unknown.add(field_name)
                else:
                    setattr(config, field_name, mode if isinstance(mode, str) else "DISABLED")
            self.d.security_configurations[name] = config
            if name != rc["address"]:
                self._config_keys[rc["address"]] = name

    def _connections(self) -> None:
        for rc in self.ix.of_type("aws_glue_connection"):
            name, name_known = self.text(rc, "name")
            name_known = name_known and bool(name)
            if not name_known:
                self.d.gaps.append(f"{rc['address']}: connection name known only after apply")
                name = rc["address"]
            kind, kind_known = self.text(rc, "connection_type", default=CONNECTION_TYPE_DEFAULT)
            c = Connection(
                name=name,  # type: ignore[arg-type]
                name_known=name_known,
                connection_type=kind if kind_known else None,
                address=rc["address"],
                module=rc.get("module_address", ""),
            )
            if not kind_known:
                c.unknown.add("connection_type")
            pcr = ("physical_connection_requirements", 0)
            requirements = self.value(rc, "physical_connection_requirements")
            c.physical = isinstance(requirements, Unknown) or bool(requirements)
            if isinstance(requirements, Unknown):
                c.unknown.update({"subnet_id", "security_group_ids", "availability_zone"})
            elif c.physical:
                c.availability_zone, zone_known = self._zone(rc, pcr)
                if not zone_known:
                    c.unknown.add("availability_zone")
                c.subnet_id, known = self.one(rc, *pcr, "subnet_id", want=SUBNET_TYPES)
                if not known:
                    c.subnet_id = self._subnet_by_position(rc, pcr, c.availability_zone)
                if c.subnet_id is None and not known:
                    c.unknown.add("subnet_id")
                c.security_group_ids, complete = self.many(
                    rc, *pcr, "security_group_id_list", want="aws_security_group"
                )
                if not complete:
                    c.unknown.add("security_group_ids")
            properties = self.value(rc, "connection_properties")
            if isinstance(properties, dict):
                c.property_names = set(properties)
                secret = properties.get("SECRET_ID")
                if isinstance(secret, Unknown):
                    c.secret = "(known after apply)"
                else:
                    c.secret = secret if isinstance(secret, str) else None
            elif isinstance(properties, Unknown):
                secrets = [
                    t.rc
                    for t in properties.targets
                    if t.rc["type"] in ("aws_secretsmanager_secret", "aws_secretsmanager_secret_version")
                ]
                if secrets:
                    # Only SECRET_ID names a secret among a connection's properties.
                    c.property_names = {"SECRET_ID"}
                    c.secret = self.ix.key(secrets[0])
                else:
                    c.unknown.add("property_names")
            self.d.connections[c.name] = c

    def _subnet_by_position(self, rc: Rc, pcr: tuple[str | int, ...], zone: str | None) -> str | None:
        """``subnet_id = var.subnets[count.index].id``: the subnet at this connection's own index.

        A list built in another module can be reordered on the way (reverse(),
        sort()), so the pick is trusted only when that subnet's zone is the
        connection's own, which comes from the same list element.
        """
        index = rc.get("index")
        if index is None or zone is None:
            return None
        subnets = [t.rc for t in self.ix.targets(rc, *pcr, "subnet_id") if t.rc["type"] in SUBNET_TYPES]
        picked = [s for s in subnets if s.get("index") == index]
        if len(picked) == 1 and self.text(picked[0], "availability_zone") == (zone, True):
            return self.ix.key(picked[0])
        return None

    def _zone(self, rc: Rc, pcr: tuple[str | int, ...]) -> tuple[str | None, bool]:
        zone = self.value(rc, *pcr, "availability_zone")
        if isinstance(zone, str) and zone:
            return zone, True
        if not isinstance(zone, Unknown):
            return None, True
        for t in zone.targets:
            if t.rc["type"] in SUBNET_TYPES and t.attr == "availability_zone" and not zone.opaque:
                subnet_zone, known = self.text(t.rc, "availability_zone")
                if known and subnet_zone:
                    return subnet_zone, True
        return None, False

    def _jobs(self) -> None:
        for rc in self.ix.of_type("aws_glue_job"):
            name, known = self.text(rc, "name")
            name = name if known and name else rc["address"]
            job = Job(name=name, address=rc["address"], module=rc.get("module_address", ""))
            self._job_connections(rc, job)
            arguments_seen = False
            for attr in ("default_arguments", "non_overridable_arguments"):
                arguments = self.value(rc, attr)
                if isinstance(arguments, Unknown):
                    job.arguments_known = False
                elif isinstance(arguments, dict):
                    arguments_seen = True
                    for key, value in arguments.items():
                        if isinstance(value, Unknown):
                            job.pending_arguments[key] = _pending(value)
                        elif value is not None:
                            job.arguments[key] = str(value)
            if not job.arguments_known and arguments_seen:
                # One map is known and the other is not: its keys could be anything.
                job.arguments_known = False
            job.tags, job.tags_known = self.tags(rc)
            config, config_known = self.one(rc, "security_configuration", want="aws_glue_security_configuration")
            job.security_configuration = self._config_keys.get(config or "", config)
            if not config_known:
                job.unknown.add("security_configuration")
            worker_type, _ = self.text(rc, "worker_type")
            job.worker_type = worker_type
            workers = self.value(rc, "number_of_workers")
            if isinstance(workers, Unknown):
                job.unknown.add("number_of_workers")
            elif isinstance(workers, int):
                job.number_of_workers = workers
            role_arn = self.value(rc, "role_arn")
            roles = (
                [t.rc for t in role_arn.targets if t.rc["type"] == "aws_iam_role"]
                if isinstance(role_arn, Unknown)
                else []
            )
            if len(roles) == 1 and not role_arn.opaque:
                job.role = roles[0]["address"]
            elif isinstance(role_arn, str):
                job.role = self._role_by_arn(role_arn) or role_arn
            else:
                job.unknown.add("role")
            self.d.jobs[name] = job

    def _role_by_arn(self, arn: str) -> str | None:
        for role in self.d.roles.values():
            if role.arn == arn:
                return role.id
        return None

    def _job_connections(self, rc: Rc, job: Job) -> None:
        """The job's connection list: known, known element by element, or the connections it refers to."""
        listed = self.value(rc, "connections")
        if isinstance(listed, list):
            entries: list[str] = []
            for element in listed:
                if isinstance(element, str):
                    entries.append(element)
                elif isinstance(element, Unknown):
                    refs = self._connection_refs(element)
                    if len(refs) == 1 and not element.opaque and next(iter(refs.values())) == "name":
                        entries.append(next(iter(refs)))
                    else:
                        job.connections_known = False
                        job.connection_refs.update(refs)
            job.connections = entries
            if not job.connections_known:
                job.connection_refs.update({e: "name" for e in entries})
                job.connection_refs_complete = not any(isinstance(e, Unknown) and e.opaque for e in listed)
            return
        if isinstance(listed, Unknown):
            job.connections_known = False
            job.connection_refs = self._connection_refs(listed)
            job.connection_refs_complete = not listed.opaque and bool(job.connection_refs)
        # else: omitted, which is a known empty list.

    def _connection_refs(self, unknown: Unknown) -> dict[str, str]:
        """The connections an unknown value refers to (model keys) and the attribute it reads of each."""
        refs: dict[str, str] = {}
        for t in unknown.targets:
            if t.rc["type"] != "aws_glue_connection":
                continue
            name, known = self.text(t.rc, "name")
            key = name if known and name else t.rc["address"]
            attr = t.attr.split(".")[0]
            refs[key] = attr if attr in ("name", "id", "arn") else ""
        return refs


def _known_blocks(blocks: Any) -> list[Any]:
    """Policy document statement blocks with unknown fields dropped (a statement's actions are constants)."""
    out = []
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict):
            out.append({k: (None if isinstance(v, Unknown) else v) for k, v in block.items()})
    return out


def _pending(value: Unknown) -> Pending:
    return Pending(
        pieces=value.pieces,
        built_from=tuple(dict.fromkeys((t.rc["type"], t.attr) for t in value.targets)),
        opaque=value.opaque,
    )


def deployment_from_plan(
    plan: dict[str, Any],
    source: str = "plan",
    require_vpc: Iterable[str] = (),
    root: Path | None = None,
    sources: Any = None,
) -> Deployment:
    """The normalised model of a plan (``terraform show -json``).

    Raises ``errors.UnusablePlan`` for anything that is not a complete, error-free plan.
    ``require_vpc`` names jobs the user says must run in a VPC. ``root``: the directory of the root
    module's sources, read for the values the plan lost (see ``sources.Sources``); or ``sources``, a
    ``Sources`` already loaded for this plan's configuration (one serves every slice of a plan).
    """
    if sources is None and root is not None:
        from glue_netcheck.sources import Sources

        PlanIndex(plan)  # an unusable plan is refused before any source is read
        sources = Sources.load(root, plan)
    builder = _Builder(plan, source, require_vpc, sources)
    if sources is not None:
        from glue_netcheck.sources import Locator

        builder.d.gaps += sources.notes
        builder.d.locator = Locator(sources)
    return builder.build()


__all__ = ["READ_TYPES", "Known", "deployment_from_plan"]

"""Build the normalised model from a Terraform plan (``terraform show -json``).

Objects are keyed by their id when the plan knows it and by their resource
address otherwise. Each attribute is read as one of three things:

* known: the planned value, or -- when the configuration does not set the
  attribute -- the provider's default (``enable_dns_hostnames`` false,
  ``connection_type`` JDBC, an omitted ``connections`` list empty);
* resolved: a value known only after apply whose expression refers to exactly
  one resource of the expected type (``plan_index.PlanIndex.targets``);
* unknown: anything else, recorded in the object's ``unknown`` set so that the
  rules report it as unverifiable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glue_netcheck import normalize
from glue_netcheck.model import (
    Connection,
    Deployment,
    InternetGateway,
    Job,
    NatGateway,
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
from glue_netcheck.plan_index import PlanIndex, Rc, dig

Want = str | tuple[str, ...] | None

# Provider defaults for attributes a configuration may leave out (hashicorp/aws 5.x).
VPC_DEFAULTS = {"enable_dns_support": True, "enable_dns_hostnames": False}
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


def _types(want: Want) -> tuple[str, ...] | None:
    return (want,) if isinstance(want, str) else want


class _Builder:
    def __init__(self, plan: dict[str, Any], source: str, required_vpc: Iterable[str]):
        self.ix = PlanIndex(plan)
        self.d = Deployment(source=source, kind="plan", required_vpc_jobs=set(required_vpc))
        # Security configurations are keyed by name; a job may reach one by address.
        self._config_keys: dict[str, str] = {}
        self._policies_by_arn: dict[str, Rc] | None = None

    # --- reading one attribute ---------------------------------------------------
    def _target_key(self, rc: Rc, attr: str) -> str | None:
        """The model key of a referenced object, with a VPC's implicit main table and default group."""
        if rc["type"] == "aws_vpc":
            if attr in ("main_route_table_id", "default_route_table_id"):
                return self.ix.key(rc) + MAIN_ROUTE_TABLE
            if attr == "default_security_group_id":
                return self.ix.key(rc) + DEFAULT_SECURITY_GROUP
        return self.ix.key(rc)

    def _keys(self, rc: Rc, path: tuple[str | int, ...], want: Want) -> list[str] | None:
        """Keys of the referenced objects of the wanted types; None when a reference cannot be followed."""
        types = _types(want)
        keys = []
        targets, opaque = self.ix.nearest_targets(rc, *path)
        if opaque:
            return None
        for t in targets:
            pseudo = t.rc["type"] == "aws_vpc" and t.attr in (
                "main_route_table_id",
                "default_route_table_id",
                "default_security_group_id",
            )
            if types is None or t.rc["type"] in types or pseudo:
                key = self._target_key(t.rc, t.attr)
                if key:
                    keys.append(key)
        return list(dict.fromkeys(keys))

    def one(self, rc: Rc, *path: str | int, want: Want = None) -> tuple[str | None, bool]:
        """(value, known): a known string, None when absent, else the one resource it refers to.

        An attribute the configuration leaves out is absent even when the provider
        computes it (``source_security_group_id`` of a CIDR rule plans as unknown).
        """
        value = dig(self.ix.after(rc), *path)
        if isinstance(value, str) and value:
            return value, True
        if not self.ix.is_unknown(rc, *path) or self.ix.configured(rc, *path) is False:
            return None, True
        keys = self._keys(rc, path, want)
        return (keys[0], True) if keys is not None and len(keys) == 1 else (None, False)

    def many(self, rc: Rc, *path: str | int, want: Want = None) -> tuple[list[str], bool]:
        """(values, known) for a list of ids: known elements plus the resources the unknown ones refer to."""
        value = dig(self.ix.after(rc), *path)
        if not self.ix.is_unknown(rc, *path) or self.ix.configured(rc, *path) is False:
            return [v for v in value or [] if isinstance(v, str) and v], True
        known = [v for v in value or [] if isinstance(v, str) and v] if isinstance(value, list) else []
        found = self._keys(rc, path, want)
        if found is None:
            return known, False
        keys = list(dict.fromkeys(known + found))
        if isinstance(value, list) and len(keys) != len(value):
            return keys, False
        return keys, bool(keys)

    def flag(self, rc: Rc, attr: str, default: bool | None) -> tuple[bool | None, bool]:
        """(value, known) of a bool: planned, the provider default when not configured, else unknown."""
        value = self.ix.after(rc).get(attr)
        if isinstance(value, bool):
            return value, True
        if not self.ix.in_configuration(rc, attr) and default is not None:
            return default, True
        return None, False

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
        return self.d

    def _region(self) -> str | None:
        for rc in self.ix.of_type("aws_region", mode="data"):
            after = self.ix.after(rc)
            name = after.get("name") or after.get("region") or after.get("id")
            if isinstance(name, str) and name:
                return name
        return None

    def _vpcs(self) -> None:
        for rc in self.ix.of_type("aws_vpc"):
            key = self.ix.key(rc)
            vpc = Vpc(key, cidr_block=self.ix.after(rc).get("cidr_block"))
            for attr, default in VPC_DEFAULTS.items():
                value, known = self.flag(rc, attr, default)
                setattr(vpc, attr, value)
                if not known:
                    vpc.unknown.add(attr)
            self.d.vpcs[key] = vpc
            # Every VPC has a main route table and a default security group, managed or not.
            self.d.route_tables[key + MAIN_ROUTE_TABLE] = RouteTable(
                key + MAIN_ROUTE_TABLE, key, is_main=True, routes=[Route(vpc.cidr_block, gateway_id="local")]
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
        for rc in self.ix.of_type("aws_subnet"):
            a = self.ix.after(rc)
            key = self.ix.key(rc)
            vpc_id, _ = self.one(rc, "vpc_id", want="aws_vpc")
            tags = a.get("tags_all") if isinstance(a.get("tags_all"), dict) else a.get("tags")
            self.d.subnets[key] = Subnet(
                key,
                vpc_id=vpc_id,
                availability_zone=a.get("availability_zone"),
                cidr_block=a.get("cidr_block"),
                available_ip_count=normalize.usable_ips(a.get("cidr_block")),
                tags=dict(tags or {}),
            )

    def _gateways(self) -> None:
        for rc in self.ix.of_type("aws_internet_gateway"):
            key = self.ix.key(rc)
            self.d.internet_gateways[key] = InternetGateway(key, self.one(rc, "vpc_id", want="aws_vpc")[0])
        for rc in self.ix.of_type("aws_nat_gateway"):
            key = self.ix.key(rc)
            self.d.nat_gateways[key] = NatGateway(key, self.one(rc, "subnet_id", want="aws_subnet")[0])

    def _route(self, rc: Rc, *path: str | int) -> Route:
        """A route from an aws_route resource (no path) or an inline ``route`` element."""
        a = dig(self.ix.after(rc), *path) if path else self.ix.after(rc)
        cidr = a.get("destination_cidr_block") if not path else a.get("cidr_block")
        gateway, _ = self.one(rc, *path, "gateway_id", want=("aws_internet_gateway", "aws_vpc_endpoint"))
        endpoint, _ = self.one(rc, *path, "vpc_endpoint_id", want="aws_vpc_endpoint")
        if gateway and (gateway.startswith("vpce-") or gateway in self.d.vpc_endpoints):
            gateway, endpoint = None, gateway
        nat, nat_known = self.one(rc, *path, "nat_gateway_id", want="aws_nat_gateway")
        other = next((f"{k} {v or '(known after apply)'}" for k in OTHER_ROUTE_TARGETS if (v := a.get(k))), None)
        if other is None:
            unknown_targets = [
                k for k in ("gateway_id", "nat_gateway_id", *OTHER_ROUTE_TARGETS) if self.ix.is_unknown(rc, *path, k)
            ]
            if not (gateway or nat or endpoint) and unknown_targets:
                other = f"a target known only after apply ({unknown_targets[0]})"
        return Route(
            destination_cidr_block=cidr or None,
            destination_prefix_list_id=a.get("destination_prefix_list_id") or None,
            gateway_id=gateway,
            nat_gateway_id=nat if nat_known else None,
            vpc_endpoint_id=endpoint,
            other_target=other,
        )

    def _route_tables(self) -> None:
        for rtype in ("aws_route_table", "aws_default_route_table"):
            for rc in self.ix.of_type(rtype):
                key = self.ix.key(rc)
                if rtype == "aws_default_route_table":
                    main, _ = self.one(rc, "default_route_table_id", want="aws_vpc")
                    key = main or key
                    vpc_id = key[: -len(MAIN_ROUTE_TABLE)] if key.endswith(MAIN_ROUTE_TABLE) else None
                else:
                    vpc_id = self.one(rc, "vpc_id", want="aws_vpc")[0]
                table = RouteTable(key, vpc_id=vpc_id, is_main=rtype == "aws_default_route_table")
                routes = self.ix.after(rc).get("route")
                for i, _ in enumerate(routes if isinstance(routes, list) else []):
                    table.routes.append(self._route(rc, "route", i))
                self.d.route_tables[key] = table
        for rc in self.ix.of_type("aws_route"):
            table = self.d.route_tables.get(self.one(rc, "route_table_id", want="aws_route_table")[0] or "")
            if table is not None:
                table.routes.append(self._route(rc))
        for rc in self.ix.of_type("aws_route_table_association"):
            table_key, _ = self.one(rc, "route_table_id", want="aws_route_table")
            subnet, _ = self.one(rc, "subnet_id", want="aws_subnet")
            table = self.d.route_tables.get(table_key or "")
            if table is not None and subnet:
                table.subnet_ids.append(subnet)
            elif subnet in self.d.subnets:
                self.d.subnets[subnet].unknown.add("route_table")
        for rc in self.ix.of_type("aws_main_route_table_association"):
            table = self.d.route_tables.get(self.one(rc, "route_table_id", want="aws_route_table")[0] or "")
            vpc_id, _ = self.one(rc, "vpc_id", want="aws_vpc")
            if table is not None:
                table.is_main = True
                self.d.route_tables.pop((vpc_id or "") + MAIN_ROUTE_TABLE, None)

    def _endpoints(self) -> None:
        for rc in self.ix.of_type("aws_vpc_endpoint"):
            a = self.ix.after(rc)
            key = self.ix.key(rc)
            endpoint = VpcEndpoint(
                key,
                vpc_id=self.one(rc, "vpc_id", want="aws_vpc")[0],
                service_name=a.get("service_name"),
                endpoint_type=a.get("vpc_endpoint_type") or ENDPOINT_TYPE_DEFAULT,
                prefix_list_id=a.get("prefix_list_id") or None,
            )
            tables, tables_known = self.many(rc, "route_table_ids", want="aws_route_table")
            endpoint.route_table_ids = tables
            if not tables_known:
                endpoint.unknown.add("route_table_ids")
            endpoint.subnet_ids, _ = self.many(rc, "subnet_ids", want="aws_subnet")
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
            ("aws_vpc_endpoint_subnet_association", "subnet_id", "subnet_ids", "aws_subnet"),
            (
                "aws_vpc_endpoint_security_group_association",
                "security_group_id",
                "security_group_ids",
                "aws_security_group",
            ),
        ):
            for rc in self.ix.of_type(rtype):
                endpoint = self.d.vpc_endpoints.get(self.one(rc, "vpc_endpoint_id", want="aws_vpc_endpoint")[0] or "")
                value, known = self.one(rc, attr, want=want)
                if endpoint is None:
                    continue
                if value:
                    getattr(endpoint, field_name).append(value)
                elif not known:
                    endpoint.unknown.add(field_name)

    # --- security groups --------------------------------------------------------------
    def _security_groups(self) -> None:
        for rc in self.ix.of_type("aws_security_group"):
            key = self.ix.key(rc)
            group = SecurityGroup(
                key, vpc_id=self.one(rc, "vpc_id", want="aws_vpc")[0], name=self.ix.after(rc).get("name")
            )
            for direction in ("ingress", "egress"):
                group.rules += self._inline_rules(rc, direction, key)
            self.d.security_groups[key] = group
        for rc in self.ix.of_type("aws_default_security_group"):
            vpc_id, _ = self.one(rc, "vpc_id", want="aws_vpc")
            key = (vpc_id or rc["address"]) + DEFAULT_SECURITY_GROUP
            group = SecurityGroup(key, vpc_id=vpc_id, name="default")
            for direction in ("ingress", "egress"):
                group.rules += self._inline_rules(rc, direction, key)
            self.d.security_groups[key] = group
        stray = False
        for rtype, direction in (
            ("aws_vpc_security_group_ingress_rule", "ingress"),
            ("aws_vpc_security_group_egress_rule", "egress"),
        ):
            for rc in self.ix.of_type(rtype):
                group = self.d.security_groups.get(
                    self.one(rc, "security_group_id", want="aws_security_group")[0] or ""
                )
                if group is None:
                    stray = True
                    continue
                a = self.ix.after(rc)
                prefix_list, pl_known = self.one(rc, "prefix_list_id", want="aws_vpc_endpoint")
                referenced, ref_known = self.one(rc, "referenced_security_group_id", want="aws_security_group")
                unknown = [
                    n for n, k in (("prefix_list_id", pl_known), ("referenced_security_group_id", ref_known)) if not k
                ]
                unknown += [
                    n for n in ("cidr_ipv4", "ip_protocol", "from_port", "to_port") if self.ix.is_unknown(rc, n)
                ]
                group.rules.append(
                    normalize.security_group_rule(
                        direction,  # type: ignore[arg-type]
                        a.get("ip_protocol"),
                        a.get("from_port"),
                        a.get("to_port"),
                        cidr_ipv4=a.get("cidr_ipv4"),
                        cidr_ipv6=a.get("cidr_ipv6"),
                        prefix_list_id=prefix_list,
                        referenced_security_group_id=referenced,
                        source=rc["address"],
                        unknown=[{"ip_protocol": "protocol"}.get(n, n) for n in unknown],
                    )
                )
        for rc in self.ix.of_type("aws_security_group_rule"):
            group = self.d.security_groups.get(self.one(rc, "security_group_id", want="aws_security_group")[0] or "")
            if group is None:
                stray = True
                continue
            a = self.ix.after(rc)
            if a.get("self"):
                referenced, ref_known = group.id, True
            else:
                referenced, ref_known = self.one(rc, "source_security_group_id", want="aws_security_group")
            base = dict(source=rc["address"], unknown=[] if ref_known else ["referenced_security_group_id"])
            direction = a.get("type") if a.get("type") in ("ingress", "egress") else "ingress"
            args = (direction, a.get("protocol"), a.get("from_port"), a.get("to_port"))
            targets: list[dict[str, Any]] = [{"referenced_security_group_id": referenced}] if referenced else []
            targets += [{"cidr_ipv4": c} for c in a.get("cidr_blocks") or []]
            targets += [{"cidr_ipv6": c} for c in a.get("ipv6_cidr_blocks") or []]
            targets += [{"prefix_list_id": p} for p in a.get("prefix_list_ids") or []]
            if not targets and not ref_known:
                targets = [{}]
            for t in targets:
                group.rules.append(normalize.security_group_rule(*args, **t, **base))  # type: ignore[arg-type]
        if stray:
            # A rule whose group is known only after apply might belong to any group.
            for group in self.d.security_groups.values():
                group.rules_complete = False

    def _inline_rules(self, rc: Rc, direction: str, group_key: str) -> list[SecurityGroupRule]:
        rules = self.ix.after(rc).get(direction)
        if not self.ix.in_configuration(rc, direction):
            # Not written inline: the group's rules are separate resources. (Terraform
            # also removes the allow-all egress rule AWS adds to a new group.)
            return []
        if self.ix.is_unknown(rc, direction) and not isinstance(rules, list):
            self.d.gaps.append(f"{rc['address']}: inline {direction} rules known only after apply")
            return [
                normalize.security_group_rule(direction, "-1", source=rc["address"], unknown=["protocol", "cidr_ipv4"])
            ]  # type: ignore[arg-type]
        out = []
        elements = [r for r in rules or [] if isinstance(r, dict)]
        # An inline block's expression references the whole attribute, so an unknown
        # field is resolved only when one element has it unknown and one object of
        # the right type is referenced.
        pending = {
            field_name: [i for i in range(len(elements)) if self.ix.is_unknown(rc, direction, i, field_name)]
            for field_name in ("security_groups", "cidr_blocks", "prefix_list_ids")
        }
        resolved: dict[tuple[int, str], str] = {}
        for field_name, want in (("security_groups", "aws_security_group"), ("prefix_list_ids", "aws_vpc_endpoint")):
            keys = self._keys(rc, (direction,), want)
            if len(pending[field_name]) == 1 and keys is not None and len(keys) == 1:
                resolved[(pending[field_name][0], field_name)] = keys[0]
        for i, element in enumerate(elements):
            unknown_fields = [n for n, idx in pending.items() if i in idx and (i, n) not in resolved]
            r = dict(element)
            for (j, field_name), key in resolved.items():
                if j == i:
                    r[field_name] = [v for v in r.get(field_name) or [] if isinstance(v, str)] + [key]
            base = dict(source=rc["address"])
            args = (direction, r.get("protocol"), r.get("from_port"), r.get("to_port"))
            if r.get("self"):
                out.append(normalize.security_group_rule(*args, referenced_security_group_id=group_key, **base))  # type: ignore[arg-type]
            for g in r.get("security_groups") or []:
                if isinstance(g, str):
                    out.append(normalize.security_group_rule(*args, referenced_security_group_id=g, **base))  # type: ignore[arg-type]
            for c in r.get("cidr_blocks") or []:
                if isinstance(c, str):
                    out.append(normalize.security_group_rule(*args, cidr_ipv4=c, **base))  # type: ignore[arg-type]
            for c in r.get("ipv6_cidr_blocks") or []:
                if isinstance(c, str):
                    out.append(normalize.security_group_rule(*args, cidr_ipv6=c, **base))  # type: ignore[arg-type]
            for p in r.get("prefix_list_ids") or []:
                if isinstance(p, str):
                    out.append(normalize.security_group_rule(*args, prefix_list_id=p, **base))  # type: ignore[arg-type]
            if unknown_fields:
                # Group references of an inline rule resolve through the block's configuration
                # only as a whole, so which rule they belong to is unknown.
                out.append(
                    normalize.security_group_rule(
                        *args,  # type: ignore[arg-type]
                        unknown=["referenced_security_group_id", "cidr_ipv4", "prefix_list_id"],
                        **base,
                    )
                )
        return out

    # --- IAM -------------------------------------------------------------------------
    def _roles(self) -> None:
        """Each policy of a role, read once.

        A policy reaches a role through its own resource (aws_iam_role_policy, an
        attachment) or through the role's inline_policy / managed_policy_arns. Once the
        role exists, those two attributes list every policy of the role (the provider
        reads them all), including the ones the separate resources manage: the role's
        lists add only what no resource in the plan manages.
        """
        for rc in self.ix.of_type("aws_iam_role"):
            self.d.roles[rc["address"]] = Role(rc["address"], arn=self.ix.after(rc).get("arn"))
        inline: dict[str, set[str]] = {}
        attached: dict[str, set[str]] = {}
        for rc in self.ix.of_type("aws_iam_role_policy"):
            role = self._role_for(rc, "role")
            if role is not None:
                self._add_policy_of(role, rc, "policy")
                inline.setdefault(role.id, set()).add(str(self.ix.after(rc).get("name")))
        for rc in self.ix.of_type("aws_iam_role_policy_attachment"):
            role = self._role_for(rc, "role")
            if role is not None:
                attached.setdefault(role.id, set()).add(self._attach(role, rc))
        for rc in self.ix.of_type("aws_iam_policy_attachment"):
            for role_rc in self.ix.resolve(rc, "roles"):
                if role_rc["type"] == "aws_iam_role" and role_rc["address"] in self.d.roles:
                    role = self.d.roles[role_rc["address"]]
                    attached.setdefault(role.id, set()).add(self._attach(role, rc))
        for rc in self.ix.of_type("aws_iam_role"):
            role = self.d.roles[rc["address"]]
            a = self.ix.after(rc)
            for p in a.get("inline_policy") or []:
                if p.get("name") not in inline.get(role.id, set()):
                    self._add_policy(role, f"inline policy {p.get('name')}", p.get("policy"))
            for arn in a.get("managed_policy_arns") or []:
                if arn not in attached.get(role.id, set()):
                    self._add_managed(role, arn)

    def _role_for(self, rc: Rc, attr: str) -> Role | None:
        targets = [t for t in self.ix.resolve(rc, attr) if t["type"] == "aws_iam_role"]
        if len(targets) == 1:
            return self.d.roles.get(targets[0]["address"])
        name = self.ix.after(rc).get(attr)
        for role_rc in self.ix.of_type("aws_iam_role"):
            if name and self.ix.after(role_rc).get("name") == name:
                return self.d.roles.get(role_rc["address"])
        return None

    def _attach(self, role: Role, rc: Rc) -> str:
        """Add the policy an attachment attaches; returns its ARN, or "" when only known after apply."""
        arn = self.ix.after(rc).get("policy_arn")
        if isinstance(arn, str):
            self._add_managed(role, arn)
            return arn
        policy = [t for t in self.ix.resolve(rc, "policy_arn") if t["type"] == "aws_iam_policy"]
        if len(policy) == 1:
            self._add_policy_of(role, policy[0], "policy")
        else:
            role.unreadable.append(f"{rc['address']}: the attached policy is known only after apply")
        return ""

    def _add_managed(self, role: Role, arn: str) -> None:
        """A policy by ARN: its document when the plan creates it, else AWS-managed or unreadable."""
        if self._policies_by_arn is None:
            self._policies_by_arn = {}
            for p in self.ix.of_type("aws_iam_policy"):
                self._policies_by_arn.setdefault(str(self.ix.after(p).get("arn")), p)
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
        document = self.ix.after(rc).get(attr)
        if isinstance(document, str):
            self._add_policy(role, rc["address"], document)
            return
        # Known only after apply: if it comes from an aws_iam_policy_document,
        # that data source's statement blocks still carry the (constant) actions.
        sources = [t for t in self.ix.resolve(rc, attr) if t["type"] == "aws_iam_policy_document"]
        if len(sources) == 1:
            statements, problems = normalize.policy_document_blocks(self.ix.after(sources[0]).get("statement"))
            role.statements += statements
            role.unreadable += [f"{sources[0]['address']}: {p}" for p in problems]
        else:
            role.unreadable.append(
                f"{rc['address']}: the policy document is known only after apply (built with jsonencode() or "
                "templatefile() around values such as ARNs), so its actions cannot be read from the plan"
            )

    # --- Glue ---------------------------------------------------------------------------
    def _security_configurations(self) -> None:
        for rc in self.ix.of_type("aws_glue_security_configuration"):
            a = self.ix.after(rc)
            name = a.get("name") if isinstance(a.get("name"), str) else rc["address"]
            config = SecurityConfiguration(name)
            base = ("encryption_configuration", 0)
            for field_name, block, attr in (
                ("s3_mode", "s3_encryption", "s3_encryption_mode"),
                ("cloudwatch_mode", "cloudwatch_encryption", "cloudwatch_encryption_mode"),
                ("bookmarks_mode", "job_bookmarks_encryption", "job_bookmarks_encryption_mode"),
            ):
                value = dig(a, *base, block, 0, attr)
                if isinstance(value, str):
                    setattr(config, field_name, value)
                elif self.ix.is_unknown(rc, *base, block, 0, attr):
                    config.unknown.add(field_name)
                else:
                    setattr(config, field_name, "DISABLED")
            self.d.security_configurations[name] = config
            if name != rc["address"]:
                self._config_keys[rc["address"]] = name

    def _connections(self) -> None:
        for rc in self.ix.of_type("aws_glue_connection"):
            a = self.ix.after(rc)
            name = a.get("name")
            name_known = isinstance(name, str) and bool(name)
            if not name_known:
                self.d.gaps.append(f"{rc['address']}: connection name known only after apply")
                name = rc["address"]
            kind = a.get("connection_type")
            c = Connection(
                name=name,  # type: ignore[arg-type]
                name_known=name_known,
                connection_type=kind if isinstance(kind, str) else None,
                address=rc["address"],
            )
            if c.connection_type is None:
                if self.ix.is_unknown(rc, "connection_type"):
                    c.unknown.add("connection_type")
                else:
                    c.connection_type = CONNECTION_TYPE_DEFAULT
            pcr = ("physical_connection_requirements", 0)
            c.physical = bool(a.get("physical_connection_requirements")) or self.ix.is_unknown(
                rc, "physical_connection_requirements"
            )
            if c.physical:
                c.availability_zone = self._zone(rc, pcr)
                c.subnet_id, known = self.one(rc, *pcr, "subnet_id", want="aws_subnet")
                if not known:
                    c.subnet_id = self._subnet_by_position(rc, pcr, c.availability_zone)
                if c.subnet_id is None and not known:
                    c.unknown.add("subnet_id")
                c.security_group_ids, known = self.many(rc, *pcr, "security_group_id_list", want="aws_security_group")
                if not known:
                    c.unknown.add("security_group_ids")
                if c.availability_zone is None and self.ix.is_unknown(rc, *pcr, "availability_zone"):
                    c.unknown.add("availability_zone")
            properties = a.get("connection_properties")
            if isinstance(properties, dict):
                c.property_names = set(properties)
                secret = properties.get("SECRET_ID")
                c.secret = secret if isinstance(secret, str) else None
            elif self.ix.is_unknown(rc, "connection_properties"):
                secrets = [
                    t
                    for t in self.ix.resolve(rc, "connection_properties")
                    if t["type"] in ("aws_secretsmanager_secret", "aws_secretsmanager_secret_version")
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
        subnets = [t.rc for t in self.ix.targets(rc, *pcr, "subnet_id") if t.rc["type"] == "aws_subnet"]
        picked = [s for s in subnets if s.get("index") == index]
        if len(picked) == 1 and self.ix.after(picked[0]).get("availability_zone") == zone:
            return self.ix.key(picked[0])
        return None

    def _zone(self, rc: Rc, pcr: tuple[str | int, ...]) -> str | None:
        value = dig(self.ix.after(rc), *pcr, "availability_zone")
        if isinstance(value, str) and value:
            return value
        for t in self.ix.targets(rc, *pcr, "availability_zone"):
            if t.rc["type"] == "aws_subnet" and t.attr == "availability_zone":
                zone = self.ix.after(t.rc).get("availability_zone")
                if isinstance(zone, str) and zone:
                    return zone
        return None

    def _jobs(self) -> None:
        for rc in self.ix.of_type("aws_glue_job"):
            a = self.ix.after(rc)
            name = a.get("name") if isinstance(a.get("name"), str) else rc["address"]
            job = Job(name=name, address=rc["address"])
            connections = a.get("connections")
            if isinstance(connections, list) and not self.ix.is_unknown(rc, "connections"):
                job.connections = [c for c in connections if isinstance(c, str)]
            elif self.ix.is_unknown(rc, "connections"):
                job.connections_known = False
                job.connections_from_computed = self._connections_from_computed(rc)
            # else: omitted, which is a known empty list.
            for attr in ("default_arguments", "non_overridable_arguments"):
                value = a.get(attr)
                if isinstance(value, dict):
                    job.arguments.update({k: str(v) for k, v in value.items()})
                elif self.ix.is_unknown(rc, attr):
                    job.arguments_known = False
            tags = a.get("tags_all") if isinstance(a.get("tags_all"), dict) else a.get("tags")
            if isinstance(tags, dict):
                job.tags = {k: str(v) for k, v in tags.items() if isinstance(v, str)}
            job.tags_known = not self.ix.is_unknown(rc, "tags")
            config, known = self.one(rc, "security_configuration", want="aws_glue_security_configuration")
            job.security_configuration = self._config_keys.get(config or "", config)
            if not known:
                job.unknown.add("security_configuration")
            job.worker_type = a.get("worker_type")
            job.number_of_workers = a.get("number_of_workers")
            roles = [t for t in self.ix.resolve(rc, "role_arn") if t["type"] == "aws_iam_role"]
            job.role = roles[0]["address"] if len(roles) == 1 else a.get("role_arn")
            self.d.jobs[name] = job

    def _connections_from_computed(self, rc: Rc) -> bool:
        """Whether an unknown connection list is built from connection attributes known only after apply.

        Names of the connections in a plan are known, so a list of names would be
        known too: a list that references only aws_glue_connection resources with
        known names, or their ``id``/``arn``, is built from computed attributes.
        """
        targets = self.ix.targets(rc, "connections")
        if not targets or any(t.rc["type"] != "aws_glue_connection" for t in targets):
            return False
        if any(t.attr in ("id", "arn") for t in targets):
            return True
        names_known = all(isinstance(self.ix.after(t.rc).get("name"), str) for t in targets)
        return names_known and all(t.attr in ("", "id", "arn") for t in targets)


def deployment_from_plan(plan: dict[str, Any], source: str = "plan", require_vpc: Iterable[str] = ()) -> Deployment:
    """The normalised model of a plan (``terraform show -json``).

    Raises ``errors.UnusablePlan`` for anything that is not a complete, error-free
    plan. ``require_vpc`` names jobs the user says must run in a VPC.
    """
    return _Builder(plan, source, require_vpc).build()

"""Build the normalised model from ``terraform show -json`` of a plan.

Ids of resources to be created are unknown at plan time, so every object is
keyed by its known id when there is one and by its resource address
otherwise. A reference whose value is unknown (a rule's source group, a
connection's subnet) is resolved through the plan's ``configuration``: the
expression's references are followed across ``var.`` (module inputs),
``module.X.out`` (module outputs), ``each.value`` (the ``for_each``
collection) and ``count.index`` down to resource instances. ``local.``
values are not in the plan JSON; what hides behind one stays unresolved and
the rules report it as unverifiable rather than guess.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable
from typing import Any

from glue_netcheck.model import (
    Connection,
    Deployment,
    InternetGateway,
    Job,
    NatGateway,
    PolicyStatement,
    Role,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)

_INDEX = re.compile(r"\[[^\]]*\]")


class PlanError(ValueError):
    """The file is not a Terraform plan in JSON form."""


def _split_address(address: str) -> tuple[str, str, Any]:
    """``module.a.aws_x.y["k"]`` -> (``module.a``, ``aws_x.y``, ``"k"``)."""
    parts = re.findall(r'(?:[^.\["]+|\["[^"]*"\]|\[\d+\])+', address)
    # parts: module, a, aws_x, y["k"]   (data sources: data, aws_x, y)
    i = 0
    module: list[str] = []
    while i < len(parts) - 1 and parts[i] == "module":
        module.append(f"module.{parts[i + 1]}")
        i += 2
    rest = ".".join(parts[i:])
    index: Any = None
    m = re.search(r"\[(\d+|\"[^\"]*\")\]$", rest)
    if m:
        raw = m.group(1)
        index = json.loads(raw) if raw.startswith('"') else int(raw)
        rest = rest[: m.start()]
    return ".".join(module), rest, index


class PlanIndex:
    """Resource instances and configuration of one plan, with reference resolution."""

    def __init__(self, plan: dict[str, Any]):
        if not isinstance(plan, dict) or "configuration" not in plan:
            raise PlanError("not a Terraform plan JSON: no 'configuration' (use `terraform show -json PLAN`)")
        self.plan = plan
        self.instances: dict[str, dict[str, Any]] = {}
        for rc in plan.get("resource_changes", []):
            actions = rc.get("change", {}).get("actions", [])
            if actions == ["delete"]:
                continue
            self.instances[rc["address"]] = rc
        # Resources in state that the plan does not change appear only in
        # prior_state/planned_values; resource_changes covers them as no-op.
        self.config_modules: dict[str, dict[str, Any]] = {}
        self._index_config("", plan["configuration"].get("root_module", {}))

    def _index_config(self, path: str, module: dict[str, Any]) -> None:
        self.config_modules[path] = module
        for name, call in module.get("module_calls", {}).items():
            child = f"{path}.module.{name}" if path else f"module.{name}"
            self._index_config(child, call.get("module", {}))

    # --- instance access -------------------------------------------------
    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        return [rc for rc in self.instances.values() if rc["type"] == rtype and rc["mode"] == "managed"]

    def data_of_type(self, rtype: str) -> list[dict[str, Any]]:
        return [rc for rc in self.instances.values() if rc["type"] == rtype and rc["mode"] == "data"]

    @staticmethod
    def after(rc: dict[str, Any]) -> dict[str, Any]:
        return rc.get("change", {}).get("after") or {}

    @staticmethod
    def unknown(rc: dict[str, Any]) -> dict[str, Any]:
        return rc.get("change", {}).get("after_unknown") or {}

    def resource_config(self, rc: dict[str, Any]) -> dict[str, Any]:
        module_path = _config_path(rc.get("module_address", ""))
        local = _local_address(rc)
        for r in self.config_modules.get(module_path, {}).get("resources", []):
            if r["address"] == local:
                return r
        return {}

    def key(self, rc: dict[str, Any]) -> str:
        """The object's key in the model: its id when known, else its address."""
        after = self.after(rc)
        rid = after.get("id")
        return rid if isinstance(rid, str) and rid else rc["address"]

    # --- reference resolution --------------------------------------------
    def resolve_attr(self, rc: dict[str, Any], *path: str | int) -> list[dict[str, Any]]:
        """Resource instances the expression at ``path`` of the resource's configuration refers to."""
        cfg = self.resource_config(rc)
        expr = _dig(cfg.get("expressions", {}), *path)
        if not isinstance(expr, dict):
            return []
        return self._resolve_refs(rc.get("module_address", ""), expr.get("references", []), rc.get("index"), cfg)

    def _resolve_refs(
        self, module_addr: str, refs: list[str], index: Any, cfg: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """``cfg`` is the referencing resource's configuration, needed for ``each.*`` only."""
        uses_count = "count.index" in refs
        found: list[dict[str, Any]] = []
        seen_bases: set[str] = set()
        for ref in refs:
            parts = ref.split(".")
            if parts[0] in ("count", "local", "path", "terraform", "self"):
                continue
            if parts[0] == "each":
                found += self._resolve_each(module_addr, cfg, index)
                continue
            if parts[0] == "var":
                found += self._resolve_var(module_addr, parts[1])
                continue
            if parts[0] == "module":
                found += self._resolve_output(module_addr, parts[1], parts[2] if len(parts) > 2 else None)
                continue
            # A resource: "aws_x.y", "aws_x.y[0]", "aws_x.y.attr", "data.aws_x.y".
            base = ".".join(parts[:3] if parts[0] == "data" else parts[:2])
            plain = _INDEX.sub("", base)
            if plain in seen_bases:
                continue
            seen_bases.add(plain)
            explicit = re.search(r"\[(\d+|\"[^\"]*\")\]$", base)
            candidates = self._instances_of(module_addr, plain)
            if explicit:
                want = json.loads(explicit.group(1))
                candidates = [c for c in candidates if c.get("index") == want]
            elif uses_count and index is not None:
                same = [c for c in candidates if c.get("index") == index]
                candidates = same or candidates
            found += candidates
        # A selector-less each.value reference was resolved to its collection;
        # keep order but drop duplicates.
        unique: dict[str, dict[str, Any]] = {}
        for c in found:
            unique.setdefault(c["address"], c)
        return list(unique.values())

    def _instances_of(self, module_addr: str, local_address: str) -> list[dict[str, Any]]:
        out = []
        for rc in self.instances.values():
            if rc.get("module_address", "") == module_addr and _local_address(rc) == local_address:
                out.append(rc)
        return sorted(out, key=lambda c: (str(type(c.get("index"))), c.get("index") or 0))

    def _resolve_each(self, module_addr: str, cfg: dict[str, Any] | None, index: Any) -> list[dict[str, Any]]:
        # The referencing resource's for_each collection; pick the element
        # whose key matches this instance's key.
        if not cfg:
            return []
        collection = self._resolve_refs(module_addr, cfg.get("for_each_expression", {}).get("references", []), None)
        return _select_by_key(collection, index)

    def _resolve_var(self, module_addr: str, var: str) -> list[dict[str, Any]]:
        if not module_addr:
            return []  # root variables are constants
        parent_addr, call = _parent_and_call(module_addr)
        parent_cfg = self.config_modules.get(_config_path(parent_addr), {})
        expr = parent_cfg.get("module_calls", {}).get(call, {}).get("expressions", {}).get(var)
        return self._resolve_refs(parent_addr, expr.get("references", []), None) if expr else []

    def _resolve_output(self, module_addr: str, call: str, output: str | None) -> list[dict[str, Any]]:
        if output is None:
            return []
        child_addr = f"{module_addr}.module.{call}" if module_addr else f"module.{call}"
        cfg = self.config_modules.get(_config_path(child_addr), {})
        expr = cfg.get("outputs", {}).get(output, {}).get("expression")
        return self._resolve_refs(child_addr, expr.get("references", []), None) if expr else []


def _local_address(rc: dict[str, Any]) -> str:
    """``aws_x.y`` or ``data.aws_x.y``: the resource's address inside its module, without index."""
    return f"{rc['type']}.{rc['name']}" if rc["mode"] == "managed" else f"data.{rc['type']}.{rc['name']}"


def _config_path(module_address: str) -> str:
    return _INDEX.sub("", module_address)


def _parent_and_call(module_addr: str) -> tuple[str, str]:
    parts = module_addr.split(".")
    # ... module.<call>[idx]
    call = _INDEX.sub("", parts[-1])
    parent = ".".join(parts[:-2])
    return parent, call


def _select_by_key(collection: list[dict[str, Any]], key: Any) -> list[dict[str, Any]]:
    """The element of a for_each collection that produced instance ``key``.

    Works when the collection is itself a keyed resource (same key), or a list
    of objects keyed by one of their known attributes (such as subnets keyed by
    availability zone). Ambiguity returns nothing, so rules report the fact as
    unverifiable instead of checking the wrong object.
    """
    if key is None:
        return collection
    same = [c for c in collection if c.get("index") == key]
    if len(same) == 1:
        return same
    by_attr = [c for c in collection if key in _known_scalars(PlanIndex.after(c))]
    if len(by_attr) == 1:
        return by_attr
    if len(collection) == 1:
        return collection
    return []


def _known_scalars(after: dict[str, Any]) -> set[Any]:
    return {v for v in after.values() if isinstance(v, str | int) and not isinstance(v, bool)}


def _one(items: list[dict[str, Any]], want_type: str | tuple[str, ...] | None = None) -> dict[str, Any] | None:
    if want_type:
        types = (want_type,) if isinstance(want_type, str) else want_type
        items = [i for i in items if i["type"] in types]
    return items[0] if len(items) == 1 else None


def _usable_ips(cidr: str | None) -> int | None:
    if not cidr:
        return None
    try:
        return ipaddress.ip_network(cidr, strict=False).num_addresses - 5
    except ValueError:
        return None


class _Builder:
    def __init__(self, plan: dict[str, Any], source: str, expect_vpc: bool | None):
        self.ix = PlanIndex(plan)
        self.d = Deployment(source=source)
        self.expect_vpc = expect_vpc

    def ref(
        self, rc: dict[str, Any], attr: str, *path: str | int, want: str | tuple[str, ...] | None = None
    ) -> str | None:
        """Known value of ``attr``, else the key of the one resource it refers to."""
        value = self.ix.after(rc).get(attr) if not path else _dig(self.ix.after(rc), attr, *path)
        if isinstance(value, str) and value:
            return value
        target = _one(self.ix.resolve_attr(rc, attr, *path), want)
        return self.ix.key(target) if target else None

    def refs(
        self, rc: dict[str, Any], attr: str, *path: str | int, want: str | tuple[str, ...] | None = None
    ) -> list[str]:
        value = self.ix.after(rc).get(attr) if not path else _dig(self.ix.after(rc), attr, *path)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return list(value)
        targets = self.ix.resolve_attr(rc, attr, *path)
        if want:
            types = (want,) if isinstance(want, str) else want
            targets = [t for t in targets if t["type"] in types]
        return [self.ix.key(t) for t in targets]

    def build(self) -> Deployment:
        region = self._region()
        self.d.region = region
        self._vpcs()
        self._subnets()
        self._gateways()
        self._route_tables()
        self._endpoints()
        self._security_groups()
        self._roles()
        self._connections()
        self._jobs()
        return self.d

    def _region(self) -> str | None:
        for rc in self.ix.data_of_type("aws_region"):
            name = self.ix.after(rc).get("name")
            if name:
                return name
        return None

    def _vpcs(self) -> None:
        for rc in self.ix.of_type("aws_vpc"):
            a = self.ix.after(rc)
            key = self.ix.key(rc)
            self.d.vpcs[key] = Vpc(key, a.get("cidr_block"), a.get("enable_dns_support"), a.get("enable_dns_hostnames"))

    def _subnets(self) -> None:
        for rc in self.ix.of_type("aws_subnet"):
            a = self.ix.after(rc)
            key = self.ix.key(rc)
            self.d.subnets[key] = Subnet(
                key,
                vpc_id=self.ref(rc, "vpc_id", want="aws_vpc"),
                availability_zone=a.get("availability_zone"),
                cidr_block=a.get("cidr_block"),
                available_ip_count=_usable_ips(a.get("cidr_block")),
            )

    def _gateways(self) -> None:
        for rc in self.ix.of_type("aws_internet_gateway"):
            key = self.ix.key(rc)
            self.d.internet_gateways[key] = InternetGateway(key, self.ref(rc, "vpc_id", want="aws_vpc"))
        for rc in self.ix.of_type("aws_nat_gateway"):
            key = self.ix.key(rc)
            self.d.nat_gateways[key] = NatGateway(key, self.ref(rc, "subnet_id", want="aws_subnet"))

    def _route_tables(self) -> None:
        for rc in self.ix.of_type("aws_route_table"):
            key = self.ix.key(rc)
            table = RouteTable(key, vpc_id=self.ref(rc, "vpc_id", want="aws_vpc"))
            for r in self.ix.after(rc).get("route") or []:
                table.routes.append(
                    Route(
                        destination_cidr_block=r.get("cidr_block") or None,
                        destination_prefix_list_id=r.get("destination_prefix_list_id") or None,
                        gateway_id=r.get("gateway_id") or None,
                        nat_gateway_id=r.get("nat_gateway_id") or None,
                        vpc_endpoint_id=r.get("vpc_endpoint_id") or None,
                    )
                )
            self.d.route_tables[key] = table
        for rc in self.ix.of_type("aws_route"):
            table = self.d.route_tables.get(self.ref(rc, "route_table_id", want="aws_route_table") or "")
            if table is None:
                continue
            a = self.ix.after(rc)
            table.routes.append(
                Route(
                    destination_cidr_block=a.get("destination_cidr_block"),
                    destination_prefix_list_id=a.get("destination_prefix_list_id"),
                    gateway_id=self.ref(rc, "gateway_id", want=("aws_internet_gateway", "aws_vpc_endpoint")),
                    nat_gateway_id=self.ref(rc, "nat_gateway_id", want="aws_nat_gateway"),
                    vpc_endpoint_id=self.ref(rc, "vpc_endpoint_id", want="aws_vpc_endpoint"),
                )
            )
        for rc in self.ix.of_type("aws_route_table_association"):
            table = self.d.route_tables.get(self.ref(rc, "route_table_id", want="aws_route_table") or "")
            subnet = self.ref(rc, "subnet_id", want="aws_subnet")
            if table is not None and subnet:
                table.subnet_ids.append(subnet)
        for rc in self.ix.of_type("aws_main_route_table_association"):
            table = self.d.route_tables.get(self.ref(rc, "route_table_id", want="aws_route_table") or "")
            if table is not None:
                table.is_main = True

    def _endpoints(self) -> None:
        for rc in self.ix.of_type("aws_vpc_endpoint"):
            a = self.ix.after(rc)
            key = self.ix.key(rc)
            self.d.vpc_endpoints[key] = VpcEndpoint(
                key,
                vpc_id=self.ref(rc, "vpc_id", want="aws_vpc"),
                service_name=a.get("service_name"),
                endpoint_type=a.get("vpc_endpoint_type"),
                route_table_ids=self.refs(rc, "route_table_ids", want="aws_route_table"),
            )
        for rc in self.ix.of_type("aws_vpc_endpoint_route_table_association"):
            endpoint = self.d.vpc_endpoints.get(self.ref(rc, "vpc_endpoint_id", want="aws_vpc_endpoint") or "")
            table = self.ref(rc, "route_table_id", want="aws_route_table")
            if endpoint is not None and table:
                endpoint.route_table_ids.append(table)

    def _security_groups(self) -> None:
        for rc in self.ix.of_type("aws_security_group"):
            a = self.ix.after(rc)
            key = self.ix.key(rc)
            group = SecurityGroup(key, vpc_id=self.ref(rc, "vpc_id", want="aws_vpc"), name=a.get("name"))
            for direction in ("ingress", "egress"):
                for r in a.get(direction) or []:
                    group.rules += list(_inline_rules(direction, r, key, rc["address"]))
            self.d.security_groups[key] = group
        for rtype, direction in (
            ("aws_vpc_security_group_ingress_rule", "ingress"),
            ("aws_vpc_security_group_egress_rule", "egress"),
        ):
            for rc in self.ix.of_type(rtype):
                group = self.d.security_groups.get(self.ref(rc, "security_group_id", want="aws_security_group") or "")
                if group is None:
                    continue
                a = self.ix.after(rc)
                protocol = str(a.get("ip_protocol"))
                group.rules.append(
                    SecurityGroupRule(
                        direction=direction,  # type: ignore[arg-type]
                        protocol="-1" if protocol in ("-1", "all") else protocol,
                        from_port=a.get("from_port"),
                        to_port=a.get("to_port"),
                        cidr_ipv4=a.get("cidr_ipv4"),
                        cidr_ipv6=a.get("cidr_ipv6"),
                        prefix_list_id=self.ref(rc, "prefix_list_id", want="aws_vpc_endpoint"),
                        referenced_security_group_id=self.ref(
                            rc, "referenced_security_group_id", want="aws_security_group"
                        ),
                        source=rc["address"],
                    )
                )
        for rc in self.ix.of_type("aws_security_group_rule"):
            group = self.d.security_groups.get(self.ref(rc, "security_group_id", want="aws_security_group") or "")
            if group is None:
                continue
            a = self.ix.after(rc)
            referenced = (
                group.id if a.get("self") else self.ref(rc, "source_security_group_id", want="aws_security_group")
            )
            base = dict(
                direction=a.get("type"),
                protocol="-1" if str(a.get("protocol")) in ("-1", "all") else str(a.get("protocol")),
                from_port=a.get("from_port"),
                to_port=a.get("to_port"),
                source=rc["address"],
            )
            targets: list[dict[str, Any]] = [{"referenced_security_group_id": referenced}] if referenced else []
            targets += [{"cidr_ipv4": c} for c in a.get("cidr_blocks") or []]
            targets += [{"prefix_list_id": p} for p in a.get("prefix_list_ids") or []]
            for t in targets:
                group.rules.append(SecurityGroupRule(**base, **t))  # type: ignore[arg-type]

    def _roles(self) -> None:
        for rc in self.ix.of_type("aws_iam_role"):
            key = rc["address"]
            role = Role(key, arn=self.ix.after(rc).get("arn"))
            for p in self.ix.after(rc).get("inline_policy") or []:
                role.statements += _statements_from_json(p.get("policy"))
            self.d.roles[key] = role
        for rc in self.ix.of_type("aws_iam_role_policy_attachment"):
            role = self._role_for(rc)
            if role is None:
                continue
            arn = self.ix.after(rc).get("policy_arn")
            if isinstance(arn, str):
                role.managed_policy_arns.append(arn)
                continue
            policy = _one(self.ix.resolve_attr(rc, "policy_arn"), "aws_iam_policy")
            if policy is None:
                role.complete = False
                continue
            role.statements += self._policy_statements(policy, "policy")
        for rc in self.ix.of_type("aws_iam_role_policy"):
            role = self._role_for(rc)
            if role is not None:
                statements = self._policy_statements(rc, "policy")
                if statements is None:
                    role.complete = False
                else:
                    role.statements += statements

    def _role_for(self, rc: dict[str, Any]) -> Role | None:
        target = _one(self.ix.resolve_attr(rc, "role"), "aws_iam_role")
        if target is not None:
            return self.d.roles.get(target["address"])
        name = self.ix.after(rc).get("role")
        for role_rc in self.ix.of_type("aws_iam_role"):
            if name and self.ix.after(role_rc).get("name") == name:
                return self.d.roles.get(role_rc["address"])
        return None

    def _policy_statements(self, rc: dict[str, Any], attr: str) -> list[PolicyStatement]:
        doc = self.ix.after(rc).get(attr)
        if isinstance(doc, str):
            return _statements_from_json(doc)
        # Not known yet (it names resources to be created): read the
        # statements of the aws_iam_policy_document it comes from.
        source = _one(self.ix.resolve_attr(rc, attr), "aws_iam_policy_document")
        if source is None:
            return []
        out = []
        for st in self.ix.after(source).get("statement") or []:
            out.append(
                PolicyStatement(
                    effect=st.get("effect") or "Allow",
                    actions=list(st.get("actions") or []),
                    resources=[r for r in st.get("resources") or [] if isinstance(r, str)],
                )
            )
        return out

    def _connections(self) -> None:
        for rc in self.ix.of_type("aws_glue_connection"):
            a = self.ix.after(rc)
            name = a.get("name")
            if not isinstance(name, str):
                self.d.gaps.append(f"{rc['address']}: connection name unknown at plan time")
                name = rc["address"]
            pcr = (a.get("physical_connection_requirements") or [{}])[0]
            self.d.connections[name] = Connection(
                name=name,
                connection_type=a.get("connection_type"),
                subnet_id=self.ref(rc, "physical_connection_requirements", 0, "subnet_id", want="aws_subnet"),
                security_group_ids=self.refs(
                    rc, "physical_connection_requirements", 0, "security_group_id_list", want="aws_security_group"
                ),
                availability_zone=pcr.get("availability_zone"),
                address=rc["address"],
            )

    def _jobs(self) -> None:
        network_aware = bool(self.d.connections or self.d.subnets)
        for rc in self.ix.of_type("aws_glue_job"):
            a = self.ix.after(rc)
            name = a.get("name") if isinstance(a.get("name"), str) else rc["address"]
            connections = a.get("connections")
            known = isinstance(connections, list)
            raw_arguments = a.get("default_arguments")
            arguments_known = isinstance(raw_arguments, dict) or not self.ix.unknown(rc).get("default_arguments")
            arguments = {k: str(v) for k, v in (raw_arguments or {}).items()}
            vpc_args = any(k.lower().startswith("--vpc-") for k in arguments)
            expects = self.expect_vpc if self.expect_vpc is not None else (network_aware or vpc_args)
            role = _one(self.ix.resolve_attr(rc, "role_arn"), "aws_iam_role")
            self.d.jobs[name] = Job(
                name=name,
                connections=list(connections) if known else [],
                connections_known=known,
                arguments=arguments,
                arguments_known=arguments_known,
                worker_type=a.get("worker_type"),
                number_of_workers=a.get("number_of_workers"),
                role=role["address"] if role else None,
                expects_vpc=bool(expects),
                address=rc["address"],
            )


def _dig(value: Any, *path: str | int) -> Any:
    for p in path:
        if isinstance(p, int):
            value = value[p] if isinstance(value, list) and len(value) > p else None
        else:
            value = value.get(p) if isinstance(value, dict) else None
        if value is None:
            return None
    return value


def _inline_rules(direction: str, r: dict[str, Any], group_key: str, address: str) -> Iterable[SecurityGroupRule]:
    protocol = "-1" if str(r.get("protocol")) in ("-1", "all") else str(r.get("protocol"))
    base = dict(
        direction=direction, protocol=protocol, from_port=r.get("from_port"), to_port=r.get("to_port"), source=address
    )
    if r.get("self"):
        yield SecurityGroupRule(**base, referenced_security_group_id=group_key)  # type: ignore[arg-type]
    for g in r.get("security_groups") or []:
        yield SecurityGroupRule(**base, referenced_security_group_id=g)  # type: ignore[arg-type]
    for c in r.get("cidr_blocks") or []:
        yield SecurityGroupRule(**base, cidr_ipv4=c)  # type: ignore[arg-type]
    for p in r.get("prefix_list_ids") or []:
        yield SecurityGroupRule(**base, prefix_list_id=p)  # type: ignore[arg-type]


def _statements_from_json(doc: Any) -> list[PolicyStatement]:
    if not isinstance(doc, str):
        return []
    try:
        parsed = json.loads(doc)
    except ValueError:
        return []
    statements = parsed.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    out = []
    for st in statements:
        actions = st.get("Action", [])
        resources = st.get("Resource", [])
        out.append(
            PolicyStatement(
                effect=st.get("Effect", "Allow"),
                actions=[actions] if isinstance(actions, str) else list(actions),
                resources=[resources] if isinstance(resources, str) else list(resources),
            )
        )
    return out


def deployment_from_plan(plan: dict[str, Any], source: str = "plan", expect_vpc: bool | None = None) -> Deployment:
    """The normalised model of a plan (``terraform show -json``).

    ``expect_vpc`` None infers it: jobs are expected in a VPC when the plan
    holds any subnet or Glue connection, or a job carries ``--vpc-*``
    arguments (the seed's attempt to place it).
    """
    return _Builder(plan, source, expect_vpc).build()

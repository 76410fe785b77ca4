"""Build a ``Deployment`` from a live AWS account (or an emulator such as moto).

The second adapter of the rule catalogue, beside ``plan_adapter``. It reads only
what the rules look at: each job, the connections it lists, their subnets and
security groups, the route tables, endpoints and gateways of those subnets' VPCs,
the VPCs' DNS attributes, the interface endpoints and their security groups, the
jobs' tags and security configurations, and the job role's policies.

Clients come from ``aws_clients``; every fact is normalised by ``normalize``, the
same functions the plan adapter uses.

Errors never escape as tracebacks. A job that does not exist raises
``JobNotFound``; missing or rejected credentials and an unreachable endpoint raise
``AccessError``, and so does a failed read whose absence the rules would take as a
fact (``GetJob``, ``GetConnection``, ``DescribeRouteTables``,
``DescribeVpcEndpoints``: a missing connection or route table *is* a finding), so
no wrong verdict is printed. Every other failed read becomes a line in
``Deployment.gaps`` and leaves the fact unknown, which the rules report as
unverifiable rather than wrong:

* a connection, subnet, security group or role that *does not exist* is left out of
  the model (the job keeps listing it; the rules flag a missing connection);
* a subnet or security group that cannot be read is left out too (rules: unverifiable);
  a VPC DNS attribute that cannot be read is ``None``; a role that cannot be fully
  read has ``complete=False``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from glue_netcheck import normalize
from glue_netcheck.aws_clients import AwsClients
from glue_netcheck.errors import AccessError, JobNotFound
from glue_netcheck.model import (
    GLUE_SUBNET_TAG,
    NETWORK_MODE_TAG,
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

# Error codes meaning the credentials themselves are missing, wrong or expired:
# nothing else can be read either, so these always abort with AccessError.
_CREDENTIAL_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
        "AuthFailure",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "RequestExpired",
        "MissingAuthenticationToken",
    }
)
_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})
_NOT_FOUND_CODES = frozenset(
    {
        "EntityNotFoundException",
        "NoSuchEntity",
        "InvalidSubnetID.NotFound",
        "InvalidGroup.NotFound",
        "InvalidVpcID.NotFound",
    }
)
# Endpoint states that no longer route traffic.
_DEAD_ENDPOINT_STATES = frozenset({"deleted", "deleting", "rejected", "failed", "expired"})
_OTHER_ROUTE_TARGETS = (
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "EgressOnlyInternetGatewayId",
    "LocalGatewayId",
    "CarrierGatewayId",
    "CoreNetworkArn",
)


def deployment_from_aws(
    job_names: list[str],
    session_or_clients: Any,
    region: str,
    *,
    require_vpc: Iterable[str] = (),
    endpoint_url: str | None = None,
) -> Deployment:
    """Read the named Glue jobs and everything their network placement depends on.

    ``session_or_clients`` is a ``boto3.Session``, an ``AwsClients``, or a mapping
    with ``"glue"``, ``"ec2"``, ``"iam"`` (and optionally ``"sts"``) clients.
    ``endpoint_url`` is used only when a session is given. ``require_vpc`` names
    jobs the user says must run in a VPC.
    """
    reader = _LiveReader(_clients(session_or_clients, region, endpoint_url), region)
    reader.d.required_vpc_jobs = set(require_vpc)
    return reader.read(job_names)


# The checks that need no Glue resource: a VPC prepared for Glue is judged by them alone.
NETWORK_RULES = ("GNET003", "GNET006", "GNET007", "GNET008", "GNET009", "GNET010", "GNET011", "GNET013", "GNET014")


def deployment_from_vpc(
    vpc_id: str,
    session_or_clients: Any,
    region: str,
    *,
    security_group_ids: Iterable[str],
    subnet_ids: Iterable[str] = (),
    workers: int = 2,
    endpoint_url: str | None = None,
) -> Deployment:
    """A VPC prepared for Glue, before any job exists, as the catalogue's network rules see it.

    One NETWORK connection per Glue subnet (``subnet_ids``, else the VPC's subnets tagged
    ``glue-netcheck:glue-subnet = true``) with ``security_group_ids``, and one job with ``workers``
    workers that lists them all and calls every service the VPC has an interface endpoint for (an
    endpoint is there to be used: it must be reachable). Judge it with ``NETWORK_RULES``: the job's
    role and settings are not the VPC's.
    """
    reader = _LiveReader(_clients(session_or_clients, region, endpoint_url), region)
    reader._add_vpc(vpc_id)
    subnets = list(subnet_ids) or _glue_subnets(reader, vpc_id)
    groups = list(security_group_ids)
    job = Job(name=f"glue-in-{vpc_id}", number_of_workers=workers, address=vpc_id, tags={NETWORK_MODE_TAG: "vpc"})
    for subnet_id in subnets:
        reader._add_subnet(subnet_id)
        subnet = reader.d.subnets.get(subnet_id)
        name = f"candidate-{subnet_id}"
        reader.d.connections[name] = Connection(
            name=name,
            connection_type="NETWORK",
            physical=True,
            subnet_id=subnet_id,
            security_group_ids=groups,
            availability_zone=subnet.availability_zone if subnet else None,
            address=subnet_id,
        )
        job.connections.append(name)
    for group_id in groups:
        reader._add_security_group(group_id)
    for endpoint in reader.d.vpc_endpoints.values():
        if endpoint.is_interface and endpoint.service:
            job.calls[endpoint.service] = f"the VPC has an interface endpoint for it ({endpoint.id})"
    reader.d.jobs[job.name] = job
    reader.d.source = f"vpc:{region}:{vpc_id}"
    reader.d.gaps.append(
        f"{vpc_id} judged as prepared for Glue: connections on {', '.join(subnets) or 'no subnet'} with "
        f"{', '.join(groups)}, a job of {workers} workers calling every interface endpoint's service"
    )
    return reader.d


def _glue_subnets(reader: _LiveReader, vpc_id: str) -> list[str]:
    subnets = reader._pages(
        f"ec2 DescribeSubnets {vpc_id}",
        reader.c.ec2,
        "describe_subnets",
        "Subnets",
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": f"tag:{GLUE_SUBNET_TAG}", "Values": ["true"]}],
    )
    if isinstance(subnets, ClientError):
        raise reader._required(f"the subnets of {vpc_id}", subnets)
    return sorted(s["SubnetId"] for s in subnets)


def _clients(session_or_clients: Any, region: str, endpoint_url: str | None) -> AwsClients:
    if isinstance(session_or_clients, AwsClients):
        return session_or_clients
    if isinstance(session_or_clients, Mapping):
        return AwsClients(
            glue=session_or_clients.get("glue"),
            ec2=session_or_clients["ec2"],
            iam=session_or_clients.get("iam"),
            sts=session_or_clients.get("sts"),
        )
    return AwsClients.from_session(session_or_clients, region, endpoint_url)


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _error_text(exc: ClientError) -> str:
    err = exc.response.get("Error", {})
    return f"{err.get('Code', 'error')}: {err.get('Message', '')}".rstrip(": ")


def _role_name(role: str) -> str:
    """``arn:aws:iam::123:role/path/name`` -> ``name``; a bare name stays as is."""
    if role.startswith("arn:"):
        return role.split(":", 5)[-1].rsplit("/", 1)[-1]
    return role


class _LiveReader:
    def __init__(self, clients: AwsClients, region: str) -> None:
        self.c = clients
        self.region = region
        self.d = Deployment(source=f"live:{region}", kind="live", region=region)
        self._seen: set[tuple[str, str]] = set()
        self._account: str | None = None

    def _first(self, kind: str, key: str) -> bool:
        """True the first time (kind, key) is seen: each object is read once."""
        if (kind, key) in self._seen:
            return False
        self._seen.add((kind, key))
        return True

    # -- calling AWS ---------------------------------------------------------------

    def _call(self, what: str, fn: Callable[..., dict[str, Any]], **kwargs: Any) -> dict[str, Any] | ClientError:
        """Call ``fn``; a ClientError that is not about credentials is returned, not raised."""
        try:
            return fn(**kwargs)
        except ClientError as exc:
            if _error_code(exc) in _CREDENTIAL_CODES:
                raise AccessError(f"AWS rejected the credentials ({_error_text(exc)})") from None
            return exc
        except NoCredentialsError:
            raise AccessError(
                "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "or pass --profile)"
            ) from None
        except BotoCoreError as exc:
            raise AccessError(f"{what}: {exc}") from None

    def _pages(self, what: str, client: Any, op: str, key: str, **kwargs: Any) -> list[Any] | ClientError:
        def collect() -> dict[str, Any]:
            items: list[Any] = []
            for page in client.get_paginator(op).paginate(**kwargs):
                items.extend(page.get(key, []))
            return {key: items}

        result = self._call(what, collect)
        return result if isinstance(result, ClientError) else result[key]

    def _gap(self, what: str, exc: ClientError) -> None:
        self.d.gaps.append(f"{what}: {_error_text(exc)}")

    @staticmethod
    def _required(what: str, exc: ClientError) -> AccessError:
        return AccessError(f"cannot read {what} ({_error_text(exc)}); without it no verdict is possible")

    # -- jobs ----------------------------------------------------------------------

    def read(self, job_names: Iterable[str]) -> Deployment:
        missing: list[str] = []
        for name in job_names:
            resp = self._call(f"glue GetJob {name}", self.c.glue.get_job, JobName=name)
            if isinstance(resp, ClientError):
                code = _error_code(resp)
                if code == "EntityNotFoundException":
                    missing.append(name)
                    continue
                if code in _DENIED_CODES:
                    raise AccessError(f"access denied reading Glue job {name} ({_error_text(resp)})")
                raise AccessError(f"cannot read Glue job {name} ({_error_text(resp)})")
            self._add_job(resp["Job"])
        if missing:
            raise JobNotFound(missing, self.region)
        return self.d

    def _add_job(self, raw: dict[str, Any]) -> None:
        name = str(raw["Name"])
        arguments = {**raw.get("DefaultArguments", {}), **raw.get("NonOverridableArguments", {})}
        role_ref = raw.get("Role")
        role_key = _role_name(role_ref) if role_ref else None
        job = Job(
            name=name,
            connections=list((raw.get("Connections") or {}).get("Connections", [])),
            arguments={str(k): str(v) for k, v in arguments.items()},
            security_configuration=raw.get("SecurityConfiguration") or None,
            worker_type=raw.get("WorkerType"),
            number_of_workers=raw.get("NumberOfWorkers"),
            role=role_key,
            address=name,
        )
        self.d.jobs[name] = job
        self._read_tags(job)
        for conn_name in job.connections:
            self._add_connection(conn_name)
        if job.security_configuration:
            self._add_security_configuration(job.security_configuration)
        if role_key and role_key not in self.d.roles:
            self._add_role(role_key, job.name)

    def _account_id(self) -> str | None:
        if self._account is None and self.c.sts is not None:
            resp = self._call("sts GetCallerIdentity", self.c.sts.get_caller_identity)
            if isinstance(resp, ClientError):
                self._gap("the account id could not be read", resp)
                self._account = ""
            else:
                self._account = str(resp.get("Account", ""))
        return self._account or None

    def _read_tags(self, job: Job) -> None:
        account = self._account_id()
        if account is None:
            job.tags_known = False
            self.d.gaps.append(f"job {job.name}: tags not read (no account id), so a declared network mode is unknown")
            return
        arn = f"arn:{_partition(self.region)}:glue:{self.region}:{account}:job/{job.name}"
        resp = self._call(f"glue GetTags {job.name}", self.c.glue.get_tags, ResourceArn=arn)
        if isinstance(resp, ClientError):
            job.tags_known = False
            self._gap(f"job {job.name}: tags could not be read", resp)
            return
        job.tags = {str(k): str(v) for k, v in (resp.get("Tags") or {}).items()}

    def _add_security_configuration(self, name: str) -> None:
        if not self._first("security-configuration", name):
            return
        resp = self._call(f"glue GetSecurityConfiguration {name}", self.c.glue.get_security_configuration, Name=name)
        if isinstance(resp, ClientError):
            self._gap(f"security configuration {name} could not be read", resp)
            return
        enc = (resp.get("SecurityConfiguration") or {}).get("EncryptionConfiguration") or {}
        s3 = enc.get("S3Encryption") or [{}]
        self.d.security_configurations[name] = SecurityConfiguration(
            name,
            s3_mode=(s3[0] if s3 else {}).get("S3EncryptionMode") or "DISABLED",
            cloudwatch_mode=(enc.get("CloudWatchEncryption") or {}).get("CloudWatchEncryptionMode") or "DISABLED",
            bookmarks_mode=(enc.get("JobBookmarksEncryption") or {}).get("JobBookmarksEncryptionMode") or "DISABLED",
        )

    # -- connections and what they point at ----------------------------------------

    def _add_connection(self, name: str) -> None:
        if not self._first("connection", name):
            return
        resp = self._call(f"glue GetConnection {name}", self.c.glue.get_connection, Name=name, HidePassword=True)
        if isinstance(resp, ClientError):
            if _error_code(resp) not in _NOT_FOUND_CODES:
                raise self._required(f"Glue connection {name}", resp)
            return
        raw = resp["Connection"]
        conn_type = raw.get("ConnectionType")
        if not conn_type:
            self.d.gaps.append(
                f"connection {name}: GetConnection returned no ConnectionType (moto omits it); "
                "its type cannot be verified"
            )
        phys = raw.get("PhysicalConnectionRequirements") or {}
        properties = raw.get("ConnectionProperties") or {}
        secret = properties.get("SECRET_ID") or (raw.get("AuthenticationConfiguration") or {}).get("SecretArn")
        conn = Connection(
            name=name,
            connection_type=conn_type or None,
            physical=bool(phys.get("SubnetId") or phys.get("SecurityGroupIdList") or phys.get("AvailabilityZone")),
            subnet_id=phys.get("SubnetId") or None,
            security_group_ids=list(phys.get("SecurityGroupIdList", [])),
            availability_zone=phys.get("AvailabilityZone") or None,
            property_names=set(properties),
            secret=secret or None,
            address=name,
        )
        self.d.connections[name] = conn
        if conn.subnet_id:
            self._add_subnet(conn.subnet_id)
        for sg_id in conn.security_group_ids:
            self._add_security_group(sg_id)

    def _add_subnet(self, subnet_id: str) -> None:
        if not self._first("subnet", subnet_id):
            return
        if not subnet_id.startswith("subnet-"):
            # Not an id (provider issue #28941): AWS would answer "malformed"; rules flag it.
            return
        resp = self._call(f"ec2 DescribeSubnets {subnet_id}", self.c.ec2.describe_subnets, SubnetIds=[subnet_id])
        if isinstance(resp, ClientError):
            if _error_code(resp) not in _NOT_FOUND_CODES:
                self._gap(f"subnet {subnet_id} could not be read", resp)
            return
        for raw in resp.get("Subnets", []):
            subnet = Subnet(
                id=raw["SubnetId"],
                vpc_id=raw.get("VpcId"),
                availability_zone=raw.get("AvailabilityZone"),
                cidr_block=raw.get("CidrBlock"),
                available_ip_count=raw.get("AvailableIpAddressCount"),
                tags={t["Key"]: t.get("Value", "") for t in raw.get("Tags", [])},
            )
            self.d.subnets[subnet.id] = subnet
            if subnet.vpc_id:
                self._add_vpc(subnet.vpc_id)

    def _add_security_group(self, sg_id: str) -> None:
        if not self._first("security-group", sg_id):
            return
        if not sg_id.startswith("sg-"):
            return
        resp = self._call(f"ec2 DescribeSecurityGroups {sg_id}", self.c.ec2.describe_security_groups, GroupIds=[sg_id])
        if isinstance(resp, ClientError):
            if _error_code(resp) not in _NOT_FOUND_CODES:
                self._gap(f"security group {sg_id} could not be read", resp)
            return
        for raw in resp.get("SecurityGroups", []):
            rules = self._security_group_rules(raw)
            self.d.security_groups[raw["GroupId"]] = SecurityGroup(
                id=raw["GroupId"], vpc_id=raw.get("VpcId"), name=raw.get("GroupName"), rules=rules
            )

    def _security_group_rules(self, raw_group: dict[str, Any]) -> list[SecurityGroupRule]:
        sg_id = raw_group["GroupId"]
        resp = self._pages(
            f"ec2 DescribeSecurityGroupRules {sg_id}",
            self.c.ec2,
            "describe_security_group_rules",
            "SecurityGroupRules",
            Filters=[{"Name": "group-id", "Values": [sg_id]}],
        )
        if isinstance(resp, ClientError):
            # Older endpoints and some emulators lack the call; IpPermissions hold the same rules.
            return _rules_from_ip_permissions(raw_group)
        return [
            normalize.security_group_rule(
                "egress" if r.get("IsEgress") else "ingress",
                r.get("IpProtocol", "-1"),
                r.get("FromPort"),
                r.get("ToPort"),
                cidr_ipv4=r.get("CidrIpv4"),
                cidr_ipv6=r.get("CidrIpv6"),
                prefix_list_id=r.get("PrefixListId"),
                referenced_security_group_id=(r.get("ReferencedGroupInfo") or {}).get("GroupId"),
                source=str(r.get("SecurityGroupRuleId", sg_id)),
            )
            for r in resp
        ]

    # -- the VPC around a subnet ---------------------------------------------------

    def _add_vpc(self, vpc_id: str) -> None:
        if not self._first("vpc", vpc_id):
            return
        vpc = Vpc(id=vpc_id)
        self.d.vpcs[vpc_id] = vpc
        resp = self._call(f"ec2 DescribeVpcs {vpc_id}", self.c.ec2.describe_vpcs, VpcIds=[vpc_id])
        if isinstance(resp, ClientError):
            self._gap(f"VPC {vpc_id} could not be read", resp)
        else:
            for raw in resp.get("Vpcs", []):
                vpc.cidr_block = raw.get("CidrBlock")
        vpc.enable_dns_support = self._vpc_attribute(vpc_id, "enableDnsSupport", "EnableDnsSupport")
        vpc.enable_dns_hostnames = self._vpc_attribute(vpc_id, "enableDnsHostnames", "EnableDnsHostnames")
        for attr in ("enable_dns_support", "enable_dns_hostnames"):
            if getattr(vpc, attr) is None:
                vpc.unknown.add(attr)
        self._add_route_tables(vpc_id)
        self._add_endpoints(vpc_id)
        self._add_gateways(vpc_id)

    def _vpc_attribute(self, vpc_id: str, attribute: str, key: str) -> bool | None:
        resp = self._call(
            f"ec2 DescribeVpcAttribute {attribute}",
            self.c.ec2.describe_vpc_attribute,
            VpcId=vpc_id,
            Attribute=attribute,
        )
        if isinstance(resp, ClientError):
            self._gap(f"VPC {vpc_id} attribute {attribute} could not be read", resp)
            return None
        value = (resp.get(key) or {}).get("Value")
        return bool(value) if value is not None else None

    def _add_route_tables(self, vpc_id: str) -> None:
        tables = self._pages(
            f"ec2 DescribeRouteTables {vpc_id}",
            self.c.ec2,
            "describe_route_tables",
            "RouteTables",
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}],
        )
        if isinstance(tables, ClientError):
            raise self._required(f"the route tables of {vpc_id}", tables)
        for raw in tables:
            rtb_id = raw["RouteTableId"]
            associations = raw.get("Associations", [])
            table = RouteTable(
                id=rtb_id,
                vpc_id=raw.get("VpcId", vpc_id),
                subnet_ids=[a["SubnetId"] for a in associations if a.get("SubnetId")],
                is_main=any(a.get("Main") for a in associations),
            )
            for r in raw.get("Routes", []):
                route = self._route(rtb_id, r)
                if route is not None:
                    table.routes.append(route)
            self.d.route_tables[rtb_id] = table

    def _route(self, rtb_id: str, r: dict[str, Any]) -> Route | None:
        destination = r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId")
        if destination is None:
            return None  # IPv6-only route: Glue places ENIs on IPv4
        if r.get("State") == "blackhole":
            self.d.gaps.append(f"route {destination} in {rtb_id} is a blackhole and was ignored")
            return None
        gateway = r.get("GatewayId")
        other = next((f"{k} {r[k]}" for k in _OTHER_ROUTE_TARGETS if r.get(k)), None)
        return Route(
            destination_cidr_block=r.get("DestinationCidrBlock"),
            destination_prefix_list_id=r.get("DestinationPrefixListId"),
            gateway_id=None if gateway and gateway.startswith("vpce-") else gateway,
            nat_gateway_id=r.get("NatGatewayId"),
            vpc_endpoint_id=gateway if gateway and gateway.startswith("vpce-") else None,
            other_target=other,
        )

    def _add_endpoints(self, vpc_id: str) -> None:
        endpoints = self._pages(
            f"ec2 DescribeVpcEndpoints {vpc_id}",
            self.c.ec2,
            "describe_vpc_endpoints",
            "VpcEndpoints",
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}],
        )
        if isinstance(endpoints, ClientError):
            raise self._required(f"the VPC endpoints of {vpc_id}", endpoints)
        for raw in endpoints:
            if str(raw.get("State", "")).lower() in _DEAD_ENDPOINT_STATES:
                continue
            ep = VpcEndpoint(
                id=raw["VpcEndpointId"],
                vpc_id=raw.get("VpcId", vpc_id),
                service_name=raw.get("ServiceName"),
                endpoint_type=raw.get("VpcEndpointType"),
                route_table_ids=list(raw.get("RouteTableIds", [])),
                private_dns_enabled=raw.get("PrivateDnsEnabled"),
                security_group_ids=[g["GroupId"] for g in raw.get("Groups", []) if g.get("GroupId")],
                subnet_ids=list(raw.get("SubnetIds", [])),
            )
            if ep.is_interface and ep.private_dns_enabled is None:
                ep.unknown.add("private_dns_enabled")
            if ep.is_gateway and ep.service_name:
                ep.prefix_list_id = self._prefix_list(ep.service_name)
            self.d.vpc_endpoints[ep.id] = ep
            for sg_id in ep.security_group_ids:
                self._add_security_group(sg_id)
            for subnet_id in ep.subnet_ids:
                self._add_endpoint_subnet(subnet_id)

    def _add_endpoint_subnet(self, subnet_id: str) -> None:
        """An interface endpoint's subnet: its CIDR decides which egress rules reach the endpoint."""
        if subnet_id in self.d.subnets or not self._first("subnet", subnet_id):
            return
        resp = self._call(f"ec2 DescribeSubnets {subnet_id}", self.c.ec2.describe_subnets, SubnetIds=[subnet_id])
        if isinstance(resp, ClientError):
            self._gap(f"endpoint subnet {subnet_id} could not be read", resp)
            return
        for raw in resp.get("Subnets", []):
            self.d.subnets[raw["SubnetId"]] = Subnet(
                id=raw["SubnetId"],
                vpc_id=raw.get("VpcId"),
                availability_zone=raw.get("AvailabilityZone"),
                cidr_block=raw.get("CidrBlock"),
                available_ip_count=raw.get("AvailableIpAddressCount"),
                tags={t["Key"]: t.get("Value", "") for t in raw.get("Tags", [])},
            )

    def _prefix_list(self, service_name: str) -> str | None:
        resp = self._call(
            f"ec2 DescribePrefixLists {service_name}",
            self.c.ec2.describe_prefix_lists,
            Filters=[{"Name": "prefix-list-name", "Values": [service_name]}],
        )
        if isinstance(resp, ClientError):
            self._gap(f"the prefix list of {service_name} could not be read", resp)
            return None
        lists = resp.get("PrefixLists", [])
        return lists[0].get("PrefixListId") if lists else None

    def _add_gateways(self, vpc_id: str) -> None:
        igws = self._pages(
            f"ec2 DescribeInternetGateways {vpc_id}",
            self.c.ec2,
            "describe_internet_gateways",
            "InternetGateways",
            Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}],
        )
        if isinstance(igws, ClientError):
            self._gap(f"internet gateways of {vpc_id} could not be read", igws)
        else:
            for raw in igws:
                igw_id = raw["InternetGatewayId"]
                self.d.internet_gateways[igw_id] = InternetGateway(id=igw_id, vpc_id=vpc_id)
        nats = self._pages(
            f"ec2 DescribeNatGateways {vpc_id}",
            self.c.ec2,
            "describe_nat_gateways",
            "NatGateways",
            Filters=[
                {"Name": "vpc-id", "Values": [vpc_id]},
                {"Name": "state", "Values": ["pending", "available"]},
            ],
        )
        if isinstance(nats, ClientError):
            self._gap(f"NAT gateways of {vpc_id} could not be read", nats)
        else:
            for raw in nats:
                nat_id = raw["NatGatewayId"]
                self.d.nat_gateways[nat_id] = NatGateway(id=nat_id, subnet_id=raw.get("SubnetId"))

    # -- the job role ----------------------------------------------------------------

    def _add_role(self, name: str, job_name: str) -> None:
        resp = self._call(f"iam GetRole {name}", self.c.iam.get_role, RoleName=name)
        if isinstance(resp, ClientError):
            if _error_code(resp) in _NOT_FOUND_CODES:
                self.d.gaps.append(f"role {name} of job {job_name} does not exist")
                return
            self._gap(f"role {name} could not be read", resp)
            self.d.roles[name] = Role(id=name, unreadable=[f"GetRole: {_error_text(resp)}"])
            return
        role = Role(id=name, arn=resp["Role"].get("Arn"))
        self.d.roles[name] = role

        attached = self._pages(
            f"iam ListAttachedRolePolicies {name}",
            self.c.iam,
            "list_attached_role_policies",
            "AttachedPolicies",
            RoleName=name,
        )
        if isinstance(attached, ClientError):
            self._role_gap(role, "attached policies could not be listed", attached)
        else:
            for pol in attached:
                role.managed_policy_arns.append(pol["PolicyArn"])
                self._read_managed_policy(role, pol["PolicyArn"])

        inline = self._pages(
            f"iam ListRolePolicies {name}", self.c.iam, "list_role_policies", "PolicyNames", RoleName=name
        )
        if isinstance(inline, ClientError):
            self._role_gap(role, "inline policies could not be listed", inline)
            return
        for policy_name in inline:
            got = self._call(
                f"iam GetRolePolicy {policy_name}",
                self.c.iam.get_role_policy,
                RoleName=name,
                PolicyName=policy_name,
            )
            if isinstance(got, ClientError):
                self._role_gap(role, f"inline policy {policy_name} could not be read", got)
                continue
            self._add_statements(role, f"inline policy {policy_name}", got.get("PolicyDocument"))

    def _read_managed_policy(self, role: Role, arn: str) -> None:
        pol = self._call(f"iam GetPolicy {arn}", self.c.iam.get_policy, PolicyArn=arn)
        if isinstance(pol, ClientError):
            self._role_gap(role, f"policy {arn} could not be read", pol)
            return
        version_id = pol["Policy"].get("DefaultVersionId")
        ver = self._call(
            f"iam GetPolicyVersion {arn}", self.c.iam.get_policy_version, PolicyArn=arn, VersionId=version_id
        )
        if isinstance(ver, ClientError):
            self._role_gap(role, f"policy {arn} version {version_id} could not be read", ver)
            return
        self._add_statements(role, f"policy {arn}", ver["PolicyVersion"].get("Document"))

    def _add_statements(self, role: Role, what: str, document: Any) -> None:
        statements, problems = normalize.policy_statements(document)
        role.statements.extend(statements)
        for problem in problems:
            role.unreadable.append(f"{what}: {problem}")
            self.d.gaps.append(f"role {role.id}: {what}: {problem}")

    def _role_gap(self, role: Role, what: str, exc: ClientError) -> None:
        role.unreadable.append(f"{what} ({_error_text(exc)})")
        self._gap(f"role {role.id}: {what}", exc)


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _rules_from_ip_permissions(raw_group: dict[str, Any]) -> list[SecurityGroupRule]:
    """One ``SecurityGroupRule`` per source/destination of each IpPermissions entry."""
    sg_id = raw_group["GroupId"]
    rules: list[SecurityGroupRule] = []
    for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
        for perm in raw_group.get(key, []):
            args = (direction, perm.get("IpProtocol", "-1"), perm.get("FromPort"), perm.get("ToPort"))
            source = f"{sg_id} {key}"
            for rng in perm.get("IpRanges", []):
                rules.append(normalize.security_group_rule(*args, cidr_ipv4=rng.get("CidrIp"), source=source))  # type: ignore[arg-type]
            for rng in perm.get("Ipv6Ranges", []):
                rules.append(normalize.security_group_rule(*args, cidr_ipv6=rng.get("CidrIpv6"), source=source))  # type: ignore[arg-type]
            for pl in perm.get("PrefixListIds", []):
                rules.append(normalize.security_group_rule(*args, prefix_list_id=pl.get("PrefixListId"), source=source))  # type: ignore[arg-type]
            for pair in perm.get("UserIdGroupPairs", []):
                rules.append(
                    normalize.security_group_rule(
                        *args, referenced_security_group_id=pair.get("GroupId"), source=source
                    )  # type: ignore[arg-type]
                )
    return rules

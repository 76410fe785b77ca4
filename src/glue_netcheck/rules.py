"""The Glue network rules. Each cites the documents it rests on and the requirements of docs/network-fix.md it enforces.

A rule judges each resource it is about and reports through its ``RuleReporter``:
``passed``, ``fail``, ``unverifiable`` when a fact it needs is unknown (a value
known only after apply, an object outside the plan), or ``info``. Only jobs with
evidence of VPC intent are judged by the network rules (see ``network.vpc_evidence``).
"""

from __future__ import annotations

import re

from glue_netcheck.catalogue import Catalogue, RuleReporter, Severity, Subject, cite
from glue_netcheck.model import NETWORK_MODE_TAG, Connection, Deployment, Job, SecurityGroup
from glue_netcheck.network import (
    GATEWAY_SERVICES,
    INTERNET,
    Attachment,
    Placement,
    connection_groups,
    connection_subnet,
    has_vpc_arguments,
    intent_unknown,
    internet_gateway_route,
    judged_connections,
    judged_jobs,
    members_of,
    placement,
    s3_destination,
    s3_route,
    service_reachable,
    tcp_open,
    vpc_evidence,
)
from glue_netcheck.normalize import arn_services, grants, package_index_needs, pending_argument_services

GLUE_DG = "https://docs.aws.amazon.com/glue/latest/dg"
GLUE_VPC = cite(
    ("AWS Glue developer guide: Setting up network access to data stores", f"{GLUE_DG}/start-connecting.html"),
    requirements=("R-PLACEMENT",),
)
GLUE_JDBC_VPC = cite(
    ("AWS Glue developer guide: Connecting to a JDBC data store in a VPC", f"{GLUE_DG}/connection-JDBC-VPC.html"),
    requirements=("R-PHYSICAL",),
)
GLUE_TROUBLE = cite(
    (
        "AWS Glue developer guide: Troubleshooting Glue common setup errors",
        f"{GLUE_DG}/glue-troubleshooting-errors.html",
    )
)
GLUE_FAILOVER = cite(
    (
        "AWS Glue developer guide: Failover behavior between VPCs in AWS Glue",
        f"{GLUE_DG}/glue-troubleshooting-errors.html",
    ),
    requirements=("R-FAILOVER",),
)
GLUE_IAM = cite(
    ("AWS Glue developer guide: Step 2, Create an IAM role for AWS Glue", f"{GLUE_DG}/create-an-iam-role.html"),
    (
        "AWS managed policy reference: AWSGlueServiceRole",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSGlueServiceRole.html",
    ),
    requirements=("R-ENI-PERMISSIONS",),
)
GLUE_KMS_ROUTE = cite(
    (
        "AWS Glue developer guide: Encrypting data written by AWS Glue (Creating a route to AWS KMS for VPC jobs)",
        f"{GLUE_DG}/encryption-security-configuration.html",
    ),
    (
        "AWS Glue developer guide: Configuring AWS calls to go through your VPC",
        f"{GLUE_DG}/connection-VPC-disable-proxy.html",
    ),
    (
        "AWS CodeArtifact user guide: Working with Amazon VPC endpoints",
        "https://docs.aws.amazon.com/codeartifact/latest/ug/vpc-endpoints.html",
    ),
    requirements=("R-KMS", "R-JOB-APIS", "R-PROXY", "R-PYPI", "R-REACHABLE"),
)
VPC_DNS = cite(
    (
        "Amazon VPC user guide: DNS attributes for your VPC",
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html",
    ),
    (
        "AWS Glue developer guide: Setting up a VPC to connect to JDBC data stores",
        f"{GLUE_DG}/setup-vpc-for-glue-access.html",
    ),
    (
        "Terraform aws_vpc (enable_dns_hostnames defaults to false)",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc",
    ),
    requirements=("R-DNS",),
)
PROVIDER_21630 = cite(
    (
        "hashicorp/terraform-provider-aws issue #21630 (a connection's id is CATALOG_ID:NAME)",
        "https://github.com/hashicorp/terraform-provider-aws/issues/21630",
    ),
    requirements=("R-NAMES",),
)
PROVIDER_4762 = (
    cite(
        (
            "hashicorp/terraform-provider-aws issue #4762 (CONNECTION_LIST_CONNECTION_WITH_AZ_NULL)",
            "https://github.com/hashicorp/terraform-provider-aws/issues/4762",
        ),
        (
            "hashicorp/terraform-provider-aws issue #28941 (a name where an id belongs)",
            "https://github.com/hashicorp/terraform-provider-aws/issues/28941",
        ),
    )
    + GLUE_JDBC_VPC
)
PROVIDER_SG_RULES = cite(
    (
        "Terraform aws_security_group: do not mix in-line rules with rule resources, or aws_security_group_rule "
        "with aws_vpc_security_group_*_rule (rules conflict and are overwritten)",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group",
    ),
    requirements=("R-RULE-STYLE",),
)

ENI_LIFECYCLE_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces")
DESCRIBE_ACTIONS = (
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeRouteTables",
    "ec2:DescribeVpcAttribute",
)
# AWS managed policies known (from their published documents) to grant every action above.
EC2_MANAGED_POLICIES = (
    "service-role/AWSGlueServiceRole",
    "AdministratorAccess",
    "AmazonEC2FullAccess",
    "PowerUserAccess",
)

CATALOGUE = Catalogue()
rule = CATALOGUE.rule

# A connection id is CATALOG_ID:NAME, the catalog id being the 12-digit account id.
_CATALOG_ID_PREFIX = re.compile(r"^\d{12}:")


class _On:
    """A rule's verdicts on one object whose use by a job is certain, possible, or absent.

    Certain (a job is known to run there): a failure is a failure. Possible (a job whose connection
    list is known only after apply may): it is unverifiable, with the failure it would be. Absent
    (no job in the plan lists the connection): it is a note -- nothing runs there yet.
    """

    def __init__(self, report: RuleReporter, subject: Subject, status: str, why: str = "") -> None:
        self.report, self.subject, self.status, self.why = report, subject, status, why

    @classmethod
    def connection(cls, report: RuleReporter, c: Connection, a: Attachment) -> _On:
        return cls(report, c, a.status, a.why)

    @classmethod
    def job(cls, report: RuleReporter, job: Job, where: Placement) -> _On:
        return cls(report, job, "listed" if where.certain else "maybe", where.why)

    def passed(self) -> None:
        self.report.passed(self.subject)

    def fail(self, message: str, fix: str | None = None) -> None:
        if self.status == "listed":
            self.report.fail(self.subject, message, fix)
        elif self.status == "maybe":
            self.report.unverifiable(self.subject, f"whether a job runs here ({self.why}); if one does: {message}", fix)
        else:
            self.report.info(
                self.subject,
                f"no job in the plan lists this connection, so no run uses it yet; a job that lists it would "
                f"meet this: {message}",
                fix or "",
            )

    def unverifiable(self, what: str, fix: str | None = None) -> None:
        self.report.unverifiable(self.subject, what, fix)


@rule(
    "GNET001",
    "A job meant for a VPC lists a connection that places it there",
    GLUE_VPC,
    "create an aws_glue_connection of type NETWORK per private subnet (subnet_id, security_group_id_list, "
    "availability_zone) and list their names in aws_glue_job.connections (glue module: var.subnets, "
    'var.security_group_ids, network_mode = "vpc").',
)
def job_has_connection(d: Deployment, report: RuleReporter) -> None:
    for job in d.jobs.values():
        evidence = vpc_evidence(d, job)
        if not evidence:
            why = intent_unknown(d, job)
            if why:
                report.unverifiable(job, f"whether the job belongs in a VPC: {why}")
            else:
                report.info(
                    job,
                    "not in a VPC: the job lists no connection and nothing declares it a VPC job, so it runs in "
                    "Glue's own network (right for jobs that only use S3 and AWS APIs).",
                    f"if it must reach the VPC, attach NETWORK connections; to declare the intent, tag the job "
                    f'{NETWORK_MODE_TAG} = "vpc" (glue module: network_mode) or pass --require-vpc {job.name}.',
                )
            continue
        where = placement(d, job)
        if where.certain and where.connections:
            report.passed(job)
            continue
        if job.connections_from_computed:
            continue  # it lists connections, by id: GNET002 says what is wrong
        if not job.connections_known:
            report.unverifiable(job, "its connection list is known only after apply")
            continue
        hidden = [n for n in job.connections if n not in d.connections]
        if hidden and not d.sees_every_connection:
            report.unverifiable(job, f"connection(s) {hidden} are not in the plan, so their type is unknown")
            continue
        listed = (
            f"its connections {job.connections} place nothing in a subnet"
            if job.connections
            else "it lists no connection"
        )
        vpc_args = has_vpc_arguments(job)
        hint = f" The {', '.join(vpc_args)} arguments it passes are ignored by Glue." if vpc_args else ""
        report.fail(
            job,
            f"the job is meant for a VPC ({'; '.join(evidence)}) but {listed}, so Glue runs it outside the VPC "
            f"and it cannot reach what lives there.{hint}",
        )


BY_ID_HINT = (
    "if it is built from aws_glue_connection .id (CATALOG_ID:NAME) or .arn, nothing is attached: list .name values"
)


@rule(
    "GNET002",
    "Jobs list connections by name, and each listed name exists",
    PROVIDER_21630,
    "list aws_glue_connection.<x>.name values, not .id (CATALOG_ID:NAME) or .arn.",
)
def connections_by_name(d: Deployment, report: RuleReporter) -> None:
    for job in d.jobs.values():
        if not job.connections_known:
            by_id = sorted(k for k, attr in job.connection_refs.items() if attr in ("id", "arn"))
            if by_id and job.connection_refs_complete:
                report.fail(
                    job,
                    f"the job's connection list is built from the .id or .arn of {', '.join(by_id)} (the "
                    "configuration refers to them; .id is CATALOG_ID:NAME), while Glue matches names only: nothing "
                    "is attached.",
                )
            elif by_id:
                report.unverifiable(job, f"the job's connection list is known only after apply; {BY_ID_HINT}")
            elif job.connection_refs_complete and job.connection_refs:
                report.passed(job)
            else:
                report.unverifiable(job, f"the job's connection list is known only after apply; {BY_ID_HINT}")
            continue
        if not job.connections:
            continue
        bad = False
        for entry in job.connections:
            if entry in d.connections:
                continue
            named = [c for c in d.connections.values() if c.name_known and entry.endswith(":" + c.name)]
            if named or _CATALOG_ID_PREFIX.match(entry) or entry.startswith("arn:aws"):
                bad = True
                target = f"the name '{named[0].name}'" if named else "the connection's name"
                report.fail(
                    job,
                    f"connection listed as '{entry}', an id or ARN; Glue matches names only, so nothing is attached.",
                    f"list {target} (aws_glue_connection.<x>.name).",
                )
            elif d.sees_every_connection:
                bad = True
                report.fail(
                    job,
                    f"connection '{entry}' is listed but does not exist.",
                    "create the connection or correct the name in aws_glue_job.connections.",
                )
            else:
                bad = True
                report.unverifiable(job, f"connection '{entry}' is not created by this plan")
        if not bad:
            report.passed(job)
    if d.kind == "plan":
        by_id = {k for j in d.jobs.values() for k, attr in j.connection_refs.items() if attr in ("id", "arn")}
        for c, a in judged_connections(d):
            if a.status == "unattached" and c.name not in by_id:
                report.info(
                    c,
                    f"no job in the plan lists connection '{c.name}', so it places nothing in its subnet.",
                    "list its name in the connections of the jobs that must run there, or remove it.",
                )


@rule(
    "GNET003",
    "A VPC connection names a subnet id, security group ids and the subnet's own AZ",
    PROVIDER_4762,
    "set physical_connection_requirements { subnet_id, security_group_id_list, availability_zone } with ids, "
    "the zone taken from the subnet (aws_subnet.<x>.availability_zone).",
)
def connection_complete(d: Deployment, report: RuleReporter) -> None:
    for c, a in judged_connections(d):
        on = _On.connection(report, c, a)
        if not c.physical and "physical" not in c.unknown:
            on.fail("NETWORK connection without physical_connection_requirements: it names no subnet to run in.")
            continue
        problems = []
        unknown = []
        if "subnet_id" in c.unknown:
            unknown.append("its subnet id is known only after apply")
        elif not c.subnet_id:
            problems.append("it has no subnet")
        elif not c.subnet_id.startswith("subnet-") and c.subnet_id not in d.subnets:
            problems.append(
                f"its subnet_id '{c.subnet_id}' is not a subnet id (a name gives a connection with empty VPC fields)"
            )
        if not c.security_group_ids and "security_group_ids" in c.unknown:
            unknown.append("its security groups are known only after apply")
        elif not c.security_group_ids:
            problems.append("it has no security group")
        else:
            names = [g for g in c.security_group_ids if not g.startswith("sg-") and g not in d.security_groups]
            if names:
                problems.append(f"security_group_id_list holds {names}, which are not group ids")
            elif "security_group_ids" in c.unknown:
                unknown.append("some of its security groups are known only after apply")
        if "availability_zone" in c.unknown:
            unknown.append("its availability zone is known only after apply")
        elif not c.availability_zone:
            problems.append("it has no availability zone; runs fail with CONNECTION_LIST_CONNECTION_WITH_AZ_NULL")
        else:
            subnet = connection_subnet(d, c)
            if subnet is not None and subnet.availability_zone and subnet.availability_zone != c.availability_zone:
                problems.append(
                    f"it says availability zone {c.availability_zone} but its subnet {subnet.id} is in "
                    f"{subnet.availability_zone}; Glue places the ENIs by the connection's zone and the run fails"
                )
            elif subnet is not None and "availability_zone" in subnet.unknown:
                where = "is not in the plan" if not subnet.address else "is known only after apply"
                unknown.append(f"the zone of subnet {subnet.id} {where}, so it is not compared")
            elif subnet is None and c.subnet_id and "subnet_id" not in c.unknown and not problems:
                unknown.append(f"subnet {c.subnet_id} is not visible, so its zone is not compared")
        if problems:
            on.fail(f"{c.connection_type or 'the'} connection is incomplete: {'; '.join(problems)}.")
        elif unknown:
            on.unverifiable("; ".join(unknown))
        else:
            on.passed()


def _pipelines(jobs: list[tuple[Job, list[Connection]]]) -> list[list[tuple[Job, list[Connection]]]]:
    """Jobs grouped by shared connections: each group is one pipeline."""
    parent = {j.name: j.name for j, _ in jobs}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    owner: dict[str, str] = {}
    for j, conns in jobs:
        for c in conns:
            if c.name in owner:
                parent[find(j.name)] = find(owner[c.name])
            else:
                owner[c.name] = j.name
    groups: dict[str, list[tuple[Job, list[Connection]]]] = {}
    for j, conns in jobs:
        groups.setdefault(find(j.name), []).append((j, conns))
    return list(groups.values())


@rule(
    "GNET004",
    "Each pipeline's jobs list one connection per Glue subnet, one per AZ, in the same order",
    GLUE_FAILOVER,
    "create a NETWORK connection for every private subnet meant for Glue and list all of them on each job of the "
    "pipeline, in the same (zone) order.",
    Severity.WARNING,
)
def failover_order(d: Deployment, report: RuleReporter) -> None:
    ordered: list[tuple[Job, list[Connection]]] = []
    for job, where in judged_jobs(d):
        if not where.connections:
            continue
        # One connection has no order to get wrong.
        if not where.certain or (not where.ordered and len(where.connections) > 1):
            report.unverifiable(job, f"its connections and their order: {where.why or 'known only after apply'}")
            continue
        ordered.append((job, list(where.connections)))
    for pipeline in _pipelines(ordered):
        orders = {}
        for job, conns in pipeline:
            orders[job.name] = tuple(c.name for c in conns)
            warned = False
            open_questions = []
            zones = [c.availability_zone for c in conns if c.availability_zone]
            if any("availability_zone" in c.unknown for c in conns):
                open_questions.append("the zone of a listed connection is known only after apply")
            elif len(set(zones)) != len(zones):
                warned = True
                report.fail(
                    job,
                    f"two listed connections share an availability zone ({zones}); they give no zone failover.",
                    "list one connection per private subnet, each in its own zone.",
                )
            covered = {c.subnet_id for c in conns}
            vpcs = {s.vpc_id for c in conns if (s := connection_subnet(d, c)) is not None}
            subnets = [s for vpc in vpcs if vpc for s in d.subnets_in(vpc)]
            missing = [s for s in subnets if s.meant_for_glue and s.id not in covered]
            hidden = [n for n in job.connections if n not in d.connections] if not d.sees_every_connection else []
            if hidden and missing:
                open_questions.append(
                    f"whether connection(s) {hidden}, which the plan does not show, serve the subnets tagged for Glue"
                )
            elif any("subnet_id" in c.unknown for c in conns) or any("tags" in s.unknown for s in subnets):
                open_questions.append(
                    "which subnets are tagged for Glue, or which a connection uses, is known only after apply"
                )
            elif missing:
                warned = True
                report.fail(
                    job,
                    "subnet(s) "
                    + ", ".join(f"{s.id} ({s.availability_zone})" for s in missing)
                    + " are tagged for Glue but have no connection on this job; if the listed zones fail, "
                    "Glue has nowhere to go.",
                )
            if warned:
                continue
            if open_questions:
                report.unverifiable(job, "; ".join(open_questions))
            else:
                report.passed(job)
        same_set: dict[frozenset[str], dict[str, tuple[str, ...]]] = {}
        for name, order in orders.items():
            same_set.setdefault(frozenset(order), {})[name] = order
        for group in same_set.values():
            if len(set(group.values())) > 1:
                report.fail(
                    ", ".join(sorted(group)),
                    f"the pipeline's jobs list the same connections in different orders ({group}); they would run "
                    "in different zones.",
                    "list the connections in the same (subnet) order on every job of the pipeline.",
                )


@rule(
    "GNET005",
    "No job passes --vpc-* arguments (Glue ignores them)",
    GLUE_VPC.only("R-NO-VPC-ARGS"),
    "remove them; attach NETWORK connections through aws_glue_job.connections (glue module: var.subnets).",
)
def no_vpc_arguments(d: Deployment, report: RuleReporter) -> None:
    for job in d.jobs.values():
        bad = has_vpc_arguments(job)
        if bad:
            report.fail(
                job,
                f"job arguments {bad} are handed to the script and ignored for placement: they do not put the job "
                "in a VPC.",
            )
        elif not job.arguments_known:
            report.unverifiable(job, "the job's arguments are known only after apply")
        else:
            report.passed(job)


def _groups_or_report(on: _On, d: Deployment, c: Connection) -> tuple[list[SecurityGroup], bool] | None:
    """The connection's visible groups and whether they are all of them; None (reported) when none is visible."""
    groups = connection_groups(d, c)
    if groups is None:
        if not c.security_group_ids and "security_group_ids" in c.unknown:
            on.unverifiable("its security groups are known only after apply")
        elif c.security_group_ids:
            missing = [g for g in c.security_group_ids if g not in d.security_groups]
            on.unverifiable(f"security group(s) {missing} are not visible")
        return None
    return groups, "security_group_ids" not in c.unknown


def _subnet_cidr(d: Deployment, c: Connection) -> str | None:
    subnet = connection_subnet(d, c)
    return subnet.cidr_block if subnet else None


def _rule_style_fix(groups: list[SecurityGroup], direction: str, inline: str, standalone: str) -> str:
    """The fix written the way the group's rules are already written (mixing styles would overwrite them)."""
    group = groups[0]
    where = group.address or group.id
    if direction in group.inline:
        return f"add to {where} an inline block: {inline} (this group is written with inline rules)."
    if "aws_security_group_rule" in group.rule_resources:
        return (
            f'add an aws_security_group_rule for {where} with type = "{direction}", protocol = "tcp", '
            "from_port = 0, to_port = 65535, self = true (this group's rules are aws_security_group_rule resources)."
        )
    return standalone


@rule(
    "GNET006",
    "A connection security group admits all TCP ports from the connection's own ENIs",
    GLUE_TROUBLE.only("R-SELF-INGRESS"),
    "add aws_vpc_security_group_ingress_rule with ip_protocol tcp, from_port 0, to_port 65535 and "
    "referenced_security_group_id = the group's own id.",
)
def self_referencing_ingress(d: Deployment, report: RuleReporter) -> None:
    for c, a in judged_connections(d):
        on = _On.connection(report, c, a)
        seen = _groups_or_report(on, d, c)
        if seen is None:
            continue
        groups, complete = seen
        ids = [g.id for g in groups]
        cidr = _subnet_cidr(d, c)
        members = members_of(ids, cidr)
        answers = [tcp_open(g, "ingress", members, peer_cidr=cidr) for g in groups]
        if True in answers:
            on.passed()
        elif None in answers or not complete:
            on.unverifiable(f"the inbound rules of {ids} (a rule's source, a subnet CIDR or a group is unknown)")
        else:
            partial = [
                f"{r.protocol} {r.from_port}-{r.to_port}"
                for g in groups
                for r in g.rules_for("ingress")
                if members(r) and r.tcp_range and r.tcp_range != (0, 65535)
            ]
            seen_text = f" (rules from the group's members open only {partial})" if partial else ""
            on.fail(
                f"none of {ids} opens all TCP ports (0-65535) to traffic from its own members{seen_text}; Spark's "
                "driver and executors talk on ports chosen at run time, so executors fail with "
                "java.net.ConnectException to the driver (Glue: 'At least one security group must open all ingress "
                "ports').",
                _rule_style_fix(
                    groups,
                    "ingress",
                    'ingress { protocol = "tcp", from_port = 0, to_port = 65535, self = true }',
                    CATALOGUE["GNET006"].fix,
                ),
            )


@rule(
    "GNET007",
    "A connection security group allows the outbound traffic Glue needs",
    GLUE_TROUBLE.only("R-EGRESS"),
    "add an egress rule for all traffic to 0.0.0.0/0, or a self-referencing all-TCP egress rule plus tcp 443 to "
    "the S3 gateway endpoint's prefix list.",
)
def egress(d: Deployment, report: RuleReporter) -> None:
    for c, a in judged_connections(d):
        on = _On.connection(report, c, a)
        seen = _groups_or_report(on, d, c)
        if seen is None:
            continue
        groups, complete = seen
        subnet = connection_subnet(d, c)
        members = members_of([g.id for g in groups], subnet.cidr_block if subnet else None)
        s3 = s3_destination(d, subnet.vpc_id if subnet else None)
        answers = []
        for g in groups:
            to_members = tcp_open(g, "egress", members, peer_cidr=subnet.cidr_block if subnet else None)
            to_s3 = tcp_open(g, "egress", s3, 443, 443)
            answers.append(True if to_members and to_s3 else (False if to_members is False or to_s3 is False else None))
        if True in answers:
            on.passed()
        elif None in answers or not complete:
            on.unverifiable(f"the outbound rules of {[g.id for g in groups]}")
        else:
            on.fail(
                f"none of {[g.id for g in groups]} allows all TCP to the connection's own ENIs together with HTTPS "
                "to S3 (all outbound, or self all-TCP plus 443 to the S3 prefix list); the driver cannot reach "
                "executors or S3.",
                _rule_style_fix(
                    groups,
                    "egress",
                    'egress { protocol = "-1", from_port = 0, to_port = 0, cidr_blocks = ["0.0.0.0/0"] }',
                    CATALOGUE["GNET007"].fix,
                ),
            )


def _subnet_or_report(on: _On, d: Deployment, c: Connection, what: str) -> object | None:
    subnet = connection_subnet(d, c)
    if subnet is None and (c.subnet_id or "subnet_id" in c.unknown):
        on.unverifiable(f"subnet {c.subnet_id or '(known after apply)'} is not visible{what}")
    return subnet


@rule(
    "GNET008",
    "Every connection subnet reaches S3 through a gateway endpoint or NAT",
    GLUE_TROUBLE.only("R-S3-ROUTE"),
    "add the route table to the S3 gateway endpoint's route_table_ids (vpc module: every private route table is "
    "associated), or route 0.0.0.0/0 to a NAT gateway.",
)
def s3_reachable(d: Deployment, report: RuleReporter) -> None:
    for c, a in judged_connections(d):
        on = _On.connection(report, c, a)
        subnet = _subnet_or_report(on, d, c, "")
        if subnet is None:
            continue
        verdict = s3_route(d, subnet)  # type: ignore[arg-type]
        if verdict.ok is True:
            on.passed()
        elif verdict.ok is None:
            on.unverifiable(verdict.reason)
        else:
            on.fail(verdict.reason)


@rule(
    "GNET009",
    "Connection subnets are private (no internet gateway route)",
    GLUE_VPC.only("R-PRIVATE-SUBNET"),
    "use a private subnet (S3 gateway endpoint, NAT for the internet).",
)
def subnet_private(d: Deployment, report: RuleReporter) -> None:
    for c, a in judged_connections(d):
        on = _On.connection(report, c, a)
        subnet = _subnet_or_report(on, d, c, ", nor its routes")
        if subnet is None:
            continue
        verdict = internet_gateway_route(d, subnet)  # type: ignore[arg-type]
        if verdict.ok is True:
            on.fail(
                f"{verdict.reason}; Glue's ENIs get no public IP, so the job has no internet there and reaches only "
                "what VPC endpoints serve."
            )
        elif verdict.ok is None:
            on.unverifiable(verdict.reason)
        else:
            on.passed()


@rule(
    "GNET010",
    "The VPC has DNS support and DNS hostnames on",
    VPC_DNS,
    "set enable_dns_support = true and enable_dns_hostnames = true on aws_vpc (hostnames default to false).",
)
def vpc_dns(d: Deployment, report: RuleReporter) -> None:
    uses: dict[str, str] = {}  # VPC id -> the strongest attachment of a connection in it
    rank = {"unattached": 0, "maybe": 1, "listed": 2}
    whys: dict[str, str] = {}
    for c, a in judged_connections(d):
        subnet = connection_subnet(d, c)
        if subnet is None or subnet.vpc_id is None:
            if c.subnet_id or "subnet_id" in c.unknown or (subnet is not None and "vpc_id" in subnet.unknown):
                _On.connection(report, c, a).unverifiable("the VPC of its subnet is not visible")
            continue
        if rank[a.status] >= rank[uses.get(subnet.vpc_id, "unattached")]:
            uses[subnet.vpc_id] = a.status
            whys[subnet.vpc_id] = a.why
    for vpc_id in sorted(uses):
        vpc = d.vpcs.get(vpc_id)
        if vpc is None:
            report.unverifiable(vpc_id, "the VPC is not visible")
            continue
        on = _On(report, vpc, uses[vpc_id], whys[vpc_id])
        values = {"enable_dns_support": vpc.enable_dns_support, "enable_dns_hostnames": vpc.enable_dns_hostnames}
        off = [n for n, v in values.items() if v is False]
        unknown = [n for n, v in values.items() if v is None or n in vpc.unknown]
        if off:
            on.fail(
                f"{' and '.join(off)} off; private DNS of interface endpoints and the names Glue resolves in the "
                "VPC need both on."
            )
        elif unknown:
            on.unverifiable(f"{' and '.join(unknown)} known only after apply")
        else:
            on.passed()


@rule(
    "GNET011",
    "Each connection subnet has more free IPs than the job's workers + driver",
    GLUE_TROUBLE.only("R-CAPACITY"),
    "use a larger private subnet or fewer workers.",
)
def subnet_capacity(d: Deployment, report: RuleReporter) -> None:
    for job, where in judged_jobs(d):
        if not where.connections:
            continue
        on = _On.job(report, job, where)
        if "number_of_workers" in job.unknown:
            on.unverifiable("its number of workers is known only after apply")
            continue
        if not job.number_of_workers:
            continue
        need = job.number_of_workers + 1
        short = []
        hidden = []
        for c in where.connections:
            subnet = connection_subnet(d, c)
            if subnet is None or subnet.available_ip_count is None:
                if c.subnet_id or "subnet_id" in c.unknown or (subnet is not None and "cidr_block" in subnet.unknown):
                    hidden.append(c.subnet_id or f"the subnet of {c.name}")
                continue
            if subnet.available_ip_count <= need:
                short.append(f"subnet {subnet.id} ({subnet.cidr_block}) has {subnet.available_ip_count} free IPs")
        if short:
            on.fail(
                f"{'; '.join(short)}, not more than the {job.number_of_workers} workers + driver = {need} ENIs the "
                "job needs."
            )
        elif hidden:
            on.unverifiable(f"the size of subnet(s) {', '.join(hidden)} is not visible")
        else:
            on.passed()


def _role_grants(d: Deployment, on: _On, job: Job, actions: tuple[str, ...]) -> list[str] | None:
    """The actions of ``actions`` the job's role lacks, or None when that cannot be known (reported)."""
    role = d.roles.get(job.role or "")
    if role is None:
        on.unverifiable(f"role {job.role or '(known after apply)'} is not visible")
        return None
    if any(
        arn.endswith("/" + p) or arn.endswith(":" + p) for arn in role.managed_policy_arns for p in EC2_MANAGED_POLICIES
    ):
        return []
    missing = [a for a in actions if not grants(role.statements, a)]
    if missing and not role.complete:
        on.unverifiable(f"some policies of role {role.arn or role.id} cannot be read ({role.unreadable[0]})")
        return None
    return missing


@rule(
    "GNET012",
    "The job role may create, describe and delete the network interfaces of a VPC job",
    GLUE_IAM,
    "attach service-role/AWSGlueServiceRole or grant ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface and "
    "ec2:DescribeNetworkInterfaces on * in the role's policy.",
)
def role_eni_permissions(d: Deployment, report: RuleReporter) -> None:
    for job, where in judged_jobs(d):
        if not where.connections:
            continue
        on = _On.job(report, job, where)
        missing = _role_grants(d, on, job, ENI_LIFECYCLE_ACTIONS)
        if missing is None:
            continue
        if missing:
            role = d.roles[job.role or ""]
            detached = f" ({'; '.join(role.notes)})" if role.notes else ""
            on.fail(
                f"role {role.arn or role.id} lacks {missing}{detached}; Glue cannot create the job's ENIs in the "
                "subnet and the run fails."
            )
        else:
            on.passed()


@rule(
    "GNET013",
    "A connection's security groups are in the subnet's VPC",
    GLUE_VPC.only("R-SAME-VPC"),
    "use security groups of the subnet's VPC.",
)
def same_vpc(d: Deployment, report: RuleReporter) -> None:
    for c, a in judged_connections(d):
        on = _On.connection(report, c, a)
        subnet = connection_subnet(d, c)
        groups = connection_groups(d, c)
        if subnet is None or groups is None or subnet.vpc_id is None:
            if c.subnet_id or c.security_group_ids or c.unknown:
                on.unverifiable("the VPC of its subnet or of its security groups is not visible")
            continue
        other = [g.id for g in groups if g.vpc_id and g.vpc_id != subnet.vpc_id]
        if other:
            on.fail(
                f"security groups {other} are not in the subnet's VPC {subnet.vpc_id}; Glue cannot attach them to "
                "the ENIs."
            )
        elif any(g.vpc_id is None for g in groups) or "security_group_ids" in c.unknown:
            on.unverifiable("the VPC of a security group is not visible")
        else:
            on.passed()


PROXY_SERVICES = ("s3", "glue", "monitoring")
ARGUMENTS_THAT_DECIDE = ("--disable-proxy-v2", "--additional-python-modules", "--python-modules-installer-option")


def _needed_services(d: Deployment, job: Job, where: Placement) -> tuple[dict[str, str], list[str]]:
    """What the job calls from inside the VPC (service -> why), and what could not be read."""
    needs: dict[str, str] = dict(job.calls)
    unknown: list[str] = []
    if "security_configuration" in job.unknown:
        unknown.append("its security configuration is known only after apply")
    elif job.security_configuration:
        config = d.security_configurations.get(job.security_configuration)
        if config is None:
            unknown.append(f"security configuration {job.security_configuration} is not visible")
        elif config.uses_kms:
            modes = [
                m for m in (config.s3_mode, config.cloudwatch_mode, config.bookmarks_mode) if m and "KMS" in m.upper()
            ]
            needs["kms"] = f"security configuration {config.name} uses {', '.join(modes)}"
        elif config.uses_kms is None:
            unknown.append(f"the encryption modes of security configuration {config.name}")
    for c in where.connections:
        if c.reads_secret:
            needs.setdefault("secretsmanager", f"connection {c.name} reads its credentials from Secrets Manager")
        elif "property_names" in c.unknown:
            unknown.append(f"the properties of connection {c.name}")
    if not job.arguments_known:
        unknown.append(
            "its arguments are known only after apply (ARNs, --disable-proxy-v2, --additional-python-modules)"
        )
    for key, value in job.arguments.items():
        for service in arn_services(value):
            needs.setdefault(service, f"argument {key} names an {service} resource")
    for key, pending in job.pending_arguments.items():
        if key in ARGUMENTS_THAT_DECIDE:
            unknown.append(f"argument {key} is known only after apply")
            continue
        services, undecided = pending_argument_services(pending)
        for service in services:
            needs.setdefault(service, f"argument {key} names an {service} resource")
        if undecided:
            unknown.append(f"argument {key} is known only after apply and may name an AWS resource ({undecided})")
    proxy = job.arguments.get("--disable-proxy-v2")
    if proxy is not None and proxy.lower() != "false":
        for service in PROXY_SERVICES:
            needs.setdefault(
                service, "--disable-proxy-v2 sends Glue's own S3, Data Catalog and metrics calls through the VPC"
            )
    modules = [m.strip() for m in job.arguments.get("--additional-python-modules", "").split(",") if m.strip()]
    from_index = [m for m in modules if not m.startswith("s3://")]
    if from_index:
        index_needs, index_unknown = package_index_needs(job.arguments.get("--python-modules-installer-option", ""))
        for service, why in index_needs.items():
            needs.setdefault(service, f"--additional-python-modules installs {from_index} {why}")
        unknown += index_unknown
    return needs, unknown


def _reach_fix(d: Deployment, service: str) -> str:
    if service == INTERNET:
        return (
            "route the connection subnets' 0.0.0.0/0 to a NAT gateway (vpc module: enable_nat_gateway = true), or "
            "install the modules from wheels in S3 (--additional-python-modules s3://.../x.whl)."
        )
    region = d.region or "<region>"
    if service in GATEWAY_SERVICES:
        return (
            f'add a gateway endpoint com.amazonaws.{region}.{service} (vpc_endpoint_type = "Gateway") associated '
            "with the connection subnets' route tables, whose prefix list the job's security group allows TCP 443 "
            "out to, or route the subnets' 0.0.0.0/0 to a NAT gateway."
        )
    return (
        f"add an interface endpoint com.amazonaws.{region}.{service} with private_dns_enabled = true whose security "
        f'group admits TCP 443 from the job\'s security group (vpc module: interface_endpoints = ["{service}"]), '
        "or route the subnets' 0.0.0.0/0 to a NAT gateway; the job's group must allow TCP 443 out to it."
    )


@rule(
    "GNET014",
    "Every AWS API a VPC job calls is reachable from its subnets (NAT or interface endpoint)",
    GLUE_KMS_ROUTE,
    "give the connection subnets a route to the service: an interface endpoint with private DNS, or NAT.",
)
def aws_apis_reachable(d: Deployment, report: RuleReporter) -> None:
    for job, where in judged_jobs(d):
        if not where.connections:
            continue
        on = _On.job(report, job, where)
        needs, unknown = _needed_services(d, job, where)
        failed = False
        for service, why in needs.items():
            blocked = []
            open_question = []
            for c in where.connections:
                groups = connection_groups(d, c)
                if groups is None:
                    open_question.append(f"the security groups of connection {c.name}")
                    continue
                verdict = service_reachable(d, c, groups, service)
                if verdict.ok is False and "security_group_ids" in c.unknown and "security group" in verdict.reason:
                    open_question.append(f"the security groups of connection {c.name}, some known only after apply")
                elif verdict.ok is False:
                    blocked.append(f"from connection {c.name}: {verdict.reason}")
                elif verdict.ok is None:
                    open_question.append(verdict.reason)
            target = "the internet (PyPI)" if service == INTERNET else service
            if blocked:
                failed = True
                timeout = " Runs fail with a 'kms timeout'." if service == "kms" else ""
                on.fail(
                    f"the job needs {target} ({why}) but cannot reach it {'; '.join(blocked)}.{timeout}",
                    _reach_fix(d, service),
                )
            elif open_question:
                unknown.append(f"whether it reaches {target} ({'; '.join(open_question)})")
        if failed:
            continue
        if unknown or not where.certain:
            on.unverifiable("; ".join(unknown) or f"whether the job runs here: {where.why}")
        else:
            on.passed()


@rule(
    "GNET015",
    "The job role has the describe actions Glue uses to validate a VPC connection",
    GLUE_IAM.only("R-DESCRIBE-PERMISSIONS"),
    "attach service-role/AWSGlueServiceRole or grant ec2:DescribeSubnets, DescribeSecurityGroups, "
    "DescribeVpcEndpoints, DescribeRouteTables and DescribeVpcAttribute on *.",
    Severity.WARNING,
)
def role_describe_permissions(d: Deployment, report: RuleReporter) -> None:
    for job, where in judged_jobs(d):
        if not where.connections:
            continue
        on = _On.job(report, job, where)
        missing = _role_grants(d, on, job, DESCRIBE_ACTIONS)
        if missing is None:
            continue
        if missing:
            on.fail(
                f"the role lacks {missing}, which AWSGlueServiceRole grants; configurations without some of them are "
                "reported to run, but Glue's connection checks may fail."
            )
        else:
            on.passed()


@rule(
    "GNET016",
    "A connection security group's rules are written one way: inline, aws_security_group_rule, or aws_vpc_security_group_*_rule",
    PROVIDER_SG_RULES,
    "write all of the group's rules in one style: move the inline ingress/egress blocks into rule resources (or the "
    "rule resources into the group), and use either aws_security_group_rule or aws_vpc_security_group_*_rule.",
)
def one_rule_style(d: Deployment, report: RuleReporter) -> None:
    if d.kind != "plan":
        return  # how rules are written is a fact of the configuration
    for c, a in judged_connections(d):
        on = _On.connection(report, c, a)
        groups = connection_groups(d, c)
        if groups is None:
            if c.security_group_ids or "security_group_ids" in c.unknown:
                on.unverifiable("its security groups are known only after apply, or not in the plan")
            continue
        problems = []
        for g in groups:
            kinds = sorted(g.rule_resources)
            resources = [r for k in kinds for r in g.rule_resources[k]]
            if g.inline and resources:
                inline = " and ".join(f"inline {x}" for x in sorted(g.inline))
                problems.append(
                    f"{g.address or g.id} has {inline} rules and also {', '.join(resources[:3])}: the provider "
                    "manages the inline set as the whole rule set, so the next apply removes the separate rules "
                    "(or they fight over the same rule)"
                )
            elif len(kinds) > 1:
                problems.append(
                    f"{g.address or g.id} has both aws_security_group_rule and aws_vpc_security_group_*_rule "
                    f"resources ({', '.join(resources[:3])}): they conflict and overwrite each other's rules"
                )
        if problems:
            on.fail(
                "; ".join(problems) + ". The self-referencing rule Glue needs may disappear on a later apply, and "
                "with it the executors' connection to the driver."
            )
        elif "security_group_ids" in c.unknown:
            on.unverifiable("some of its security groups are known only after apply")
        else:
            on.passed()

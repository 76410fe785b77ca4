"""One normalisation of AWS facts for both adapters (plan and live).

Terraform and the EC2/IAM APIs spell the same fact differently: protocol ``"6"``,
``"tcp"`` or ``"TCP"``; all protocols ``"-1"``, ``-1`` or ``"all"``; ports ``-1``
or absent for "all"; a policy as a dict, a JSON string, URL-encoded JSON or the
``statement`` blocks of ``aws_iam_policy_document``. Both adapters build model
objects only through these functions, so a fact reads the same whichever source
it came from (tests/cli/test_normalisation.py feeds one set of facts through both).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

from glue_netcheck.model import ALL_PROTOCOLS, INTERNET, Direction, Pending, PolicyStatement, SecurityGroupRule

_PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def protocol(value: Any) -> str:
    """``"-1"`` for all protocols, else the lower-case name (``tcp``, ``udp``, ``icmp``...)."""
    text = str(value).strip().lower()
    if text in ("-1", "all"):
        return ALL_PROTOCOLS
    return _PROTOCOL_NUMBERS.get(text, text)


def _port(value: Any) -> int | None:
    if value is None or value == "":
        return None
    port = int(value)
    return None if port < 0 else port


def security_group_rule(
    direction: Direction,
    ip_protocol: Any,
    from_port: Any = None,
    to_port: Any = None,
    *,
    cidr_ipv4: str | None = None,
    cidr_ipv6: str | None = None,
    prefix_list_id: str | None = None,
    referenced_security_group_id: str | None = None,
    source: str = "",
    unknown: Iterable[str] = (),
) -> SecurityGroupRule:
    """A rule as the model holds it: ports ``None`` when the protocol has none (all traffic)."""
    proto = protocol(ip_protocol)
    low, high = (None, None) if proto == ALL_PROTOCOLS else (_port(from_port), _port(to_port))
    return SecurityGroupRule(
        direction=direction,
        protocol=proto,
        from_port=low,
        to_port=high,
        cidr_ipv4=cidr_ipv4 or None,
        cidr_ipv6=cidr_ipv6 or None,
        prefix_list_id=prefix_list_id or None,
        referenced_security_group_id=referenced_security_group_id or None,
        source=source,
        unknown=frozenset(unknown),
    )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def policy_statements(document: Any) -> tuple[list[PolicyStatement], list[str]]:
    """Statements of a policy document (dict, JSON or URL-encoded JSON string).

    Returns the statements and the reasons the document could not be fully
    represented (unparsable text, ``NotAction``/``NotResource`` statements): a
    caller then treats the policy as incompletely known, never as granting nothing.
    """
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else urllib.parse.unquote(document)
        try:
            document = json.loads(text)
        except ValueError:
            return [], ["policy document is not valid JSON"]
    if not isinstance(document, dict):
        return [], ["policy document is not a JSON object"]
    raw = document.get("Statement", [])
    if isinstance(raw, dict):
        raw = [raw]
    statements: list[PolicyStatement] = []
    problems: list[str] = []
    for st in raw if isinstance(raw, list) else []:
        if not isinstance(st, dict):
            problems.append("statement is not a JSON object")
            continue
        if "NotAction" in st or "NotResource" in st:
            problems.append("a NotAction/NotResource statement cannot be represented")
            continue
        statements.append(
            PolicyStatement(
                effect=str(st.get("Effect", "Allow")),
                actions=_as_list(st.get("Action")),
                resources=_as_list(st.get("Resource")),
            )
        )
    return statements, problems


def policy_document_blocks(blocks: Any) -> tuple[list[PolicyStatement], list[str]]:
    """Statements of ``aws_iam_policy_document``'s ``statement`` blocks (a plan's view of a
    document whose JSON is known only after apply). Action lists are constants even then."""
    statements: list[PolicyStatement] = []
    problems: list[str] = []
    for st in blocks or []:
        if not isinstance(st, dict):
            continue
        if st.get("not_actions") or st.get("not_resources"):
            problems.append("a not_actions/not_resources statement cannot be represented")
            continue
        actions = st.get("actions")
        if actions is None:
            problems.append("a statement's actions are unknown at plan time")
            continue
        statements.append(
            PolicyStatement(
                effect=str(st.get("effect") or "Allow"),
                actions=_as_list(actions),
                resources=[r for r in _as_list(st.get("resources")) if r != "None"],
            )
        )
    return statements, problems


def _matches(action: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in patterns)


def grants(statements: Iterable[PolicyStatement], action: str) -> bool:
    """Some statement allows ``action`` and no statement denies it on every resource."""
    statements = list(statements)
    allowed = any(st.effect.lower() == "allow" and _matches(action, st.actions) for st in statements)
    denied = any(
        st.effect.lower() == "deny" and "*" in st.resources and _matches(action, st.actions) for st in statements
    )
    return allowed and not denied


_ARN = re.compile(r"\barn:aws[a-z-]*:([a-z0-9-]+):")
# An ARN names a resource; the job reaches it through this service's API. A role
# ARN in a job argument is there to be assumed, which is an STS call.
_ARN_SERVICE_API = {"iam": "sts"}


def arn_services(text: str) -> list[str]:
    """The AWS services whose ARNs occur in ``text`` (an argument value), in order."""
    found = [_ARN_SERVICE_API.get(m.group(1), m.group(1)) for m in _ARN.finditer(text)]
    return list(dict.fromkeys(found))


def cidr_contains(outer: str | None, inner: str | None) -> bool | None:
    """Whether IPv4 network ``outer`` contains ``inner``; None when either is unknown or invalid."""
    if not outer or not inner:
        return None
    try:
        a = ipaddress.ip_network(outer, strict=False)
        b = ipaddress.ip_network(inner, strict=False)
    except ValueError:
        return None
    if a.version != b.version:
        return False
    return b.subnet_of(a)  # type: ignore[arg-type]


def usable_ips(cidr: str | None) -> int | None:
    """Addresses a subnet offers: its size minus the five AWS reserves."""
    if not cidr:
        return None
    try:
        return ipaddress.ip_network(cidr, strict=False).num_addresses - 5
    except ValueError:
        return None


# Attributes whose value is a name or an id, never an ARN: a value built from them names no AWS resource
# by ARN. ("id" is a name for these types only: an aws_iam_policy's or aws_sns_topic's id is its ARN.)
_NAME_ATTRIBUTES = frozenset(
    {"bucket", "bucket_domain_name", "bucket_regional_domain_name", "name", "name_prefix", "key_id", "cidr_block"}
)
_NAME_IDS = frozenset(
    {
        "aws_s3_bucket",
        "aws_cloudwatch_log_group",
        "aws_glue_catalog_database",
        "aws_glue_connection",
        "aws_kms_key",
        "aws_security_group",
        "aws_subnet",
        "aws_vpc",
        "aws_iam_role",
    }
)
# The API an ARN of these resource types is used through (an IAM role's ARN is assumed through STS).
_TYPE_SERVICES = (
    ("aws_kms_", "kms"),
    ("aws_secretsmanager_", "secretsmanager"),
    ("aws_iam_role", "sts"),
    ("aws_s3_", "s3"),
    ("aws_dynamodb_", "dynamodb"),
    ("aws_sqs_", "sqs"),
    ("aws_sns_", "sns"),
    ("aws_glue_", "glue"),
    ("aws_cloudwatch_log_", "logs"),
    ("aws_kinesis_", "kinesis"),
    ("aws_ssm_", "ssm"),
    ("aws_lambda_", "lambda"),
)


def pending_argument_services(value: Pending) -> tuple[list[str], str]:
    """The services a job argument known only after apply names by ARN, and what leaves that open.

    Its literal pieces may hold an ARN; a value built from a name (a bucket name, a log group name)
    holds none; one built from an ``.arn`` names that resource's service; anything else (an opaque
    value, another attribute) may hold an ARN of any service: the second element says so.
    """
    services = arn_services(" ".join(value.pieces))
    open_parts: list[str] = []
    if value.opaque:
        open_parts.append("part of it could not be read")
    for rtype, attr in value.built_from:
        leaf = attr.split(".")[-1]
        if leaf in _NAME_ATTRIBUTES or (leaf == "id" and rtype in _NAME_IDS):
            continue
        if leaf == "arn" or leaf.endswith("_arn"):
            service = next((svc for prefix, svc in _TYPE_SERVICES if rtype.startswith(prefix)), None)
            if service:
                services.append(service)
                continue
        open_parts.append(f"{rtype}.{attr}")
    return list(dict.fromkeys(services)), ", ".join(open_parts)


_INDEX_OPTION = re.compile(r"(?:--index-url|--extra-index-url|-i)(?:=|\s+)(\S+)")
_CODEARTIFACT = re.compile(r"^[a-z0-9-]+-\d{12}\.d\.codeartifact\.[a-z0-9-]+\.amazonaws\.com$")


def package_index_needs(installer_options: str) -> tuple[dict[str, str], list[str]]:
    """What ``--additional-python-modules`` needs to reach, given ``--python-modules-installer-option``.

    PyPI by default (the internet: NAT). ``--index-url`` replaces it: an AWS CodeArtifact repository
    needs its ``codeartifact.repositories`` endpoint and S3 (the packages' assets are stored in S3; AWS
    CodeArtifact user guide, "Working with Amazon VPC endpoints"); another index host is reached through
    whatever routes the VPC has to it, which the checker does not judge. ``--extra-index-url`` adds
    to PyPI.
    """
    urls = [(m.group(0).split("=")[0].split()[0], m.group(1)) for m in _INDEX_OPTION.finditer(installer_options)]
    needs: dict[str, str] = {}
    unknown: list[str] = []
    replaces_pypi = any(flag in ("--index-url", "-i") for flag, _ in urls)
    if not replaces_pypi:
        needs[INTERNET] = "from PyPI"
    for _, url in urls:
        host = urllib.parse.urlsplit(url).hostname or url
        if _CODEARTIFACT.match(host):
            needs["codeartifact.repositories"] = f"from the CodeArtifact repository {host}"
            needs.setdefault("s3", f"from the CodeArtifact repository {host} (its assets are in S3)")
        else:
            unknown.append(f"whether the package index {host} is reachable from the VPC (not judged)")
    return needs, unknown

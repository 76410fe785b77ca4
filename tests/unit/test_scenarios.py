"""Plan inventories: what each scenario of tests/fixtures/scenarios.yaml must hold (values, counts, facts)."""

from __future__ import annotations

import pytest

from glue_netcheck.network import vpc_evidence
from glue_netcheck.plan_index import PlanIndex
from harness.errors import HarnessError
from harness.expectations import mismatches
from harness.workspace import load_inventory, load_scenarios

pytestmark = pytest.mark.unit

# Read at collection, not cached with the plan: an edit to the file is seen by the next run.
SCENARIOS = load_inventory().scenarios
WITH_JOBS = [n for n, s in SCENARIOS.items() if "jobs" in s.get("facts", {})]
STACKS = [n for n, s in SCENARIOS.items() if s["module"] == "stack"]
WITH_VPC = [n for n, s in SCENARIOS.items() if s["module"] in ("stack", "vpc")]
WITH_CONNECTIONS = [n for n, s in SCENARIOS.items() if s["counts"]["aws_glue_connection"]]
after = PlanIndex.after


def facts(name: str) -> dict:
    return SCENARIOS[name]["facts"]


def prefix(name: str) -> str:
    return SCENARIOS[name]["inputs"].get("name_prefix") or SCENARIOS[name]["inputs"]["name"]


def references(index: PlanIndex, rc: dict, attribute: str) -> list[str]:
    """What ``attribute`` refers to in the configuration: ids of resources not yet created are unknown
    in a plan, the configuration still says which resource they come from."""
    return (index.expression(rc, attribute) or {}).get("references", [])


@pytest.mark.parametrize("scenario", WITH_CONNECTIONS)
def test_every_connection_is_a_network_connection_in_a_zone(scenario, scenario_plan):
    # How many: counts.aws_glue_connection (test_planned_values_are_the_expected).
    connections = PlanIndex(scenario_plan(scenario)).of_type("aws_glue_connection")
    assert connections
    for c in connections:
        a = after(c)
        assert a["connection_type"] == "NETWORK"
        assert a["physical_connection_requirements"][0]["availability_zone"], "connection without an AZ"


@pytest.mark.parametrize("scenario", WITH_JOBS)
def test_jobs_list_every_connection_by_name_in_failover_order(scenario, scenario_plan, scenario_deployment):
    d = scenario_deployment(scenario)
    expected_jobs = {f"{prefix(scenario)}-{k}" for k in facts(scenario)["jobs"]}
    assert set(d.jobs) == expected_jobs
    zones = facts(scenario).get("zones", [])
    for job in d.jobs.values():
        assert job.connections_known
        assert [d.connections[n].availability_zone for n in job.connections] == zones
        # Names, exactly the NETWORK connections' names (not ids).
        assert sorted(job.connections) == sorted(d.connections)
        for name in job.connections:
            c = d.connections[name]
            if c.subnet_id in d.subnets:
                assert d.subnets[c.subnet_id].availability_zone == c.availability_zone


@pytest.mark.parametrize("scenario", STACKS)
def test_security_group_rules(scenario, scenario_plan, scenario_deployment):
    index = PlanIndex(scenario_plan(scenario))
    ingress = [after(r) for r in index.named("aws_vpc_security_group_ingress_rule", "glue_self_all_tcp")]
    assert [(r["ip_protocol"], r["from_port"], r["to_port"]) for r in ingress] == [("tcp", 0, 65535)]
    self_ref = index.of_type("aws_vpc_security_group_ingress_rule")
    d = scenario_deployment(scenario)
    (glue_group,) = {g for c in d.connections.values() for g in c.security_group_ids}
    assert any(
        r.referenced_security_group_id == glue_group and r.covers_all_tcp
        for r in d.security_groups[glue_group].rules_for("ingress")
    ), self_ref
    egress = d.security_groups[glue_group].rules_for("egress")
    if facts(scenario)["egress"] == "all":
        assert [(r.protocol, r.cidr_ipv4) for r in egress] == [("-1", "0.0.0.0/0")]
        return
    # Restricted: exactly what the jobs need, nothing wider.
    (endpoints_group,) = [k for k in d.security_groups if "aws_security_group.endpoints" in k] or [None]
    shapes = sorted(
        (
            (r.protocol, r.from_port, r.to_port, r.cidr_ipv4, bool(r.prefix_list_id), r.referenced_security_group_id)
            for r in egress
        ),
        key=repr,
    )
    expected = [
        ("tcp", 0, 65535, None, False, glue_group),  # driver <-> executors
        ("tcp", 443, 443, None, True, None),  # S3 through the gateway endpoint's prefix list
    ]
    if facts(scenario)["interface_endpoints"]:
        expected.append(("tcp", 443, 443, None, False, endpoints_group))  # the endpoints' group, by reference
    if facts(scenario)["nat"]:
        expected.append(("tcp", 443, 443, "0.0.0.0/0", False, None))  # AWS APIs through the NAT gateway
    assert shapes == sorted(expected, key=repr), egress


@pytest.mark.parametrize("scenario", STACKS + ["vpc_only"])
def test_s3_gateway_endpoint_serves_every_private_route_table(scenario, scenario_plan, scenario_deployment):
    d = scenario_deployment(scenario)
    (endpoint,) = [e for e in d.vpc_endpoints.values() if e.is_s3_gateway]
    private_tables = [k for k in d.route_tables if "aws_route_table.private" in k]
    assert private_tables and sorted(endpoint.route_table_ids) == sorted(private_tables)
    vpc = next(iter(d.vpcs.values()))
    assert vpc.enable_dns_support is True and vpc.enable_dns_hostnames is True


@pytest.mark.parametrize("scenario", WITH_VPC)
def test_nat_gateway_public_subnets_and_internet_gateway_only_when_enabled(
    scenario, scenario_plan, scenario_deployment
):
    index = PlanIndex(scenario_plan(scenario))
    d = scenario_deployment(scenario)
    private_tables = [t for k, t in d.route_tables.items() if "aws_route_table.private" in k]
    nat_routes = [r for t in private_tables for r in t.routes if r.nat_gateway_id]
    public_subnets = index.named("aws_subnet", "public")
    counts = (len(d.nat_gateways), len(nat_routes), len(d.internet_gateways), len(public_subnets))
    if facts(scenario)["nat"]:
        assert counts == (1, len(private_tables), 1, len(private_tables)), (
            f"(NAT, NAT routes, IGW, public subnets) {counts}"
        )
    else:
        # Endpoints only: no path to the internet at all.
        assert counts == (0, 0, 0, 0), f"(NAT, NAT routes, IGW, public subnets) {counts}"
        assert not index.named("aws_route", "public_internet")
    interface = sorted(
        e.service_name.rsplit(".", 1)[1] for e in d.vpc_endpoints.values() if e.endpoint_type == "Interface"
    )
    assert interface == sorted(facts(scenario).get("interface_endpoints", []))


@pytest.mark.parametrize("scenario", [n for n in WITH_VPC if facts(n)["interface_endpoints"]])
def test_interface_endpoints_serve_every_private_subnet_and_admit_the_glue_group(
    scenario, scenario_plan, scenario_deployment
):
    index = PlanIndex(scenario_plan(scenario))
    endpoints = index.named("aws_vpc_endpoint", "interface")
    assert endpoints
    for e in endpoints:
        # Private DNS: the service's public name resolves to the endpoint, no client setting needed.
        assert after(e)["private_dns_enabled"] is True, e["address"]
        assert "aws_subnet.private" in references(index, e, "subnet_ids"), e["address"]
        assert references(index, e, "security_group_ids") == [
            "aws_security_group.endpoints[0].id",
            "aws_security_group.endpoints[0]",
            "aws_security_group.endpoints",
        ], e["address"]
    d = scenario_deployment(scenario)
    (endpoints_group,) = [g for k, g in d.security_groups.items() if "aws_security_group.endpoints" in k]
    (glue_group,) = [k for k in d.security_groups if k.endswith("aws_security_group.glue")]
    ingress = endpoints_group.rules_for("ingress")
    assert [(r.protocol, r.from_port, r.to_port, r.referenced_security_group_id) for r in ingress] == [
        ("tcp", 443, 443, glue_group)
    ]


@pytest.mark.parametrize("scenario", [n for n in WITH_VPC if "kms_route" in facts(n)])
def test_private_subnets_have_a_route_to_kms(scenario, scenario_plan, scenario_deployment):
    # The jobs' security configuration uses KMS: the Glue guide asks for a NAT route or a KMS
    # interface endpoint with private DNS ("Creating a route to AWS KMS for VPC jobs and crawlers").
    index = PlanIndex(scenario_plan(scenario))
    d = scenario_deployment(scenario)
    kms = [e for e in index.named("aws_vpc_endpoint", "interface") if after(e)["service_name"].endswith(".kms")]
    private_tables = [t for k, t in d.route_tables.items() if "aws_route_table.private" in k]
    nat_everywhere = bool(private_tables) and all(
        any(r.nat_gateway_id and r.destination_cidr_block == "0.0.0.0/0" for r in t.routes) for t in private_tables
    )
    if facts(scenario)["kms_route"] == "endpoint":
        assert len(kms) == 1, f"{scenario}: expected one KMS interface endpoint, found {len(kms)}"
        assert after(kms[0])["private_dns_enabled"] is True, f"{scenario}: KMS endpoint without private DNS"
    else:
        assert facts(scenario)["kms_route"] == "nat"
        assert not kms and nat_everywhere, f"{scenario}: expected KMS through NAT in every private route table"


@pytest.mark.parametrize("scenario", WITH_VPC)
def test_private_subnets_are_declared_for_glue(scenario, scenario_plan):
    index = PlanIndex(scenario_plan(scenario))
    private = index.named("aws_subnet", "private")
    assert private and all(after(s)["tags"]["glue-netcheck:glue-subnet"] == "true" for s in private)
    assert not any("glue-netcheck:glue-subnet" in after(s)["tags"] for s in index.named("aws_subnet", "public"))


@pytest.mark.parametrize("scenario", WITH_JOBS)
def test_every_job_carries_its_network_mode(scenario, scenario_plan):
    jobs = PlanIndex(scenario_plan(scenario)).of_type("aws_glue_job")
    assert jobs and {after(j)["tags"]["glue-netcheck:network-mode"] for j in jobs} == {facts(scenario)["network_mode"]}


@pytest.mark.parametrize("scenario", WITH_JOBS)
def test_workflow_runs_jobs_in_order_on_success(scenario, scenario_plan):
    index = PlanIndex(scenario_plan(scenario))
    names = [f"{prefix(scenario)}-{k}" for k in facts(scenario)["workflow"]]
    (start,) = index.named("aws_glue_trigger", "start")
    assert [a["job_name"] for a in after(start)["actions"]] == names[:1]
    assert after(start)["type"] == ("SCHEDULED" if facts(scenario).get("scheduled") else "ON_DEMAND")
    chain = {}
    for t in index.named("aws_glue_trigger", "after"):
        a = after(t)
        assert a["type"] == "CONDITIONAL"
        (condition,) = a["predicate"][0]["conditions"]
        assert condition["state"] == "SUCCEEDED" and condition["logical_operator"] == "EQUALS"
        chain[condition["job_name"]] = a["actions"][0]["job_name"]
    assert chain == dict(zip(names, names[1:], strict=False))


@pytest.mark.parametrize("scenario", WITH_JOBS)
def test_jobs_are_standard_glue5_with_security_configuration(scenario, scenario_plan):
    index = PlanIndex(scenario_plan(scenario))
    (config,) = index.of_type("aws_glue_security_configuration")
    # Encryption modes, Glue version, worker class: the scenario's values (test_planned_values_are_the_expected).
    assert "aws_glue_job.this[*]" in SCENARIOS[scenario].get("values", {}), f"{scenario}: no values for its jobs"
    for job in index.of_type("aws_glue_job"):
        assert after(job)["security_configuration"] == after(config)["name"]


@pytest.mark.parametrize("scenario", [n for n in WITH_JOBS if facts(n).get("arguments_known")])
def test_job_arguments(scenario, scenario_plan):
    index = PlanIndex(scenario_plan(scenario))
    bucket = SCENARIOS[scenario]["inputs"]["bucket_name"]
    for job in index.of_type("aws_glue_job"):
        # The fixed arguments (--conf, logging, bookmarks, Spark UI): the scenario's values.
        args = after(job)["default_arguments"]
        assert "--enable-spark-ui" in SCENARIOS[scenario]["values"]["aws_glue_job.this[*]"]["default_arguments"]
        assert args["--continuous-log-logGroup"] == f"/aws-glue/jobs/{prefix(scenario)}"
        assert args["--TempDir"] == f"s3://{bucket}/temp/"
        assert args["--spark-event-logs-path"].startswith(f"s3://{bucket}/spark-logs/")
        assert args["--extra-py-files"] and all(
            p.startswith(f"s3://{bucket}/scripts/lib/") for p in args["--extra-py-files"].split(",")
        )
        assert not [k for k in args if k.startswith("--vpc-")]
        script = after(job)["command"][0]["script_location"]
        assert script.startswith(f"s3://{bucket}/scripts/") and script.endswith(".py")
    uploaded = {after(o)["key"] for o in index.of_type("aws_s3_object")}
    assert {
        after(j)["command"][0]["script_location"].split(f"s3://{bucket}/", 1)[1] for j in index.of_type("aws_glue_job")
    } <= uploaded


@pytest.mark.parametrize("scenario", WITH_JOBS)
def test_data_bucket_is_private_encrypted_and_versioned(scenario, scenario_plan):
    index = PlanIndex(scenario_plan(scenario))
    # Public-access flags, SSE algorithm, versioning, lifecycle rules (enable_lifecycle_rules), key rotation,
    # retention: the scenario's values; one of each here.
    for rtype in (
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
    ):
        assert len(index.of_type(rtype)) == 1, rtype
    assert len(index.named("aws_kms_key", "this")) == 1
    (logs,) = [g for g in index.of_type("aws_cloudwatch_log_group") if after(g)["name"].startswith("/aws-glue/")]
    assert after(logs)["name"] == f"/aws-glue/jobs/{prefix(scenario)}"
    # The managed AWSGlueServiceRole (glue:* on *) is opt-in: the role's scoped policy runs the jobs.
    assert index.of_type("aws_iam_role_policy_attachment") == []


def test_network_mode_none_means_no_connection_and_no_vpc_job(scenario_plan, scenario_deployment):
    jobs = PlanIndex(scenario_plan("network_none")).of_type("aws_glue_job")
    d = scenario_deployment("network_none")
    assert not d.connections and not d.subnets and d.jobs
    assert all(after(j)["connections"] is None or after(j)["connections"] == [] for j in jobs)
    assert all(j.declared_network_mode == "none" and not vpc_evidence(d, j) for j in d.jobs.values())


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_planned_values_are_the_expected(scenario, scenario_plan):
    """A scenario's values and counts, checked generically (`python -m harness.expectations` shows the diff)."""
    found = mismatches(scenario_plan(scenario), scenario, SCENARIOS[scenario])
    assert not found, f"{scenario}: the plan differs from its values/counts in scenarios.yaml:\n" + "\n".join(found)


def test_a_scenario_key_outside_the_schema_is_an_error(tmp_path):
    # A misspelt `count:` would hold expectations that nothing checks.
    path = tmp_path / "scenarios.yaml"
    path.write_text("scenarios:\n  s:\n    module: stack\n    count: {aws_glue_job: 2}\n")
    with pytest.raises(HarnessError, match=r"^scenarios.yaml: scenario s: needs `module`, .*; unknown: count$"):
        load_scenarios(path)


@pytest.mark.parametrize("scenario", WITH_VPC)
def test_vpc_flow_logs_go_to_their_own_encrypted_group_and_the_default_group_is_empty(scenario, scenario_plan):
    index = PlanIndex(scenario_plan(scenario))
    (flow,) = index.of_type("aws_flow_log")
    assert (after(flow)["traffic_type"], after(flow)["log_destination_type"]) == ("ALL", "cloud-watch-logs")
    assert references(index, flow, "log_destination") == [
        "aws_cloudwatch_log_group.flow_logs[0].arn",
        "aws_cloudwatch_log_group.flow_logs[0]",
        "aws_cloudwatch_log_group.flow_logs",
    ]
    (group,) = index.named("aws_cloudwatch_log_group", "flow_logs")
    assert after(group)["name"] == f"/aws/vpc-flow-logs/{prefix(scenario)}" and after(group)["retention_in_days"] == 365
    assert references(index, group, "kms_key_id")[0] == "aws_kms_key.flow_logs[0].arn"
    (key,) = index.named("aws_kms_key", "flow_logs")
    assert after(key)["enable_key_rotation"] is True
    # Adopted and emptied: the provider removes every rule of the default group and adds only the configured
    # ones, and none is configured (the deployed group is checked on moto: tests/integration/test_good_stack.py).
    (default_group,) = index.of_type("aws_default_security_group")
    config = index.resource_config(default_group)
    assert config.get("address") == "aws_default_security_group.this", default_group["address"]
    assert not {"ingress", "egress"} & set(config["expressions"]), config["expressions"]
    assert references(index, default_group, "vpc_id")[0] == "aws_vpc.this.id"

#!/usr/bin/env python3
"""Wall time of the plan-level suite: cold (no cached plans), warm, and with the cache off;
then the rule catalogue's precision and recall on the corpus (tests/corpus).

Prints the test count, how many times Terraform and its provider were started (the
provider starts decide the suite's speed) and the peak memory of the whole process tree
(pytest, terraform, providers: summed PSS). The corpus is scored from the same
cached plans. Then reads plans of 12.5, 25 and 50 MB made by scripts/big_plan.py
from the inventory plan, to show that plan reading is linear in plan size. With
--integration it also runs the moto lifecycle and prints its phases (from
.cache/integration-timings.json).

    python scripts/bench.py [--integration] [--suite tests/unit] [--ignore tests/unit/test_corpus.py ...]
    python scripts/bench.py --corpus      # only the corpus score, from .cache/plans
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.paths import INTEGRATION_TIMINGS, PLAN_CACHE, REPO, SCRIPTS
from harness.processes import TreeMemory
from harness.timings import JSON_FILE, MARKDOWN_FILE, record

# Terraform commands that start no provider (fmt, version) or only install one (init).
NO_PROVIDER_COMMANDS = frozenset({"init", "fmt", "version", "stand-in binary"})


def run_suite(label: str, suite: str, env_extra: dict[str, str], marker: str | None, ignore: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        bench_file = Path(tmp) / "bench"
        env = {**os.environ, **env_extra, "GLUE_NETCHECK_BENCH_FILE": str(bench_file)}
        cmd = [sys.executable, "-m", "pytest", suite, "-q", "-p", "no:cacheprovider"]
        if marker:
            cmd += ["-m", marker]
        cmd += [f"--ignore={path}" for path in ignore]
        run = measure(cmd, REPO, env)
        counts: dict[str, int] = {}
        invocations: list = []
        for f in glob.glob(f"{bench_file}.*"):
            data = json.loads(Path(f).read_text())
            # A suite that runs pytest inside a test: its terraform runs count, its tests do not.
            if not data.get("nested"):
                for k, v in data["counts"].items():
                    counts[k] = counts.get(k, 0) + v
            invocations += data["invocations"]
    # Stand-in binaries (the harness's timeout test) start no provider: counted apart.
    real = os.path.realpath(os.environ.get("TERRAFORM_BINARY") or shutil.which("terraform") or "terraform")
    by_command: dict[str, int] = {}
    for binary, command, _ in invocations:
        verb = command.split()[1] if os.path.realpath(binary) == real else "stand-in binary"
        by_command[verb] = by_command.get(verb, 0) + 1
    return {
        "label": label,
        "wall_s": round(run["wall"], 1),
        "tests": counts.get("passed", 0) + counts.get("failed", 0),
        "skipped": counts.get("skipped", 0),
        "terraform_invocations": sum(n for verb, n in by_command.items() if verb != "stand-in binary"),
        "provider_starts": sum(n for verb, n in by_command.items() if verb not in NO_PROVIDER_COMMANDS),
        "peak_pss_mb": round(run["pss_mb"]),
        "peak_processes": run["processes"],
        "by_command": by_command,
        "terraform_s": round(sum(d for _, _, d in invocations), 1),
    }


LIKE_FOR_LIKE = [
    "tests/unit/test_scenarios.py",
    "tests/unit/test_rule_catalogue_on_scenarios.py",
    "tests/unit/test_invalid_inputs.py",
]


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """Wall and CPU seconds (the process and everything it waited for), provider processes started, peak PSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = TreeMemory(proc.pid)
    out, _ = proc.communicate()
    wall = time.monotonic() - started
    memory.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd[:4])}... failed (exit {proc.returncode}); benchmark numbers would be meaningless:\n"
            f"{out[-3000:]}"
        )
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "wall": wall,
        "cpu": cpu,
        "providers": len(memory.providers),
        "pss_mb": memory.peak_kb / 1024,
        "processes": memory.peak_processes,
    }


def versus_native(rounds: int) -> list[dict]:
    """The native peer (tests/native, terraform test with mock_provider) beside the like-for-like subset of ours
    and the whole unit suite, interleaved so that the machine's load falls on each: cold (our plan cache empty,
    a fresh `terraform init` of the native root), warm, and after a one-line module edit, in a temporary copy
    of infra/, glue_scripts/ and tests/native/ that both read."""
    from harness.terraform import make_terraform_env

    rows = []
    for n in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp)
            for part in ("infra", "glue_scripts", "tests/native"):
                shutil.copytree(REPO / part, copy / part, ignore=shutil.ignore_patterns(".terraform*"))
            native_env = make_terraform_env(copy / "tfenv").env()
            ours_env = {**os.environ, "INFRA_DIR": str(copy / "infra")}
            pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "unit"]
            suites = {
                "like-for-like": (pytest + LIKE_FOR_LIKE, copy / "cache-subset"),
                "tox -e unit": (pytest + ["tests/unit", "tests/network"], copy / "cache-unit"),
            }
            native = copy / "tests" / "native"
            for state in ("cold", "warm", "one-edit"):
                if state == "one-edit":  # a description: nothing planned changes, but every plan must be redone
                    variables = copy / "infra" / "modules" / "glue" / "variables.tf"
                    variables.write_text(
                        variables.read_text().replace("Prefix of every name", "Prefix of all names", 1)
                    )
                row = {"round": n + 1, "state": state}
                init = measure(["terraform", "init", "-input=false"], native, native_env) if state == "cold" else None
                row["native"] = measure(["terraform", "test"], native, native_env)
                if init:  # cold: the init is part of the native suite's cost; peak memory is the larger
                    row["native"] = {k: row["native"][k] + init[k] for k in ("wall", "cpu", "providers")} | {
                        "pss_mb": max(row["native"]["pss_mb"], init["pss_mb"])
                    }
                for label, (cmd, cache) in suites.items():
                    row[label] = measure(cmd, REPO, {**ours_env, "TF_PLAN_CACHE_DIR": str(cache)})
                rows.append(row)
                print(format_versus([row]).splitlines()[-1], flush=True)
    return rows


def format_versus(rows: list[dict]) -> str:
    lines = [
        "| round | state | suite | wall s | CPU s | provider starts | peak PSS MB | wall vs native |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for label in ("native", "like-for-like", "tox -e unit"):
            m = row[label]
            lines.append(
                f"| {row['round']} | {row['state']} | {label} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['providers']} | "
                f"{m['pss_mb']:.0f} | {m['wall'] / row['native']['wall']:.2f}x |"
            )
    return "\n".join(lines)


def plan_reading(cache_dir: str) -> None:
    """Wall time of json.load + plan adapter + every rule on generated plans of growing size."""
    sys.path.insert(0, str(SCRIPTS))  # big_plan.py, a script beside this one
    from big_plan import grow

    from glue_netcheck import run_rules
    from glue_netcheck.plan_adapter import deployment_from_plan

    plans = sorted(Path(cache_dir).glob("inventory-*.json"), key=os.path.getmtime)
    if not plans:
        print("plan reading: no inventory plan in the cache; skipped")
        return
    base = json.loads(plans[-1].read_text())
    print(
        f"{'plan size':>10} {'jobs':>6} {'load s':>7} {'adapter s':>10} {'rules s':>8} {'total s':>8} {'s per MB':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in (12.5, 25.0, 50.0):
            path = Path(tmp) / "big.json"
            path.write_text(json.dumps(grow(base, "default", megabytes)))
            size = path.stat().st_size / 1e6
            t0 = time.monotonic()
            plan = json.loads(path.read_text())
            t1 = time.monotonic()
            deployment = deployment_from_plan(plan)
            t2 = time.monotonic()
            run_rules(deployment)
            t3 = time.monotonic()
            print(
                f"{size:>8.1f}MB {len(deployment.jobs):>6} {t1 - t0:>7.2f} {t2 - t1:>10.2f} {t3 - t2:>8.2f} "
                f"{t3 - t0:>8.2f} {(t3 - t0) / size:>9.3f}"
            )


_WORKSPACES: list[tempfile.TemporaryDirectory[str]] = []  # kept until the process ends: sources read files


def corpus_plans(cache_dir: Path) -> tuple[dict[str, dict] | None, str, object]:
    """Every corpus case's plan from the plan cache: (plans by case, or None and the key not found,
    and the batched root's sources, read as a user's CLI run reads them)."""
    from glue_netcheck.sources import Sources as RootSources
    from harness.corpus import load_corpus
    from harness.examples import build_unit_inventory
    from harness.mirror import find_mirror
    from harness.terraform import find_terraform, terraform_version
    from harness.workspace import (
        PlanCache,
        Sources,
        build_corpus_case_workspace,
        load_inventory,
        plan_cache_key,
        slice_plan,
    )

    cache = PlanCache(cache_dir)
    version = terraform_version(find_terraform())
    mirror = find_mirror().path
    cases = load_corpus()
    plans: dict[str, dict] = {}
    holder = tempfile.TemporaryDirectory()
    _WORKSPACES.append(holder)
    tmp = holder.name
    workspace, _ = build_unit_inventory(Sources.locate(None), load_inventory(), Path(tmp) / "inventory")
    key = plan_cache_key("inventory", workspace, version, mirror)
    inventory = cache.get(key)
    if inventory is None:
        return None, key, None
    for case in cases.values():
        if not case.standalone:
            plans[case.name] = slice_plan(inventory, case.module)
            continue
        alone = build_corpus_case_workspace(case, Path(tmp) / case.module)
        key = plan_cache_key(case.module, alone, version, mirror)
        plan = cache.get(key)
        if plan is None:
            return None, key, None
        plans[case.name] = plan
    return plans, "", RootSources(workspace, inventory)


def corpus_score(cache_dir: Path, env_extra: dict[str, str]) -> str:
    """Precision and recall of the rule catalogue on the corpus, from cached plans.

    Plans missing from the cache are made by the corpus tests themselves (their fixtures
    plan and cache; their failures are expected while the catalogue does not meet the corpus).
    """
    from glue_netcheck.cli import main as netcheck
    from harness.corpus import Score, findings_for, load_corpus, match_case, match_refusal

    plans, missing, sources = corpus_plans(cache_dir)
    if plans is None:
        subprocess.run(
            [sys.executable, "-m", "pytest", "tests/unit/test_corpus.py", "-q", "-p", "no:cacheprovider"],
            cwd=REPO,
            env={**os.environ, **env_extra},
            capture_output=True,
            text=True,
        )
        plans, missing, sources = corpus_plans(cache_dir)
        if plans is None:
            raise SystemExit(f"corpus: no cached plan {missing} in {cache_dir} even after running the corpus tests")
    results = []
    plan_only = []
    lines = []
    for name, case in load_corpus().items():
        if case.plan_error:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "plan.json"
                path.write_text(json.dumps(plans[name]))
                err = io.StringIO()
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                    code = netcheck(["plan", str(path)])
            result = match_refusal(case, code, err.getvalue())
            plan_only.append(result)
        else:
            result = match_case(case, findings_for(plans[name], source=f"plan:corpus/{name}", sources=sources))
            plan_only.append(match_case(case, findings_for(plans[name], source=f"plan:corpus/{name}")))
        results.append(result)
        lines.append(
            f"  {'ok  ' if result.ok else 'MISS'} r{case.round} {name:<30} tp {result.true_positives}  "
            f"fp {result.false_positive_claims}  fn {len(result.false_negatives)}  "
            f"unverifiable {result.reported_unverifiable}"
        )
    score = Score(results)
    rounds = [f"  round {n}: {part.summary()}" for n, part in score.by_round().items()]
    alone = f"  the plan JSON alone (no sources): {Score(plan_only).summary()}"
    return "\n".join([score.summary(), *rounds, alone, *lines])


def property_run(cache_dir: Path, examples: int, seed: int = 20261207) -> str:
    """The unit suite's property (tests/unit/test_unknown_property.py) drawn for longer, every violation listed.

    Uses the batched inventory plan from the plan cache (run the unit suite first) on the plan JSON alone
    and with the root's sources.
    """
    from glue_netcheck import run_rules
    from glue_netcheck.plan_adapter import READ_TYPES, deployment_from_plan
    from harness import unknowns
    from harness.workspace import slice_plan

    plans, missing, sources = corpus_plans(cache_dir)
    if plans is None or sources is None:
        return f"property: no cached inventory plan ({missing}); run tox -e unit first"
    inventory = sources.plan  # type: ignore[attr-defined]
    names = sorted(inventory["configuration"]["root_module"]["module_calls"])
    lines = []
    for label, run in (
        ("plan JSON alone", lambda p: run_rules(deployment_from_plan(p))),
        ("with sources", lambda p: run_rules(deployment_from_plan(p, sources=sources))),
    ):
        judged = {n: unknowns.judge(n, slice_plan(inventory, n), run) for n in names}
        started = time.monotonic()
        count = examples if label == "plan JSON alone" else max(examples // 3, 1)
        found = unknowns.explore(judged, run, READ_TYPES, count, seed)
        lines.append(
            f"property, {label}: {count} examples over {len(judged)} plans in {time.monotonic() - started:.0f} s: "
            f"{len(found)} kinds of violation"
        )
        lines += [f"  {k[0]} {k[1]} -> {k[2]}: {len(v)}x, e.g. {v[0][0]}: {v[0][2]}" for k, v in sorted(found.items())]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="tests/unit")
    parser.add_argument("--marker", default="unit")
    parser.add_argument(
        "--ignore", action="append", default=[], metavar="PATH", help="a test file left out of the timed runs"
    )
    parser.add_argument("--integration", action="store_true", help="also run the moto lifecycle and print its phases")
    parser.add_argument("--corpus", action="store_true", help="only print the corpus score (default plan cache)")
    parser.add_argument(
        "--property", type=int, metavar="N", help="only run the unknowns property for N examples (default plan cache)"
    )
    parser.add_argument(
        "--integration-timings",
        action="append",
        type=Path,
        default=None,
        metavar="FILE",
        help="integration sessions to record (default: .cache/integration-timings.json, the last run's)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the comparison with the native peer")
    parser.add_argument("--native-only", action="store_true", help="only the comparison with the native peer")
    args = parser.parse_args()
    comparison = format_versus(versus_native(args.rounds))
    print(comparison)
    if args.native_only:
        record({}, comparison=comparison)
        print(f"wrote {MARKDOWN_FILE.relative_to(REPO)}")
        return 0
    if args.corpus:
        cache = Path(os.environ.get("TF_PLAN_CACHE_DIR") or PLAN_CACHE)
        print(corpus_score(cache, {}))
        return 0
    if args.property:
        cache = Path(os.environ.get("TF_PLAN_CACHE_DIR") or PLAN_CACHE)
        print(property_run(cache, args.property))
        return 0
    results = []
    with tempfile.TemporaryDirectory() as cache:
        results.append(
            run_suite("cold (empty plan cache)", args.suite, {"TF_PLAN_CACHE_DIR": cache}, args.marker, args.ignore)
        )
        results.append(
            run_suite("warm (cached plans)", args.suite, {"TF_PLAN_CACHE_DIR": cache}, args.marker, args.ignore)
        )
        score = corpus_score(Path(cache), {"TF_PLAN_CACHE_DIR": cache})
        results.append(run_suite("cache off", args.suite, {"TF_PLAN_CACHE": "0"}, args.marker, args.ignore))
        print(
            f"{'run':<26} {'wall s':>7} {'tests':>6} {'terraform runs':>15} {'provider starts':>16} "
            f"{'terraform s':>12} {'peak PSS MB':>12}  commands"
        )
        for r in results:
            print(
                f"{r['label']:<26} {r['wall_s']:>7} {r['tests']:>6} {r['terraform_invocations']:>15} "
                f"{r['provider_starts']:>16} {r['terraform_s']:>12} {r['peak_pss_mb']:>12}  {r['by_command']}"
            )
        print("peak PSS: the summed proportional set size of pytest and every process under it (terraform, providers)")
        print(score)
        print(property_run(Path(cache), 2000))
        plan_reading(cache)
    measured = {
        "tox -e unit": {"seconds": results[0]["wall_s"], "what": f"{results[0]['tests']} tests, plan cache empty"},
        "tox -e unit (warm)": {"seconds": results[1]["wall_s"], "what": f"{results[1]['tests']} tests, plans cached"},
    }
    if args.integration:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/integration", "-m", "integration", "-q", "-p", "no:cacheprovider"],
            cwd=REPO,
        )
        print(f"integration suite: {time.monotonic() - started:.1f} s wall (exit {proc.returncode})")
        timings = INTEGRATION_TIMINGS
        if timings.is_file():
            print(json.dumps(json.loads(timings.read_text()), indent=2))
    for path in args.integration_timings or [INTEGRATION_TIMINGS]:
        measured.update(integration_runs(path))
    record(measured, comparison=comparison)
    print(f"wrote {JSON_FILE.relative_to(REPO)} and {MARKDOWN_FILE.relative_to(REPO)}: {', '.join(measured)}")
    return 0


def integration_runs(path: Path) -> dict[str, dict]:
    """The last integration session's wall time (written by every run of the suite), as the ./run command
    that makes it: the whole suite, or the smoke run. A run of another part of the suite measures neither."""
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    command = {"integration": "./run integration", "smoke": "./run smoke"}.get(doc.get("markexpr", ""))
    if command is None:
        return {}
    stacks = ", ".join(r["label"] for r in doc.get("lifecycles", []) if r.get("applied"))
    what = f"{doc.get('tests', '?')} tests on {doc.get('backend')}, stacks deployed: {stacks}"
    if doc.get("exitstatus") != 0:  # still the time the command takes; the table says it did not pass
        what += f"; pytest exit {doc.get('exitstatus')} (not a passing run)"
    return {command: {"seconds": doc["session_wall_s"], "what": what}}


if __name__ == "__main__":
    sys.exit(main())

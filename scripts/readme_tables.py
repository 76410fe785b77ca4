#!/usr/bin/env python3
"""Each module README's Inputs and Outputs tables agree with its variables.tf and outputs.tf.

    python scripts/readme_tables.py            # check every infra/modules/*/README.md (exit 1 on a mismatch)
    python scripts/readme_tables.py --fix      # rewrite the tables: drop rows of removed names, add new ones
    python scripts/readme_tables.py --infra-dir PATH

The HCL is read with python-hcl2 (terraform-docs is not installable here). Checked: the names in each
table (first column, backticked) against the declared variables and outputs; for inputs also the default
column: ``(required)`` exactly for a variable without a default, and a backticked literal default
(`` `30` ``, `` `"vpc"` ``, `` `["kms"]` ``, `` `null` ``) equal to the declared one. --fix keeps the rows
of names still declared (their wording is the maintainer's), removes the others and appends a row for
each new name from its type, default and description. tests/unit/test_module_readmes.py runs the check
on the modules under test; `tox -e lint` and pre-commit run this script.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

REPO = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\|\s*([^|]*?)\s*\|(.*)$")
NO_DEFAULT = object()


@dataclass(frozen=True)
class Declared:
    name: str
    type: str = ""
    default: Any = NO_DEFAULT
    description: str = ""


def _unquote(value: Any) -> Any:
    """python-hcl2 keeps HCL's quotes on strings and ``${...}`` around expressions: take them off."""
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            return value[1:-1]
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return value
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items() if k != "__is_block__"}
    return value


def declared(module: Path, kind: str) -> list[Declared]:
    """``kind`` = variable | output, in file and declaration order."""
    found = []
    for tf in sorted(module.glob("*.tf")):
        with tf.open(encoding="utf-8") as fh:
            doc = hcl2.load(fh)
        for block in doc.get(kind, []):
            for raw_name, body in block.items():
                body = _unquote(body)
                found.append(
                    Declared(
                        _unquote(raw_name),
                        str(body.get("type", "")),
                        body.get("default", NO_DEFAULT),
                        " ".join(str(body.get("description", "")).split()),
                    )
                )
    return found


def render_default(value: Any) -> str:
    if value is NO_DEFAULT:
        return "(required)"
    if value is None:
        return "`null`"
    return f"`{json.dumps(value)}`"


def _section(readme: str, heading: str) -> tuple[int, int] | None:
    """(start, end) character offsets of the table under ``## heading``."""
    m = re.search(rf"^## {re.escape(heading)}\n", readme, re.M)
    if not m:
        return None
    end = re.search(r"^## ", readme[m.end() :], re.M)
    return m.end(), m.end() + end.start() if end else len(readme)


def table_rows(readme: str, heading: str) -> list[tuple[list[str], str]]:
    """(backticked names in the first column, the whole row) for each data row of the section's table."""
    span = _section(readme, heading)
    if span is None:
        return []
    rows = []
    for line in readme[span[0] : span[1]].splitlines():
        m = ROW.match(line)
        if not m or set(m.group(1)) <= {"-", ":", " "} or m.group(1) == "name":
            continue
        rows.append((re.findall(r"`([A-Za-z0-9_]+)`", m.group(1)), line))
    return rows


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def check_module(module: Path) -> list[str]:
    """Problems of ``module``'s README tables, one line each naming the README and the fix."""
    readme_path = module / "README.md"
    if not readme_path.is_file():
        return [f"{readme_path}: missing (a module needs a README with Inputs and Outputs tables)"]
    readme = readme_path.read_text(encoding="utf-8")
    problems = []
    for heading, kind in (("Inputs", "variable"), ("Outputs", "output")):
        decl = {d.name: d for d in declared(module, kind)}
        rows = table_rows(readme, heading)
        if _section(readme, heading) is None:
            problems.append(f"{readme_path}: no '## {heading}' section")
            continue
        listed = [n for names, _ in rows for n in names]
        for name in sorted(set(decl) - set(listed)):
            problems.append(f"{readme_path}: {heading} table lacks `{name}` ({kind} in {module.name}/*.tf)")
        for name in sorted(set(listed) - set(decl)):
            problems.append(f"{readme_path}: {heading} table lists `{name}`, which {module.name}/*.tf does not declare")
        for name in sorted({n for n in listed if listed.count(n) > 1}):
            problems.append(f"{readme_path}: {heading} table lists `{name}` more than once")
        if kind != "variable":
            continue
        for names, row in rows:
            cells = _cells(row)
            if len(names) != 1 or names[0] not in decl or len(cells) < 3:
                continue
            d, cell = decl[names[0]], cells[2]
            if (cell == "(required)") != (d.default is NO_DEFAULT):
                problems.append(
                    f"{readme_path}: `{d.name}` default is {cell!r} in the table but {render_default(d.default)} in HCL"
                )
            elif (
                d.default is not NO_DEFAULT
                and re.fullmatch(r"`[^`]*`", cell)
                and _normal(cell.strip("`")) != _normal(render_default(d.default).strip("`"))
            ):
                problems.append(
                    f"{readme_path}: `{d.name}` default is {cell} in the table but {render_default(d.default)} in HCL"
                )
    return [f"{p}; run `python scripts/readme_tables.py --fix`" for p in problems]


def _normal(literal: str) -> Any:
    try:
        return json.loads(literal)
    except ValueError:
        return literal.replace(" ", "")


def fix_module(module: Path) -> bool:
    """Rewrite the tables; True when the README changed."""
    readme_path = module / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    original = readme
    for heading, kind in (("Inputs", "variable"), ("Outputs", "output")):
        span = _section(readme, heading)
        if span is None:
            continue
        decl = declared(module, kind)
        names = {d.name for d in decl}
        kept = [(n, row) for n, row in table_rows(readme, heading) if n and set(n) <= names]
        have = {x for n, _ in kept for x in n}
        header = (
            ["| name | type | default | description |", "|---|---|---|---|"]
            if kind == "variable"
            else ["| name | description |", "|---|---|"]
        )
        by_name = {d.name: d for d in decl}
        lines = header + [
            _fixed_default(row, by_name[n[0]]) if kind == "variable" and len(n) == 1 else row for n, row in kept
        ]
        for d in decl:
            if d.name in have:
                continue
            if kind == "variable":
                lines.append(f"| `{d.name}` | {d.type} | {render_default(d.default)} | {d.description} |")
            else:
                lines.append(f"| `{d.name}` | {d.description} |")
        body = readme[span[0] : span[1]]
        table = re.search(r"(^\|.*\n)+", body, re.M)
        new_table = "\n".join(lines) + "\n"
        body = body[: table.start()] + new_table + body[table.end() :] if table else new_table + "\n" + body
        readme = readme[: span[0]] + body + readme[span[1] :]
    if readme != original:
        readme_path.write_text(readme, encoding="utf-8")
    return readme != original


def _fixed_default(row: str, d: Declared) -> str:
    """The row with its default cell rewritten when it contradicts the HCL (other cells untouched)."""
    cells = _cells(row)
    if len(cells) < 3:
        return row
    wrong_required = (cells[2] == "(required)") != (d.default is NO_DEFAULT)
    literal = re.fullmatch(r"`[^`]*`", cells[2]) and _normal(cells[2].strip("`")) != _normal(
        render_default(d.default).strip("`")
    )
    if not (wrong_required or (d.default is not NO_DEFAULT and literal)):
        return row
    cells[2] = render_default(d.default)
    return "| " + " | ".join(cells) + " |"


def modules(infra: Path) -> list[Path]:
    return sorted(p for p in (infra / "modules").iterdir() if (p / "variables.tf").is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="readme_tables", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="rewrite the tables")
    parser.add_argument("--infra-dir", type=Path, default=REPO / "infra")
    args = parser.parse_args(argv)
    problems = []
    for module in modules(args.infra_dir):
        if args.fix and fix_module(module):
            print(f"rewrote {module / 'README.md'}")
        problems += check_module(module)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok   README tables of {len(modules(args.infra_dir))} modules match their HCL")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

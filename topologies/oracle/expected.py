#!/usr/bin/env python3
"""Regenerates cases/*/expected.jsonl of topologies/ pipelines with the Flink SQL oracle.

Expected rows come from an independent engine (Apache Flink, run locally by ../shared/oracle), and
are committed; Flink itself is not. For each pipeline named on the command line (default: every
pipeline with an `oracle` marker file), the script takes the pipeline's last statement (the query),
the Flink DDL of each input source (oracle/<source>.flink.sql) and the case's inputs, runs the
oracle and writes expected.jsonl. Usage: python3 topologies/oracle/expected.py [pipeline ...]
Needs ORACLE_DIR (default ../shared/oracle, built once with `cd harness && mvn -q package`).
"""
import os, re, subprocess, sys, tempfile, pathlib

HERE = pathlib.Path(__file__).resolve().parent
TOPO = HERE.parent
ORACLE = pathlib.Path(os.environ.get("ORACLE_DIR", TOPO.parent.parent / "shared" / "oracle"))


def last_statement(sql):
    stmts = [s.strip() for s in re.split(r";\s*(?:\n|$)", sql) if s.strip()]
    body = stmts[-1]
    return "\n".join(l for l in body.splitlines() if not l.strip().startswith("--")) + "\n"


def inputs(case):
    out = {}
    listed = case / "inputs.txt"
    if listed.exists():
        for line in listed.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, path = line.split("=", 1)
                out[name.strip()] = (case / path.strip()).resolve()
    d = case / "input"
    if d.is_dir():
        for f in sorted(d.iterdir()):
            out[f.stem] = f.resolve()
    return out


def run(pipeline):
    # A non-empty `oracle` marker file holds the query in Flink's dialect, when Sluice's differs
    # (e.g. `timestamp` is reserved in Flink and must be quoted there).
    marker = pipeline / "oracle"
    override = marker.read_text().strip() if marker.is_file() else ""
    query = override + "\n" if override else last_statement((pipeline / "pipeline.sql").read_text())
    for case in sorted((pipeline / "cases").iterdir()):
        if (case / "README.md").exists():
            continue  # expected rows computed by hand; the README says why
        files = inputs(case)
        with tempfile.TemporaryDirectory() as tmp:
            ddl = "".join((HERE / f"{name}.flink.sql").read_text() for name in files)
            (pathlib.Path(tmp) / "ddl.sql").write_text(ddl)
            (pathlib.Path(tmp) / "query.sql").write_text(query)
            args = [str(ORACLE / "oracle.sh")]
            for name, path in files.items():
                args += ["--var", f"INPUT_{name}={path}"]
            args += [f"{tmp}/ddl.sql", f"{tmp}/query.sql", "--out", str(case / "expected.jsonl")]
            subprocess.run(args, check=True, stderr=subprocess.DEVNULL)
        print(f"{pipeline.name}/{case.name}: {sum(1 for _ in open(case / 'expected.jsonl'))} rows")


if __name__ == "__main__":
    names = sys.argv[1:] or [p.name for p in sorted(TOPO.iterdir()) if (p / "oracle").exists()]
    for n in names:
        run(TOPO / n)

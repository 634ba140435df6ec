#!/usr/bin/env python3
"""Regenerates cases/*/expected.jsonl of topologies/ pipelines with the Flink SQL oracle.

Expected rows come from an independent engine (Apache Flink, run locally by ../shared/oracle), and
are committed; Flink itself is not. For each pipeline named on the command line (default: every
pipeline with an `oracle` marker file), the script takes the pipeline's last statement (the query),
the Flink DDL of each input source (oracle/<source>.flink.sql) and the case's inputs, runs the
oracle and writes expected.jsonl. Usage: python3 topologies/oracle/expected.py [pipeline ...]
Needs ORACLE_DIR (default ../shared/oracle, built once with `cd harness && mvn -q package`).
"""
import json, os, re, subprocess, sys, tempfile, pathlib

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


BIGINT_COLUMNS = ("latency_ms", "tokens_used")


def flink_query(pipeline):
    """The pipeline's query rewritten where Sluice deliberately differs from Flink or Flink lacks a
    function; post() undoes each rewrite on the result rows. Returns (query, post-steps, sink)."""
    # The Flink query when Sluice's dialect differs: oracle.sql, or a non-empty `oracle` marker file
    # (e.g. `timestamp` is reserved in Flink and must be quoted there).
    marker = pipeline / "oracle"
    override = pipeline / "oracle.sql" if (pipeline / "oracle.sql").exists() else (
        marker if marker.is_file() and marker.read_text().strip() else None)
    if override:
        query = "\n".join(l for l in override.read_text().splitlines()
                          if not l.strip().startswith("--")) + "\n"
    else:
        query = last_statement((pipeline / "pipeline.sql").read_text())
    steps = []
    sink = None
    m = re.match(r"\s*CREATE\s+STREAM\s+(\w+)\s+AS\s+", query, re.I)
    if m:
        sink = m.group(1).lower()
        query = query[m.end():]
    m = re.match(r"\s*INSERT\s+INTO\s+(\w+)\s+", query, re.I)
    if m:
        # INSERT INTO a declared sink (the Nexmark pipelines): rows take the sink's column names, by position
        sink = m.group(1).lower()
        query = query[m.end():]
        steps.append(("rename", sink_columns(pipeline, sink), None))
    # Sluice's AVG/STDDEV are DOUBLE (Flink's AVG of BIGINT truncates): compare with Flink on DOUBLE.
    for col in BIGINT_COLUMNS:
        query = re.sub(rf"AVG\(\s*{col}\s*\)", f"AVG(CAST({col} AS DOUBLE))", query, flags=re.I)
        query = re.sub(rf"STDDEV\(\s*{col}\s*\)", f"STDDEV_SAMP(CAST({col} AS DOUBLE))", query, flags=re.I)
    # Flink 1.20 has no APPROX_PERCENTILE: Flink lists each group's values (so Flink still decides window
    # membership and late drops) and post() picks the percentile as KLL does when exact (<= k values).
    def pct(match):
        col, p, alias = match.group(1), match.group(2), match.group(3)
        steps.append(("pdisc", alias, float(p)))
        return f"LISTAGG(CAST({col} AS STRING)) AS {alias}"
    query = re.sub(r"APPROX_PERCENTILE\((\w+),\s*([0-9.]+)\)\s+as\s+(\w+)", pct, query, flags=re.I)
    def array_agg(match):
        distinct, col, key, alias = match.group(1), match.group(2), match.group(3), match.group(4)
        if distinct:
            steps.append(("sorted_distinct", alias, None))
            return f"LISTAGG({col}) AS {alias}"
        steps.append(("sorted_by_prefix", alias, None))
        return f"LISTAGG(CONCAT(CAST({key} AS STRING), '|', {col})) AS {alias}"
    query = re.sub(r"ARRAY_AGG\((DISTINCT\s+)?(\w+)\s+ORDER\s+BY\s+(\w+)\)\s+as\s+(\w+)", array_agg, query,
                   flags=re.I)
    # aliases the seed uses that Flink reserves
    query = re.sub(r"\b(as)\s+(hour|date|minute)\b", r"\1 `\2`", query, flags=re.I)
    query = re.sub(r"DATE\((TUMBLE_START\([^)]*\))\)", r"CAST(\1 AS DATE)", query, flags=re.I)
    if re.search(r"NOW\(\)\s+as\s+(\w+)", query, re.I):
        alias = re.search(r"NOW\(\)\s+as\s+(\w+)", query, re.I).group(1)
        steps.append(("fixed_now", alias, None))
    # ORDER BY / LIMIT of a streaming aggregate apply to the printed result: Flink (streaming) cannot
    # sort by non-time columns, so post() sorts.
    m = re.search(r"\bORDER\s+BY\s+((?:(?!\bORDER\b)[^()])*?)(?:\s+LIMIT\s+(\d+))?\s*;?\s*$", query, re.I | re.S)
    if m:
        keys = [k.strip().split() for k in m.group(1).split(",")]
        steps.append(("order", keys, int(m.group(2)) if m.group(2) else None))
        query = query[:m.start()] + ";\n"
    if (pipeline / "oracle.filter").exists():
        # a HAVING on a percentile that Flink cannot compute: applied after post() computed it
        spec = (pipeline / "oracle.filter").read_text().splitlines()
        steps.append(("filter", spec[0], None))
        if len(spec) > 1 and spec[1].strip():
            steps.append(("drop", spec[1].split(), None))
    return query, steps, sink


def sink_columns(pipeline, sink):
    """The column names of `CREATE TABLE sink (...)` in the pipeline, in order."""
    sql = (pipeline / "pipeline.sql").read_text()
    m = re.search(rf"CREATE\s+TABLE\s+{sink}\s*\((.*?)\)\s*(?:PARTITIONED|WITH)", sql, re.I | re.S)
    names, depth, item = [], 0, ""
    for ch in m.group(1) + ",":
        if ch in "(<":
            depth += 1
        elif ch in ")>":
            depth -= 1
        if ch == "," and depth == 0:
            names.append(item.strip().split()[0].strip("`"))
            item = ""
        else:
            item += ch
    return names


def kll_rank(values, p):
    """The item KLL's getQuantile(p, INCLUSIVE) returns when it holds every value: the smallest k
    with k/n >= p."""
    xs = sorted(values)
    n = len(xs)
    for k in range(1, n + 1):
        if k / n >= p:
            return xs[k - 1]
    return xs[-1]


def post(rows, steps, sink):
    exact = {}
    for step in steps:
        if step[0] == "pdisc":
            # KLL is exact up to k=200 values and within 1.33% of rank (99% confidence) beyond: the expected
            # value is the range of values within 3% of rank of p, checked as {"approx_between": [lo, hi]}.
            for r in rows:
                v = r[step[1]]
                if v is None:
                    continue
                xs = [float(x) for x in v.split(",")]
                exact.setdefault(id(r), {})[step[1]] = kll_rank(xs, step[2])
                r[step[1]] = {"approx_between": [kll_rank(xs, max(step[2] - 0.03, 0.0)),
                                                 kll_rank(xs, min(step[2] + 0.03, 1.0))]}
        elif step[0] == "sorted_distinct":
            for r in rows:
                r[step[1]] = sorted(set(r[step[1]].split(",")))
        elif step[0] == "sorted_by_prefix":
            for r in rows:
                r[step[1]] = [x.split("|", 1)[1] for x in sorted(r[step[1]].split(","), key=lambda x: x.split("|", 1)[0])]
        elif step[0] == "filter":
            # a HAVING on a percentile: decided on the exact percentile, so groups whose exact value is
            # within the approximation band of the threshold are left out of the fixture (see oracle.filter)
            rows = [r for r in rows if eval(step[1], {"exact": lambda c: exact[id(r)][c]}, {"r": r})]
        elif step[0] == "drop":
            for r in rows:
                for c in step[1]:
                    r.pop(c, None)
        elif step[0] == "rename":
            rows = [dict(zip(step[1], r.values())) for r in rows]
        elif step[0] == "fixed_now":
            for r in rows:
                r[step[1]] = "2024-01-16 00:00:00.000"
        elif step[0] == "order":
            keys, limit = step[1], step[2]
            for key in reversed(keys):
                name, desc = key[0], len(key) > 1 and key[1].upper() == "DESC"
                nulls = [r for r in rows if r.get(name) is None]
                rest = sorted((r for r in rows if r.get(name) is not None), key=lambda r: r[name], reverse=desc)
                rows = (nulls + rest) if desc else (rest + nulls)
            if limit is not None:
                rows = rows[:limit]
    if sink:
        rows = [dict([("_sink", sink)] + list(r.items())) for r in rows]
    return rows


def ts_ms(text):
    """Epoch milliseconds of Flink's 'yyyy-MM-dd HH:mm:ss.SSS' (UTC)."""
    import datetime
    dt = datetime.datetime.strptime(text[:23], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    return round(dt.timestamp() * 1000)


def run(pipeline):
    query, steps, sink = flink_query(pipeline)
    for case in sorted((pipeline / "cases").iterdir()):
        if (case / "README.md").exists():
            continue  # expected rows computed by hand; the README says why
        files = inputs(case)
        with tempfile.TemporaryDirectory() as tmp:
            # a pipeline may need its own Flink DDL (oracle.ddl.sql), e.g. a longer watermark that is
            # equivalent to Sluice's EMIT AFTER WATERMARK + INTERVAL
            local = pipeline / "oracle.ddl.sql"
            ddl = local.read_text() if local.exists() else "".join(
                (HERE / f"{name}.flink.sql").read_text() for name in files)
            (pathlib.Path(tmp) / "ddl.sql").write_text(ddl)
            (pathlib.Path(tmp) / "query.sql").write_text(query)
            args = [str(ORACLE / "oracle.sh")]
            for name, path in files.items():
                args += ["--var", f"INPUT_{name}={path}"]
            raw = pathlib.Path(tmp) / "raw.jsonl"
            args += [f"{tmp}/ddl.sql", f"{tmp}/query.sql", "--out", str(raw)]
            if any(st[0] == "order" for st in steps):
                args += ["--no-sort"]
            if (pipeline / "oracle.mode").exists():
                # a query Flink cannot run in streaming mode (Nexmark q6: OVER on an updating input) is
                # computed in batch mode, whose rows are the final state of the streaming answer
                args += ["--mode", (pipeline / "oracle.mode").read_text().split()[0]]
            subprocess.run(args, check=True, stderr=subprocess.DEVNULL)
            rows = [json.loads(l) for l in raw.read_text().splitlines() if l.strip()]
            rows = post(rows, steps, sink)
            if (pipeline / "oracle.post").exists():
                # a column Flink cannot compute the way Sluice (PostgreSQL) defines it, derived from
                # columns Flink did compute
                exec((pipeline / "oracle.post").read_text(), {"rows": rows, "ts_ms": ts_ms})
            with open(case / "expected.jsonl", "w") as out:
                for r in rows:
                    out.write(json.dumps(r) + "\n")
            if (pipeline / "changelog").exists():
                # The ordered changelog too (+I/-U/+U/-D in Flink's order): PipelinesTest compares it
                # with `replay --changelog` row by row.
                log = pathlib.Path(tmp) / "changelog.jsonl"
                args[args.index("--out") + 1] = str(log)
                subprocess.run(args + ["--changelog", "raw", "--no-sort"], check=True, stderr=subprocess.DEVNULL)
                changes = [json.loads(l) for l in log.read_text().splitlines() if l.strip()]
                # `changelog` saying "subset": Sluice updates a row in one step where Flink retracts and
                # re-inserts it (a ranking over an aggregate), so the changelogs differ in transient rows;
                # PipelinesTest then checks Sluice's against Flink's as flink-changelog.jsonl (see there).
                subset = (pipeline / "changelog").read_text().strip() == "subset"
                with open(case / ("flink-changelog.jsonl" if subset else "changelog.jsonl"), "w") as out:
                    for r in post(changes, [st for st in steps if st[0] != "order"], sink):
                        out.write(json.dumps(r) + "\n")
            ordered = case / "ordered"
            order = [st for st in steps if st[0] == "order"]
            if order:
                ordered.write_text("# the query has ORDER BY: the printed sequence of these columns is checked\n"
                                   + "\n".join(k[0] for k in order[0][1]) + "\n")
            elif ordered.exists():
                ordered.unlink()
        print(f"{pipeline.name}/{case.name}: {sum(1 for _ in open(case / 'expected.jsonl'))} rows")


if __name__ == "__main__":
    names = sys.argv[1:] or [p.name for p in sorted(TOPO.iterdir()) if (p / "oracle").exists()]
    for n in names:
        run(TOPO / n)

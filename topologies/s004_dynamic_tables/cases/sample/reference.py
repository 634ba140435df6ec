#!/usr/bin/env python3
"""Independent reference for the seed 004 dynamic tables over input/TEST_RESULTS.jsonl: plain Python
over the whole input (a dynamic table's final state), written from the SQL of seed 004 sections 2-4
(Snowflake semantics: PERCENTILE_CONT interpolates linearly, STDDEV is the sample deviation and NULL
for one row, aggregates skip NULLs). CURRENT_TIMESTAMP() is the tests' fixed clock. Writes
expected.jsonl next to this file."""
import json, math, pathlib
from collections import OrderedDict

HERE = pathlib.Path(__file__).parent
NOW = "2024-01-16 00:00:00.000"
rows = [json.loads(l) for l in (HERE / "input" / "TEST_RESULTS.jsonl").read_text().splitlines() if l.strip()]

def nn(xs): return [x for x in xs if x is not None]
def avg(xs): xs = nn(xs); return sum(xs) / len(xs) if xs else None
def mn(xs): xs = nn(xs); return min(xs) if xs else None
def mx(xs): xs = nn(xs); return max(xs) if xs else None
def sm(xs): xs = nn(xs); return sum(xs) if xs else None
def stddev(xs):
    xs = nn(xs)
    if len(xs) < 2: return None
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
def pct(p, xs):
    xs = sorted(nn(xs))
    if not xs: return None
    pos = p * (len(xs) - 1); lo = math.floor(pos); hi = math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
def per_1k(g):
    ops = sm(r["TOTAL_OPERATIONS"] for r in g)
    return sm(r["WAREHOUSE_CREDITS_USED"] for r in g) / ops * 1000 if ops and ops > 0 else None
def tpl(r, *path):
    v = r["TEST_CONFIG"]
    for p in path:
        v = v.get(p) if isinstance(v, dict) else None
    return v
def group(rs, key):
    out = OrderedDict()
    for r in rs: out.setdefault(key(r), []).append(r)
    return out

out = []
# section 2: DT_TABLE_TYPE_SUMMARY
done = [r for r in rows if r["STATUS"] == "COMPLETED" and r["TABLE_TYPE"] is not None and r["QPS"] is not None and r["QPS"] > 0]
for tt, g in group(done, lambda r: r["TABLE_TYPE"]).items():
    col = lambda c: [r[c] for r in g]
    out.append(OrderedDict([("_sink", "DT_TABLE_TYPE_SUMMARY"), ("TABLE_TYPE", tt), ("test_count", len(g)),
        ("unique_templates", len({tpl(r, "template_id") for r in g if tpl(r, "template_id") is not None})),
        ("avg_qps", avg(col("QPS"))), ("min_qps", mn(col("QPS"))), ("max_qps", mx(col("QPS"))),
        ("median_qps", pct(0.5, col("QPS"))), ("p95_qps", pct(0.95, col("QPS"))), ("stddev_qps", stddev(col("QPS"))),
        ("avg_p50_ms", avg(col("P50_LATENCY_MS"))), ("min_p50_ms", mn(col("P50_LATENCY_MS"))),
        ("max_p50_ms", mx(col("P50_LATENCY_MS"))), ("median_p50_ms", pct(0.5, col("P50_LATENCY_MS"))),
        ("avg_p95_ms", avg(col("P95_LATENCY_MS"))), ("min_p95_ms", mn(col("P95_LATENCY_MS"))),
        ("max_p95_ms", mx(col("P95_LATENCY_MS"))), ("median_p95_ms", pct(0.5, col("P95_LATENCY_MS"))),
        ("avg_p99_ms", avg(col("P99_LATENCY_MS"))), ("min_p99_ms", mn(col("P99_LATENCY_MS"))),
        ("max_p99_ms", mx(col("P99_LATENCY_MS"))), ("median_p99_ms", pct(0.5, col("P99_LATENCY_MS"))),
        ("avg_error_rate", avg(col("ERROR_RATE"))), ("max_error_rate", mx(col("ERROR_RATE"))),
        ("total_failed_ops", sm(col("FAILED_OPERATIONS"))), ("total_credits", sm(col("WAREHOUSE_CREDITS_USED"))),
        ("avg_credits_per_test", avg(col("WAREHOUSE_CREDITS_USED"))), ("credits_per_1k_ops", per_1k(g)),
        ("total_operations", sm(col("TOTAL_OPERATIONS"))), ("total_read_ops", sm(col("READ_OPERATIONS"))),
        ("total_write_ops", sm(col("WRITE_OPERATIONS"))), ("earliest_test", mn(col("START_TIME"))),
        ("latest_test", mx(col("START_TIME"))), ("refreshed_at", NOW)]))
# section 3: DT_TEMPLATE_STATISTICS (recency_rank: position by START_TIME DESC within the template)
tests = [r for r in rows if r["STATUS"] == "COMPLETED" and tpl(r, "template_id") is not None
         and r["QPS"] is not None and r["QPS"] > 0]
for tid, g in group(tests, lambda r: tpl(r, "template_id")).items():
    ranked = sorted(g, key=lambda r: r["START_TIME"], reverse=True)
    recent = ranked[:10]
    col = lambda c, rs=g: [r[c] for r in rs]
    a = OrderedDict([("_sink", "DT_TEMPLATE_STATISTICS"), ("template_id", tid),
        ("template_name", mx(tpl(r, "scenario", "name") for r in g)), ("table_type", mx(col("TABLE_TYPE"))),
        ("warehouse_size", mx(col("WAREHOUSE_SIZE"))), ("load_mode", mx(tpl(r, "scenario", "load_mode") for r in g)),
        ("total_runs", len(g)), ("recent_runs", len(recent)),
        ("avg_qps", avg(col("QPS"))), ("stddev_qps", stddev(col("QPS"))), ("min_qps", mn(col("QPS"))),
        ("max_qps", mx(col("QPS"))), ("median_qps", pct(0.5, col("QPS"))),
        ("avg_p95_ms", avg(col("P95_LATENCY_MS"))), ("stddev_p95_ms", stddev(col("P95_LATENCY_MS"))),
        ("min_p95_ms", mn(col("P95_LATENCY_MS"))), ("max_p95_ms", mx(col("P95_LATENCY_MS"))),
        ("median_p95_ms", pct(0.5, col("P95_LATENCY_MS"))),
        ("avg_p99_ms", avg(col("P99_LATENCY_MS"))), ("min_p99_ms", mn(col("P99_LATENCY_MS"))),
        ("max_p99_ms", mx(col("P99_LATENCY_MS"))),
        ("avg_error_rate", avg(col("ERROR_RATE"))), ("max_error_rate", mx(col("ERROR_RATE"))),
        ("total_credits", sm(col("WAREHOUSE_CREDITS_USED"))), ("avg_credits_per_run", avg(col("WAREHOUSE_CREDITS_USED"))),
        ("credits_per_1k_ops", per_1k(g)),
        ("recent_avg_qps", avg(col("QPS", recent))), ("recent_avg_p95_ms", avg(col("P95_LATENCY_MS", recent))),
        ("first_run", mn(col("START_TIME"))), ("last_run", mx(col("START_TIME"))), ("refreshed_at", NOW)])
    if a["total_runs"] < 2:
        continue
    cv = a["stddev_qps"] / a["avg_qps"] if a["avg_qps"] and a["avg_qps"] > 0 and a["stddev_qps"] is not None else None
    a["cv_qps"] = cv
    a["cv_p95"] = (a["stddev_p95_ms"] / a["avg_p95_ms"] if a["avg_p95_ms"] and a["avg_p95_ms"] > 0
                   and a["stddev_p95_ms"] is not None else None)
    a["qps_trend_pct"] = ((a["recent_avg_qps"] - a["avg_qps"]) / a["avg_qps"]) * 100 \
        if a["avg_qps"] > 0 and a["recent_avg_qps"] is not None else None
    a["stability_badge"] = ("unknown" if cv is None else "very_stable" if cv < 0.10 else "stable" if cv < 0.15
                            else "moderate" if cv < 0.25 else "volatile")
    out.append(a)
# section 4: DT_DAILY_COST_ROLLUP
daily = [r for r in rows if r["STATUS"] == "COMPLETED" and r["START_TIME"] is not None]
for (day, tt, wh), g in group(daily, lambda r: (r["START_TIME"][:10], r["TABLE_TYPE"], r["WAREHOUSE_SIZE"])).items():
    col = lambda c: [r[c] for r in g]
    out.append(OrderedDict([("_sink", "DT_DAILY_COST_ROLLUP"), ("run_date", day), ("TABLE_TYPE", tt),
        ("WAREHOUSE_SIZE", wh), ("test_count", len(g)), ("total_credits", sm(col("WAREHOUSE_CREDITS_USED"))),
        ("avg_credits_per_test", avg(col("WAREHOUSE_CREDITS_USED"))), ("total_operations", sm(col("TOTAL_OPERATIONS"))),
        ("credits_per_1k_ops", per_1k(g)), ("avg_qps", avg(col("QPS"))), ("avg_p95_ms", avg(col("P95_LATENCY_MS"))),
        ("total_test_duration_seconds", sm(col("DURATION_SECONDS"))), ("refreshed_at", NOW)]))
with open(HERE / "expected.jsonl", "w") as f:
    for r in out:
        f.write(json.dumps(r) + "\n")
print(len(out), "rows")

#!/usr/bin/env python3
"""Independent reference for seed 004 section 5 (V_TEMPLATE_RUNS) read with template_id = 'tpl-a':
plain Python over the whole input; recency_rank is the position by START_TIME descending among the
template's COMPLETED runs. Writes expected.jsonl next to this file."""
import json, pathlib
from collections import OrderedDict

HERE = pathlib.Path(__file__).parent
src = HERE.parent.parent.parent / "s004_dynamic_tables" / "cases" / "sample" / "input" / "TEST_RESULTS.jsonl"
rows = [json.loads(l) for l in src.read_text().splitlines() if l.strip()]
cfg = lambda r, *p: (lambda v: [v := (v.get(k) if isinstance(v, dict) else None) for k in p][-1])(r["TEST_CONFIG"])
runs = [r for r in rows if r["STATUS"] == "COMPLETED" and cfg(r, "template_id") is not None]
out = []
for tid in sorted({cfg(r, "template_id") for r in runs}):
    ranked = sorted((r for r in runs if cfg(r, "template_id") == tid), key=lambda r: r["START_TIME"], reverse=True)
    for i, r in enumerate(ranked):
        if tid != "tpl-a":
            continue
        ops = r["TOTAL_OPERATIONS"]
        out.append(OrderedDict([(k, r[k]) for k in ("TEST_ID", "RUN_ID")] + [("template_id", tid)]
            + [(k, r[k]) for k in ("TEST_NAME", "TABLE_TYPE", "WAREHOUSE_SIZE", "STATUS", "START_TIME",
                                   "DURATION_SECONDS", "CONCURRENT_CONNECTIONS", "QPS", "P50_LATENCY_MS",
                                   "P95_LATENCY_MS", "P99_LATENCY_MS", "ERROR_RATE", "TOTAL_OPERATIONS",
                                   "READ_OPERATIONS", "WRITE_OPERATIONS", "FAILED_OPERATIONS",
                                   "WAREHOUSE_CREDITS_USED")]
            + [("credits_per_1k_ops", r["WAREHOUSE_CREDITS_USED"] / ops * 1000 if ops and ops > 0 else None),
               ("load_mode", cfg(r, "scenario", "load_mode")), ("scale_mode", cfg(r, "template_config", "scaling", "mode")),
               ("recency_rank", i + 1)]))
with open(HERE / "expected.jsonl", "w") as f:
    for r in out:
        f.write(json.dumps(r) + "\n")
print(len(out), "rows")

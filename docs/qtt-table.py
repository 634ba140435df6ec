#!/usr/bin/env python3
"""The per-file table of docs/compatibility.md from a `sluice test --quiet --by-file` run over ksqlDB's QTT files.

Usage: java -jar sluice.jar test --quiet --by-file "$QTT" > run.txt
       python3 docs/qtt-table.py run.txt "$QTT"      # the table rows on stdout, the totals on stderr

Columns: cases (passed + failed + skipped), passed, failed, failures of Protobuf variants (a case name
with PROTOBUF), and failures whose statements call one of ksqlDB's test-only functions.
"""
import json, re, sys, os
run = sys.argv[1]; qtt = sys.argv[2]
TEST_ONLY = ["TEST_UDF","BAD_UDF","TEST_UDAF","TEST_UDTF","THROWING_UDTF","WHENCONDITION","TOSTRUCT","VAR_ARG","MID_VAR_ARG","MULTI_ARG","GENERIC_VAR_ARG","OBJ_COL_ARG","FOUR_ARG","FIVE_ARG"]
pat = re.compile(r"\b(" + "|".join(TEST_ONLY) + r")\s*\(", re.I)
files = {}
fails = {}
for line in open(run):
    m = re.match(r"FILE (\S+): (\d+) passed, (\d+) failed(?:, (\d+) skipped)?", line)
    if m:
        files[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4) or 0))
    m = re.match(r"FAIL (\S+) :: (.*?): ", line)
    if m:
        fails.setdefault(m.group(1), []).append(line[len("FAIL " + m.group(1) + " :: "):])
rows = []
tot = [0,0,0,0,0,0]
for f in sorted(files):
    p, fl, sk = files[f]
    text = open(os.path.join(qtt, f)).read()
    try:
        tests = json.loads(text)["tests"]
    except ValueError:
        text = re.sub(r"(?m)^\s*//.*$", "", text)
        text = re.sub(r",(\s*[\]}])", r"\1", text)
        try:
            tests = json.loads(text, strict=False)["tests"]
        except ValueError as e:
            print("cannot read", f, e, file=sys.stderr); tests = []
    names = {}
    for t in tests:
        fmts = t.get("format") or [None]
        for fm in fmts:
            n = t["name"] + (" - " + fm if fm else "")
            names[n] = " ".join(t.get("statements", [])).replace("{FORMAT}", fm or "")
    proto = 0; only = 0
    for fline in fails.get(f, []):
        # the longest case name that prefixes the line
        best = max((n for n in names if fline.startswith(n + ":")), key=len, default=None)
        if best is None:
            continue
        if "PROTOBUF" in best.upper():
            proto += 1
        if pat.search(names[best]):
            only += 1
    rows.append(f"| {f} | {p+fl+sk} | {p} | {fl} | {proto} | {only} |")
    for i, v in enumerate([p+fl+sk, p, fl, proto, only, sk]):
        tot[i] += v
rows.append(f"| **total** | {tot[0]} | {tot[1]} | {tot[2]} | {tot[3]} | {tot[4]} |")
print("\n".join(rows))
print(f"{tot[1]} of {tot[0]} pass, {tot[2]} fail, {tot[5]} skipped", file=sys.stderr)

import json, math
rows=[json.loads(l) for l in open("ev.jsonl")]
flink=[json.loads(l) for l in open("flink-1.20.3-changelog.jsonl")]
def welford_add(s,x):
    n,mean,m2=s; n+=1; d=x-mean; mean+=d/n; m2+=d*(x-mean); return (n,mean,m2)
def welford_ret(s,x):
    n,mean,m2=s; n-=1
    if n<=0: return (0,0.0,0.0)
    pm=mean; mean=(pm*(n+1)-x)/n; m2-=(x-mean)*(x-pm); m2=0.0 if n==1 else max(m2,0.0); return (n,mean,m2)
def res(n,m2,kind):
    samp=kind in("vs","ss"); div=n-1 if samp else n
    if n==0 or div==0: return None
    v=max(0.0,m2/div); return math.sqrt(v) if kind in("sp","ss") else v
def sums_res(n,s,s2,kind):
    samp=kind in("vs","ss"); div=n-1 if samp else n
    if n==0 or div==0: return None
    v=(s2-s*s/n)/div; return (math.sqrt(v) if v>=0 else "NaN") if kind in("sp","ss") else v
latest={}; groups={}
out={"recompute":[], "incremental":[], "sums":[]}
inc={}; sums={}
def emit(g):
    counts=groups[g]
    vals=list(counts.keys())
    s=(0,0.0,0.0)
    for v in vals: s=welford_add(s,v)
    out["recompute"].append((g,)+tuple(res(s[0],s[2],k) for k in ("sp","vs","ss","vp")))
    n,m,m2=inc[g]; out["incremental"].append((g,)+tuple(res(n,m2,k) for k in ("sp","vs","ss","vp")))
    n,s1,s2=sums[g]; out["sums"].append((g,)+tuple(sums_res(n,s1,s2,k) for k in ("sp","vs","ss","vp")))
def change(g,x,d):
    c=groups.setdefault(g,{}); inc.setdefault(g,(0,0.0,0.0)); sums.setdefault(g,(0,0.0,0.0))
    if d>0:
        c[x]=c.get(x,0)+1
        if c[x]==1:
            inc[g]=welford_add(inc[g],x); n,a,b=sums[g]; sums[g]=(n+1,a+x,b+x*x)
    else:
        c[x]-=1
        if c[x]==0:
            del c[x]; inc[g]=welford_ret(inc[g],x); n,a,b=sums[g]; sums[g]=(n-1,a-x,b-x*x)
for r in rows:
    u=r["u"]
    if u in latest:
        og,ox=latest[u]; change(og,ox,-1)
        if og!=r["g"]: emit(og)
    latest[u]=(r["g"],r["x"]); change(r["g"],r["x"],1); emit(r["g"])
F=set((f["g"],f["sp"],f["vs"],f["ss"],f["vp"]) for f in flink if f["op"] in("+I","+U"))
for k,v in out.items():
    print(k, "rows", len(set(v)), "in flink", len(set(v)&F), "flink rows", len(F))
# per-row compare of last values per group

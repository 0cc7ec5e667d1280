#!/usr/bin/env bash
# Regenerates docs/benchmarks.md: every benchmark in bench/ on this machine, each figure beside its target.
#   bench/Suanli.Bench        BenchmarkDotNet (ShortRun, in-process): step time, memory fit, training
#   bench/Suanli.Bench.Cost   BenchmarkDotNet (ShortRun, in-process): the 10,000-candidate search; --count for its counts
#   bench/Suanli.Bench.Serving  Stopwatch: one million simulated requests, two capacity searches
#   bench/Suanli.Web.Bench    the web server under issue 16's load, with a runaway request cut at the time limit
# Every speed figure in docs/ comes from this file or from docs/timings.md (scripts/measure.sh); rerun it after a
# change that moves them:   ./scripts/bench.sh   (about five minutes on 2 cores)
# Exits 1 when a benchmark fails or the web load test has an error (the page is written anyway, saying so).
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/benchmarks.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)

for p in bench/Suanli.Bench bench/Suanli.Bench.Cost bench/Suanli.Bench.Serving bench/Suanli.Web.Bench; do
  dotnet build "$p" -c Release 2>&1 | tail -1 >&2
done
bin() { echo "bench/$1/bin/Release/net10.0/linux-x64/$1.dll"; }

echo "bench/Suanli.Bench (BenchmarkDotNet)..." >&2
dotnet "$(bin Suanli.Bench)" --filter '*' --exporters json --artifacts "$tmp/bdn" > "$tmp/bench.log" 2>&1 \
  || { tail -20 "$tmp/bench.log" >&2; exit 1; }
echo "bench/Suanli.Bench.Cost (BenchmarkDotNet and counts)..." >&2
dotnet "$(bin Suanli.Bench.Cost)" --exporters json --artifacts "$tmp/bdn" > "$tmp/cost.log" 2>&1 \
  || { tail -20 "$tmp/cost.log" >&2; exit 1; }
dotnet "$(bin Suanli.Bench.Cost)" --count --json "$tmp/cost.json" >&2
echo "bench/Suanli.Bench.Serving..." >&2
dotnet "$(bin Suanli.Bench.Serving)" --json "$tmp/serving.json" >&2
echo "bench/Suanli.Web.Bench..." >&2
web=0
dotnet "$(bin Suanli.Web.Bench)" --json "$tmp/web.json" >&2 || web=$?
[ -f "$tmp/web.json" ] || { echo "bench/Suanli.Web.Bench stopped before its load test (exit $web); $out not written" >&2; exit 1; }

BENCH_TMP="$tmp" BENCH_LOAD="$load" BENCH_CORES="$(nproc)" BENCH_DATE="$(date -u +%Y-%m-%d)" BENCH_WEB_EXIT="$web" \
  python3 - "$out" <<'PY'
import glob, json, os, re, sys

tmp = os.environ["BENCH_TMP"]
out = sys.argv[1]

def load(name):
    with open(os.path.join(tmp, name)) as f:
        return json.load(f)

# BenchmarkDotNet's JSON reports, one per class; means in nanoseconds.
runs, host = {}, None
for path in sorted(glob.glob(os.path.join(tmp, "bdn", "results", "*-report-full-compressed.json"))):
    with open(path) as f:
        report = json.load(f)
    host = host or report["HostEnvironmentInfo"]
    for b in report["Benchmarks"]:
        runs[f'{b["Type"]}.{b["Method"]}'] = b

# Each benchmark's description is its <summary> in bench/ (the line above [Benchmark]).
described = {}
for path in glob.glob("bench/*/*.cs"):
    text = open(path).read()
    for m in re.finditer(r"public (?:sealed )?class (\w+)(.*?)(?=\npublic (?:sealed )?class |\Z)", text, re.S):
        for b in re.finditer(r"/// <summary>([^\n]*?)</summary>[ \t]*\n\s*\[Benchmark[^\]]*\]\s*\n\s*public [\w<>\[\]]+ (\w+)\(", m.group(2)):
            described[f"{m.group(1)}.{b.group(2)}"] = " ".join(b.group(1).split())

def time_text(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            v = ns / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:,.0f} {unit}"
    return f"{ns:.3g} ns"

def bytes_text(b):
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if b >= scale:
            return f"{b / scale:.3g} {unit}"
    return f"{b:,.0f} B"

def verdict(value, limit):
    return "met" if value < limit else "**missed**"

# Targets from the issues, in nanoseconds per operation (None: the issue asked for the figure, not a limit).
targets = {
    "StepTimeBench.EstimateCached": (1e3, "under 1 us per evaluation (issue 11)"),
    "StepTimeBench.EstimatePrepared": (1e3, "under 1 us per evaluation (issue 11)"),
    "StepTimeBench.SweepEveryModel64Batches": (1e9, "under 1 s (issue 3)"),
    "CatalogBench.LoadEmbeddedCatalog": (100e6, "under 100 ms (issue 14)"),
    "PlanBench.WebDefaultCold": (1e9, "a plan under 1 s (issue 11, for `suanli plan` on the default scenario)"),
    "SearchBench.SearchPruned": (10e9, "10,000 candidates under 10 s (issue 6)"),
    "SearchBench.SearchExhaustive": (10e9, "10,000 candidates under 10 s (issue 6)"),
}

def table(names):
    rows = ["| benchmark | what it runs | mean (± error) | allocated per call | target |", "|---|---|---|---|---|"]
    for name in names:
        b = runs[name]
        s = b["Statistics"]
        margin = s["ConfidenceInterval"]["Margin"]
        limit, text = targets.get(name, (None, "none stated"))
        target = f"{text}: {verdict(s['Mean'], limit)}" if limit else text
        rows.append(f"| `{name}` | {described.get(name, '')} | {time_text(s['Mean'])} (± {time_text(margin)}) | "
                    f"{bytes_text(b['Memory']['BytesAllocatedPerOperation'])} | {target} |")
    return "\n".join(rows)

missing = sorted(set(described) - set(runs))
if missing:
    sys.exit("benchmarks in bench/ without a result: " + ", ".join(missing))

cost, serving, web = load("cost.json"), load("serving.json"), load("web.json")
web_exit = int(os.environ["BENCH_WEB_EXIT"])
own = [n for n in runs if not n.startswith("SearchBench.")]
order = ["StepTimeBench", "MemoryFitBench", "TrainingBench"]
own.sort(key=lambda n: (order.index(n.split(".")[0]) if n.split(".")[0] in order else 9, n))
pruned = runs["SearchBench.SearchPruned"]["Statistics"]["Mean"]

def ms(v):
    return f"{v:.2f}" if v < 10 else f"{v:,.0f}"

def pct(d):
    return f"p50 {ms(d['p50'])}, p90 {ms(d['p90'])}, p99 {ms(d['p99'])}, max {ms(d['max'])}"

lines = f"""# Benchmarks

Generated by `scripts/bench.sh` on {os.environ["BENCH_DATE"]}: {os.environ["BENCH_CORES"]} cores ({host["ProcessorName"]}),
{host["RuntimeVersion"].split(" (")[0]}, {host["OsVersion"]}, Release build; load average {os.environ["BENCH_LOAD"]} when
it started (other work on the machine inflates times). Do not edit by hand: rerun the script. Times depend on the
machine and on what else runs on it; the counts do not. The targets are those of the issues that asked for each
figure; the wall time of `suanli plan` and `suanli optimize` per example and of each web endpoint alone are in
[timings.md](timings.md) (`scripts/measure.sh`).

## Step time, memory fit and training (`bench/Suanli.Bench`)

BenchmarkDotNet {host["BenchmarkDotNetVersion"]}, ShortRun (3 iterations after 3 warm-ups; the error is half the 99.9%
confidence interval, wide with 3 iterations), in-process toolchain:
`dotnet run -c Release --project bench/Suanli.Bench -- --filter '*'`.

{table(own)}

## Cost search (`bench/Suanli.Bench.Cost`)

Space: {cost["models"]} models x {cost["precisions"]} precisions x {cost["devices"]} devices x {cost["devicesPerReplica"]} devices per replica (valid
layouts only) x {cost["engines"]} engines = **{cost["candidates"]:,} candidates**, one application, roofline capacity bound, analytic evaluator
(`dotnet run -c Release --project bench/Suanli.Bench.Cost`; `-- --count` prints one timed run). Pruned, the search
evaluates {cost["prunedEvaluated"]:,} candidates; exhaustive, {cost["exhaustiveEvaluated"]:,}; same cheapest deployment: {"yes" if cost["sameCheapest"] else "**no**"}.
Pruned: about {cost["candidates"] / (pruned / 1e9):,.0f} candidates per second.

{table(["SearchBench.SearchPruned", "SearchBench.SearchExhaustive"])}

The `optimize` command with the serving simulator as evaluator on a space of that size
(`examples/optimize-benchmark.yaml`, cold process) is timed in [timings.md](timings.md).

## Serving simulator (`bench/Suanli.Bench.Serving`)

A Stopwatch console (`dotnet run -c Release --project bench/Suanli.Bench.Serving`): {serving["requests"]:,} Poisson requests
({serving["rate"]:g} requests/s, prompts uniform 128-1,024 tokens, outputs uniform 32-256) on {serving["model"]} / {serving["device"]}
with the roofline, after a 2,000-request warm-up run; CPU time is the process's (GC and JIT threads included).

| quantity | value | target |
|---|---|---|
| requests / engine steps / events (arrivals + steps + completions) | {serving["requests"]:,} / {serving["steps"]:,} / {serving["events"]:,} | |
| CPU time of the run | {serving["cpuSeconds"]:.2f} s (wall {serving["wallSeconds"]:.2f} s) | one million requests under 2 s (issue 4): {verdict(serving["cpuSeconds"], 2)} |
| events per CPU second | {serving["eventsPerCpuSecond"] / 1e6:.2f} million | |
| peak requests in flight | {serving["peakInFlight"]:,} | memory bounded by the requests in flight (issue 4) |
| allocated during the run | {serving["allocatedMiB"]:,.1f} MiB | |
| peak working set of the process | {serving["peakWorkingSetMiB"]:,.0f} MiB | |
| capacity search, 2,000-request probes (`suanli capacity`) | {serving["capacityProbes"]} simulations in {serving["capacitySeconds"]:.3f} s | under 1 s for a typical replica (issue 4): {verdict(serving["capacitySeconds"], 1)} |
| capacity search, 600 s probes (a validation row's MLPerf Server run) | {serving["capacity600Probes"]} simulations in {serving["capacity600Seconds"]:.2f} s | |

## Web server under load (`bench/Suanli.Web.Bench`)

`dotnet run -c Release --project bench/Suanli.Web.Bench`: the app on loopback in the same process as its clients,
each client with its own HttpClient and connection. First one client alone (median server time of {web["aloneCalls"]} calls of each,
the page's default inputs); then a runaway request (`GET {web["runawayUrl"]}`, a million-request simulation) takes
one of the server's {web["slots"]} slots for expensive operations, and while it runs {web["clients"]} clients call `/api/memory` (four
models, at least 25 calls each and on until the runaway is answered) and {web["planClients"]} clients call `/api/plan` (the
page's scenario, {web["planRequests"] // web["planClients"]} call each). Server settings for the run: `Suanli:OperationTimeLimit` {web["timeLimitSeconds"]} s (the default is 30 s; shorter,
so the runaway is cut during the load) and `Suanli:MaxQueueWait` {web["queueWaitSeconds"]} s (the default, 5 s, is shorter than
{web["planClients"]} plans take on {web["slots"]} slots, one held by the runaway: with it some plans would be answered 429 by design).
Server time is the app's `Server-Timing` (a plan's includes its wait for a slot); client latency is the client's
total. Exit code {web_exit} ({"no error" if web_exit == 0 else "**failed**"}).

| quantity | value | target |
|---|---|---|
| `/api/memory` alone, server time | {web["aloneMemoryMs"]:.2f} ms | under 10 ms at the server (issue 8): {verdict(web["aloneMemoryMs"], 10)} |
| `/api/perf` alone (9 batches), server time | {web["alonePerfMs"]:.2f} ms | under 10 ms at the server (issue 8): {verdict(web["alonePerfMs"], 10)} |
| `/api/plan` alone, server time | {web["alonePlanMs"]:,.0f} ms | `suanli plan` under 2 s cold (issue 5; per example in [timings.md](timings.md)): {verdict(web["alonePlanMs"], 2000)} |
| requests under load | {web["memoryRequests"]:,} memory + {web["planRequests"]:,} plan in {web["seconds"]:.2f} s ({(web["memoryRequests"] + web["planRequests"]) / web["seconds"]:,.0f} requests/s, {web["cpuSeconds"]:.1f} s CPU of the process) | |
| errors (any answer but 200, or no answer) | {web["errors"]} (of which 429: {web["busy429"]}) | 0 with {web["clients"]} clients on memory and {web["planClients"]} on plan while a runaway is cancelled (issue 16): {"met" if web["errors"] == 0 else "**missed**"} |
| `/api/memory` under load, client latency (ms) | {pct(web["memoryClientMs"])} | |
| `/api/memory` under load, server time (ms) | {pct(web["memoryServerMs"])} | |
| `/api/plan` under load, client latency (ms) | {pct(web["planClientMs"])} | |
| `/api/plan` under load, server time (ms) | {pct(web["planServerMs"])} | |
| requests answered at the time limit (the runaway and any other) | {web["timedOut"]}; their work stopped: {web["stoppedAfterTimeOut"]}, by observing its cancellation: {web["cancelledAfterTimeOut"]}; the runaway answered {web["runawayStatus"]} after {web["runawayAnswerSeconds"]:.2f} s | the runaway alone, answered 422 at the limit and its work cancelled |
| core held after the time-limit answer (`TimeLimit.LongestStopAfterTimeOut`) | {web["coreReleasedSeconds"] * 1000:,.0f} ms | under 1 s (issue 16): {verdict(web["coreReleasedSeconds"], 1)} |
"""
with open(out, "w") as f:
    f.write(lines)
PY
echo "wrote $out" >&2
exit "$web"

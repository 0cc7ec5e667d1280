using Suanli.Serving;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>Percentiles of one metric in seconds.</summary>
/// <param name="P50">Median, s.</param>
/// <param name="P90">90th percentile, s.</param>
/// <param name="P99">99th percentile, s.</param>
/// <param name="Mean">Mean, s.</param>
public sealed record PercentilesJson(double P50, double P90, double P99, double Mean)
{
    /// <summary>Converts a summary.</summary>
    public static PercentilesJson Of(LatencySummary s) => new(s.P50.Value, s.P90.Value, s.P99.Value, s.Mean.Value);
}

/// <summary>A per-step distribution (time-weighted).</summary>
/// <param name="Mean">Mean.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="Max">Largest.</param>
public sealed record StepDistributionJson(double Mean, double P50, double P90, double Max)
{
    /// <summary>Converts a distribution.</summary>
    public static StepDistributionJson Of(StepDistribution d) => new(d.Mean, d.P50, d.P90, d.Max);
}

/// <summary>The articles' sizing beside the simulated one: one model copy per concurrent request.</summary>
/// <param name="ConcurrentRequests">Concurrent requests of the load (clients, or rate x mean end-to-end latency).</param>
/// <param name="Replicas">Copies the articles' method gives (one per concurrent request).</param>
/// <param name="Devices">Devices those copies occupy.</param>
/// <param name="SimulatedReplicas">Copies the simulation needs for the same load (1 when this replica carries it, else null).</param>
public sealed record ArticleEstimateJson(long ConcurrentRequests, long Replicas, long Devices, long? SimulatedReplicas);

/// <summary>Builds the report of <c>suanli simulate</c>.</summary>
public static class SimulateReport
{
    /// <summary>Lays out a simulation for every renderer.</summary>
    public static Report Build(ServingResult r)
    {
        var d = r.Deployment;
        var w = r.Workload;
        var findings = new List<Finding>(r.Findings);
        var article = Article(r);
        if (article is not null)
        {
            var args = new (string, object)[] { ("copies", Show.N(article.Replicas)), ("devices", Show.N(article.Devices)), ("device", d.Device.Id), ("concurrent", Show.N(article.ConcurrentRequests)) };
            findings.Add(article.SimulatedReplicas is 1
                ? r.Targets.Any
                    ? Finding.Info("one-copy-per-request#simulated-targets", "The articles' method (one model copy per concurrent request) gives {copies} copies = {devices} x {device} for {concurrent} concurrent requests; with continuous batching this one replica of {replica} devices carries them within the targets.",
                        [.. args, ("replica", Show.N(d.Layout.Devices))])
                    : Finding.Info("one-copy-per-request#simulated", "The articles' method (one model copy per concurrent request) gives {copies} copies = {devices} x {device} for {concurrent} concurrent requests; with continuous batching this one replica of {replica} devices carries them.",
                        [.. args, ("replica", Show.N(d.Layout.Devices))])
                : Finding.Info("one-copy-per-request#not-carried", "The articles' method (one model copy per concurrent request) gives {copies} copies = {devices} x {device} for {concurrent} concurrent requests; the simulated replica does not carry them within the targets; see {capacity} for how many it does.", [.. args, ("capacity", CommandRefs.Capacity)]));
        }
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        var json = new SimulateJson
        {
            Inputs = new SimulateInputsJson(d.Model.Id, d.Device.Id, d.Layout.Devices, d.Layout.Tp, d.Layout.Pp, d.Weights.Name, d.Engine.ToString().ToLowerInvariant(),
                w.Kind switch { ArrivalKind.Poisson => "poisson", ArrivalKind.ClosedLoop => "closedLoop", _ => "trace" },
                w.Kind == ArrivalKind.Poisson ? w.RequestsPerSecond : null, w.Kind == ArrivalKind.ClosedLoop ? w.Concurrency : null,
                w.Kind == ArrivalKind.Trace ? "trace" : w.Input.ToString(), w.Kind == ArrivalKind.Trace ? "trace" : w.Output.ToString(), w.Seed)
            {
                Start = w.Kind == ArrivalKind.ClosedLoop ? ClientStartText.Name(w.Start) : null,
            },
            Requests = new SimulateRequestsJson(r.Requests.Measured, r.Requests.Issued, r.Requests.Rejected) { Window = ArrivalWindowJson.Of(w) },
            Throughput = new SimulateThroughputJson(r.Throughput.Output.InTokensPerSecond, r.Throughput.Total.InTokensPerSecond,
                r.Throughput.RequestsPerSecond, r.Throughput.GoodputRequestsPerSecond),
            Latency = new SimulateLatencyJson(PercentilesJson.Of(r.Ttft), PercentilesJson.Of(r.Tpot), PercentilesJson.Of(r.E2e), PercentilesJson.Of(r.Queue),
                r.DecodeStepAtBatch1.Value),
            Targets = TargetJson.Of(r.Targets, r),
            Occupancy = new SimulateOccupancyJson(StepDistributionJson.Of(r.Occupancy.BatchSize), StepDistributionJson.Of(r.Occupancy.KvUse), r.Occupancy.KvTokens,
                r.Engine.MaxNumSeqs, r.Engine.MaxBatchedTokens),
            Work = new SimulateWorkJson(r.Work.Preemptions, r.Work.Steps, r.Saturated),
            ArticleEstimate = article,
            Findings = FindingJson.Of(findings),
        };
        var tables = new List<ReportTable>
        {
            new(Phrase.Of("table.latency-per-request", "Latency per request"),
                [
                    new(Phrase.Of("col.metric", "Metric")), new(Phrase.Of("col.p50", "p50"), CellKind.Seconds), new(Phrase.Of("col.p90", "p90"), CellKind.Seconds),
                    new(Phrase.Of("col.p99", "p99"), CellKind.Seconds), new(Phrase.Of("col.mean", "Mean"), CellKind.Seconds), new(Phrase.Of("col.target", "Target")),
                ],
            [
                Row(Phrase.Of("row.ttft", "Time to first token"), r.Ttft, r.Targets.Ttft, r.Targets.TtftAt),
                Row(Phrase.Of("row.tpot", "Time per output token"), r.Tpot, r.Targets.Tpot, r.Targets.TpotAt),
                Row(Phrase.Of("row.e2e", "End-to-end"), r.E2e, r.Targets.E2e, r.Targets.E2eAt),
                Row(Phrase.Of("row.queueing", "Queueing"), r.Queue, null, Percentile.P90),
            ]),
            new(Phrase.Of("table.throughput-batching", "Throughput and batching"),
                [new(Phrase.Of("col.quantity", "Quantity")), new(Phrase.Of("col.value", "Value")), new(Phrase.Of("col.note", "Note"))], ThroughputRows(r, article)),
        };
        var title = Phrase.Of("report.simulate", "{model} {precision} on {devices} x {device} ({layout}, {engine}): {offered}, input {input}, output {output}",
            ("model", d.Model.Id), ("precision", d.Weights.Name), ("devices", Fmt.I($"{d.Layout.Devices}")), ("device", d.Device.Id), ("layout", d.Layout.ToString()),
            ("engine", json.Inputs.Engine), ("offered", w.Kind == ArrivalKind.ClosedLoop && w.Start == ClientStart.Staggered
                ? Phrase.Of("report.simulate-staggered", "{clients} concurrent clients started staggered", ("clients", Show.N(w.Concurrency)))
                : ServingFindings.Offered(w)), ("input", Fmt.I($"{json.Inputs.Input}")), ("output", Fmt.I($"{json.Inputs.Output}")));
        return new Report(title, json, tables, findings);
    }

    /// <summary>The articles' estimate for the load of a run: clients, or rate x mean end-to-end latency (Little's law).</summary>
    public static ArticleEstimateJson? Article(ServingResult r)
    {
        var w = r.Workload;
        long concurrent = w.Kind switch
        {
            ArrivalKind.ClosedLoop => w.Concurrency,
            ArrivalKind.Poisson when r.Requests.Measured > 0 => (long)Math.Ceiling(w.RequestsPerSecond * r.E2e.Mean.Value),
            _ => 0,
        };
        if (concurrent <= 0)
        {
            return null;
        }
        var carried = !r.Saturated && r.Requests.Measured > 0 && CapacitySearch.Failing(r, r.Targets, w.Kind == ArrivalKind.Poisson ? w.RequestsPerSecond : null) is null;
        return new ArticleEstimateJson(concurrent, concurrent, concurrent * r.Deployment.Layout.Devices, carried ? 1 : null);
    }

    // The target cell names its percentile; one outside the p50, p90 and p99 columns also shows the value there ("p95 <= 2 s (p95 1.84 s)").
    private static IReadOnlyList<ReportCell> Row(Phrase name, LatencySummary s, Quantities.Duration? target, Percentile at) =>
        [ReportCell.Words(name), ReportCell.Seconds(s.P50), ReportCell.Seconds(s.P90), ReportCell.Seconds(s.P99), ReportCell.Seconds(s.Mean),
            target is not { } t ? ReportCell.Text("")
            : at == Percentile.P50 || at == Percentile.P90 || at == Percentile.P99 ? ReportCell.Text($"{at} <= {Show.Time(t)}")
            : ReportCell.Text($"{at} <= {Show.Time(t)} ({at} {Show.Time(s.At(at))})")];

    private static List<IReadOnlyList<ReportCell>> ThroughputRows(ServingResult r, ArticleEstimateJson? article)
    {
        static ReportCell W(Phrase p) => ReportCell.Words(p);
        var rows = new List<IReadOnlyList<ReportCell>>
        {
            new[] { W(Phrase.Of("row.requests-measured", "Requests measured")), ReportCell.Count(r.Requests.Measured),
                W(Phrase.Of("cell.issued-warmup", "{issued} issued, first {warmup}% left out as warm-up", ("issued", Show.N(r.Requests.Issued)), ("warmup", Show.N(r.Workload.WarmupFraction * 100)))) },
            new[] { W(Phrase.Of("row.output-tokens-per-s", "Output tokens/s")), ReportCell.Number(r.Throughput.Output.InTokensPerSecond, 1), W(Phrase.Of("cell.over-window", "over the measurement window")) },
            new[] { W(Phrase.Of("row.total-tokens-per-s", "Total tokens/s")), ReportCell.Number(r.Throughput.Total.InTokensPerSecond, 1), W(Phrase.Of("cell.prompt-plus-output", "prompt plus output")) },
            new[] { W(Phrase.Of("row.requests-per-s", "Requests/s")), ReportCell.Number(r.Throughput.RequestsPerSecond, 3), ReportCell.Text("") },
            new[] { W(Phrase.Of("row.goodput", "Goodput (requests/s)")), ReportCell.Number(r.Throughput.GoodputRequestsPerSecond, 3),
                W(r.Targets.Any ? Phrase.Of("cell.meeting-every-target", "requests meeting every target") : Phrase.Of("cell.no-targets", "no targets given")) },
            new[] { W(Phrase.Of("row.sequences-per-step", "Sequences per step")),
                W(Phrase.Of("cell.mean-p90-max", "mean {mean}, p90 {p90}, max {max}", ("mean", Show.N(r.Occupancy.BatchSize.Mean, 1)), ("p90", Show.N(r.Occupancy.BatchSize.P90)), ("max", Show.N(r.Occupancy.BatchSize.Max)))),
                W(Phrase.Of("cell.sequence-limit", "limit {sequences} sequences, {tokens} tokens per step", ("sequences", Show.N(r.Engine.MaxNumSeqs)), ("tokens", Show.N(r.Engine.MaxBatchedTokens)))) },
            new[] { W(Phrase.Of("row.kv-in-use", "KV cache in use")),
                W(Phrase.Of("cell.mean-p90-max-percent", "mean {mean}%, p90 {p90}%, max {max}%", ("mean", Show.N(r.Occupancy.KvUse.Mean * 100)), ("p90", Show.N(r.Occupancy.KvUse.P90 * 100)), ("max", Show.N(r.Occupancy.KvUse.Max * 100)))),
                W(Phrase.Of("cell.kv-blocks", "{tokens} tokens in blocks of {block}", ("tokens", Show.N(r.Occupancy.KvTokens)), ("block", Fmt.I($"{r.Engine.BlockSize}")))) },
            new[] { W(Phrase.Of("row.preemptions", "Preemptions")), ReportCell.Count(r.Work.Preemptions), W(Phrase.Of("cell.recomputed", "recomputed after KV ran out")) },
            new[] { W(Phrase.Of("row.decode-step-batch-1", "Decode step at batch 1")), ReportCell.Seconds(r.DecodeStepAtBatch1), W(Phrase.Of("cell.tpot-floor", "the floor of TPOT")) },
        };
        if (article is not null)
        {
            rows.Add(new[] { W(Phrase.Of("row.one-copy-per-request", "One copy per concurrent request (articles)")),
                W(Phrase.Of("cell.copies-devices", "{copies} copies, {devices} devices", ("copies", Show.N(article.Replicas)), ("devices", Show.N(article.Devices)))),
                W(article.SimulatedReplicas is 1
                    ? Phrase.Of("cell.simulated-one-copy", "simulated: 1 copy, {devices} devices", ("devices", Show.N(r.Deployment.Layout.Devices)))
                    : Phrase.Of("cell.one-copy-does-not-carry", "simulated: one copy does not carry it")) });
        }
        return rows;
    }
}

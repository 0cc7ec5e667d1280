using Suanli.Files;
using Suanli.Serving;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>One simulation of the capacity search in JSON.</summary>
/// <param name="Load">Requests per second or clients.</param>
/// <param name="Meets">Whether every target held.</param>
/// <param name="Failing">What failed.</param>
/// <param name="TtftSeconds">TTFT at the percentile of its target (p90 without one; <see cref="CapacityJson.Targets"/>), s.</param>
/// <param name="TpotSeconds">TPOT at the percentile of its target (p90 without one), s.</param>
/// <param name="E2eSeconds">End-to-end latency at the percentile of its target (p90 without one), s.</param>
/// <param name="RequestsPerSecond">Completed requests per second.</param>
public sealed record ProbeJson(double Load, bool Meets, string? Failing, double TtftSeconds, double TpotSeconds, double E2eSeconds, double RequestsPerSecond);

/// <summary>A remedy in JSON.</summary>
/// <param name="Change">What changes.</param>
/// <param name="Devices">Devices of the changed replica.</param>
/// <param name="TtftFloorSeconds">Prefill of one mean prompt alone, s.</param>
/// <param name="TpotFloorSeconds">Decode step at batch 1, s.</param>
/// <param name="Meets">Whether both floors are within the targets.</param>
public sealed record RemedyJson(string Change, int Devices, double TtftFloorSeconds, double TpotFloorSeconds, bool Meets);

/// <summary>The JSON document of <c>suanli capacity</c>.</summary>
public sealed record CapacityJson : ReportDocument
{
    /// <summary>The whole system's split into replicas (the figures above are one replica's); null for one replica (--devices).</summary>
    public SystemLayoutJson? Layout { get; init; }
    /// <summary>Why that split: "pinned", "the only split that fits", or "chosen as the split with ... of K candidates"; null without a system size.</summary>
    public string? LayoutReason { get; init; }
    /// <summary>Largest request rate of the whole system meeting the targets: replicas x the replica's, requests/s; null without a system size or capacity.</summary>
    public double? SystemMaxRequestsPerSecond { get; init; }
    /// <summary>Largest concurrency of the whole system meeting the targets: replicas x the replica's clients; null without a system size or capacity.</summary>
    public int? SystemMaxConcurrency { get; init; }
    /// <summary>Catalog id of the model.</summary>
    public required string Model { get; init; }
    /// <summary>Device id.</summary>
    public required string Hardware { get; init; }
    /// <summary>Devices of the replica.</summary>
    public required int Devices { get; init; }
    /// <summary>rate or concurrency.</summary>
    public required string Mode { get; init; }
    /// <summary>
    /// With mode concurrency, when the clients of every probe sent their first requests: together (at time 0, the default)
    /// or staggered (as a plan sizes its concurrency demand; docs/methodology-serving.md, "Closed loop"); the start of
    /// <see cref="AtMax"/>'s inputs, so null for a rate search and when no load met the targets (the text's note names it then).
    /// Computed, not stored: the document keeps issue 17's 20 fields.
    /// </summary>
    public string? Start => AtMax?.Inputs.Start;
    /// <summary>Largest request rate meeting the targets (null: none).</summary>
    public double? MaxRequestsPerSecond { get; init; }
    /// <summary>Largest concurrency meeting the targets (null: none).</summary>
    public int? MaxConcurrency { get; init; }
    /// <summary>What stops a larger load: ttft, tpot, e2e, throughput, or none.</summary>
    public string? LimitingTarget { get; init; }
    /// <summary>The analytic first guess.</summary>
    public required double FirstGuess { get; init; }
    /// <summary>Each target, the percentile it was checked at and its value at the largest load (null when none met the targets).</summary>
    public IReadOnlyList<TargetJson> Targets { get; init; } = [];
    /// <summary>The simulation at the largest load (null when none met the targets).</summary>
    public SimulateJson? AtMax { get; init; }
    /// <summary>The articles' one-copy-per-concurrent-request estimate beside the simulated capacity.</summary>
    public string? ArticleComparison { get; init; }
    /// <summary>Every simulation run.</summary>
    public required IReadOnlyList<ProbeJson> Probes { get; init; }
    /// <summary>Alternatives when no load meets the targets.</summary>
    public required IReadOnlyList<RemedyJson> Remedies { get; init; }
    /// <summary>Findings.</summary>
    public required IReadOnlyList<FindingJson> Findings { get; init; }
    /// <summary>
    /// 80% prediction interval of the largest load, in the unit of <see cref="Mode"/>: requests/s for rate, clients for
    /// concurrency (one search has one); null without intervals or capacity.
    /// </summary>
    public RangeJson? MaxLoadRange { get; init; }
    /// <summary>Which validated residuals the ranges come from; null without intervals.</summary>
    public string? IntervalBasis { get; init; }
}

/// <summary>Builds the report of <c>suanli capacity</c>.</summary>
public static class CapacityReport
{
    /// <summary>Lays out a capacity search.</summary>
    /// <remarks>With <paramref name="intervals"/>, the capacity carries its 80% prediction interval (the capacity class of the deployment's engine and architecture).</remarks>
    public static Report Build(CapacityResult c, Suanli.StepTime.Deployment d, ServingTargets targets, Suanli.StepTime.PredictionIntervals? intervals = null)
    {
        var findings = new List<Finding>(c.Findings);
        var interval = intervals is null ? null : IntervalFiles.Find(intervals, Suanli.StepTime.PredictionKind.Capacity, d.Engine, d.Device);
        RangeJson? Range(double? v) => v is { } x && x > 0 && interval is not null
            ? new RangeJson(x * interval.Class.LowRatio, x, x * interval.Class.HighRatio) : null;
        if (interval is not null && (c.MaxRequestsPerSecond is > 0 || c.MaxConcurrency is > 0))
        {
            var what = c.Mode == CapacityMode.Rate && c.MaxRequestsPerSecond is { } r
                ? Phrase.Of("range#rate", "{low} to {high} requests/s", ("low", Show.Sig(r * interval.Class.LowRatio, 3)), ("high", Show.Sig(r * interval.Class.HighRatio, 3)))
                : Phrase.Of("range#concurrent", "{low} to {high} concurrent", ("low", Show.N((c.MaxConcurrency ?? 0) * interval.Class.LowRatio, 0)), ("high", Show.N((c.MaxConcurrency ?? 0) * interval.Class.HighRatio, 0)));
            findings.Add(Finding.Info("prediction-interval#capacity", "80% prediction interval of the capacity: {range} ({basis}; docs/methodology-intervals.md).", ("range", what), ("basis", interval.Phrase)));
        }
        string? comparison = null;
        if (c.MaxConcurrency is { } n && n > 0)
        {
            var finding = Finding.Info("one-copy-per-request",
                "The articles' method serves one concurrent request per model copy ({each}); with continuous batching one copy carries {n} concurrent requests within the targets, so {n} concurrent requests need 1 copy instead of {n} ({articleDevices}).",
                ("each", DevicesEach(d.Layout.Devices)), ("n", Show.N(n)), ("articleDevices", DeviceCount(n * d.Layout.Devices)));
            comparison = finding.Message;
            findings.Add(finding);
        }
        if (c.Probes.Count > 0 && Window(c.Probes[0].Result.Workload) is { } window)
        {
            findings.Add(window);
        }
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        var atMax = c.AtMax is null ? null : (SimulateJson)SimulateReport.Build(c.AtMax).Json;
        var json = new CapacityJson
        {
            Model = d.Model.Id,
            Hardware = d.Device.Id,
            Devices = d.Layout.Devices,
            Mode = c.Mode == CapacityMode.Rate ? "rate" : "concurrency",
            MaxRequestsPerSecond = c.MaxRequestsPerSecond,
            MaxConcurrency = c.MaxConcurrency,
            LimitingTarget = c.LimitingTarget,
            FirstGuess = c.FirstGuess,
            Targets = TargetJson.Of(targets, c.AtMax),
            AtMax = atMax,
            ArticleComparison = comparison,
            Probes = [.. c.Probes.Select(x => new ProbeJson(x.Load, x.Meets, x.Failing, x.Result.Ttft.At(targets.TtftAt).Value, x.Result.Tpot.At(targets.TpotAt).Value, x.Result.E2e.At(targets.E2eAt).Value, x.Result.Throughput.RequestsPerSecond))],
            Remedies = [.. c.Remedies.Select(r => new RemedyJson(r.Change, r.Deployment.Layout.Devices, r.TtftFloor.Value, r.TpotFloor.Value, r.Meets))],
            Findings = FindingJson.Of(findings),
            MaxLoadRange = Range(c.Mode == CapacityMode.Rate ? c.MaxRequestsPerSecond : c.MaxConcurrency),
            IntervalBasis = interval?.Basis,
        };
        var loadName = c.Mode == CapacityMode.Rate ? new ReportColumn(Phrase.Of("col.rate-rps", "Rate (requests/s)")) : new ReportColumn(Phrase.Of("col.concurrency", "Concurrency"), CellKind.Count);
        var tables = new List<ReportTable>
        {
            new(Phrase.Of("table.search", "Search"),
                [
                    new(Phrase.Of("col.probe", "#"), CellKind.Count), loadName, new(Phrase.Of("col.ttft-at", "TTFT {at}", ("at", targets.TtftAt.ToString())), CellKind.Seconds),
                    new(Phrase.Of("col.tpot-at", "TPOT {at}", ("at", targets.TpotAt.ToString())), CellKind.Seconds), new(Phrase.Of("col.e2e-at", "E2E {at}", ("at", targets.E2eAt.ToString())), CellKind.Seconds),
                    new(Phrase.Of("col.completed-per-s", "Completed/s"), CellKind.Number), new(Phrase.Of("col.meets", "Meets")),
                ],
                [.. c.Probes.Select((x, i) => (IReadOnlyList<ReportCell>)[
                    ReportCell.Count(i + 1), c.Mode == CapacityMode.Rate ? ReportCell.Text(Show.Sig(x.Load, 4)) : ReportCell.Count(x.Load),
                    ReportCell.Seconds(x.Result.Ttft.At(targets.TtftAt)), ReportCell.Seconds(x.Result.Tpot.At(targets.TpotAt)), ReportCell.Seconds(x.Result.E2e.At(targets.E2eAt)),
                    ReportCell.Number(x.Result.Throughput.RequestsPerSecond, 2),
                    ReportCell.Words(x.Meets ? Yes : Phrase.Of("cell.no-failing", "no ({failing})", ("failing", CapacitySearch.FailedTarget(x.Failing))))])]),
        };
        if (c.Remedies.Count > 0)
        {
            tables.Add(new ReportTable(Phrase.Of("table.alternatives", "Alternatives (step-time floors)"),
                [
                    new(Phrase.Of("col.change", "Change")), new(Phrase.Of("col.devices", "Devices"), CellKind.Count),
                    new(Phrase.Of("col.ttft-floor", "TTFT floor"), CellKind.Seconds), new(Phrase.Of("col.tpot-floor", "TPOT floor"), CellKind.Seconds), new(Phrase.Of("col.meets", "Meets")),
                ],
                [.. c.Remedies.Select(r => (IReadOnlyList<ReportCell>)[
                    ReportCell.Words(r.Text), ReportCell.Count(r.Deployment.Layout.Devices), ReportCell.Seconds(r.TtftFloor), ReportCell.Seconds(r.TpotFloor),
                    ReportCell.Words(r.Meets ? Yes : No)])]));
        }
        var none = Phrase.Of("report.capacity-none", "no load meets the targets");
        var answer = c.Mode == CapacityMode.Rate
            ? c.MaxRequestsPerSecond is { } rate ? Phrase.Of("report.capacity-rate", "{rate} requests/s", ("rate", Show.Sig(rate, 3))) : none
            : c.MaxConcurrency is { } conc ? Phrase.Of("report.capacity-concurrent", "{concurrency} concurrent", ("concurrency", Show.N(conc))) : none;
        (string, object)[] replica = [("model", d.Model.Id), ("precision", d.Weights.Name), ("devices", Fmt.I($"{d.Layout.Devices}")), ("device", d.Device.Id),
            ("layout", d.Layout.ToString()), ("answer", answer)];
        var title = c.LimitingTarget is { } l && c.AtMax is not null
            ? Phrase.Of("report.capacity#limited", "Capacity of one replica of {model} {precision} on {devices} x {device} ({layout}): {answer}, {target}", [.. replica, ("target", CapacitySearch.LimitedBy(l))])
            : Phrase.Of("report.capacity", "Capacity of one replica of {model} {precision} on {devices} x {device} ({layout}): {answer}", replica);
        return new Report(title, json, tables, findings);
    }

    /// <summary>
    /// A probe's window in words: with <c>--duration</c>, a benchmark run's (<see cref="BenchmarkWindow.Probe"/>); without,
    /// a request count whose first share is warm-up. Its figures are the JSON's <c>atMax.requests.window</c>.
    /// </summary>
    private static Finding? Window(Workload w)
    {
        if (ArrivalWindowJson.Of(w) is not { } j)
        {
            return null;
        }
        return j.ArrivalSeconds is { } arrivals
            ? Finding.Info("capacity-window#duration", "Each probe simulates {arrivals} s of arrivals: a warm-up of {warmup} s (the lifetime of an answer of the 99th-percentile output length at the targets), left out of the statistics, then the {measured} s of {duration} measured, as validation's capacity probes (docs/methodology-serving.md, 'Capacity of a benchmark run').",
                ("arrivals", Show.Sig(arrivals)), ("warmup", Show.Sig(j.WarmupSeconds ?? 0)), ("measured", Show.Sig(j.MeasuredSeconds ?? 0)), ("duration", FieldNames.Duration))
            : Finding.Info("capacity-window#requests", "Each probe issues {requests} requests and leaves the first {percent}% out of the statistics as warm-up; give {duration} S to measure S seconds after a benchmark run's warm-up instead (docs/methodology-serving.md, 'Capacity of a benchmark run').",
                ("requests", Show.N(j.Requests)), ("percent", Show.N(j.WarmupFraction * 100)), ("duration", FieldNames.Duration));
    }

    // "1 device each" and "8 devices each": the count decides the English noun's number; Chinese has one form.
    private static Phrase DevicesEach(int devices) => devices == 1
        ? Phrase.Of("devices-each#one", "1 device each")
        : Phrase.Of("devices-each", "{devices} devices each", ("devices", Show.N(devices)));

    private static Phrase DeviceCount(int devices) => devices == 1
        ? Phrase.Of("device-count#one", "1 device")
        : Phrase.Of("device-count", "{devices} devices", ("devices", Show.N(devices)));

    private static Phrase Yes => Phrase.Of("cell.yes", "yes");

    private static Phrase No => Phrase.Of("cell.no", "no");
}

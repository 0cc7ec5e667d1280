using Suanli.Catalog;
using Suanli.Footprint;

namespace Suanli.Runs;

/// <summary>JSON of one layout in <c>suanli memory</c>.</summary>
public sealed record LayoutJson(int Tp, int Pp, int Ep, int Devices, long WeightsBytesPerDevice, long KvCacheBytesPerDevice, long FreeForKvBytesPerDevice, long MaxSequences);

/// <summary>JSON of a finding.</summary>
public sealed record FindingJson(string Severity, string Code, string Message)
{
    /// <summary>Converts findings.</summary>
    public static IReadOnlyList<FindingJson> Of(IEnumerable<Finding> findings) =>
        [.. findings.Select(f => new FindingJson(f.Severity.ToString().ToLowerInvariant(), f.Code, f.Message))];
}

/// <summary>The JSON document of <c>suanli memory</c> (documented in docs/cli.md). Bytes are whole numbers of bytes.</summary>
public sealed record MemoryJson : ReportDocument
{
    /// <summary>Catalog id of the model.</summary>
    public required string Model { get; init; }
    /// <summary>Weight format.</summary>
    public required string Precision { get; init; }
    /// <summary>KV-cache format.</summary>
    public required string KvPrecision { get; init; }
    /// <summary>Tokens per sequence.</summary>
    public required int Context { get; init; }
    /// <summary>Sequences.</summary>
    public required int Batch { get; init; }
    /// <summary>Parameters counted from the architecture.</summary>
    public required long Parameters { get; init; }
    /// <summary>Weights in bytes.</summary>
    public required long WeightsBytes { get; init; }
    /// <summary>KV cache per token (all layers, full attention).</summary>
    public required long KvCacheBytesPerToken { get; init; }
    /// <summary>KV cache for batch x context.</summary>
    public required long KvCacheBytes { get; init; }
    /// <summary>Activation peak.</summary>
    public required long ActivationBytes { get; init; }
    /// <summary>Runtime overhead for one device.</summary>
    public required long OverheadBytes { get; init; }
    /// <summary>Sum of the parts.</summary>
    public required long TotalBytes { get; init; }
    /// <summary>1.2 x weights (the articles' rule).</summary>
    public required long RuleOfThumbBytes { get; init; }
    /// <summary>Device id when --hardware was given.</summary>
    public string? Hardware { get; init; }
    /// <summary>Device count asked about.</summary>
    public int? Devices { get; init; }
    /// <summary>Whether it fits on that many devices.</summary>
    public bool? Fits { get; init; }
    /// <summary>Fewest devices that hold it (null: none up to the search limit).</summary>
    public int? MinDevices { get; init; }
    /// <summary>Fitting layouts on the fewest devices, then the smallest pure tensor-parallel layout.</summary>
    public IReadOnlyList<LayoutJson>? Layouts { get; init; }
    /// <summary>Findings.</summary>
    public required IReadOnlyList<FindingJson> Findings { get; init; }
}

/// <summary>Builds the report of <c>suanli memory</c>.</summary>
public static class MemoryReport
{
    /// <summary>Estimates memory (and fit, when a device is given) and lays it out for every renderer.</summary>
    public static Report Build(FootprintRequest request, Device? device, int devices)
    {
        var estimate = MemoryModel.Estimate(request);
        var fit = device is null ? null : MemoryModel.Fit(request, device, devices);
        var findings = new List<Finding>();
        var ratio = estimate.Total / estimate.RuleOfThumb;
        findings.Add(Finding.Info("rule-of-thumb",
            $"The '1.2 x weights' rule gives {Show.Bytes(estimate.RuleOfThumb)}; the itemised total is {Show.Bytes(estimate.Total)} ({Show.N(ratio, 2)}x the rule), because the KV cache for {Show.N(request.Batch)} x {Show.N(request.Context)} tokens is {Show.Bytes(estimate.Kv)}."));
        if (GenericModel.Assumption(request.Model) is { } generic)
        {
            findings.Add(generic);
        }
        if (request.Context > request.Model.Architecture.MaxContext && request.Model.Architecture.MaxContext > 0)
        {
            findings.Add(Finding.Warn("context-beyond-model",
                $"Context {Show.N(request.Context)} exceeds the {Show.N(request.Model.Architecture.MaxContext)} tokens {request.Model.Id} was configured for."));
        }
        var checkpoint = request.Model.CheckpointBytes;
        var fromCheckpoint = MemoryModel.CheckpointHolds(request.Model, request.Weights);
        if (checkpoint is { } size && fromCheckpoint)
        {
            var counted = MemoryModel.WeightBytes(request.Model.Architecture, request.Weights);
            findings.Add(Finding.Info("checkpoint-size",
                $"Weights are the checkpoint's exact size, {Show.Bytes(size)}: metadata.total_size of its model.safetensors.index.json; parameters x {Show.Sig(request.Weights.BitsPerValue)} bits counts {Show.Bytes(counted)}."));
        }
        else if (checkpoint is { } other)
        {
            findings.Add(Finding.Info("checkpoint-other-format",
                $"The checkpoint, {Show.Bytes(other)} or about {Show.N(other.Value / estimate.Parameters, 2)} bytes per parameter, is stored in another format than {request.Weights.Name}; weights in {request.Weights.Name} are counted from the architecture."));
        }
        if (fit is not null)
        {
            findings.AddRange(fit.Findings);
        }
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));

        var json = new MemoryJson
        {
            Model = request.Model.Id,
            Precision = request.Weights.Name,
            KvPrecision = request.Kv.Name,
            Context = request.Context,
            Batch = request.Batch,
            Parameters = (long)Math.Round(estimate.Parameters),
            WeightsBytes = Whole(estimate.Weights),
            KvCacheBytesPerToken = Whole(estimate.KvPerToken),
            KvCacheBytes = Whole(estimate.Kv),
            ActivationBytes = Whole(estimate.Activation),
            OverheadBytes = Whole(estimate.Overhead),
            TotalBytes = Whole(estimate.Total),
            RuleOfThumbBytes = Whole(estimate.RuleOfThumb),
            Hardware = device?.Id,
            Devices = device is null ? null : devices,
            Fits = fit?.Fits,
            MinDevices = fit?.MinDevices,
            Layouts = fit?.Layouts.Select(l => new LayoutJson(l.Layout.Tp, l.Layout.Pp, l.Layout.Ep, l.Layout.Devices,
                Whole(l.Weights), Whole(l.Kv), Whole(l.FreeForKv), l.MaxSequences)).ToList(),
            Findings = FindingJson.Of(findings),
        };

        var tables = new List<ReportTable>
        {
            new("Memory of one model copy", ["Part", "Bytes", "Formula"],
            [
                ["Parameters", Show.N(estimate.Parameters / 1e9, 2) + " B", "counted from config.json"],
                ["Weights", Show.Bytes(estimate.Weights), fromCheckpoint
                    ? $"checkpoint size (model.safetensors.index.json, {request.Weights.Name})"
                    : $"parameters x {Show.Sig(request.Weights.BitsPerValue)} bits ({request.Weights.Name})"],
                ["KV cache per token", Show.N(estimate.KvPerToken.InKibibytes, 1) + " KiB", KvFormula(request)],
                ["KV cache", Show.Bytes(estimate.Kv), $"{Show.N(request.Batch)} x {Show.N(request.Context)} tokens"],
                ["Activations", Show.Bytes(estimate.Activation), $"{Show.N(Math.Min(request.Reserve.PrefillChunkTokens, (long)request.Context * request.Batch))}-token prefill chunk + logits"],
                ["Runtime overhead", Show.Bytes(estimate.Overhead), "CUDA context, workspaces, graphs"],
                ["Total", Show.Bytes(estimate.Total), "sum"],
                ["Rule of thumb (articles)", Show.Bytes(estimate.RuleOfThumb), "1.2 x published parameters x bytes per weight"],
            ]),
        };
        if (fit is not null && fit.Layouts.Count > 0)
        {
            tables.Add(new ReportTable(
                $"Layouts on {device!.Id} ({Show.Bytes(device.Memory)} each, {Show.N(request.Reserve.MemoryUtilization * 100)}% usable)",
                ["Devices", "TP", "PP", "EP", "Weights/device", "KV/device", "Free for KV/device", "Max sequences"],
                [.. fit.Layouts.Select(l => (IReadOnlyList<string>)[
                    Show.N(l.Layout.Devices), Show.N(l.Layout.Tp), Show.N(l.Layout.Pp), Show.N(l.Layout.Ep),
                    Show.Bytes(l.Weights), Show.Bytes(l.Kv), Show.Bytes(l.FreeForKv), Show.N(l.MaxSequences)])]));
        }
        var title = $"{request.Model.Id} in {request.Weights.Name} (KV {request.Kv.Name}), batch {Show.N(request.Batch)} x context {Show.N(request.Context)}"
            + (device is null ? "" : $" on {device.Id}");
        return new Report(title, json, tables, findings);
    }

    private static string KvFormula(FootprintRequest r)
    {
        var a = r.Model.Architecture;
        var layers = a.SoftmaxLayers;
        var formula = a.Mla is { } m
            ? $"{layers} layers x ({m.KvLoraRank} latent + {m.QkRopeHeadDim} rope) x {Show.Sig(r.Kv.BytesPerValue)} B"
            : $"2 x {layers} layers x {a.KvHeads} KV heads x {a.HeadDim} dims x {Show.Sig(r.Kv.BytesPerValue)} B";
        if (a.Sparse is not null)
        {
            formula += $" + {layers} x {Show.Sig(MemoryModel.IndexerBytesPerTokenPerLayer(a).Value)} B DSA indexer keys";
        }
        if (a.Linear is { } lin)
        {
            formula += $"; plus {lin.Layers} {lin.Kind} layers' constant state, {Show.Sig(MemoryModel.RecurrentStatePerLayer(a).Value / 1048576.0)} MiB each per sequence";
        }
        return formula;
    }

    private static long Whole(Quantities.Bytes b) => (long)Math.Round(b.Value);
}

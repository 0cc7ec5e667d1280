using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>JSON of one layout in <c>suanli memory</c>.</summary>
public sealed record LayoutJson(int Tp, int Pp, int Ep, int Devices, long WeightsBytesPerDevice, long KvCacheBytesPerDevice, long FreeForKvBytesPerDevice, long MaxSequences);

/// <summary>
/// JSON of a finding: severity, code and the English message, plus the template key, the English template and its
/// values (formatted, units included), so a client can render the sentence in its own language.
/// </summary>
public sealed record FindingJson(string Severity, string Code, string Message)
{
    /// <summary>The template key: the code, or <c>code#variant</c> when one code has several sentences (src/Suanli/Text/zh.yaml has each).</summary>
    public string? Key { get; init; }

    /// <summary>The English template with <c>{name}</c> placeholders.</summary>
    public string? Template { get; init; }

    /// <summary>The values of the placeholders as English text (numbers with units, invariant culture).</summary>
    public IReadOnlyDictionary<string, string>? Args { get; init; }

    /// <summary>Converts findings.</summary>
    public static IReadOnlyList<FindingJson> Of(IEnumerable<Finding> findings) =>
        [.. findings.Select(f => new FindingJson(f.Severity.ToString().ToLowerInvariant(), f.Code, f.Message)
        {
            Key = f.Text?.Key, Template = f.Text?.Template, Args = f.Text?.EnglishArgs,
        })];
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
    /// <summary>
    /// Tokens of the prefill chunk the activation peak is sized for: the step token budget of the engine plan assumes
    /// (vLLM) on the hardware, 8,192 on an H100 (within batch x context); without hardware, 2,048.
    /// </summary>
    public required int PrefillChunkTokens { get; init; }
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
    /// <summary>
    /// The request <c>suanli memory</c> and <c>/api/memory</c> size: with <paramref name="device"/>, the reserve of the
    /// engine plan assumes when none is named (vLLM), its activations sized for that engine's step token budget on the
    /// device, as plan's layouts and the serving simulation size them (<see cref="Suanli.Serving.EngineConfig.ReserveFor(Suanli.StepTime.Engine, Device, int?, Suanli.Serving.EntryPoint)"/>);
    /// without one, <see cref="RuntimeReserve.Default"/> (2,048-token chunks).
    /// </summary>
    public static FootprintRequest Request(ModelEntry model, WeightPrecision weights, NumberFormat kv, int context, int batch, Device? device) =>
        new(model, weights, kv, context, batch, device is null ? RuntimeReserve.Default : Suanli.Serving.EngineConfig.ReserveFor(Suanli.Plan.ApplicationDraft.DefaultEngine, device));

    /// <summary>Estimates memory (and fit, when a device is given) and lays it out for every renderer.</summary>
    public static Report Build(FootprintRequest request, Device? device, int devices)
    {
        if (device is null && devices != 1)
        {
            // The devices only size the 'fits' answer, which needs a device: without one they used to be dropped unseen.
            throw new InputException(FieldNames.Devices, Phrase.Of("devices-need-hardware", "{devices} {count} says how many devices you have for the answer whether the model fits, which needs {hardware}; add {hardware} or drop {devices}.",
                ("devices", FieldNames.Devices), ("count", devices.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("hardware", FieldNames.Hardware)));
        }
        var estimate = MemoryModel.Estimate(request);
        var fit = device is null ? null : MemoryModel.Fit(request, device, devices);
        var findings = new List<Finding>();
        var ratio = estimate.Total / estimate.RuleOfThumb;
        findings.Add(Finding.Info("rule-of-thumb",
            "The '1.2 x weights' rule gives {rule}; the itemised total is {total} ({ratio}x the rule), because the KV cache for {batch} x {context} tokens is {kv}.",
            ("rule", Show.Bytes(estimate.RuleOfThumb)), ("total", Show.Bytes(estimate.Total)), ("ratio", Show.N(ratio, 2)), ("batch", Show.N(request.Batch)),
            ("context", Show.N(request.Context)), ("kv", Show.Bytes(estimate.Kv))));
        if (GenericModel.Assumption(request.Model) is { } generic)
        {
            findings.Add(generic);
        }
        if (request.Context > request.Model.Architecture.MaxContext && request.Model.Architecture.MaxContext > 0)
        {
            findings.Add(Finding.Warn("context-beyond-model",
                "Context {context} exceeds the {maxContext} tokens {model} was configured for.",
                ("context", Show.N(request.Context)), ("maxContext", Show.N(request.Model.Architecture.MaxContext)), ("model", request.Model.Id)));
        }
        var checkpoint = request.Model.CheckpointBytes;
        var fromCheckpoint = MemoryModel.CheckpointHolds(request.Model, request.Weights);
        if (checkpoint is { } size && fromCheckpoint)
        {
            var counted = MemoryModel.WeightBytes(request.Model.Architecture, request.Weights);
            findings.Add(Finding.Info("checkpoint-size",
                "Weights are the checkpoint's exact size, {size}: metadata.total_size of its model.safetensors.index.json; parameters x {bits} bits counts {counted}.",
                ("size", Show.Bytes(size)), ("bits", Show.Sig(MemoryModel.MeanBitsPerWeight(request.Model.Architecture, request.Weights))), ("counted", Show.Bytes(counted))));
        }
        else if (checkpoint is { } other)
        {
            findings.Add(Finding.Info("checkpoint-other-format",
                "The checkpoint, {size} or about {perParameter} bytes per parameter, is stored in another format than {format}; weights in {format} are counted from the architecture.",
                ("size", Show.Bytes(other)), ("perParameter", Show.N(other.Value / estimate.Parameters, 2)), ("format", request.Weights.Name)));
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
            PrefillChunkTokens = (int)Math.Min(request.Reserve.PrefillChunkTokens, (long)request.Context * request.Batch),
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
            new(Phrase.Of("table.memory-of-copy", "Memory of one model copy"),
                [new(Phrase.Of("col.part", "Part")), new(Phrase.Of("col.bytes", "Bytes")), new(Phrase.Of("col.formula", "Formula"))],
            [
                [Label(Phrase.Of("row.parameters", "Parameters")), ReportCell.Text(Show.N(estimate.Parameters / 1e9, 2) + " B"),
                    ReportCell.Words(Phrase.Of("cell.counted-from-config", "counted from config.json"))],
                [Label(Phrase.Of("row.weights", "Weights")), ReportCell.Bytes(estimate.Weights), ReportCell.Words(fromCheckpoint
                    ? Phrase.Of("cell.checkpoint-size", "checkpoint size (model.safetensors.index.json, {format})", ("format", request.Weights.Name))
                    : WeightsFormula(request))],
                [Label(Phrase.Of("row.kv-per-token", "KV cache per token")), ReportCell.Text(Show.N(estimate.KvPerToken.InKibibytes, 1) + " KiB"), ReportCell.Words(KvFormula(request))],
                [Label(Phrase.Of("row.kv-cache", "KV cache")), ReportCell.Bytes(estimate.Kv),
                    ReportCell.Words(Phrase.Of("cell.batch-x-context", "{batch} x {context} tokens", ("batch", Show.N(request.Batch)), ("context", Show.N(request.Context))))],
                [Label(Phrase.Of("row.activations", "Activations")), ReportCell.Bytes(estimate.Activation),
                    ReportCell.Words(Phrase.Of("cell.prefill-chunk-logits", "{chunk}-token prefill chunk + logits",
                        ("chunk", Show.N(Math.Min(request.Reserve.PrefillChunkTokens, (long)request.Context * request.Batch)))))],
                [Label(Phrase.Of("row.runtime-overhead", "Runtime overhead")), ReportCell.Bytes(estimate.Overhead),
                    ReportCell.Words(Phrase.Of("cell.runtime-overhead", "CUDA context, workspaces, graphs"))],
                [Label(Phrase.Of("row.total", "Total")), ReportCell.Bytes(estimate.Total), ReportCell.Words(Phrase.Of("cell.sum", "sum"))],
                [Label(Phrase.Of("row.rule-of-thumb", "Rule of thumb (articles)")), ReportCell.Bytes(estimate.RuleOfThumb),
                    ReportCell.Words(Phrase.Of("cell.rule-of-thumb", "1.2 x published parameters x bytes per weight"))],
            ]),
        };
        if (fit is not null && fit.Layouts.Count > 0)
        {
            tables.Add(new ReportTable(
                Phrase.Of("table.layouts-on", "Layouts on {device} ({memory} each, {usable}% usable)",
                    ("device", device!.Id), ("memory", Show.Bytes(device.Memory)), ("usable", Show.N(request.Reserve.MemoryUtilization * 100))),
                [
                    new(Phrase.Of("col.devices", "Devices"), CellKind.Count), new(Phrase.Of("col.tp", "TP"), CellKind.Count), new(Phrase.Of("col.pp", "PP"), CellKind.Count),
                    new(Phrase.Of("col.ep", "EP"), CellKind.Count), new(Phrase.Of("col.weights-per-device", "Weights/device"), CellKind.Bytes),
                    new(Phrase.Of("col.kv-per-device", "KV/device"), CellKind.Bytes), new(Phrase.Of("col.free-kv-per-device", "Free for KV/device"), CellKind.Bytes),
                    new(Phrase.Of("col.max-sequences", "Max sequences"), CellKind.Count),
                ],
                [.. fit.Layouts.Select(l => (IReadOnlyList<ReportCell>)[
                    ReportCell.Count(l.Layout.Devices), ReportCell.Count(l.Layout.Tp), ReportCell.Count(l.Layout.Pp), ReportCell.Count(l.Layout.Ep),
                    ReportCell.Bytes(l.Weights), ReportCell.Bytes(l.Kv), ReportCell.Bytes(l.FreeForKv), ReportCell.Count(l.MaxSequences)])]));
        }
        (string, object)[] asked = [("model", request.Model.Id), ("precision", request.Weights.Name), ("kv", request.Kv.Name),
            ("batch", Show.N(request.Batch)), ("context", Show.N(request.Context))];
        var title = device is null
            ? Phrase.Of("report.memory", "{model} in {precision} (KV {kv}), batch {batch} x context {context}", asked)
            : Phrase.Of("report.memory#on", "{model} in {precision} (KV {kv}), batch {batch} x context {context} on {device}", [.. asked, ("device", device.Id)]);
        return new Report(title, json, tables, findings);
    }

    /// <summary>The weights row's formula: parameters x bits, or for a mixed precision the routed experts and the rest apart.</summary>
    private static Phrase WeightsFormula(FootprintRequest request)
    {
        var w = request.Weights;
        if (w.IsUniform)
        {
            return Phrase.Of("cell.parameters-x-bits", "parameters x {bits} bits ({format})", ("bits", Show.Sig(w.Rest.BitsPerValue)), ("format", w.Name));
        }
        var a = request.Model.Architecture;
        var experts = MemoryModel.RoutedExpertParametersPerLayer(a) * a.MoeLayers;
        var rest = ParameterCount.Of(a).Total(a) - experts;
        return Phrase.Of("cell.experts-plus-rest", "routed experts {experts} B x {expertBits} bits ({expertFormat}) + the other {rest} B parameters in {restFormat}",
            ("experts", Show.N(experts / 1e9, 2)), ("expertBits", Show.Sig(w.Experts.BitsPerValue)), ("expertFormat", w.Experts.Name),
            ("rest", Show.N(rest / 1e9, 2)), ("restFormat", w.Rest.Name));
    }

    // The KV row's formula: the attention's bytes per token, then the parts some architectures add (indexer keys, recurrent state).
    private static Phrase KvFormula(FootprintRequest r)
    {
        var a = r.Model.Architecture;
        // Layers that borrow another layer's cache (Gemma 3n) hold none of their own.
        var layers = Fmt.I($"{a.SoftmaxLayers - (a.SharedKv?.Layers ?? 0)}");
        var bytes = Show.Sig(r.Kv.BytesPerValue);
        var indexer = Show.Sig(MemoryModel.IndexerBytesPerTokenPerLayer(a).Value);
        if (a.Compressed is { } v4)
        {
            var csa = Fmt.I($"{v4.LayersOf(CompressedAttention.IndexedRatio)}");
            return Phrase.Of("cell.kv-compressed",
                "{dims} dims x {bytes} B x ({csa} layers / {indexed} + {hca} layers / {heavy}) + {csa} x {indexer} B indexer keys / {indexed}; plus a {window}-token window on all {layers} layers per sequence",
                ("dims", Fmt.I($"{a.HeadDim}")), ("bytes", bytes), ("csa", csa), ("indexed", Fmt.I($"{CompressedAttention.IndexedRatio}")),
                ("hca", Fmt.I($"{v4.LayersOf(CompressedAttention.HeavyRatio)}")), ("heavy", Fmt.I($"{CompressedAttention.HeavyRatio}")), ("indexer", indexer),
                ("window", Fmt.I($"{v4.Window}")), ("layers", Fmt.I($"{a.Layers}")));
        }
        var attention = a.Global is { } g && a.Mla is null
            ? Phrase.Of("cell.kv-heads-global", "2 x {windowed} windowed layers x {heads} KV heads x {dims} dims x {bytes} B + 2 x {full} full layers x {globalHeads} KV heads x {globalDims} dims x {bytes} B",
                ("windowed", Fmt.I($"{a.CachedWindowLayers}")), ("heads", Fmt.I($"{a.KvHeads}")), ("dims", Fmt.I($"{a.HeadDim}")), ("bytes", bytes),
                ("full", Fmt.I($"{a.CachedFullLayers}")), ("globalHeads", Fmt.I($"{g.KvHeads}")), ("globalDims", Fmt.I($"{g.HeadDim}")))
            : a.Mla is { } m
            ? Phrase.Of("cell.kv-mla", "{layers} layers x ({latent} latent + {rope} rope) x {bytes} B",
                ("layers", layers), ("latent", Fmt.I($"{m.KvLoraRank}")), ("rope", Fmt.I($"{m.QkRopeHeadDim}")), ("bytes", bytes))
            : Phrase.Of("cell.kv-heads", "2 x {layers} layers x {heads} KV heads x {dims} dims x {bytes} B",
                ("layers", layers), ("heads", Fmt.I($"{a.KvHeads}")), ("dims", Fmt.I($"{a.HeadDim}")), ("bytes", bytes));
        var own = a.SharedKv is { } shared
            ? Phrase.Of("cell.kv-shared", "{attention}; the last {shared} layers reuse an earlier layer's cache", ("attention", attention), ("shared", Fmt.I($"{shared.Layers}")))
            : attention;
        var formula = a.Sparse is null ? own
            : Phrase.Of("cell.kv-plus-indexer", "{attention} + {layers} x {indexer} B {scheme} indexer keys", ("attention", own),
                ("layers", Fmt.I($"{a.IndexerLayers}")), ("indexer", indexer), ("scheme", a.Sparse.Scheme.ToUpperInvariant()));
        return a.Linear is { } lin
            ? Phrase.Of("cell.kv-plus-state", "{attention}; plus {layers} {kind} layers' constant state, {mib} MiB each per sequence",
                ("attention", formula), ("layers", Fmt.I($"{lin.Layers}")), ("kind", lin.Kind),
                ("mib", Show.Sig(MemoryModel.RecurrentStatePerLayer(a).Value / 1048576.0)))
            : formula;
    }

    // A row's label in the first column of a key-value table.
    private static ReportCell Label(Phrase label) => ReportCell.Words(label);

    private static long Whole(Quantities.Bytes b) => (long)Math.Round(b.Value);
}

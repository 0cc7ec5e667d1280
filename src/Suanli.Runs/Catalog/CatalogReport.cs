using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>A catalog price: amount in its currency, with its source and the date it was read (yyyy-MM-dd).</summary>
public sealed record QuoteJson(decimal Amount, string Currency, string Source, string Date)
{
    /// <summary>The JSON form of a catalog quote; null stays null.</summary>
    public static QuoteJson? Of(PriceQuote? q) => q is null ? null
        : new(q.Amount.Amount, q.Amount.Currency.Code, q.Source, q.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// A device's softmax exponential rate in exponentials per second, whether it is derived from a formula (true) or
/// published for the device (false), and the source or the formula (docs/methodology-steptime.md, "Softmax exponentials").
/// </summary>
public sealed record ExpRateJson(double ExponentialsPerSecond, bool Derived, string Source);

/// <summary>
/// One accelerator or CPU of the catalog; peaks are dense, per compute type, in FLOP/s (or OP/s for integers);
/// <c>Architecture</c> is the family the calibration keys it by (empty when the entry names none); <c>ExpRate</c> is null
/// where the catalog has no exponential rate, and attention then has no exponential bound.
/// </summary>
public sealed record DeviceJson(string Id, IReadOnlyList<string> Aliases, string Vendor, string Name, string Category, string Architecture, long MemoryBytes,
    double MemoryBandwidthBytesPerSecond, IReadOnlyDictionary<string, double> PeakFlopPerSecond, double? TdpWatts,
    double? InterconnectBandwidthBytesPerSecond, string Interconnect, QuoteJson? Price, QuoteJson? RentPerHour, string Confidence,
    IReadOnlyList<string> Sources, ExpRateJson? ExpRate);

/// <summary><c>suanli catalog hardware --format json</c> and <c>GET /api/catalog/hardware</c>.</summary>
public sealed record DevicesJson(IReadOnlyList<DeviceJson> Devices) : ReportDocument;

/// <summary>
/// One server (node) of the catalog: the device it holds, how many, its power in watts and height in rack units, and
/// <c>ScaleOutBandwidthBytesPerSecond</c>, the network between nodes per device and direction in bytes per second
/// (one 400 Gb/s NIC per GPU: 50e9), null where the catalog gives none (plans then keep replicas within one node).
/// </summary>
public sealed record ServerJson(string Id, string Name, string Device, int DevicesPerNode, double PowerWatts, int HeightU,
    double? ScaleOutBandwidthBytesPerSecond, QuoteJson? Price, IReadOnlyList<string> Sources);

/// <summary><c>suanli catalog servers --format json</c> and <c>GET /api/catalog/servers</c>.</summary>
public sealed record ServersJson(IReadOnlyList<ServerJson> Servers) : ReportDocument;

/// <summary>A published benchmark score of a model (percent), with the shots and the source.</summary>
public sealed record BenchmarkJson(string Name, double Score, int? Shots, string Source);

/// <summary>
/// One model of the catalog: parameters counted from its architecture beside the published counts (parameters),
/// its attention kind, shape, experts, longest context (tokens), licence and benchmark scores. <c>DefaultPrecision</c> is
/// the weight format of the released checkpoint (fp8 for DeepSeek-V3, bf16 for most), the one <c>suanli memory</c>,
/// a scenario file and the API take when no precision is given.
/// </summary>
public sealed record ModelJson(string Id, string? HfRepo, IReadOnlyList<string> Aliases, string Family, string ConfigKind, string DefaultPrecision,
    double ParametersCounted, double ActiveParametersCounted, double? PublishedParameters, double? ActiveParameters, string Attention,
    int Layers, int HiddenSize, int Heads, int KvHeads, int? Experts, int? ActiveExperts, int MaxContext, string Licence,
    IReadOnlyList<BenchmarkJson> Benchmarks);

/// <summary><c>suanli catalog models --format json</c> and <c>GET /api/catalog/models</c>.</summary>
public sealed record ModelsJson(IReadOnlyList<ModelJson> Models) : ReportDocument;

/// <summary>Reports listing the catalog.</summary>
public static class CatalogReport
{
    /// <summary>All devices.</summary>
    public static Report Hardware(SuanliCatalog catalog)
    {
        var json = new DevicesJson([.. catalog.Devices.Select(d => new DeviceJson(d.Id, d.Aliases, d.Vendor, d.Name, d.Category.ToString(), d.Architecture,
            (long)d.Memory.Value, d.MemoryBandwidth.Value, d.Peak.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value.Value),
            d.Tdp?.Value, d.Interconnect.Bandwidth?.Value, d.Interconnect.Name, QuoteJson.Of(DeviceQuotes.Purchase(d)), QuoteJson.Of(DeviceQuotes.Rent(d)), d.Confidence, d.Sources,
            d.ExpRate is { } e ? new ExpRateJson(e.Rate.Value, e.Derived, e.Source) : null))]);
        var rows = catalog.Devices.Select(d => (IReadOnlyList<ReportCell>)[
            T(d.Id), T(d.Vendor), ReportCell.Number(d.Memory.InGigabytes, 0), ReportCell.Number(d.MemoryBandwidth.InGigabytesPerSecond, 0),
            Peak(d, ComputeType.Bf16), Peak(d, ComputeType.Fp8), Peak(d, ComputeType.Int8),
            d.Tdp is { } t ? ReportCell.Number(t.InWatts, 0) : ReportCell.None, DeviceQuotes.Purchase(d) is { } p ? ReportCell.Money(p.Amount) : ReportCell.None, T(d.Confidence)]).ToList();
        return new Report(Phrase.Of("report.devices", "{count} devices (dense peaks)", ("count", Fmt.I($"{catalog.Devices.Count}"))), json,
            [new ReportTable(Phrase.Of("table.hardware", "Hardware"),
                [
                    new(Phrase.Of("col.id", "Id")), new(Phrase.Of("col.vendor", "Vendor")), new(Phrase.Of("col.memory-gb", "Memory (GB)"), CellKind.Number),
                    new(Phrase.Of("col.bandwidth-gbs", "Bandwidth (GB/s)"), CellKind.Number), new(Phrase.Of("col.bf16-tflops", "BF16 (TFLOP/s)"), CellKind.Number),
                    new(Phrase.Of("col.fp8-tflops", "FP8 (TFLOP/s)"), CellKind.Number), new(Phrase.Of("col.int8-tops", "INT8 (TOP/s)"), CellKind.Number),
                    new(Phrase.Of("col.tdp-w", "TDP (W)"), CellKind.Number), new(Phrase.Of("col.price", "Price"), CellKind.Money), new(Phrase.Of("col.confidence", "Confidence")),
                ], rows)], []);
    }

    /// <summary>All servers.</summary>
    public static Report Servers(SuanliCatalog catalog)
    {
        var json = new ServersJson([.. catalog.Servers.Select(s => new ServerJson(s.Id, s.Name, s.DeviceId, s.DevicesPerNode, s.Power.Value, s.HeightU,
            s.ScaleOutBandwidth?.Value, QuoteJson.Of(s.Price), s.Sources))]);
        var rows = catalog.Servers.Select(s => (IReadOnlyList<ReportCell>)[
            T(s.Id), T(s.DeviceId), ReportCell.Count(s.DevicesPerNode), ReportCell.Number(s.Power.InKilowatts, 1), ReportCell.Count(s.HeightU),
            s.ScaleOutBandwidth is { } b ? ReportCell.Number(b.InGigabytesPerSecond, 0) : NotPublished, s.Price is { } p ? ReportCell.Money(p.Amount) : ReportCell.None]).ToList();
        return new Report(Phrase.Of("report.servers", "{count} servers", ("count", Fmt.I($"{catalog.Servers.Count}"))), json,
            [new ReportTable(Phrase.Of("table.servers", "Servers"),
                [
                    new(Phrase.Of("col.id", "Id")), new(Phrase.Of("col.device", "Device")), new(Phrase.Of("col.devices-per-node", "Devices/node"), CellKind.Count),
                    new(Phrase.Of("col.power-kw", "Power (kW)"), CellKind.Number), new(Phrase.Of("col.height-u", "Height (U)"), CellKind.Count),
                    new(Phrase.Of("col.scale-out-gbs", "Network (GB/s per device, each way)"), CellKind.Number), new(Phrase.Of("col.price", "Price"), CellKind.Money),
                ], rows)], []);
    }

    // A server whose vendor states no compute-fabric NIC (docs/catalog.md): the cell says so rather than stay empty; JSON null.
    private static ReportCell NotPublished { get; } = ReportCell.Words(Phrase.Of("cell.not-published", "not published"));

    /// <summary>All models.</summary>
    public static Report Models(SuanliCatalog catalog)
    {
        var json = new ModelsJson([.. catalog.Models.Select(m =>
        {
            var a = m.Architecture;
            var count = ParameterCount.Of(a);
            return new ModelJson(m.Id, m.HfRepo, m.Aliases, m.Family, m.ConfigKind, m.DefaultPrecision, Math.Round(count.Total(a)), Math.Round(count.Active(a)),
                m.PublishedParameters, m.ActiveParameters, a.Attention.ToString(), a.Layers, a.HiddenSize, a.Heads, a.KvHeads,
                a.Moe?.Experts, a.Moe?.ActiveExperts, a.MaxContext, m.Licence, [.. m.Benchmarks.Select(b => new BenchmarkJson(b.Name, b.Score, b.Shots, b.Source))]);
        })]);
        var rows = catalog.Models.Select(m =>
        {
            var a = m.Architecture;
            var count = ParameterCount.Of(a);
            var total = count.Total(a);
            var active = count.ActiveAs(a, m.ActiveParametersScope);
            // A signed percentage ("+1.2%"), which a Percent cell does not write.
            static ReportCell Diff(double counted, double? published) => published is { } pub && pub > 0
                ? T((counted / pub - 1).ToString("+0.0%;-0.0%;0.0%", System.Globalization.CultureInfo.InvariantCulture)) : ReportCell.None;
            static ReportCell Billions(double? value) => value is { } v ? ReportCell.Number(v / 1e9, 2) : ReportCell.None;
            return (IReadOnlyList<ReportCell>)[
                T(m.Id), Billions(total), Billions(m.PublishedParameters), Diff(total, m.PublishedParameters),
                a.Moe is null ? ReportCell.None : Billions(active), Billions(m.ActiveParameters),
                m.ActiveParameters is null ? ReportCell.None : Diff(active, m.ActiveParameters), T(m.DefaultPrecision),
                T(a.Attention.ToString()), ReportCell.Count(a.Layers), a.Moe is { } e ? T(Fmt.I($"{e.ActiveExperts}/{e.Experts}")) : ReportCell.None,
                ReportCell.Count(a.MaxContext), m.Score("MMLU") is { } s ? ReportCell.Number(s, 1) : ReportCell.None, T(m.Licence)];
        }).ToList();
        return new Report(Phrase.Of("report.models", "{count} models", ("count", Fmt.I($"{catalog.Models.Count}"))), json,
            [new ReportTable(Phrase.Of("table.models", "Models"),
                [
                    new(Phrase.Of("col.id", "Id")), new(Phrase.Of("col.params-counted-b", "Params counted (B)"), CellKind.Number),
                    new(Phrase.Of("col.published-b", "Published (B)"), CellKind.Number), new(Phrase.Of("col.diff", "Diff")),
                    new(Phrase.Of("col.active-counted-b", "Active counted (B)"), CellKind.Number), new(Phrase.Of("col.active-published-b", "Active published (B)"), CellKind.Number),
                    new(Phrase.Of("col.diff-active", "Diff active")), new(Phrase.Of("col.released-as", "Released as")), new(Phrase.Of("col.attention", "Attention")),
                    new(Phrase.Of("col.layers", "Layers"), CellKind.Count), new(Phrase.Of("col.experts", "Experts")), new(Phrase.Of("col.context", "Context"), CellKind.Count),
                    new(Phrase.Of("col.mmlu", "MMLU"), CellKind.Number), new(Phrase.Of("col.licence", "Licence")),
                ], rows)], []);
    }

    private static ReportCell Peak(Device d, ComputeType t) => d.Peak.TryGetValue(t, out var r) ? ReportCell.Number(r.InTeraflopPerSecond, 0) : ReportCell.None;

    private static ReportCell T(string text) => ReportCell.Text(text);
}

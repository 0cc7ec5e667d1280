using Suanli.Catalog;
using Suanli.Footprint;

namespace Suanli.Runs;

/// <summary>A catalog price: amount in its currency, with its source and the date it was read (yyyy-MM-dd).</summary>
public sealed record QuoteJson(decimal Amount, string Currency, string Source, string Date)
{
    /// <summary>The JSON form of a catalog quote; null stays null.</summary>
    public static QuoteJson? Of(PriceQuote? q) => q is null ? null
        : new(q.Amount.Amount, q.Amount.Currency.Code, q.Source, q.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// One accelerator or CPU of the catalog; peaks are dense, per compute type, in FLOP/s (or OP/s for integers);
/// <c>Architecture</c> is the family the calibration keys it by (empty when the entry names none).
/// </summary>
public sealed record DeviceJson(string Id, IReadOnlyList<string> Aliases, string Vendor, string Name, string Category, string Architecture, long MemoryBytes,
    double MemoryBandwidthBytesPerSecond, IReadOnlyDictionary<string, double> PeakFlopPerSecond, double? TdpWatts,
    double? InterconnectBandwidthBytesPerSecond, string Interconnect, QuoteJson? Price, QuoteJson? RentPerHour, string Confidence,
    IReadOnlyList<string> Sources);

/// <summary><c>suanli catalog hardware --format json</c> and <c>GET /api/catalog/hardware</c>.</summary>
public sealed record DevicesJson(IReadOnlyList<DeviceJson> Devices) : ReportDocument;

/// <summary>One server (node) of the catalog: the device it holds, how many, its power in watts and height in rack units.</summary>
public sealed record ServerJson(string Id, string Name, string Device, int DevicesPerNode, double PowerWatts, int HeightU, QuoteJson? Price, IReadOnlyList<string> Sources);

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
            d.Tdp?.Value, d.InterconnectBandwidth?.Value, d.Interconnect, QuoteJson.Of(d.Price), QuoteJson.Of(d.RentPerHour), d.Confidence, d.Sources))]);
        var rows = catalog.Devices.Select(d => (IReadOnlyList<string>)[
            d.Id, d.Vendor, Show.N(d.Memory.InGigabytes, 0), Show.N(d.MemoryBandwidth.InGigabytesPerSecond, 0),
            Peak(d, ComputeType.Bf16), Peak(d, ComputeType.Fp8), Peak(d, ComputeType.Int8),
            d.Tdp is { } t ? Show.N(t.InWatts) : "-", d.Price is { } p ? Show.Money(p.Amount) : "-", d.Confidence]).ToList();
        return new Report($"{catalog.Devices.Count} devices (dense peaks)", json,
            [new ReportTable("Hardware", ["Id", "Vendor", "Memory (GB)", "Bandwidth (GB/s)", "BF16 (TFLOP/s)", "FP8 (TFLOP/s)", "INT8 (TOP/s)", "TDP (W)", "Price", "Confidence"], rows)], []);
    }

    /// <summary>All servers.</summary>
    public static Report Servers(SuanliCatalog catalog)
    {
        var json = new ServersJson([.. catalog.Servers.Select(s => new ServerJson(s.Id, s.Name, s.DeviceId, s.DevicesPerNode, s.Power.Value, s.HeightU, QuoteJson.Of(s.Price), s.Sources))]);
        var rows = catalog.Servers.Select(s => (IReadOnlyList<string>)[
            s.Id, s.DeviceId, Show.N(s.DevicesPerNode), Show.N(s.Power.InKilowatts, 1), Show.N(s.HeightU), s.Price is { } p ? Show.Money(p.Amount) : "-"]).ToList();
        return new Report($"{catalog.Servers.Count} servers", json,
            [new ReportTable("Servers", ["Id", "Device", "Devices/node", "Power (kW)", "Height (U)", "Price"], rows)], []);
    }

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
            static string Diff(double counted, double? published) => published is { } pub && pub > 0 ? (counted / pub - 1).ToString("+0.0%;-0.0%;0.0%", System.Globalization.CultureInfo.InvariantCulture) : "-";
            return (IReadOnlyList<string>)[
                m.Id, Show.N(total / 1e9, 2), m.PublishedParameters is { } p ? Show.N(p / 1e9, 2) : "-", Diff(total, m.PublishedParameters),
                a.Moe is null ? "-" : Show.N(active / 1e9, 2), m.ActiveParameters is { } pa ? Show.N(pa / 1e9, 2) : "-",
                m.ActiveParameters is null ? "-" : Diff(active, m.ActiveParameters), m.DefaultPrecision,
                a.Attention.ToString(), Show.N(a.Layers), a.Moe is { } e ? $"{e.ActiveExperts}/{e.Experts}" : "-",
                Show.N(a.MaxContext), m.Score("MMLU") is { } s ? Show.N(s, 1) : "-", m.Licence];
        }).ToList();
        return new Report($"{catalog.Models.Count} models", json,
            [new ReportTable("Models", ["Id", "Params counted (B)", "Published (B)", "Diff", "Active counted (B)", "Active published (B)", "Diff active", "Released as", "Attention", "Layers", "Experts", "Context", "MMLU", "Licence"], rows)], []);
    }

    private static string Peak(Device d, ComputeType t) => d.Peak.TryGetValue(t, out var r) ? Show.N(r.InTeraflopPerSecond, 0) : "-";
}

using Suanli.Catalog;
using Suanli.Footprint;

namespace Suanli.IO.Reports;

/// <summary>Reports listing the catalog.</summary>
public static class CatalogReport
{
    /// <summary>All devices.</summary>
    public static Report Hardware(SuanliCatalog catalog)
    {
        var json = catalog.Devices.Select(d => new
        {
            d.Id,
            d.Aliases,
            d.Vendor,
            d.Name,
            Category = d.Category.ToString(),
            MemoryBytes = (long)d.Memory.Value,
            MemoryBandwidthBytesPerSecond = d.MemoryBandwidth.Value,
            PeakFlopPerSecond = d.Peak.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value.Value),
            TdpWatts = d.Tdp?.Value,
            InterconnectBandwidthBytesPerSecond = d.InterconnectBandwidth?.Value,
            d.Interconnect,
            Price = d.Price is { } p ? new { p.Amount.Amount, Currency = p.Amount.Currency.Code, p.Source, Date = p.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) } : null,
            RentPerHour = d.RentPerHour is { } r ? new { r.Amount.Amount, Currency = r.Amount.Currency.Code, r.Source, Date = r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) } : null,
            d.Confidence,
            d.Sources,
        }).ToList();
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
        var json = catalog.Servers.Select(s => new { s.Id, s.Name, Device = s.DeviceId, s.DevicesPerNode, PowerWatts = s.Power.Value, s.HeightU, Price = s.Price is { } p ? new { p.Amount.Amount, Currency = p.Amount.Currency.Code, p.Source } : null, s.Sources }).ToList();
        var rows = catalog.Servers.Select(s => (IReadOnlyList<string>)[
            s.Id, s.DeviceId, Show.N(s.DevicesPerNode), Show.N(s.Power.InKilowatts, 1), Show.N(s.HeightU), s.Price is { } p ? Show.Money(p.Amount) : "-"]).ToList();
        return new Report($"{catalog.Servers.Count} servers", json,
            [new ReportTable("Servers", ["Id", "Device", "Devices/node", "Power (kW)", "Height (U)", "Price"], rows)], []);
    }

    /// <summary>All models.</summary>
    public static Report Models(SuanliCatalog catalog)
    {
        var json = catalog.Models.Select(m =>
        {
            var count = ParameterCount.Of(m.Architecture);
            return new
            {
                m.Id,
                m.HfRepo,
                m.Aliases,
                m.Family,
                m.ConfigKind,
                ParametersCounted = Math.Round(count.Total(m.Architecture)),
                ActiveParametersCounted = Math.Round(count.Active(m.Architecture)),
                m.PublishedParameters,
                m.ActiveParameters,
                Attention = m.Architecture.Attention.ToString(),
                m.Architecture.Layers,
                m.Architecture.HiddenSize,
                m.Architecture.Heads,
                m.Architecture.KvHeads,
                Experts = m.Architecture.Moe?.Experts,
                ActiveExperts = m.Architecture.Moe?.ActiveExperts,
                m.Architecture.MaxContext,
                m.Licence,
                Benchmarks = m.Benchmarks.Select(b => new { b.Name, b.Score, b.Shots, b.Source }),
            };
        }).ToList();
        var rows = catalog.Models.Select(m =>
        {
            var a = m.Architecture;
            var count = ParameterCount.Of(a);
            return (IReadOnlyList<string>)[
                m.Id, Show.N(count.Total(a) / 1e9, 2), a.Moe is null ? "-" : Show.N(count.Active(a) / 1e9, 2),
                m.PublishedParameters is { } p ? Show.N(p / 1e9, 2) : "-",
                a.Attention.ToString(), Show.N(a.Layers), a.Moe is { } e ? $"{e.ActiveExperts}/{e.Experts}" : "-",
                Show.N(a.MaxContext), m.Score("MMLU") is { } s ? Show.N(s, 1) : "-", m.Licence];
        }).ToList();
        return new Report($"{catalog.Models.Count} models", json,
            [new ReportTable("Models", ["Id", "Params counted (B)", "Active (B)", "Published (B)", "Attention", "Layers", "Experts", "Context", "MMLU", "Licence"], rows)], []);
    }

    private static string Peak(Device d, ComputeType t) => d.Peak.TryGetValue(t, out var r) ? Show.N(r.InTeraflopPerSecond, 0) : "-";
}

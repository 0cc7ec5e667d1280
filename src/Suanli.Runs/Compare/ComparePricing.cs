using Suanli.Fleet;

namespace Suanli.Runs;

/// <summary>How <c>suanli compare</c> prices its options: the currency, exchange rates, electricity, PUE, amortisation and purchase prices.</summary>
public sealed record ComparePricing
{
    /// <summary>Currency every option is converted into.</summary>
    public string Currency { get; init; } = "USD";
    /// <summary>Explicit exchange rates 'USD/CNY=7.2734@2025-02-28'; none uses the catalog's.</summary>
    public IReadOnlyList<string> ExchangeRates { get; init; } = [];
    /// <summary>Electricity: a catalog region or '0.65 CNY/kWh'; null is the region for the currency (<see cref="ElectricityDefaults.TariffRegion"/>, as <c>plan</c>).</summary>
    public string? Tariff { get; init; }
    /// <summary>PUE: a number from 1.0 to 3.0 or a catalog name; null is <see cref="ElectricityDefaults.Pue"/> (as <c>plan</c> and <c>train</c>).</summary>
    public string? Pue { get; init; }
    /// <summary>Amortisation years for bought hardware; null takes the catalog's server-lifetime-default.</summary>
    public double? Years { get; init; }
    /// <summary>Maintenance per year as a share of capex (0 to 1); null takes the catalog's maintenance-share.</summary>
    public double? Maintenance { get; init; }
    /// <summary>Share added to device capex for servers, network and storage.</summary>
    public double ServerOverhead { get; init; }
    /// <summary>Which catalog purchase price is used: "newest" (the newest-dated, default), "article-claim", "street-estimate" or "list-price".</summary>
    public string Purchase { get; init; } = "newest";
    /// <summary>Purchase prices overriding the catalog, each 'kunlunxin-r200=20000 CNY'.</summary>
    public IReadOnlyList<string> DevicePrices { get; init; } = [];
}

using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Fleet;

/// <summary>
/// The electricity defaults every command uses when the question names none (<c>plan</c>, <c>optimize</c>,
/// <c>compare</c> and <c>train</c>), in one place so that one question gets one electricity cost: the tariff region
/// for the currency, the PUE and a device's idle draw (docs/methodology-cost.md, "Defaults with sources"; in Fleet, the stage that draws the power, so Fleet and Cost both read it).
/// </summary>
public static class ElectricityDefaults
{
    /// <summary>
    /// PUE 1.3: the ceiling China set for new large and hyperscale data centres (<c>china-new-datacentre-target</c>
    /// in catalog/prices/energy.yaml) and what Uptime reports newer large facilities achieve (<c>new-large-facility</c>);
    /// hyperscalers report about 1.1, Uptime's industry average is 1.54 (2025).
    /// </summary>
    public const double Pue = 1.3;

    /// <summary>Fraction of TDP a device draws idle when the catalog has no measurement (an assumption, stated as a finding).</summary>
    public const double IdleFraction = 0.25;

    /// <summary>
    /// The tariff region of catalog/prices/energy.yaml used when a question names none: China's industrial average
    /// for CNY, Virginia's industrial average (the largest US data-centre market) for USD, the EU non-household
    /// average for EUR.
    /// </summary>
    public static string TariffRegion(Currency currency) =>
        currency == Currency.Cny ? "CN-industrial-average" : currency == Currency.Eur ? "EU-non-household-average" : "US-VA-industrial";

    /// <summary>The idle draw of a device: the catalog's measurement, else <see cref="IdleFraction"/> of its TDP.</summary>
    public static Power IdlePower(Device d) => d.IdlePower ?? (d.Tdp ?? Power.Zero) * IdleFraction;

    /// <summary>The finding that says a device's idle draw is assumed; null when the catalog measures it or has no TDP.</summary>
    public static Finding? IdleAssumed(Device d) => d.IdlePower is null && d.Tdp is { } tdp
        ? Finding.Info("idle-power-assumed", "{device} has no measured idle power in the catalog; idle draw is taken as {share} of its {tdp} TDP (an assumption).",
            ("device", d.Id), ("share", Fmt.I($"{IdleFraction * 100:0}%")), ("tdp", Fmt.I($"{tdp.InWatts:0} W")))
        : null;
}

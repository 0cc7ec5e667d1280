using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Text;
using Suanli.Training;

namespace Suanli.Runs;

/// <summary>
/// The prices <c>suanli train</c> costs a run with: rent, tariff, PUE, grid intensity, device and server price, in
/// the currency asked for (<see cref="TrainPricing.Currency"/>) through the prices catalog's dated rates, by the rule
/// <c>plan</c> and <c>compare</c> convert with (<see cref="PriceBook.ConverterTo"/>).
/// </summary>
internal static class TrainPrices
{
    /// <summary>
    /// The cost inputs of a run and the findings on the prices used: the tariff given as a price or a catalog region
    /// (stale regions flagged), every amount converted into <see cref="TrainPricing.Currency"/> when one is given (else
    /// each stays in the currency its source gives), each exchange rate used shown and flagged when stale.
    /// </summary>
    public static (CostInputs Inputs, IReadOnlyList<Finding> Findings) Of(TrainPricing p, PriceQuote? rent, Device device, Server? server, DateOnly today)
    {
        var book = PriceFiles.Embedded;
        var findings = new List<Finding>();
        var used = new List<(Phrase Name, Provenance P)>();
        Money? tariff = p.Tariff is { } text ? PriceSelection.Tariff(book, text, FieldNames.Tariff, used) : null;
        var purchase = DeviceQuotes.Purchase(device);
        // The same question costs the same electricity in every command: without --tariff, the region plan and compare
        // take for the currency (asked for, else the rent's or the device price's); train alone omitted it.
        var defaultFor = tariff is null
            ? p.Currency is { } asked ? Currency.Parse(asked, FieldNames.Currency) : rent?.Amount.Currency ?? purchase?.Amount.Currency
            : null;
        if (defaultFor is { } currency)
        {
            tariff = PriceSelection.Tariff(book, ElectricityDefaults.TariffRegion(currency), FieldNames.Tariff, used);
        }
        findings.AddRange(StalePrices.Of(used, today, advise: true));
        var inputs = new CostInputs(rent, tariff, p.Pue, p.GridKgPerKwh, purchase, server?.Price, (server ?? FleetPlanner.GenericServer(device)).DevicesPerNode);
        if (p.Currency is null)
        {
            return (inputs, [.. findings, .. DefaultTariff(defaultFor, inputs.Tariff), .. SourceCurrencies(inputs)]);
        }
        var converter = book.ConverterTo(Currency.Parse(p.Currency, FieldNames.Currency));
        PriceQuote? Quote(PriceQuote? q, FieldName field) => q is { } x ? x with { Amount = converter.Convert(x.Amount, field) } : null;
        inputs = inputs with
        {
            RentPerDeviceHour = Quote(inputs.RentPerDeviceHour, FieldNames.RentPerHour),
            Tariff = inputs.Tariff is { } t ? converter.Convert(t, FieldNames.Tariff) : null,
            DevicePrice = Quote(inputs.DevicePrice, FieldNames.DevicePrice),
            ServerPrice = Quote(inputs.ServerPrice, FieldNames.DevicePrice),
        };
        findings.AddRange(PriceSelection.RateFindings(converter, book, today));
        return (inputs, [.. findings, .. DefaultTariff(defaultFor, inputs.Tariff)]);
    }

    /// <summary>
    /// Without <c>--currency</c>, which currency the costs are in and why: each price stays in the currency its source
    /// gives, and the language never chooses it, as <c>plan</c> (the scenario's currency, USD when it names none) and
    /// <c>compare</c> (<c>--currency</c>, USD by default) never let it; none when the run has no price. When the sources
    /// give more than one currency the note says which costs are in which ("rent and capex (devices) in USD; electricity
    /// in CNY"), since a bare list of codes leaves the reader to guess.
    /// </summary>
    internal static IEnumerable<Finding> SourceCurrencies(CostInputs inputs)
    {
        (Phrase Cost, Currency? Currency)[] prices =
        [
            (Phrase.Of("train-cost#rent", "rent"), inputs.RentPerDeviceHour?.Amount.Currency),
            (Phrase.Of("train-cost#electricity", "electricity"), inputs.Tariff?.Currency),
            (Phrase.Of("train-cost#devices", "capex (devices)"), inputs.DevicePrice?.Amount.Currency),
            (Phrase.Of("train-cost#servers", "capex (servers)"), inputs.ServerPrice?.Amount.Currency),
        ];
        var byCurrency = prices.Where(p => p.Currency is not null).GroupBy(p => p.Currency!.Value.Code, StringComparer.Ordinal).ToList();
        if (byCurrency.Count <= 1)
        {
            return byCurrency.Count == 0
                ? []
                : [Finding.Info("currency#train-sources", "Costs in {currencies}: without {currency} each price stays in the currency its source gives; the language never chooses the currency, as plan (the scenario's currency, USD when it names none) and compare ({currency}, USD by default) never let it. Pass {currency} CNY, USD or EUR to convert every price with the catalog's dated exchange rates.",
                    ("currencies", byCurrency[0].Key), ("currency", FieldNames.Currency))];
        }
        var parts = byCurrency.Select(g => Phrase.Of("currency#train-part", "{costs} in {code}",
            ("costs", new PhraseList([.. g.Select(p => p.Cost)], "and")), ("code", g.Key)));
        return [Finding.Info("currency#train-mixed", "Costs in more than one currency, never added across currencies: {parts}. Without {currency} each price stays in the currency its source gives; the language never chooses the currency, as plan (the scenario's currency, USD when it names none) and compare ({currency}, USD by default) never let it. Pass {currency} CNY, USD or EUR to convert every price with the catalog's dated exchange rates.",
            ("parts", new PhraseList([.. parts], "semicolon")), ("currency", FieldNames.Currency))];
    }

    // Said at the price the run is costed at (converted when --currency asks), so a CNY run does not read a USD tariff.
    private static IEnumerable<Finding> DefaultTariff(Currency? currency, Money? tariff) => currency is { } c && tariff is { } t
        ? [Finding.Info("tariff-default#train", "Electricity at {region} ({price}/kWh), the default region for {currency} that plan and compare use; pass {tariff} for your own price.",
            ("region", ElectricityDefaults.TariffRegion(c)), ("price", Show.Money(t)), ("currency", c.ToString()), ("tariff", FieldNames.Tariff))]
        : [];
}

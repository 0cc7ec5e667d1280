using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The purchase price and rent of a device as <c>plan</c> prices it, for the commands that quote one device without a
/// scenario (<c>train</c>, <c>catalog hardware</c> and the page's device table), so one device has one price in every
/// command; the device entry's own quote only where the prices catalog has none.
/// </summary>
public static class DeviceQuotes
{
    /// <summary>
    /// The rent <c>plan</c> and <c>compare</c> also use (<see cref="PriceSelection.CheapestRent"/>: the cheapest
    /// on-demand price in the prices catalog, in USD), with its provider and source.
    /// </summary>
    public static PriceQuote? Rent(Device device)
    {
        var book = PriceFiles.Embedded;
        return PriceSelection.CheapestRent(book, device.Id, book.ConverterTo(Quantities.Currency.Usd)) is { } r
            ? new PriceQuote(r.PerDeviceHour, $"{r.Provider} on-demand ({r.Provenance.Source})", r.Provenance.Date)
            {
                SourcePhrase = Phrase.Of("rent-source#on-demand", "{provider} on-demand ({source})", ("provider", r.Provider), ("source", r.Provenance.Source)),
            }
            : device.RentPerHour;
    }

    /// <summary>
    /// The purchase price <c>plan</c> buys at by default (<see cref="PriceSelection.FirstPurchase"/>: the newest-dated
    /// entry in the prices catalog), in the currency its source gives it.
    /// </summary>
    public static PriceQuote? Purchase(Device device)
    {
        var book = PriceFiles.Embedded;
        return PriceSelection.FirstPurchase(book, device.Id, book.ConverterTo(Quantities.Currency.Usd)) is { } p
            ? new PriceQuote(p.Entry.Price, p.Entry.Provenance.Source, p.Entry.Provenance.Date)
            : device.Price;
    }
}

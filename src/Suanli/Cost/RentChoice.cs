using System.Globalization;
using Suanli.Quantities;

namespace Suanli.Cost;

/// <summary>
/// How a fleet is rented (docs/methodology-cost.md, "Choosing the rent term"): <see cref="ReservedDevices"/> devices
/// on a 1- or 3-year term, each billed for all 730 hours of the month, and the device-hours above them on demand.
/// </summary>
/// <param name="Reserved">The reserved rent per device-hour, or null when no device is reserved.</param>
/// <param name="ReservedDevices">Devices held on the reserved term.</param>
/// <param name="OnDemand">The on-demand rent per device-hour for the hours above the reserved devices, or null when none is used.</param>
/// <param name="OnDemandDeviceHoursPerMonth">Device-hours a month billed on demand: each hour's devices above the reserved ones, x 365/12 days.</param>
public sealed record RentMix(RentPrice? Reserved, int ReservedDevices, RentPrice? OnDemand, double OnDemandDeviceHoursPerMonth)
{
    /// <summary>Devices in use in each hour of the day, the fleet the mix rents.</summary>
    public IReadOnlyList<int> HourlyDevices { get; init; } = [];

    /// <summary>Most devices in use in any hour of the day (0 for an empty day).</summary>
    public int PeakDevices => RentChoice.Peak(HourlyDevices);

    /// <summary>Hours a day the last reserved device is in use (the hours with at least <see cref="ReservedDevices"/> devices).</summary>
    public int ReservedBusyHours => HourlyDevices.Count(d => ReservedDevices > 0 && d >= ReservedDevices);

    /// <summary>Reserved device-hours a month: reserved devices x 730 h.</summary>
    public double ReservedDeviceHoursPerMonth => ReservedDevices * (double)CostCalendar.HoursPerMonth;

    /// <summary>Rent per month in the rents' currency: reserved devices x 730 h x reserved price + on-demand hours x on-demand price.</summary>
    public Money PerMonth
    {
        get
        {
            var currency = (Reserved ?? OnDemand)?.PerDeviceHour.Currency ?? Currency.Usd;
            var reserved = Reserved is { } r ? r.PerDeviceHour.Times(ReservedDeviceHoursPerMonth) : Money.Zero(currency);
            var onDemand = OnDemand is { } o ? o.PerDeviceHour.Times(OnDemandDeviceHoursPerMonth) : Money.Zero(currency);
            return reserved + onDemand;
        }
    }

    /// <summary>The term that names the mix: the reserved term when any device is reserved, else on-demand.</summary>
    public RentTerm Term => Reserved is { } r && ReservedDevices > 0 ? r.Term : RentTerm.OnDemand;
}

/// <summary>
/// Chooses the rent term of a fleet when the scenario pins none (docs/methodology-cost.md, "Choosing the rent
/// term"): a reserved device costs 730 h x the reserved price a month whether busy or not, the same device on demand
/// costs its busy hours x 365/12 x the on-demand price, so the k-th device is reserved when it is busy more than
/// 24 x reserved / on-demand hours a day. The rent is a step function of k, so the cheapest k is one of the fleet's
/// hourly device counts (or 0); every such k of every reserved term is priced and the cheapest kept.
/// </summary>
public static class RentChoice
{
    /// <summary>The terms a plan chooses among: spot is left out because a serving fleet cannot be pre-empted.</summary>
    public static IReadOnlyList<RentTerm> TermsChosenAmong { get; } = [RentTerm.OnDemand, RentTerm.Reserved1Y, RentTerm.Reserved3Y];

    /// <summary>
    /// The cheapest way to rent a fleet whose devices in use hour by hour are <paramref name="hourlyDevices"/>, with
    /// the rents on offer (each already in one currency): at most one on-demand row (the cheapest) and reserved rows.
    /// A pinned term passes its row alone: an on-demand row then bills the hours served, a reserved row every hour of
    /// the peak fleet. Null when no rent is given. Ties keep fewer reserved devices, then the shorter term.
    /// </summary>
    /// <param name="hourlyDevices">Devices in use in each hour of the day (24 values).</param>
    /// <param name="rents">The rents on offer, in one currency.</param>
    public static RentMix? Cheapest(IReadOnlyList<int> hourlyDevices, IEnumerable<RentPrice> rents)
    {
        var offered = rents.ToList();
        var onDemand = offered.Where(r => !r.BillsEveryHour).OrderBy(r => r.PerDeviceHour.Amount).FirstOrDefault();
        var peak = Peak(hourlyDevices);
        var mixes = new List<RentMix>();
        if (onDemand is not null)
        {
            mixes.Add(new RentMix(null, 0, onDemand, OnDemandHours(hourlyDevices, 0)));
        }
        var levels = hourlyDevices.Where(d => d > 0).Distinct().Order().ToList();
        foreach (var reserved in offered.Where(r => r.BillsEveryHour).OrderBy(r => r.Term))
        {
            // Without an on-demand row every device of the peak must be reserved.
            foreach (var k in onDemand is null ? [peak] : levels)
            {
                var hours = OnDemandHours(hourlyDevices, k);
                mixes.Add(new RentMix(reserved, k, hours > 0 ? onDemand : null, hours));
            }
        }
        return mixes.Count == 0 ? null : mixes.OrderBy(m => m.PerMonth.Amount).First() with { HourlyDevices = [.. hourlyDevices] };
    }

    /// <summary>Most devices in use in any hour of <paramref name="hourlyDevices"/>; 0 for an empty day.</summary>
    internal static int Peak(IReadOnlyList<int> hourlyDevices) => hourlyDevices.Count == 0 ? 0 : hourlyDevices.Max();

    /// <summary>Device-hours a month above <paramref name="reservedDevices"/>: the sum over the day's hours of the devices in use beyond them, x 365/12.</summary>
    public static double OnDemandHours(IReadOnlyList<int> hourlyDevices, int reservedDevices) =>
        hourlyDevices.Sum(d => Math.Max(0, d - reservedDevices)) * CostCalendar.DaysPerMonth;

    /// <summary>Hours a day a reserved device must be busy to cost less than on demand: 24 x reserved / on-demand price.</summary>
    public static double BreakEvenHoursPerDay(RentPrice reserved, RentPrice onDemand) =>
        24.0 * (double)(reserved.PerDeviceHour.Amount / onDemand.PerDeviceHour.Amount);

    /// <summary>The providers and terms of a mix, for option labels: "Lambda", "Google Cloud reserved-3y", or "Google Cloud reserved-3y x 2 + Lambda on-demand".</summary>
    public static string Describe(RentMix mix) => mix switch
    {
        { Reserved: { } r, ReservedDevices: > 0, OnDemand: { } o } => string.Create(CultureInfo.InvariantCulture, $"{r.Provider} {RentTerms.Name(r.Term)} x {mix.ReservedDevices} + {o.Provider} on-demand"),
        { Reserved: { } r, ReservedDevices: > 0 } => $"{r.Provider} {RentTerms.Name(r.Term)}",
        { OnDemand: { } o } => o.Provider,
        _ => "",
    };
}

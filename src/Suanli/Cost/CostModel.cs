using System.Globalization;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Cost;

/// <summary>Calendar conventions of the cost model (docs/methodology-cost.md, "Time").</summary>
public static class CostCalendar
{
    /// <summary>Hours in a 365-day year.</summary>
    public const decimal HoursPerYear = 8760m;

    /// <summary>Hours in an average month: 8,760 / 12 = 730.</summary>
    public const decimal HoursPerMonth = 730m;

    /// <summary>Days in an average month: 365 / 12.</summary>
    public const double DaysPerMonth = 365.0 / 12.0;

    /// <summary>Seconds in an average month: 730 x 3,600 = 2,628,000.</summary>
    public const double SecondsPerMonth = 730.0 * 3600.0;
}

/// <summary>What an application sends in a month: requests and tokens per request.</summary>
/// <param name="RequestsPerMonth">Requests per month.</param>
/// <param name="InputTokensPerRequest">Mean prompt tokens per request.</param>
/// <param name="OutputTokensPerRequest">Mean output tokens per request.</param>
public sealed record MonthlyVolume(double RequestsPerMonth, double InputTokensPerRequest, double OutputTokensPerRequest)
{
    /// <summary>Checks every field is finite and not negative.</summary>
    public MonthlyVolume Validated()
    {
        Guard.NonNegative(RequestsPerMonth, "requests per month");
        Guard.NonNegative(InputTokensPerRequest, FieldNames.Input);
        Guard.NonNegative(OutputTokensPerRequest, FieldNames.Output);
        return this;
    }

    /// <summary>A workload given as tokens per month at a ratio of input to output tokens per request.</summary>
    public static MonthlyVolume FromTokensPerMonth(double tokensPerMonth, double inputTokensPerRequest, double outputTokensPerRequest)
    {
        var perRequest = Guard.Positive(inputTokensPerRequest + outputTokensPerRequest, "tokens per request");
        return new MonthlyVolume(Guard.NonNegative(tokensPerMonth, "tokens per month") / perRequest, inputTokensPerRequest, outputTokensPerRequest).Validated();
    }

    /// <summary>Input tokens per month.</summary>
    public Tokens InputPerMonth => Tokens.FromCount(RequestsPerMonth * InputTokensPerRequest);

    /// <summary>Output tokens per month.</summary>
    public Tokens OutputPerMonth => Tokens.FromCount(RequestsPerMonth * OutputTokensPerRequest);

    /// <summary>All tokens per month.</summary>
    public Tokens TokensPerMonth => Tokens.FromCount(RequestsPerMonth * (InputTokensPerRequest + OutputTokensPerRequest));

    /// <summary>Mean requests per second over the month.</summary>
    public double RequestsPerSecond => RequestsPerMonth / CostCalendar.SecondsPerMonth;

    /// <summary>The same request shape at another monthly volume.</summary>
    public MonthlyVolume AtVolume(double requestsPerMonth) => this with { RequestsPerMonth = Guard.NonNegative(requestsPerMonth, "requests per month") };
}

/// <summary>
/// The hardware a plan runs, as the fleet stage describes it: devices, the servers that hold them, how many
/// device-hours per day they serve, and their power. The cost model prices it.
/// </summary>
/// <param name="Devices">Accelerators in the fleet.</param>
/// <param name="Servers">Servers (nodes) holding them; 0 when priced per device only.</param>
/// <param name="DeviceHoursPerDay">Device-hours of serving per day (at most Devices x 24); the rest of the day devices idle (owned) or are released (on-demand rent).</param>
/// <param name="AveragePower">Mean power per device while serving.</param>
/// <param name="IdlePower">Power per device while idle (owned fleets pay it for the hours not serving).</param>
/// <param name="HostPowerPerServer">Power of each server beyond its devices (CPUs, fans, NICs), drawn all day.</param>
public sealed record FleetDescription(int Devices, int Servers, double DeviceHoursPerDay, Power AveragePower, Power IdlePower, Power HostPowerPerServer)
{
    /// <summary>A fleet of devices serving around the clock at one power, no host power.</summary>
    public static FleetDescription AlwaysOn(int devices, Power averagePower) =>
        new(devices, 0, devices * 24.0, averagePower, Power.Zero, Power.Zero);

    /// <summary>Checks counts and hours.</summary>
    public FleetDescription Validated()
    {
        Guard.InRange(Devices, 0, 10_000_000, "devices");
        Guard.InRange(Servers, 0, 10_000_000, "servers");
        Guard.InRange(DeviceHoursPerDay, 0, Devices * 24.0, "device-hours per day");
        return this;
    }

    /// <summary>IT energy in a month: serving hours at average power, idle hours at idle power, hosts all day.</summary>
    public Energy ItEnergyPerMonth()
    {
        var servingHours = DeviceHoursPerDay * CostCalendar.DaysPerMonth;
        var idleHours = (Devices * 24.0 - DeviceHoursPerDay) * CostCalendar.DaysPerMonth;
        var hostHours = Servers * 24.0 * CostCalendar.DaysPerMonth;
        var kwh = servingHours * AveragePower.InKilowatts + idleHours * IdlePower.InKilowatts + hostHours * HostPowerPerServer.InKilowatts;
        return Energy.FromKilowattHours(kwh);
    }
}

/// <summary>The terms of owning a fleet (docs/methodology-cost.md, "On-premises").</summary>
public sealed record OwnershipTerms
{
    /// <summary>Purchase price of one device.</summary>
    public required Money DevicePrice { get; init; }
    /// <summary>Purchase price of one whole server (devices included); when set, capex is servers x this, not devices x device price.</summary>
    public Money? ServerPrice { get; init; }
    /// <summary>Share added to device capex for the server, network and storage around the devices, when no server price is used (0 = devices only).</summary>
    public double ServerOverhead { get; init; }
    /// <summary>Years over which capex is spread (straight line, no residual value).</summary>
    public double AmortisationYears { get; init; } = 5;
    /// <summary>Facility power / IT power.</summary>
    public double Pue { get; init; } = 1.2;
    /// <summary>Electricity price per kWh, in the same currency as the capex.</summary>
    public required Money TariffPerKilowattHour { get; init; }
    /// <summary>Maintenance and support per year, as a share of capex.</summary>
    public double MaintenanceFractionPerYear { get; init; }
}

/// <summary>One part of a cost, per month.</summary>
/// <param name="Part">capex, power, maintenance, rent, input tokens, output tokens, per request, fixed.</param>
/// <param name="PerMonth">Money per month.</param>
/// <param name="Text">The arithmetic, with the numbers, for people: a phrase, so it reads in the reader's language.</param>
/// <param name="Amortised">True when the line spreads an up-front payment (capex) over months; cash flow pays it at the start instead.</param>
public sealed record CostLine(string Part, Money PerMonth, Phrase Text, bool Amortised = false)
{
    /// <summary>The arithmetic in English (the JSON's <c>formula</c>).</summary>
    public string Formula => Text.English;
}

/// <summary>
/// The cost of one option (buy, rent, API...) at one workload: parts per month, an up-front payment, and the
/// derived figures per hour, year, million tokens and request. Money is decimal throughout.
/// </summary>
/// <param name="Option">Name of the option.</param>
/// <param name="Kind">own, rent, api or custom.</param>
/// <param name="Lines">Parts per month.</param>
/// <param name="Upfront">Cash paid at the start (capex, a build cost); zero for rent and API.</param>
/// <param name="Workload">The workload priced.</param>
/// <param name="Findings">Assumptions and warnings.</param>
public sealed record CostBreakdown(string Option, string Kind, IReadOnlyList<CostLine> Lines, Money Upfront, MonthlyVolume Workload, IReadOnlyList<Finding> Findings)
{
    /// <summary>Currency of every line.</summary>
    public Currency Currency => Upfront.Currency;

    /// <summary>Total per month, amortised capex included.</summary>
    public Money PerMonth => Lines.Aggregate(Money.Zero(Currency), (s, l) => s + l.PerMonth);

    /// <summary>Cash paid per month after the up-front payment (amortisation lines excluded).</summary>
    public Money RecurringCashPerMonth => Lines.Where(l => !l.Amortised).Aggregate(Money.Zero(Currency), (s, l) => s + l.PerMonth);

    /// <summary>Per hour: the month over 730 hours.</summary>
    public Money PerHour => PerMonth / CostCalendar.HoursPerMonth;

    /// <summary>Per year: twelve months.</summary>
    public Money PerYear => PerMonth * 12m;

    /// <summary>Per million tokens (input and output together); null when the workload has no tokens.</summary>
    public Money? PerMillionTokens => Per(Workload.TokensPerMonth.InMillions);

    /// <summary>Per million output tokens with the whole cost attributed to output; null without output.</summary>
    public Money? PerMillionOutputTokens => Per(Workload.OutputPerMonth.InMillions);

    /// <summary>Per request; null without requests.</summary>
    public Money? PerRequest => Per(Workload.RequestsPerMonth);

    /// <summary>Cash spent after <paramref name="months"/> months: up-front plus recurring cash.</summary>
    public Money CashAfter(double months) => Upfront + RecurringCashPerMonth.Times(Guard.NonNegative(months, "months"));

    // Units too small for a decimal (below 1e-28) would divide by zero; the inputs' ranges keep them far above that.
    private Money? Per(double units) => units is > 1e-20 and < 1e27 ? PerMonth / (decimal)units : null;

    /// <inheritdoc />
    public override string ToString() => $"{Option}: {PerMonth.Round()} per month";
}

/// <summary>
/// The cost model: owned fleets (amortised capex, power x PUE x tariff, maintenance), rented fleets (on-demand and
/// reserved), hosted APIs (tokens x price) and fixed-plus-per-request options. Each returns a <see cref="CostBreakdown"/>.
/// Inputs must share one currency; convert with <see cref="CurrencyConverter"/> first.
/// </summary>
public static class CostModel
{
    /// <summary>Owning the fleet: capex / (years x 12) + kWh x PUE x tariff + capex x maintenance share / 12.</summary>
    public static CostBreakdown Own(string option, FleetDescription fleet, OwnershipTerms terms, MonthlyVolume workload)
    {
        fleet = fleet.Validated();
        workload = workload.Validated();
        var currency = terms.DevicePrice.Currency;
        Same(currency, terms.TariffPerKilowattHour, "tariff");
        Guard.InRange(terms.AmortisationYears, 0.25, 30, FieldNames.Years);
        Guard.InRange(terms.Pue, 1.0, 3.0, FieldNames.Pue);
        Guard.InRange(terms.ServerOverhead, 0, 10, FieldNames.ServerOverhead);
        Guard.InRange(terms.MaintenanceFractionPerYear, 0, 1, FieldNames.Maintenance);
        var findings = new List<Finding>();

        Money capex;
        Phrase capexFormula;
        if (terms.ServerPrice is { } server && fleet.Servers > 0)
        {
            Same(currency, server, "server price");
            capex = server * fleet.Servers;
            capexFormula = Phrase.Of("formula.capex-servers", "{servers} servers x {price}", ("servers", N(fleet.Servers)), ("price", M(server)));
        }
        else
        {
            capex = terms.DevicePrice * fleet.Devices * (decimal)(1 + terms.ServerOverhead);
            capexFormula = Phrase.Of("formula.capex-devices", "{devices} devices x {price}{overhead}", ("devices", N(fleet.Devices)), ("price", M(terms.DevicePrice)),
                ("overhead", terms.ServerOverhead > 0 ? Phrase.Of("formula.server-overhead", " x (1 + {share} server overhead)", ("share", P(terms.ServerOverhead))) : ""));
            if (terms.ServerOverhead == 0)
            {
                findings.Add(Finding.Info("devices-only-capex", "Capex counts the {devices} devices only ({capex}); servers, network and storage around them are not included. Give a server price or a server-overhead share to add them.", ("devices", N(fleet.Devices)), ("capex", M(capex))));
            }
        }
        var months = (decimal)terms.AmortisationYears * 12m;
        var kwh = fleet.ItEnergyPerMonth().InKilowattHours * terms.Pue;
        var power = terms.TariffPerKilowattHour.Times(kwh, FieldNames.Tariff);
        var maintenance = capex * (decimal)terms.MaintenanceFractionPerYear / 12m;
        var lines = new List<CostLine>
        {
            new("capex (amortised)", capex / months, Phrase.Of("formula.capex", "{formula} = {capex} over {years} years", ("formula", capexFormula), ("capex", M(capex)), ("years", N(terms.AmortisationYears, 1))), Amortised: true),
            new("power", power, Phrase.Of("formula.power", "{kwh} kWh IT x PUE {pue} x {tariff}/kWh", ("kwh", N(fleet.ItEnergyPerMonth().InKilowattHours)), ("pue", N(terms.Pue, 2)), ("tariff", M(terms.TariffPerKilowattHour)))),
        };
        if (terms.MaintenanceFractionPerYear > 0)
        {
            lines.Add(new("maintenance", maintenance, Phrase.Of("formula.maintenance", "{share} of capex per year", ("share", P(terms.MaintenanceFractionPerYear)))));
        }
        return new CostBreakdown(option, "own", lines, capex, workload, findings);
    }

    /// <summary>
    /// Renting the fleet: on-demand and spot bill the device-hours served; reserved terms bill every hour of every
    /// device (the commitment is paid whether used or not).
    /// </summary>
    public static CostBreakdown Rent(string option, FleetDescription fleet, RentPrice rent, MonthlyVolume workload)
    {
        fleet = fleet.Validated();
        workload = workload.Validated();
        var hours = rent.BillsEveryHour ? fleet.Devices * (double)CostCalendar.HoursPerMonth : fleet.DeviceHoursPerDay * CostCalendar.DaysPerMonth;
        return new CostBreakdown(option, "rent", [RentLine(rent, hours)], Money.Zero(rent.PerDeviceHour.Currency), workload, []);
    }

    /// <summary>
    /// Renting the fleet as a <see cref="RentMix"/> (<see cref="RentChoice.Cheapest"/>): the reserved devices for every
    /// hour of the month at the reserved price, the device-hours above them at the on-demand price; one line each.
    /// </summary>
    public static CostBreakdown Rent(string option, RentMix mix, MonthlyVolume workload, IReadOnlyList<Finding>? findings = null)
    {
        workload = workload.Validated();
        var lines = new List<CostLine>();
        if (mix.Reserved is { } reserved && (mix.ReservedDevices > 0 || mix.OnDemand is null))
        {
            lines.Add(RentLine(reserved, mix.ReservedDeviceHoursPerMonth));
        }
        if (mix.OnDemand is { } onDemand)
        {
            lines.Add(RentLine(onDemand, mix.OnDemandDeviceHoursPerMonth));
        }
        if (mix.Reserved is { } r && mix.OnDemand is { } o)
        {
            Same(r.PerDeviceHour.Currency, o.PerDeviceHour, "on-demand rent");
        }
        var currency = lines.Count > 0 ? lines[0].PerMonth.Currency : Currency.Usd;
        return new CostBreakdown(option, "rent", lines, Money.Zero(currency), workload, findings ?? []);
    }

    private static CostLine RentLine(RentPrice rent, double hours) => new("rent", rent.PerDeviceHour.Times(hours, FieldNames.RentPerHour),
        Phrase.Of("formula.rent", "{hours} device-hours ({term}) x {price} ({provider}, {date})", ("hours", N(hours)), ("term", RentTerms.Label(rent.Term)), ("price", M(rent.PerDeviceHour)),
            ("provider", rent.Provider), ("date", PriceBook.Iso(rent.Provenance.Date))));

    /// <summary>
    /// Calling a hosted API: input Mtok x input price + output Mtok x output price; a share of input tokens may hit
    /// the provider's prompt cache and bill at the cached price.
    /// </summary>
    public static CostBreakdown Api(ApiPrice price, MonthlyVolume workload, double cachedInputShare = 0)
    {
        workload = workload.Validated();
        Guard.InRange(cachedInputShare, 0, 1, "cached input share");
        var currency = price.InputPerMillion.Currency;
        Same(currency, price.OutputPerMillion, "output price");
        var inputM = workload.InputPerMonth.InMillions;
        var outputM = workload.OutputPerMonth.InMillions;
        var lines = new List<CostLine>();
        if (cachedInputShare > 0 && price.CachedInputPerMillion is { } cached)
        {
            Same(currency, cached, "cached input price");
            lines.Add(new("input tokens", price.InputPerMillion.Times(inputM * (1 - cachedInputShare), FieldNames.Api), Phrase.Of("formula.tokens#uncached", "{millions} M uncached x {price}/M", ("millions", N(inputM * (1 - cachedInputShare), 2)), ("price", M(price.InputPerMillion)))));
            lines.Add(new("cached input tokens", cached.Times(inputM * cachedInputShare, FieldNames.Api), Phrase.Of("formula.tokens#cached", "{millions} M cached x {price}/M", ("millions", N(inputM * cachedInputShare, 2)), ("price", M(cached)))));
        }
        else
        {
            lines.Add(new("input tokens", price.InputPerMillion.Times(inputM, FieldNames.Api), Phrase.Of("formula.tokens", "{millions} M x {price}/M", ("millions", N(inputM, 2)), ("price", M(price.InputPerMillion)))));
        }
        lines.Add(new("output tokens", price.OutputPerMillion.Times(outputM, FieldNames.Api), Phrase.Of("formula.tokens", "{millions} M x {price}/M", ("millions", N(outputM, 2)), ("price", M(price.OutputPerMillion)))));
        var findings = new List<Finding>();
        if (cachedInputShare > 0 && price.CachedInputPerMillion is null)
        {
            findings.Add(Finding.Info("no-cached-price", "{api} publishes no cached-input price; every input token is billed at {price}/M.", ("api", price.Name), ("price", M(price.InputPerMillion))));
        }
        return new CostBreakdown(price.Name, "api", lines, Money.Zero(currency), workload, findings);
    }

    /// <summary>A fixed-plus-variable option: a one-off build cost, a fixed amount per month and a price per request (e.g. a fine-tuning project).</summary>
    public static CostBreakdown Custom(CustomOption option, MonthlyVolume workload, double amortisationMonths)
    {
        workload = workload.Validated();
        Guard.InRange(amortisationMonths, 1, 1200, FieldNames.Months);
        var c = option.Build.Currency;
        Same(c, option.PerMonth, "monthly cost");
        Same(c, option.PerRequest, "per-request cost");
        var lines = new List<CostLine>();
        if (option.Build.Amount > 0)
        {
            lines.Add(new("build (amortised)", option.Build / (decimal)amortisationMonths, Phrase.Of("formula.build", "{build} over {months} months", ("build", M(option.Build)), ("months", N(amortisationMonths))), Amortised: true));
        }
        if (option.PerMonth.Amount > 0)
        {
            lines.Add(new("fixed", option.PerMonth, Phrase.Of("formula.fixed", "{amount} per month", ("amount", M(option.PerMonth)))));
        }
        lines.Add(new("per request", option.PerRequest.Times(workload.RequestsPerMonth, FieldNames.Custom), Phrase.Of("formula.per-request", "{requests} requests x {price}", ("requests", N(workload.RequestsPerMonth)), ("price", option.PerRequest.Amount.ToString("0.########", CultureInfo.InvariantCulture) + " " + c))));
        return new CostBreakdown(option.Name, "custom", lines, option.Build, workload, []);
    }

    private static void Same(Currency expected, Money m, string what)
    {
        if (m.Currency != expected)
        {
            throw new InputException(what, Phrase.Of("cost-currency-mismatch", "The {what} is in {currency} but the rest of the option is in {expected}; convert it with an explicit exchange rate first.", ("what", what), ("currency", m.Currency.ToString()), ("expected", expected.ToString())));
        }
    }

    internal static string M(Money m) => m.Amount.ToString(Math.Abs(m.Amount) >= 100 ? "N0" : Math.Abs(m.Amount) >= 0.01m || m.Amount == 0 ? "N2" : "0.######", CultureInfo.InvariantCulture) + " " + m.Currency;

    internal static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string P(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}

/// <summary>A fixed-plus-variable option (seed case C8): a build cost, a fixed monthly cost and a cost per request, with an optional quality score.</summary>
/// <param name="Name">Label.</param>
/// <param name="Build">One-off cost (training, fine-tuning, data).</param>
/// <param name="PerMonth">Fixed cost per month.</param>
/// <param name="PerRequest">Cost per request.</param>
/// <param name="Quality">A quality score (e.g. accuracy in percent), or null.</param>
public sealed record CustomOption(string Name, Money Build, Money PerMonth, Money PerRequest, double? Quality);

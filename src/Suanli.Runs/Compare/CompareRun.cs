using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// What <c>suanli compare</c> and <c>/api/compare</c> both run: API vs rent vs buy over a monthly volume, with the
/// purchase, rent, tariff, PUE and currency choices and their findings, laid out as a report.
/// </summary>
public static class CompareRun
{
    /// <summary>
    /// Prices every option and builds the report; <paramref name="resolveModel"/> (name, option) defaults to the catalog
    /// lookup; <paramref name="cancel"/> stops the sizing of self-hosted options and the pairwise break-even scan (the web cancels it at its time limit or a hang-up, the CLI at Ctrl+C).
    /// </summary>
    public static (ComparisonResult Result, Report Report) Run(CompareInputs f, PriceBook book, SuanliCatalog catalog, IStepTimeModel stepModel,
        Func<string, FieldRef, ModelEntry>? resolveModel = null, CancellationToken cancel = default)
    {
        var day = f.Today;
        var target = Quantities.Currency.Parse(f.Pricing.Currency, FieldNames.Currency);
        var explicitRates = f.Pricing.ExchangeRates.Select(ParseRate).ToList();
        var purchaseKind = PurchaseChoice.Parse(f.Pricing.Purchase, FieldNames.Purchase);
        var findings = new List<Finding>();
        var used = new List<(Phrase Name, Provenance P)>();
        var converter = explicitRates.Count > 0 ? new CurrencyConverter(target, explicitRates) : book.ConverterTo(target);

        var (inTok, outTok) = (f.InputTokens, f.OutputTokens);
        if (f.RequestsPerMonth is null == f.TokensPerMonth is null)
        {
            throw new InputException(FieldNames.RequestsPerMonth, Phrase.Of("volume-one-of", "Give exactly one of {requestsPerMonth} or {tokensPerMonth}, e.g. {requestsPerMonth} 1e6.", ("requestsPerMonth", FieldNames.RequestsPerMonth), ("tokensPerMonth", FieldNames.TokensPerMonth)));
        }
        var workload = f.RequestsPerMonth is { } r ? new MonthlyVolume(r, inTok, outTok).Validated() : MonthlyVolume.FromTokensPerMonth(f.TokensPerMonth!.Value, inTok, outTok);
        var volumeField = f.RequestsPerMonth is null ? FieldNames.TokensPerMonth : FieldNames.RequestsPerMonth;
        if (workload.RequestsPerMonth <= 0)
        {
            throw new InputException(volumeField, Phrase.Of("volume-zero#field", "{field} must be greater than zero, e.g. {field} {example}.",
                ("field", volumeField), ("example", f.RequestsPerMonth is null ? "1B" : "1M")));
        }
        if (workload.RequestsPerMonth > MaxRequestsPerMonth)
        {
            // 1e308 requests a month overflowed the token count ("tokens must be a finite number, got Infinity", naming no option).
            throw new InputException(volumeField, Phrase.Of("volume-too-large", "{field} {value} is {requests} requests a month, more than the {max} a comparison takes (100,000,000 requests/s, the largest peak a scenario takes, over a 730-hour month); lower {field}.",
                ("field", volumeField), ("value", ShowVolume(f.RequestsPerMonth ?? f.TokensPerMonth!.Value)), ("requests", ShowVolume(workload.RequestsPerMonth)), ("max", ShowVolume(MaxRequestsPerMonth))));
        }
        var (min, max) = Range(f.Range, workload.RequestsPerMonth);
        var hit = PrefixHit(f);

        var options = new List<CostOption>();
        var quality = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var name in f.Api)
        {
            var p = book.ApiPrice(name);
            if (options.Any(o => o.Name == p.Name))
            {
                // 'api=qwen-plus&api=qwen-plus' (or an alias beside the full name) listed the same option twice.
                throw new InputException(FieldNames.Api, Phrase.Of("api-twice", "{api} names the price '{price}' twice; give each hosted API once.", ("api", FieldNames.Api), ("price", p.Name)));
            }
            used.Add((StalePrices.EntryName(p.Name), p.Provenance));
            var converted = p with
            {
                InputPerMillion = converter.Convert(p.InputPerMillion, FieldNames.Api),
                OutputPerMillion = converter.Convert(p.OutputPerMillion, FieldNames.Api),
                CachedInputPerMillion = p.CachedInputPerMillion is { } cp ? converter.Convert(cp, FieldNames.Api) : null,
            };
            var q = p.QualityModel is { } qm && catalog.TryModel(qm, out var me) ? me!.Score("MMLU") : null;
            options.Add(new CostOption(p.Name, "api", w => CostModel.Api(converted, w, hit), q));
            quality[p.Name] = q;
        }

        var modes = ListText.Split(f.SelfHost, FieldNames.SelfHost).Select(s => s.ToLowerInvariant()).ToList();
        foreach (var mode in modes.Where(m => m is not ("buy" or "rent")))
        {
            throw new InputException(FieldNames.SelfHost, Phrase.Of("self-host-unknown", "Unknown {selfHost} '{value}'; use buy, rent or buy,rent.", ("selfHost", FieldNames.SelfHost), ("value", InputEcho.Clip(mode))));
        }
        UnusedTerms(f, buys: f.Models.Count > 0 && modes.Contains("buy"));
        var resolve = resolveModel ?? ((name, field) => catalog.Model(name, field));
        var models = f.Models.Select(n => resolve(n, FieldNames.Model)).ToList();
        findings.AddRange(models.Select(GenericModel.Assumption).OfType<Finding>());
        var hw = f.Hardware.Select(h => catalog.Device(h)).ToList();
        if (models.Count > 0 && hw.Count == 0)
        {
            throw new InputException(FieldNames.Hardware, Phrase.Of("self-host-needs-hardware", "Self-hosting a {model} needs {hardware} to run it on, e.g. {hardware} a100-80gb.", ("model", FieldNames.Model), ("hardware", FieldNames.Hardware)));
        }
        if (models.Count > 0)
        {
            var weights = WeightPrecision.Parse(f.Precision, FieldNames.Precision);
            var kv = NumberFormat.KvFor(weights, null);
            var overrides = f.Pricing.DevicePrices.Select(ParseDevicePrice).ToDictionary(x => catalog.Device(x.Id, FieldNames.DevicePrice).Id, x => x.Price, StringComparer.OrdinalIgnoreCase);
            var tariffMoney = PriceSelection.Tariff(book, f.Pricing.Tariff ?? ElectricityDefaults.TariffRegion(target), FieldNames.Tariff, used);
            var terms = new OwnershipTerms
            {
                DevicePrice = Money.Zero(target),
                TariffPerKilowattHour = converter.Convert(tariffMoney, FieldNames.Tariff),
                Pue = f.Pricing.Pue is { } pue ? Pue(book, pue, used) : ElectricityDefaults.Pue,
                AmortisationYears = f.Pricing.Years ?? book.AmortisationNamed("server-lifetime-default")?.Years ?? 5,
                MaintenanceFractionPerYear = f.Pricing.Maintenance ?? book.AmortisationNamed("maintenance-share")?.FractionPerYear ?? 0,
                ServerOverhead = f.Pricing.ServerOverhead,
            };
            var service = new ServiceTarget("compare", Math.Max(workload.RequestsPerSecond, 1e-9), inTok, outTok,
                Serving.ServingTargets.Seconds(f.TtftP90, FieldNames.TtftP90), Serving.ServingTargets.Seconds(f.TpotP90, FieldNames.TpotP90))
            {
                PrefixHitRate = hit,
            };
            var selfHosted = SelfHosting.Options(stepModel, models, hw, weights, kv, f.DevicesPerReplica, service,
                new SelfHostTerms(book, converter, terms, modes.Contains("buy"), modes.Contains("rent"), purchaseKind, f.PeakFactor,
                    d => overrides.TryGetValue(d.Id, out var o) ? converter.Convert(o, FieldNames.DevicePrice) : null)
                {
                    ServerFor = d => Fleet.FleetPlanner.CatalogServer(catalog, d, Fleet.Rack.Default),
                    // The layout and capacity plan gives the same application, not a second formula (one question, one number).
                    Capacity = SimulatedReplicaCapacity.Provider(stepModel, cancel: cancel),
                    Bound = SimulatedReplicaCapacity.Bound(stepModel),
                }, cancel);
            options.AddRange(selfHosted.Options);
            foreach (var (name, q) in selfHosted.Quality)
            {
                quality[name] = q;
            }
            used.AddRange(selfHosted.Used);
            findings.AddRange(selfHosted.Findings);
        }
        foreach (var spec in f.Custom)
        {
            var o = ParseCustom(spec, converter);
            options.Add(new CostOption(o.Name, "custom", w => CostModel.Custom(o, w, f.Months), o.Quality));
            quality[o.Name] = o.Quality;
        }
        findings.AddRange(StalePrices.Of(used, day));
        // Each exchange rate used, with its date and source, and a stale-price warning when it is more than a year old:
        // the findings plan, optimize and train give (PriceSelection.RateFindings).
        findings.AddRange(PriceSelection.RateFindings(converter, book, day));
        if (options.Count == 0 && findings.Where(x => x.Code is "cannot-self-host" or "no-purchase-price" or "no-purchase-of-kind" or "no-rent-price").ToList() is { Count: > 0 } leftOut)
        {
            // Options were named but every one was left out: say why, not "name at least one option".
            throw new InputException(FieldNames.Options, Phrase.Of("nothing-left-to-compare",
                "Nothing to compare: every option named was left out. {reasons} Loosen {ttft} or {tpot}, give more {devices} or other {hardware}, or add {api} or {custom} options.",
                ("reasons", new PhraseList([.. leftOut.Select(x => x.Phrase)], "space")),
                ("ttft", FieldNames.TtftP90), ("tpot", FieldNames.TpotP90), ("devices", FieldNames.Devices), ("hardware", FieldNames.Hardware), ("api", FieldNames.Api), ("custom", FieldNames.Custom)));
        }
        Guard.InRange(f.Top, 1, MaxTop, FieldNames.Top);
        var result = Comparison.Run(options, workload, min, max, cancel: cancel, cheapest: f.Top);
        if (result.LeftOut > 0)
        {
            // Every model on every device with each rent term is hundreds of options and their pairs tens of MB; only the
            // cheapest are shown, and the reader is told how many are not and how to see them.
            findings.Add(Finding.Info("options-not-shown", "{count} more options not shown: the {shown} cheapest of {total} at {requests} requests per month are, with their break-even volumes and months; {top} shows more (at most {max}).",
                ("count", Fmt.I($"{result.LeftOut}")), ("shown", Fmt.I($"{result.Breakdowns.Count}")), ("total", Fmt.I($"{result.Breakdowns.Count + result.LeftOut}")),
                ("requests", ShowVolume(workload.RequestsPerMonth)), ("top", FieldNames.Top), ("max", Fmt.I($"{MaxTop}"))));
        }
        return (result, CompareReport.Build(result, converter.Used, findings, quality));
    }

    /// <summary>Today from yyyy-mm-dd text (the <c>--today</c> option), or <paramref name="clock"/>'s local date when null.</summary>
    public static DateOnly Today(string? text, TimeProvider clock)
    {
        if (text is null)
        {
            return DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InputException(FieldNames.Today, Phrase.Of("today-not-a-date", "{today} must be a date like 2026-11-23, got '{value}'.", ("today", FieldNames.Today), ("value", InputEcho.Clip(text))));
    }

    /// <summary>
    /// The largest monthly volume a comparison takes, in requests: the largest peak a scenario takes
    /// (<see cref="ScenarioApplication.MaxPeak"/>, 100,000,000 requests/s) sustained over a 730-hour month, 2.628e14.
    /// </summary>
    public const double MaxRequestsPerMonth = ScenarioApplication.MaxPeak * CostCalendar.SecondsPerMonth;

    /// <summary>Options shown when <see cref="CompareInputs.Top"/> is not given: the cheapest ten, as <c>optimize</c> shows ten frontier rows.</summary>
    public const int DefaultTop = 10;

    /// <summary>
    /// The most options a comparison shows: 100 options are 4,950 break-even pairs, a bound on the answer's size
    /// (every pair of hundreds of options was tens of MB).
    /// </summary>
    public const int MaxTop = 100;

    private static string ShowVolume(double v) => Fmt.Number(v);

    /// <summary>A monthly volume: a number with an optional k, M or B (also G) suffix in decimal thousands, e.g. 1e6, 250k, 1.2M.</summary>
    public static bool TryVolume(string text, out double value)
    {
        var t = text.Trim().Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        var k = 1.0;
        if (t.EndsWith('k') || t.EndsWith('K'))
        {
            k = 1e3;
        }
        else if (t.EndsWith('M'))
        {
            k = 1e6;
        }
        else if (t.EndsWith('B') || t.EndsWith('G'))
        {
            k = 1e9;
        }
        if (k > 1)
        {
            t = t[..^1];
        }
        var ok = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        value *= k;
        return ok && double.IsFinite(value);
    }

    private static double Pue(PriceBook book, string text, List<(Phrase, Provenance)> used)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return Guard.InRange(v, 1.0, 3.0, FieldNames.Pue);
        }
        var p = book.PueNamed(text);
        used.Add((StalePrices.PueName(p.Name), p.Provenance));
        return p.Value;
    }

    /// <summary>Parses 'USD/CNY=7.2734@2025-02-28' (1 USD buys 7.2734 CNY on that date).</summary>
    public static ExchangeRate ParseRate(string text)
    {
        var parts = text.Split('=', 2);
        var pair = parts[0].Split('/', 2);
        var valueDate = parts.Length == 2 ? parts[1].Split('@', 2) : [];
        if (pair.Length != 2 || valueDate.Length != 2
            || !decimal.TryParse(valueDate[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate <= 0
            || !DateOnly.TryParseExact(valueDate[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InputException(FieldNames.ExchangeRate, Phrase.Of("exchange-rate-syntax", "'{value}' is not an exchange rate; write it like 'USD/CNY=7.2734@2025-02-28' (1 USD buys 7.2734 CNY, dated), with a rate above zero.", ("value", InputEcho.Clip(text))));
        }
        var (from, to) = (Quantities.Currency.Parse(pair[0], FieldNames.ExchangeRate), Quantities.Currency.Parse(pair[1], FieldNames.ExchangeRate));
        if (from == to)
        {
            throw new InputException(FieldNames.ExchangeRate, Phrase.Of("exchange-rate-same", "'{value}' converts {currency} into itself; give the rate between two currencies, e.g. 'USD/CNY=7.2734@2025-02-28'.", ("value", InputEcho.Clip(text)), ("currency", from.Code)));
        }
        return new ExchangeRate(from, to, rate, date, FieldNames.GivenWithId(FieldNames.ExchangeRate))
        {
            GivenWith = FieldNames.ExchangeRate,
        };
    }

    private static (string Id, Money Price) ParseDevicePrice(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2)
        {
            throw new InputException(FieldNames.DevicePrice, Phrase.Of("device-price-syntax", "'{value}' is not a device price; write it like 'kunlunxin-r200=20000 CNY'.", ("value", InputEcho.Clip(text))));
        }
        return (parts[0].Trim(), QuantityText.ParseMoney(parts[1], FieldNames.DevicePrice));
    }

    /// <summary>
    /// The prefix-cache hit rate, checked as a scenario's <c>prefix_hit_rate</c> is (0 to 1), and refused when only
    /// custom options are compared: they price a request whatever its prompt, so it would change nothing.
    /// </summary>
    private static double PrefixHit(CompareInputs f)
    {
        var hit = f.PrefixHitRate;
        if (!(hit >= 0 && hit <= 1))
        {
            throw new InputException(FieldNames.PrefixHitRate, Phrase.Of("draft#prefix-hit-range",
                "{field} is the fraction of each prompt the prefix cache holds, from 0 to 1 (0.6 = 60%, a shared system prompt), got {value}.",
                ("field", FieldNames.PrefixHitRate), ("value", Fmt.Number(hit))));
        }
        if (hit > 0 && f.Api.Count == 0 && f.Models.Count == 0)
        {
            throw new InputException(FieldNames.PrefixHitRate, Phrase.Of("prefix-hit-unused",
                "{prefixHitRate} applies to hosted APIs and self-hosted models, but only {custom} options are compared, so it would change nothing; add {api} or {model} with {hardware}, or drop {prefixHitRate}.",
                ("prefixHitRate", FieldNames.PrefixHitRate), ("custom", FieldNames.Custom), ("api", FieldNames.Api), ("model", FieldNames.Model), ("hardware", FieldNames.Hardware)));
        }
        return hit;
    }

    /// <summary>
    /// Refuses a term no option of the comparison uses: months without a custom option's build, purchase terms without
    /// a bought self-hosted option. Each used to be dropped unseen; a term equal to its default cannot be told from one
    /// left out, and is harmless.
    /// </summary>
    private static void UnusedTerms(CompareInputs f, bool buys)
    {
        var unset = new CompareInputs { Today = f.Today };
        if (f.Custom.Count == 0 && f.Months != unset.Months)
        {
            throw new InputException(FieldNames.Months, Phrase.Of("months-need-custom", "{months} spreads the build cost of a {custom} option, but none is given; add {custom} or drop {months}.",
                ("months", FieldNames.Months), ("custom", FieldNames.Custom)));
        }
        var p = f.Pricing;
        if (f.Models.Count == 0 && SelfHostTerm(f, unset) is { } selfHostTerm)
        {
            throw new InputException(selfHostTerm, Phrase.Of("self-host-term-unused", "{term} applies to self-hosted options, but no model is self-hosted, so it would change nothing; give {model} with {hardware}, or drop {term}.",
                ("term", selfHostTerm), ("model", FieldNames.Model), ("hardware", FieldNames.Hardware)));
        }
        FieldName? buyTerm = p.DevicePrices.Count > 0 ? FieldNames.DevicePrice
            : p.Years is not null ? FieldNames.Years
            : p.Maintenance is not null ? FieldNames.Maintenance
            : p.ServerOverhead != unset.Pricing.ServerOverhead ? FieldNames.ServerOverhead
            : !string.Equals(p.Purchase, unset.Pricing.Purchase, StringComparison.OrdinalIgnoreCase) ? FieldNames.Purchase
            : null;
        if (!buys && buyTerm is { } term)
        {
            throw new InputException(term, Phrase.Of("buy-term-unused", "{term} prices bought hardware, but no self-hosted option is bought; give {model} and {hardware} with {selfHost} buy, or drop {term}.",
                ("term", term), ("model", FieldNames.Model), ("hardware", FieldNames.Hardware), ("selfHost", FieldNames.SelfHost)));
        }
    }

    /// <summary>The first self-hosting term given a value other than its default (hardware, weights, devices, payment, electricity, load and targets), or null.</summary>
    private static FieldName? SelfHostTerm(CompareInputs f, CompareInputs unset)
    {
        static bool Differs(string? given, string? standard) => !string.Equals(given?.Trim(), standard, StringComparison.OrdinalIgnoreCase);
        return f.Hardware.Count > 0 ? FieldNames.Hardware
            : Differs(f.Precision, unset.Precision) ? FieldNames.Precision
            : f.DevicesPerReplica != unset.DevicesPerReplica ? FieldNames.Devices
            : Differs(f.SelfHost, unset.SelfHost) ? FieldNames.SelfHost
            : Differs(f.Pricing.Tariff, unset.Pricing.Tariff) ? FieldNames.Tariff
            : Differs(f.Pricing.Pue, unset.Pricing.Pue) ? FieldNames.Pue
            : f.PeakFactor != unset.PeakFactor ? FieldNames.PeakFactor
            : f.TpotP90 != unset.TpotP90 ? FieldNames.TpotP90
            : f.TtftP90 != unset.TtftP90 ? FieldNames.TtftP90
            : null;
    }

    /// <summary>Parses 'NAME;build=7418 USD;per-10k=173 USD;quality=71.4', converting the prices into the target currency.</summary>
    public static CustomOption ParseCustom(string text, CurrencyConverter converter)
    {
        var parts = ListText.Split(text, FieldNames.Custom, ';');
        if (parts.Count < 2 || parts[0].Contains('=', StringComparison.Ordinal))
        {
            throw new InputException(FieldNames.Custom, Phrase.Of("custom-syntax", "'{value}' is not an option; write it like 'small model;build=1915 USD;per-10k=0.26 USD;quality=71.3'.", ("value", InputEcho.Clip(text))));
        }
        var zero = Money.Zero(converter.Target);
        Money build = zero, monthly = zero, perRequest = zero;
        double? quality = null;
        // per-request, per-1k and per-10k set one price: a second of any of them used to replace the first unseen.
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in parts.Skip(1))
        {
            var pair = kv.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
            {
                throw new InputException(FieldNames.Custom, Phrase.Of("custom-not-key-value", "'{pair}' in {custom} '{name}' is not key=value.", ("pair", InputEcho.Clip(kv)), ("custom", FieldNames.Custom), ("name", InputEcho.Clip(parts[0]))));
            }
            var key = pair[0].ToLowerInvariant();
            var slot = key.StartsWith("per-", StringComparison.Ordinal) ? "per-request" : key;
            if (given.TryGetValue(slot, out var first))
            {
                throw new InputException(FieldNames.Custom, Phrase.Of("custom-key-twice", "'{key}' in {custom} '{name}' sets the same value as '{first}' before it; keep one of them.",
                    ("key", InputEcho.Clip(pair[0])), ("custom", FieldNames.Custom), ("name", InputEcho.Clip(parts[0])), ("first", InputEcho.Clip(first))));
            }
            given[slot] = pair[0];
            Money Price() => converter.Convert(QuantityText.ParseMoney(pair[1], FieldNames.Custom), FieldNames.Custom);
            switch (key)
            {
                case "build": build = Price(); break;
                case "monthly": monthly = Price(); break;
                case "per-request": perRequest = Price(); break;
                case "per-1k": perRequest = Price() / 1_000m; break;
                case "per-10k": perRequest = Price() / 10_000m; break;
                case "quality":
                    quality = double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) && double.IsFinite(q)
                        ? q is >= 0 and <= 100 ? q
                            // A benchmark score is a percentage (the catalog's MMLU 71.4); 1e308 ranked above every model.
                            : throw new InputException(FieldNames.Custom, Phrase.Of("custom-quality-range", "quality in {custom} '{name}' is a benchmark score from 0 to 100 (MMLU 71.4, say), got '{value}'.", ("custom", FieldNames.Custom), ("name", InputEcho.Clip(parts[0])), ("value", InputEcho.Clip(pair[1]))))
                        : throw new InputException(FieldNames.Custom, Phrase.Of("custom-quality", "quality in {custom} '{name}' must be a number, got '{value}'.", ("custom", FieldNames.Custom), ("name", InputEcho.Clip(parts[0])), ("value", InputEcho.Clip(pair[1]))));
                    break;
                default:
                    throw new InputException(FieldNames.Custom, Phrase.Of("custom-unknown-key", "Unknown key '{key}' in {custom} '{name}'; use build, monthly, per-request, per-1k, per-10k or quality.", ("key", InputEcho.Clip(pair[0])), ("custom", FieldNames.Custom), ("name", InputEcho.Clip(parts[0]))));
            }
        }
        return new CustomOption(parts[0], build, monthly, perRequest, quality);
    }

    private static (double Min, double Max) Range(string? text, double volume)
    {
        if (text is null)
        {
            return (volume / 1000, Math.Min(volume * 1000, MaxRequestsPerMonth));
        }
        var parts = text.Split(':');
        if (parts.Length != 2 || !TryVolume(parts[0], out var lo) || !TryVolume(parts[1], out var hi) || lo <= 0 || hi <= lo)
        {
            throw new InputException(FieldNames.Range, Phrase.Of("range-syntax", "{range} must be 'MIN:MAX' requests per month with 0 < MIN < MAX, e.g. 1e3:1e9; got '{value}'.", ("range", FieldNames.Range), ("value", InputEcho.Clip(text))));
        }
        if (hi > MaxRequestsPerMonth)
        {
            // A range to 1e308 was refused as "lower --api or the quantity it multiplies" or "lower the volume", naming neither the range nor its limit.
            throw new InputException(FieldNames.Range, Phrase.Of("range-too-large", "{range} ends at {value} requests a month, more than the {max} a comparison takes (100,000,000 requests/s over a 730-hour month); give a MAX of at most {max}.",
                ("range", FieldNames.Range), ("value", ShowVolume(hi)), ("max", ShowVolume(MaxRequestsPerMonth))));
        }
        return (lo, hi);
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Footprint;
using Suanli.IO;
using Suanli.IO.Charts;
using Suanli.IO.Reports;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli compare</c>: API vs rent vs buy, small vs large model, over a monthly volume, with break-even volumes and months.</summary>
public static class CompareCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var requests = Volume("--requests-per-month", "Requests per month (1e6, 1.2M, 3B).");
        var tokens = Volume("--tokens-per-month", "Tokens per month, input plus output (instead of --requests-per-month).");
        var input = CliOptions.Count("--input", "Prompt tokens per request.", 500, 1, FootprintRequest.MaxContext);
        var output = CliOptions.Count("--output", "Output tokens per request.", 200, 1, FootprintRequest.MaxContext);
        var api = List("--api", "Hosted API prices to compare, 'provider/model' or 'model' (see 'suanli catalog prices').");
        var model = List("--model", "Models to self-host (catalog id, Hugging Face id or alias).");
        var hardware = List("--hardware", "Devices to self-host on (see 'suanli catalog hardware').");
        var precision = new Option<string>("--precision", "-p") { Description = "Weight format of self-hosted models.", DefaultValueFactory = _ => "bf16" };
        var devices = CliOptions.Count("--devices", "Devices per replica; 0 picks the fewest of 1, 2, 4, 8... that hold the model.", 0, 0, MemoryModel.MaxDevicesSearched);
        var selfHost = new Option<string>("--self-host") { Description = "How self-hosted options are paid: buy, rent, or buy,rent.", DefaultValueFactory = _ => "buy,rent" };
        var custom = new Option<string[]>("--custom")
        {
            Description = "A fixed-plus-variable option: 'NAME;build=7418 USD;per-10k=173 USD;quality=71.4' (keys build, monthly, per-request, per-1k, per-10k, quality).",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var currency = new Option<string>("--currency") { Description = "Currency every option is converted into (USD, CNY, EUR).", DefaultValueFactory = _ => "USD" };
        var rates = new Option<string[]>("--exchange-rate") { Description = "Explicit rate 'USD/CNY=7.2734@2025-02-28' (1 USD = 7.2734 CNY on that date); without it the newest catalog rate is used and shown.", Arity = ArgumentArity.ZeroOrMore };
        var tariff = new Option<string>("--tariff") { Description = "Electricity: a catalog region (see 'suanli catalog prices') or '0.65 CNY/kWh'.", DefaultValueFactory = _ => "US-planning-assumption" };
        var pue = new Option<string>("--pue") { Description = "PUE: a number from 1.0 to 3.0 or a catalog name.", DefaultValueFactory = _ => "planning-assumption-ai-dc" };
        var years = new Option<double?>("--years") { Description = "Amortisation years for bought hardware (default: the catalog's server-lifetime-default)." };
        var maintenance = new Option<double?>("--maintenance") { Description = "Maintenance per year as a share of capex, 0 to 1 (default: the catalog's maintenance-share)." };
        var overhead = new Option<double>("--server-overhead") { Description = "Share added to device capex for servers, network and storage (0 = devices only).", DefaultValueFactory = _ => 0 };
        var devicePrice = new Option<string[]>("--device-price") { Description = "Purchase price of a device: 'kunlunxin-r200=20000 CNY' (overrides the catalog).", Arity = ArgumentArity.ZeroOrMore };
        var months = new Option<double>("--months") { Description = "Months over which a --custom build cost is spread.", DefaultValueFactory = _ => 36 };
        var peak = new Option<double>("--peak-factor") { Description = "Peak-to-mean ratio self-hosted fleets are sized for.", DefaultValueFactory = _ => 1 };
        var tpot = new Option<double>("--tpot-p90") { Description = "Seconds per output token a self-hosted replica must keep (sets its batch).", DefaultValueFactory = _ => 0.1 };
        var ttft = new Option<double>("--ttft-p90") { Description = "Seconds to first token a self-hosted replica must keep.", DefaultValueFactory = _ => 2 };
        var range = new Option<string?>("--range") { Description = "Volumes scanned for break-even, 'MIN:MAX' requests per month (default: the volume / 1,000 to x 1,000)." };
        var prices = new Option<string[]>("--prices") { Description = "Extra price YAML files or folders (api:, rent:, purchase:, electricity:, exchange_rates: entries).", Arity = ArgumentArity.ZeroOrMore };
        var today = new Option<string?>("--today") { Description = "The date prices are judged stale against (yyyy-mm-dd; default: today)." };
        var outDir = new Option<string?>("--out") { Description = "Folder for break-even.png." };
        var format = CliOptions.Format();
        var command = new Command("compare", "API vs rent vs buy, and small vs large model, over a monthly volume: cost per month, per million tokens and per request, by part, with break-even volumes and months.")
        {
            requests, tokens, input, output, api, model, hardware, precision, devices, selfHost, custom, currency, rates, tariff, pue, years, maintenance,
            overhead, devicePrice, months, peak, tpot, ttft, range, prices, today, outDir, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var book = (parse.GetValue(prices) ?? []) is { Length: > 0 } extra ? PriceFiles.WithUserFiles(extra, catalog) : PriceFiles.Embedded;
            var day = Today(parse.GetValue(today));
            var target = Currency.Parse(parse.GetValue(currency)!, "--currency");
            var explicitRates = (parse.GetValue(rates) ?? []).Select(ParseRate).ToList();
            var findings = new List<Finding>();
            var used = new List<(string Name, Provenance P)>();
            var converter = new CurrencyConverter(target, explicitRates.Count > 0 ? explicitRates : book.ExchangeRates);

            var inTok = parse.GetValue(input);
            var outTok = parse.GetValue(output);
            var reqs = parse.GetValue(requests);
            var toks = parse.GetValue(tokens);
            if (reqs is null == toks is null)
            {
                throw new InputException("--requests-per-month", "Give exactly one of --requests-per-month or --tokens-per-month, e.g. --requests-per-month 1e6.");
            }
            var workload = reqs is { } r ? new Workload(r, inTok, outTok).Validated() : Workload.FromTokensPerMonth(toks!.Value, inTok, outTok);
            if (workload.RequestsPerMonth <= 0)
            {
                throw new InputException("--requests-per-month", "The volume must be greater than zero.");
            }
            var (min, max) = Range(parse.GetValue(range), workload.RequestsPerMonth);

            var options = new List<CostOption>();
            var quality = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var name in Split(parse.GetValue(api)))
            {
                var p = book.ApiPrice(name);
                used.Add((p.Name, p.Provenance));
                var converted = p with
                {
                    InputPerMillion = converter.Convert(p.InputPerMillion, "--api"),
                    OutputPerMillion = converter.Convert(p.OutputPerMillion, "--api"),
                    CachedInputPerMillion = p.CachedInputPerMillion is { } cp ? converter.Convert(cp, "--api") : null,
                };
                var q = p.QualityModel is { } qm && catalog.TryModel(qm, out var me) ? me!.Score("MMLU") : null;
                options.Add(new CostOption(p.Name, "api", w => CostModel.Api(converted, w), q));
                quality[p.Name] = q;
            }

            var modes = Split([parse.GetValue(selfHost)!]).Select(s => s.ToLowerInvariant()).ToList();
            foreach (var mode in modes.Where(m => m is not ("buy" or "rent")))
            {
                throw new InputException("--self-host", $"Unknown --self-host '{mode}'; use buy, rent or buy,rent.");
            }
            var models = Split(parse.GetValue(model)).Select(n => CliContext.Model(catalog, n)).ToList();
            var hw = Split(parse.GetValue(hardware)).Select(h => catalog.Device(h)).ToList();
            if (models.Count > 0 && hw.Count == 0)
            {
                throw new InputException("--hardware", "Self-hosting a --model needs --hardware to run it on, e.g. --hardware a100-80gb.");
            }
            if (models.Count > 0)
            {
                var weights = NumberFormat.Parse(parse.GetValue(precision)!, "--precision");
                var kv = NumberFormat.KvFor(weights, null);
                var overrides = (parse.GetValue(devicePrice) ?? []).Select(ParseDevicePrice).ToDictionary(x => catalog.Device(x.Id, "--device-price").Id, x => x.Price, StringComparer.OrdinalIgnoreCase);
                var tariffMoney = Tariff(book, parse.GetValue(tariff)!, used);
                var terms = new OwnershipTerms
                {
                    DevicePrice = Money.Zero(target),
                    TariffPerKilowattHour = converter.Convert(tariffMoney, "--tariff"),
                    Pue = Pue(book, parse.GetValue(pue)!, used),
                    AmortisationYears = parse.GetValue(years) ?? book.AmortisationNamed("server-lifetime-default")?.Years ?? 5,
                    MaintenanceFractionPerYear = parse.GetValue(maintenance) ?? book.AmortisationNamed("maintenance-share")?.FractionPerYear ?? 0,
                    ServerOverhead = parse.GetValue(overhead),
                };
                var service = new ServiceTarget("compare", Math.Max(workload.RequestsPerSecond, 1e-9), inTok, outTok,
                    Duration.FromSeconds(Guard.Positive(parse.GetValue(ttft), "--ttft-p90")), Duration.FromSeconds(Guard.Positive(parse.GetValue(tpot), "--tpot-p90")));
                foreach (var m in models)
                {
                    foreach (var d in hw)
                    {
                        var (candidate, estimate) = Replica(m, weights, kv, d, parse.GetValue(devices), service);
                        var label = $"{m.Id} {weights.Name} on {(candidate?.DevicesPerReplica ?? 1)}x {d.Id}";
                        if (candidate is null || !estimate.Feasible)
                        {
                            findings.Add(Finding.Warn("cannot-self-host", $"{m.Id} in {weights.Name} on {d.Id} is left out: {estimate.Reason}."));
                            continue;
                        }
                        var q = m.Score("MMLU");
                        findings.Add(Finding.Info("replica-capacity",
                            $"{label}: {estimate.CapacityPerReplica.ToString("0.###", CultureInfo.InvariantCulture)} requests/s per replica at batch {estimate.MaxBatch} (analytic estimate with the {CliContext.StepTimeModel.GetType().Name} step-time model: decode step {estimate.Tpot.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms, prefill {estimate.Ttft.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms)."));
                        if (modes.Contains("buy"))
                        {
                            Money? price = overrides.TryGetValue(d.Id, out var o) ? o : null;
                            if (price is null && book.PurchasesFor(d.Id) is { Count: > 0 } buys)
                            {
                                price = buys[0].Price;
                                used.Add(($"purchase {d.Id}", buys[0].Provenance));
                                if (buys[0].Kind == PurchaseKind.ArticleClaim)
                                {
                                    findings.Add(Finding.Warn("article-claim-price", $"The {d.Id} price {PriceReport.M(buys[0].Price)} is an unverified article claim ({buys[0].Provenance.Source})."));
                                }
                            }
                            if (price is null)
                            {
                                findings.Add(Finding.Warn("no-purchase-price", $"No purchase price for {d.Id} in the catalog, so buying it is left out; give one with --device-price '{d.Id}=AMOUNT CUR'."));
                            }
                            else
                            {
                                var maxPower = d.Tdp ?? Power.Zero;
                                if (d.Tdp is null)
                                {
                                    findings.Add(Finding.Warn("no-tdp", $"{d.Id} has no published board power; its electricity is counted as zero."));
                                }
                                var idle = d.IdlePower ?? maxPower;
                                if (d.IdlePower is null && d.Tdp is not null)
                                {
                                    findings.Add(Finding.Info("idle-at-tdp", $"{d.Id} has no published idle power; idle hours are counted at its {d.Tdp.Value.InWatts.ToString("0", CultureInfo.InvariantCulture)} W board power (an upper bound)."));
                                }
                                var name = label + " (buy)";
                                options.Add(SelfHosted.Own(name, candidate.DevicesPerReplica, estimate.CapacityPerReplica, maxPower, idle,
                                    terms with { DevicePrice = converter.Convert(price.Value, "--device-price") }, parse.GetValue(peak), q));
                                quality[name] = q;
                            }
                        }
                        if (modes.Contains("rent"))
                        {
                            var rents = book.RentsFor(d.Id, RentTerm.OnDemand).Select(x => (Rent: x, Price: TryConvert(converter, x.PerDeviceHour))).Where(x => x.Price is not null).OrderBy(x => x.Price!.Value.Amount).ToList();
                            if (rents.Count == 0)
                            {
                                findings.Add(Finding.Warn("no-rent-price", $"No on-demand rent for {d.Id} in the catalog, so renting it is left out."));
                            }
                            else
                            {
                                var best = rents[0].Rent with { PerDeviceHour = rents[0].Price!.Value };
                                used.Add(($"rent {best.Provider} {d.Id}", best.Provenance));
                                var name = $"{label} (rent {best.Provider})";
                                options.Add(SelfHosted.Rent(name, candidate.DevicesPerReplica, estimate.CapacityPerReplica, best, parse.GetValue(peak), q));
                                quality[name] = q;
                            }
                        }
                    }
                }
            }
            foreach (var spec in parse.GetValue(custom) ?? [])
            {
                var o = ParseCustom(spec, converter);
                options.Add(new CostOption(o.Name, "custom", w => CostModel.Custom(o, w, parse.GetValue(months)), o.Quality));
                quality[o.Name] = o.Quality;
            }
            foreach (var (name, p) in used.Where(u => u.P.IsStale(day)).DistinctBy(u => u.Name))
            {
                findings.Add(Finding.Warn("stale-price", $"{name} is dated {PriceBook.Iso(p.Date)}, {p.AgeInDays(day).ToString("N0", CultureInfo.InvariantCulture)} days before {PriceBook.Iso(day)}: more than a year old."));
            }
            var result = Comparison.Run(options, workload, min, max);
            var report = CompareReport.Build(result, converter.Used, findings, quality);
            if (parse.GetValue(outDir) is { } dir)
            {
                var path = CostCharts.BreakEven(result, dir);
                report = report with { Findings = [.. report.Findings, Finding.Info("chart", $"Wrote {path}.")] };
            }
            c.Write(report, parse.GetValue(format));
            return 0;
        }));
        return command;
    }

    /// <summary>Today from --today or the clock.</summary>
    internal static DateOnly Today(string? text)
    {
        if (text is null)
        {
            return DateOnly.FromDateTime(DateTime.Now);
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InputException("--today", $"--today must be a date like 2026-11-23, got '{text}'.");
    }

    private static (SearchCandidate? Candidate, SearchEvaluation Estimate) Replica(ModelEntry m, NumberFormat w, NumberFormat kv, Device d, int devices, ServiceTarget t)
    {
        IEnumerable<int> counts = devices > 0 ? [devices] : [1, 2, 4, 8, 16, 32, 64];
        SearchEvaluation? last = null;
        foreach (var n in counts)
        {
            foreach (var layout in Layouts.On(m.Architecture, n))
            {
                var cand = new SearchCandidate(m, w, kv, d, layout, Engine.Vllm);
                var e = SearchCapacity.Estimate(CliContext.StepTimeModel, cand, t, RuntimeReserve.Default, 256);
                if (e.Feasible)
                {
                    return (cand, e);
                }
                last = e;
            }
        }
        return (null, last ?? SearchEvaluation.No("no-layout", $"no valid layout on {devices} devices"));
    }

    private static Money? TryConvert(CurrencyConverter c, Money m)
    {
        try
        {
            return c.Convert(m);
        }
        catch (InputException)
        {
            return null;
        }
    }

    private static Money Tariff(PriceBook book, string text, List<(string, Provenance)> used)
    {
        if (text.Contains("/kWh", StringComparison.Ordinal))
        {
            return QuantityText.ParseTariff(text, "--tariff");
        }
        var t = book.Tariff(text);
        used.Add(($"tariff {t.Region}", t.Provenance));
        return t.PerKilowattHour;
    }

    private static double Pue(PriceBook book, string text, List<(string, Provenance)> used)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return Guard.InRange(v, 1.0, 3.0, "--pue");
        }
        var p = book.PueNamed(text);
        used.Add(($"PUE {p.Name}", p.Provenance));
        return p.Value;
    }

    /// <summary>Parses 'USD/CNY=7.2734@2025-02-28'.</summary>
    internal static ExchangeRate ParseRate(string text)
    {
        var parts = text.Split('=', 2);
        var pair = parts[0].Split('/', 2);
        var valueDate = parts.Length == 2 ? parts[1].Split('@', 2) : [];
        if (pair.Length != 2 || valueDate.Length != 2
            || !decimal.TryParse(valueDate[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate <= 0
            || !DateOnly.TryParseExact(valueDate[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InputException("--exchange-rate", $"'{text}' is not an exchange rate; write it like 'USD/CNY=7.2734@2025-02-28' (1 USD buys 7.2734 CNY, dated), with a rate above zero.");
        }
        return new ExchangeRate(Currency.Parse(pair[0], "--exchange-rate"), Currency.Parse(pair[1], "--exchange-rate"), rate, date, "--exchange-rate");
    }

    private static (string Id, Money Price) ParseDevicePrice(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2)
        {
            throw new InputException("--device-price", $"'{text}' is not a device price; write it like 'kunlunxin-r200=20000 CNY'.");
        }
        return (parts[0].Trim(), QuantityText.ParseMoney(parts[1], "--device-price"));
    }

    /// <summary>Parses 'NAME;build=7418 USD;per-10k=173 USD;quality=71.4'.</summary>
    internal static CustomOption ParseCustom(string text, CurrencyConverter converter)
    {
        var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0].Contains('=', StringComparison.Ordinal))
        {
            throw new InputException("--custom", $"'{text}' is not an option; write it like 'small model;build=1915 USD;per-10k=0.26 USD;quality=71.3'.");
        }
        var zero = Money.Zero(converter.Target);
        Money build = zero, monthly = zero, perRequest = zero;
        double? quality = null;
        foreach (var kv in parts.Skip(1))
        {
            var pair = kv.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
            {
                throw new InputException("--custom", $"'{kv}' in --custom '{parts[0]}' is not key=value.");
            }
            Money Price() => converter.Convert(QuantityText.ParseMoney(pair[1], "--custom"), "--custom");
            switch (pair[0].ToLowerInvariant())
            {
                case "build": build = Price(); break;
                case "monthly": monthly = Price(); break;
                case "per-request": perRequest = Price(); break;
                case "per-1k": perRequest = Price() / 1_000m; break;
                case "per-10k": perRequest = Price() / 10_000m; break;
                case "quality":
                    quality = double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) && double.IsFinite(q)
                        ? q : throw new InputException("--custom", $"quality in --custom '{parts[0]}' must be a number, got '{pair[1]}'.");
                    break;
                default:
                    throw new InputException("--custom", $"Unknown key '{pair[0]}' in --custom '{parts[0]}'; use build, monthly, per-request, per-1k, per-10k or quality.");
            }
        }
        return new CustomOption(parts[0], build, monthly, perRequest, quality);
    }

    private static (double Min, double Max) Range(string? text, double volume)
    {
        if (text is null)
        {
            return (volume / 1000, volume * 1000);
        }
        var parts = text.Split(':');
        if (parts.Length != 2 || !TryVolume(parts[0], out var lo) || !TryVolume(parts[1], out var hi) || lo <= 0 || hi <= lo)
        {
            throw new InputException("--range", $"--range must be 'MIN:MAX' requests per month with 0 < MIN < MAX, e.g. 1e3:1e9; got '{text}'.");
        }
        return (lo, hi);
    }

    private static IEnumerable<string> Split(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static Option<string[]> List(string name, string description) => new(name) { Description = description + " Comma-separated or repeated.", Arity = ArgumentArity.ZeroOrMore };

    /// <summary>A volume option: a number with an optional k, M or B suffix (decimal thousands).</summary>
    internal static Option<double?> Volume(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (TryVolume(text, out var v) && v >= 0)
            {
                return v;
            }
            r.AddError($"{name} must be a number of zero or more such as 1e6, 250k or 1.2M; got '{text}'.");
            return null;
        },
    };

    internal static bool TryVolume(string text, out double value)
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
}

using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Footprint;
using Suanli.IO;
using Suanli.IO.Reports;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// The inputs of <c>suanli compare</c> (its options in camelCase). Lists are comma-separated or repeated
/// (JSON: a string or an array). Extra price files (<c>--prices</c>) have no web equivalent.
/// </summary>
public sealed record CompareInput
{
    /// <summary>Volume.</summary>
    [Description("Requests per month: 1e6, 250k, 1.2M, 3B (give this or tokensPerMonth).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "requestsPerMonth")]
    public string? RequestsPerMonth { get; init; }

    /// <summary>Volume.</summary>
    [Description("Tokens per month, input plus output (instead of requestsPerMonth).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tokensPerMonth")]
    public string? TokensPerMonth { get; init; }

    /// <summary>Prompt tokens.</summary>
    [Description("Prompt tokens per request. Default 500.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "input")]
    public string? Input { get; init; }

    /// <summary>Output tokens.</summary>
    [Description("Output tokens per request. Default 200.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "output")]
    public string? Output { get; init; }

    /// <summary>API prices.</summary>
    [Description("Hosted API prices to compare, 'provider/model' or 'model' (see /api/catalog/prices).")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "api")]
    public string[]? Api { get; init; }

    /// <summary>Models to self-host.</summary>
    [Description("Models to self-host (catalog id, Hugging Face id or alias).")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "model")]
    public string[]? Model { get; init; }

    /// <summary>Devices to self-host on.</summary>
    [Description("Devices to self-host on.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "hardware")]
    public string[]? Hardware { get; init; }

    /// <summary>Weight format.</summary>
    [Description("Weight format of self-hosted models. Default bf16.")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>Devices per replica.</summary>
    [Description("Devices per replica; 0 (default) picks the fewest of 1, 2, 4, 8... that hold the model.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }

    /// <summary>Buy, rent or both.</summary>
    [Description("How self-hosted options are paid: buy, rent, or buy,rent (default).")]
    [FromQuery(Name = "selfHost")]
    public string? SelfHost { get; init; }

    /// <summary>Custom options.</summary>
    [Description("Fixed-plus-variable options, each 'NAME;build=7418 USD;per-10k=173 USD;quality=71.4' (repeat the parameter).")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "custom")]
    public string[]? Custom { get; init; }

    /// <summary>Currency.</summary>
    [Description("Currency every option is converted into: USD (default), CNY, EUR.")]
    [FromQuery(Name = "currency")]
    public string? Currency { get; init; }

    /// <summary>Explicit exchange rates.</summary>
    [Description("Explicit rates 'USD/CNY=7.2734@2025-02-28'; without them the newest catalog rate is used and shown.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "exchangeRate")]
    public string[]? ExchangeRate { get; init; }

    /// <summary>Electricity.</summary>
    [Description("Electricity: a catalog region or '0.65 CNY/kWh'. Default US-planning-assumption.")]
    [FromQuery(Name = "tariff")]
    public string? Tariff { get; init; }

    /// <summary>PUE.</summary>
    [Description("PUE: a number from 1.0 to 3.0 or a catalog name. Default planning-assumption-ai-dc.")]
    [FromQuery(Name = "pue")]
    public string? Pue { get; init; }

    /// <summary>Amortisation.</summary>
    [Description("Amortisation years for bought hardware (default: the catalog's server-lifetime-default).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "years")]
    public string? Years { get; init; }

    /// <summary>Maintenance.</summary>
    [Description("Maintenance per year as a share of capex, 0 to 1 (default: the catalog's maintenance-share).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "maintenance")]
    public string? Maintenance { get; init; }

    /// <summary>Server overhead.</summary>
    [Description("Share added to device capex for servers, network and storage. Default 0.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "serverOverhead")]
    public string? ServerOverhead { get; init; }

    /// <summary>Device prices.</summary>
    [Description("Purchase prices overriding the catalog, each 'kunlunxin-r200=20000 CNY'.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "devicePrice")]
    public string[]? DevicePrice { get; init; }

    /// <summary>Months.</summary>
    [Description("Months over which a custom build cost is spread. Default 36.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "months")]
    public string? Months { get; init; }

    /// <summary>Peak factor.</summary>
    [Description("Peak-to-mean ratio self-hosted fleets are sized for. Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "peakFactor")]
    public string? PeakFactor { get; init; }

    /// <summary>Target.</summary>
    [Description("Seconds per output token a self-hosted replica must keep. Default 0.1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotP90")]
    public string? TpotP90 { get; init; }

    /// <summary>Target.</summary>
    [Description("Seconds to first token a self-hosted replica must keep. Default 2.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftP90")]
    public string? TtftP90 { get; init; }

    /// <summary>Break-even range.</summary>
    [Description("Volumes scanned for break-even, 'MIN:MAX' requests per month (default: the volume / 1,000 to x 1,000).")]
    [FromQuery(Name = "range")]
    public string? Range { get; init; }

    /// <summary>Today.</summary>
    [Description("The date prices are judged stale against (yyyy-mm-dd; default: today).")]
    [FromQuery(Name = "today")]
    public string? Today { get; init; }
}

/// <summary><c>GET|POST /api/compare</c>: the report of <c>suanli compare</c>: API vs rent vs buy per month, by part, with break-even volumes and months.</summary>
public static class CompareApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        const string summary = "API vs rent vs buy, small vs large model, over a monthly volume: cost per month, per million tokens and per request, by part, with break-even volumes and months (suanli compare).";
        api.MapGet("/compare", ([AsParameters] CompareInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct) =>
                Run(input, format, catalog, model, limit, ct))
            .WithName("Compare").WithTags("Cost").WithSummary(summary)
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/compare", async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, RequestBody body, CancellationToken ct) =>
                await Run(await body.ReadAsync<CompareInput>(http, ct), format, catalog, model, limit, ct))
            .WithName("ComparePost").WithTags("Cost").WithSummary(summary + " Inputs as a JSON body.")
            .Accepts<CompareInput>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> Run(CompareInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct)
    {
        ReportResults.CheckFormat(format);
        var report = await limit.RunAsync("The comparison", "Compare fewer models and devices.", _ => Build(input, catalog, model), ct);
        return ReportResults.Render(report, format);
    }

    private static double? Num(string? text, string field) => Inputs.Number(text, field, null, double.MinValue, double.MaxValue);

    /// <summary>The report <c>suanli compare</c> prints for the same options.</summary>
    public static Report Build(CompareInput input, SuanliCatalog catalog, IStepTimeModel stepModel)
    {
        var book = PriceFiles.Embedded;
        var day = Today(Inputs.Text(input.Today, "today"));
        var target = Quantities.Currency.Parse(Inputs.Text(input.Currency, "currency") ?? "USD", "currency");
        var explicitRates = (input.ExchangeRate ?? []).Select(ParseRate).ToList();
        var findings = new List<Finding>();
        var used = new List<(string Name, Provenance P)>();
        var converter = new CurrencyConverter(target, explicitRates.Count > 0 ? explicitRates : book.ExchangeRates);

        var inTok = Inputs.Count(input.Input, "input", 500, 1, FootprintRequest.MaxContext);
        var outTok = Inputs.Count(input.Output, "output", 200, 1, FootprintRequest.MaxContext);
        var reqs = Volume(input.RequestsPerMonth, "requestsPerMonth");
        var toks = Volume(input.TokensPerMonth, "tokensPerMonth");
        if (reqs is null == toks is null)
        {
            throw new InputException("requestsPerMonth", "Give exactly one of requestsPerMonth or tokensPerMonth, e.g. requestsPerMonth=1e6.");
        }
        var workload = reqs is { } r ? new Workload(r, inTok, outTok).Validated() : Workload.FromTokensPerMonth(toks!.Value, inTok, outTok);
        if (workload.RequestsPerMonth <= 0)
        {
            throw new InputException("requestsPerMonth", "The volume must be greater than zero.");
        }
        var (min, max) = Range(Inputs.Text(input.Range, "range"), workload.RequestsPerMonth);

        var options = new List<CostOption>();
        var quality = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var name in OptimizeApi.Split(input.Api, "api"))
        {
            var p = book.ApiPrice(name, "api");
            used.Add((p.Name, p.Provenance));
            var converted = p with
            {
                InputPerMillion = converter.Convert(p.InputPerMillion, "api"),
                OutputPerMillion = converter.Convert(p.OutputPerMillion, "api"),
                CachedInputPerMillion = p.CachedInputPerMillion is { } cp ? converter.Convert(cp, "api") : null,
            };
            var q = p.QualityModel is { } qm && catalog.TryModel(qm, out var me) ? me!.Score("MMLU") : null;
            options.Add(new CostOption(p.Name, "api", w => CostModel.Api(converted, w), q));
            quality[p.Name] = q;
        }

        var modes = Inputs.List(Inputs.Text(input.SelfHost, "selfHost") ?? "buy,rent", "selfHost").Select(s => s.ToLowerInvariant()).ToList();
        foreach (var mode in modes.Where(m => m is not ("buy" or "rent")))
        {
            throw new InputException("selfHost", $"Unknown selfHost '{RequestBody.Clip(mode)}'; use buy, rent or buy,rent.");
        }
        var models = OptimizeApi.Split(input.Model, "model").Select(n => catalog.Model(n, "model")).ToList();
        var hw = OptimizeApi.Split(input.Hardware, "hardware").Select(h => catalog.Device(h, "hardware")).ToList();
        if (models.Count > 0 && hw.Count == 0)
        {
            throw new InputException("hardware", "Self-hosting a model needs hardware to run it on, e.g. hardware=a100-80gb.");
        }
        if (models.Count > 0)
        {
            var weights = NumberFormat.Parse(Inputs.Text(input.Precision, "precision") ?? "bf16", "precision");
            var kv = NumberFormat.KvFormats.Contains(weights) ? weights : NumberFormat.Bf16;
            var overrides = (input.DevicePrice ?? []).Select(ParseDevicePrice).ToDictionary(x => catalog.Device(x.Id, "devicePrice").Id, x => x.Price, StringComparer.OrdinalIgnoreCase);
            var tariffMoney = Tariff(book, Inputs.Text(input.Tariff, "tariff") ?? "US-planning-assumption", used);
            var terms = new OwnershipTerms
            {
                DevicePrice = Money.Zero(target),
                TariffPerKilowattHour = converter.Convert(tariffMoney, "tariff"),
                Pue = Pue(book, Inputs.Text(input.Pue, "pue") ?? "planning-assumption-ai-dc", used),
                AmortisationYears = Num(input.Years, "years") ?? book.AmortisationNamed("server-lifetime-default")?.Years ?? 5,
                MaintenanceFractionPerYear = Num(input.Maintenance, "maintenance") ?? book.AmortisationNamed("maintenance-share")?.FractionPerYear ?? 0,
                ServerOverhead = Num(input.ServerOverhead, "serverOverhead") ?? 0,
            };
            var peak = Num(input.PeakFactor, "peakFactor") ?? 1;
            var devices = Inputs.Count(input.Devices, "devices", 0, 0, MemoryModel.MaxDevicesSearched);
            var service = new ServiceTarget("compare", Math.Max(workload.RequestsPerSecond, 1e-9), inTok, outTok,
                Duration.FromSeconds(Guard.Positive(Num(input.TtftP90, "ttftP90") ?? 2, "ttftP90")), Duration.FromSeconds(Guard.Positive(Num(input.TpotP90, "tpotP90") ?? 0.1, "tpotP90")));
            foreach (var m in models)
            {
                foreach (var d in hw)
                {
                    var (candidate, estimate) = Replica(stepModel, m, weights, kv, d, devices, service);
                    var label = $"{m.Id} {weights.Name} on {(candidate?.DevicesPerReplica ?? 1)}x {d.Id}";
                    if (candidate is null || !estimate.Feasible)
                    {
                        findings.Add(Finding.Warn("cannot-self-host", $"{m.Id} in {weights.Name} on {d.Id} is left out: {estimate.Reason}."));
                        continue;
                    }
                    var q = m.Score("MMLU");
                    findings.Add(Finding.Info("replica-capacity",
                        $"{label}: {estimate.CapacityPerReplica.ToString("0.###", CultureInfo.InvariantCulture)} requests/s per replica at batch {estimate.MaxBatch} (analytic estimate with the {stepModel.GetType().Name} step-time model: decode step {estimate.Tpot.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms, prefill {estimate.Ttft.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms)."));
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
                                terms with { DevicePrice = converter.Convert(price.Value, "devicePrice") }, peak, q));
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
                            options.Add(SelfHosted.Rent(name, candidate.DevicesPerReplica, estimate.CapacityPerReplica, best, peak, q));
                            quality[name] = q;
                        }
                    }
                }
            }
        }
        var months = Num(input.Months, "months") ?? 36;
        foreach (var spec in input.Custom ?? [])
        {
            var o = ParseCustom(spec, converter);
            options.Add(new CostOption(o.Name, "custom", w => CostModel.Custom(o, w, months), o.Quality));
            quality[o.Name] = o.Quality;
        }
        foreach (var (name, p) in used.Where(u => u.P.IsStale(day)).DistinctBy(u => u.Name))
        {
            findings.Add(Finding.Warn("stale-price", $"{name} is dated {PriceBook.Iso(p.Date)}, {p.AgeInDays(day).ToString("N0", CultureInfo.InvariantCulture)} days before {PriceBook.Iso(day)}: more than a year old."));
        }
        var result = Comparison.Run(options, workload, min, max);
        return CompareReport.Build(result, converter.Used, findings, quality);
    }

    private static DateOnly Today(string? text)
    {
        if (text is null)
        {
            return DateOnly.FromDateTime(DateTime.Now);
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InputException("today", $"today must be a date like 2026-11-23, got '{RequestBody.Clip(text)}'.");
    }

    private static (SearchCandidate? Candidate, SearchEvaluation Estimate) Replica(IStepTimeModel model, ModelEntry m, NumberFormat w, NumberFormat kv, Device d, int devices, ServiceTarget t)
    {
        IEnumerable<int> counts = devices > 0 ? [devices] : [1, 2, 4, 8, 16, 32, 64];
        SearchEvaluation? last = null;
        foreach (var n in counts)
        {
            foreach (var layout in Layouts.On(m.Architecture, n))
            {
                var cand = new SearchCandidate(m, w, kv, d, layout, Engine.Vllm);
                var e = SearchCapacity.Estimate(model, cand, t, RuntimeReserve.Default, 256);
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
            return QuantityText.ParseTariff(text, "tariff");
        }
        var t = book.Tariff(text, "tariff");
        used.Add(($"tariff {t.Region}", t.Provenance));
        return t.PerKilowattHour;
    }

    private static double Pue(PriceBook book, string text, List<(string, Provenance)> used)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return Guard.InRange(v, 1.0, 3.0, "pue");
        }
        var p = book.PueNamed(text, "pue");
        used.Add(($"PUE {p.Name}", p.Provenance));
        return p.Value;
    }

    /// <summary>Parses 'USD/CNY=7.2734@2025-02-28'.</summary>
    private static ExchangeRate ParseRate(string text)
    {
        var parts = text.Split('=', 2);
        var pair = parts[0].Split('/', 2);
        var valueDate = parts.Length == 2 ? parts[1].Split('@', 2) : [];
        if (pair.Length != 2 || valueDate.Length != 2
            || !decimal.TryParse(valueDate[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate <= 0
            || !DateOnly.TryParseExact(valueDate[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InputException("exchangeRate", $"'{RequestBody.Clip(text)}' is not an exchange rate; write it like 'USD/CNY=7.2734@2025-02-28' (1 USD buys 7.2734 CNY, dated), with a rate above zero.");
        }
        // The source is the CLI option's name, so the report reads the same as the CLI's.
        return new ExchangeRate(Quantities.Currency.Parse(pair[0], "exchangeRate"), Quantities.Currency.Parse(pair[1], "exchangeRate"), rate, date, "--exchange-rate");
    }

    private static (string Id, Money Price) ParseDevicePrice(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2)
        {
            throw new InputException("devicePrice", $"'{RequestBody.Clip(text)}' is not a device price; write it like 'kunlunxin-r200=20000 CNY'.");
        }
        return (parts[0].Trim(), QuantityText.ParseMoney(parts[1], "devicePrice"));
    }

    /// <summary>Parses 'NAME;build=7418 USD;per-10k=173 USD;quality=71.4'.</summary>
    private static CustomOption ParseCustom(string text, CurrencyConverter converter)
    {
        var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0].Contains('=', StringComparison.Ordinal))
        {
            throw new InputException("custom", $"'{RequestBody.Clip(text)}' is not an option; write it like 'small model;build=1915 USD;per-10k=0.26 USD;quality=71.3'.");
        }
        var zero = Money.Zero(converter.Target);
        Money build = zero, monthly = zero, perRequest = zero;
        double? quality = null;
        foreach (var kv in parts.Skip(1))
        {
            var pair = kv.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
            {
                throw new InputException("custom", $"'{RequestBody.Clip(kv)}' in custom '{RequestBody.Clip(parts[0])}' is not key=value.");
            }
            Money Price() => converter.Convert(QuantityText.ParseMoney(pair[1], "custom"), "custom");
            switch (pair[0].ToLowerInvariant())
            {
                case "build": build = Price(); break;
                case "monthly": monthly = Price(); break;
                case "per-request": perRequest = Price(); break;
                case "per-1k": perRequest = Price() / 1_000m; break;
                case "per-10k": perRequest = Price() / 10_000m; break;
                case "quality":
                    quality = double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) && double.IsFinite(q)
                        ? q : throw new InputException("custom", $"quality in custom '{RequestBody.Clip(parts[0])}' must be a number, got '{RequestBody.Clip(pair[1])}'.");
                    break;
                default:
                    throw new InputException("custom", $"Unknown key '{RequestBody.Clip(pair[0])}' in custom '{RequestBody.Clip(parts[0])}'; use build, monthly, per-request, per-1k, per-10k or quality.");
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
            throw new InputException("range", $"range must be 'MIN:MAX' requests per month with 0 < MIN < MAX, e.g. 1e3:1e9; got '{RequestBody.Clip(text)}'.");
        }
        return (lo, hi);
    }

    private static double? Volume(string? text, string field)
    {
        var t = Inputs.Text(text, field);
        if (t is null)
        {
            return null;
        }
        return TryVolume(t, out var v) && v >= 0 ? v
            : throw new InputException(field, $"{field} must be a number of zero or more such as 1e6, 250k or 1.2M; got '{RequestBody.Clip(t)}'.");
    }

    private static bool TryVolume(string text, out double value)
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

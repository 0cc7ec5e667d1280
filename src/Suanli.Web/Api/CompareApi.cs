using Suanli.Quantities;
using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Runs;
using Suanli.StepTime;
using Suanli.Text;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// The inputs of <c>suanli compare</c> (its options in camelCase). Lists are comma-separated or repeated
/// (JSON: a string or an array). Extra price files (<c>--prices</c>) have no web equivalent.
/// </summary>
/// <remarks>The inputs are declared in two records so that neither holds more than 20 (issue 17's limit); the
/// API sees one flat set of query parameters and JSON fields either way: <see cref="CompareTermsInput"/> declares the money terms (currency, electricity, amortisation, device prices) and the sizing terms (peak factor, targets, prefix hits, range, date).</remarks>
public sealed record CompareInput : CompareTermsInput
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

    /// <summary>Options shown.</summary>
    [Description("Options shown, cheapest at the volume first, 1 to 100. Default 10. The break-even volumes and months pair these only; optionsNotShown counts the rest.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "top")]
    public string? Top { get; init; }
}

/// <summary>The part of <see cref="CompareInput"/> that declares the money terms (currency, electricity, amortisation, device prices) and the sizing terms (peak factor, targets, range, date) (the same query parameters and JSON fields).</summary>
public abstract record CompareTermsInput
{
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
    [Description("Electricity: a catalog region or '0.65 CNY/kWh'. Default: the region for the currency (CN-industrial-average for CNY, US-VA-industrial for USD, EU-non-household-average for EUR), as /api/plan uses.")]
    [FromQuery(Name = "tariff")]
    public string? Tariff { get; init; }

    /// <summary>PUE.</summary>
    [Description("PUE: a number from 1.0 to 3.0 or a catalog name. Default 1.3, as /api/plan and /api/train.")]
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

    /// <summary>Which catalog purchase price is used.</summary>
    [Description("Catalog purchase price used: newest (the newest-dated, default), article-claim, street-estimate or list-price.")]
    [FromQuery(Name = "purchase")]
    public string? Purchase { get; init; }

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

    /// <summary>Prefix-cache hit rate.</summary>
    [Description("Fraction of each prompt served from a prefix cache (a shared system prompt), 0 to 1: self-hosted replicas prefill only the rest, and APIs with a cached-input price bill that share at it. Default 0.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "prefixHitRate")]
    public string? PrefixHitRate { get; init; }

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
    public static void Map(RouteGroupBuilder api) =>
        ReportEndpoints.MapTimed<CompareInput, CompareJson>(api, "/compare", "Compare", "Cost",
            "API vs rent vs buy, small vs large model, over a monthly volume: cost per month, per million tokens and per request, by part, with break-even volumes and months (suanli compare).",
            "The comparison", "Compare fewer models and devices.", (input, catalog, model, clock, cancel) => Build(input, catalog, model, clock, cancel));

    private static double? Num(string? text, string field) => Inputs.Number(text, field, null, double.MinValue, double.MaxValue);

    /// <summary>The report <c>suanli compare</c> prints for the same options; <paramref name="cancel"/> stops the sizing of self-hosted options.</summary>
    public static Report Build(CompareInput input, SuanliCatalog catalog, IStepTimeModel stepModel, TimeProvider clock, CancellationToken cancel = default) =>
        CompareRun.Run(new CompareInputs
        {
            RequestsPerMonth = Volume(input.RequestsPerMonth, "requestsPerMonth"),
            TokensPerMonth = Volume(input.TokensPerMonth, "tokensPerMonth"),
            InputTokens = Inputs.Count(input.Input, "input", 500, 1, FootprintRequest.MaxContext, CountUnit.Tokens),
            OutputTokens = Inputs.Count(input.Output, "output", 200, 1, FootprintRequest.MaxContext, CountUnit.Tokens),
            Api = OptimizeApi.Split(input.Api, "api"),
            Models = OptimizeApi.Split(input.Model, "model"),
            Hardware = OptimizeApi.Split(input.Hardware, "hardware"),
            Precision = Inputs.Text(input.Precision, "precision") ?? "bf16",
            DevicesPerReplica = Inputs.Count(input.Devices, "devices", 0, 0, MemoryModel.MaxDevicesSearched),
            SelfHost = Inputs.Text(input.SelfHost, "selfHost") ?? "buy,rent",
            Custom = input.Custom ?? [],
            Pricing = new()
            {
                Currency = Inputs.Text(input.Currency, "currency") ?? "USD",
                ExchangeRates = input.ExchangeRate ?? [],
                Tariff = Inputs.Text(input.Tariff, "tariff"),
                Pue = Inputs.Text(input.Pue, "pue"),
                Years = Num(input.Years, "years"),
                Maintenance = Num(input.Maintenance, "maintenance"),
                ServerOverhead = Num(input.ServerOverhead, "serverOverhead") ?? 0,
                DevicePrices = input.DevicePrice ?? [],
                Purchase = Inputs.Text(input.Purchase, "purchase") ?? "newest",
            },
            Months = Num(input.Months, "months") ?? 36,
            PeakFactor = Num(input.PeakFactor, "peakFactor") ?? 1,
            TpotP90 = Num(input.TpotP90, "tpotP90") ?? 0.1,
            TtftP90 = Num(input.TtftP90, "ttftP90") ?? 2,
            PrefixHitRate = Num(input.PrefixHitRate, "prefixHitRate") ?? 0,
            Range = Inputs.Text(input.Range, "range"),
            Today = CompareRun.Today(Inputs.Text(input.Today, "today"), clock),
            Top = Inputs.Count(input.Top, "top", CompareRun.DefaultTop, 1, CompareRun.MaxTop),
        }, PriceFiles.Embedded, catalog, stepModel, cancel: cancel).Report;

    private static double? Volume(string? text, string field)
    {
        var t = Inputs.Text(text, field);
        if (t is null)
        {
            return null;
        }
        return CompareRun.TryVolume(t, out var v) && v >= 0 ? v
            : throw Inputs.Error(field, Phrase.Of("input-volume", "{field} must be a number of zero or more such as 1e6, 250k or 1.2M; got '{value}'.", ("field", Inputs.Field(field)), ("value", RequestBody.Clip(t))));
    }
}

using Suanli.Quantities;
using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Plan;
using Suanli.StepTime;
using Suanli.Web.Http;
using Suanli.Text;

namespace Suanli.Web.Api;

/// <summary>The inputs of <c>suanli optimize</c> (flag-driven). Lists are comma-separated text or repeated parameters (JSON: a string or an array).</summary>
public sealed record OptimizeInput : SearchChoiceInput
{
    /// <summary>Candidate models.</summary>
    [Description("Candidate models, comma-separated (required).")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "model")]
    public string[]? Model { get; init; }

    /// <summary>Candidate devices.</summary>
    [Description("Candidate devices, comma-separated (required).")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "hardware")]
    public string[]? Hardware { get; init; }

    /// <summary>Candidate weight formats.</summary>
    [Description("Candidate weight formats. Default bf16.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "precision")]
    public string[]? Precision { get; init; }

    /// <summary>Candidate devices per replica.</summary>
    [Description("Candidate devices per replica. Default 1,2,4,8.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "devices")]
    public string[]? Devices { get; init; }

    /// <summary>Candidate engines.</summary>
    [Description("Candidate engines: vllm (default), trtllm, sglang, llamacpp, transformers.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "engine")]
    public string[]? Engine { get; init; }

    /// <summary>Prompt tokens.</summary>
    [Description("Prompt tokens per request. Default 1000.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "input")]
    public string? Input { get; init; }

    /// <summary>Output tokens.</summary>
    [Description("Output tokens per request. Default 300.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "output")]
    public string? Output { get; init; }

    /// <summary>Peak rate.</summary>
    [Description("Requests per second to serve at the peak (required).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "rate")]
    public string? Rate { get; init; }

    /// <summary>Target.</summary>
    [Description("Time-to-first-token target at ttftPercentile (default p90), seconds. Default 2.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttft")]
    public string? Ttft { get; init; }

    /// <summary>Target.</summary>
    [Description("Time-per-output-token target at tpotPercentile (default p90), seconds. Default 0.1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpot")]
    public string? Tpot { get; init; }

    /// <summary>The old name of <see cref="Ttft"/>, as --ttft-p90 is on the command line.</summary>
    [Description("The old name of ttft, still read: time-to-first-token target at ttftPercentile, seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftP90")]
    public string? TtftP90 { get; init; }

    /// <summary>The old name of <see cref="Tpot"/>.</summary>
    [Description("The old name of tpot, still read: time-per-output-token target at tpotPercentile, seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotP90")]
    public string? TpotP90 { get; init; }

    /// <summary>The percentile of ttft's target.</summary>
    [Description("Percentile the TTFT target (ttft's seconds) is checked at instead of p90, above 0 and below 100 (99 as MLPerf).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftPercentile")]
    public string? TtftPercentile { get; init; }

    /// <summary>The percentile of tpot's target.</summary>
    [Description("Percentile the TPOT target (tpot's seconds) is checked at instead of p90, above 0 and below 100.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotPercentile")]
    public string? TpotPercentile { get; init; }

    /// <summary>Quality floor.</summary>
    [Description("Quality floor, e.g. MMLU>=70.")]
    [FromQuery(Name = "quality")]
    public string? Quality { get; init; }

    /// <summary>Frontier rows.</summary>
    [Description("Frontier rows shown. Default 10.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "top")]
    public string? Top { get; init; }

    /// <summary>Search-space limit.</summary>
    [Description("Largest search space accepted. Default 100,000.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "maxCandidates")]
    public string? MaxCandidates { get; init; }

    /// <summary>Currency.</summary>
    [Description("Currency of costs: USD (default), CNY, EUR.")]
    [FromQuery(Name = "currency")]
    public string? Currency { get; init; }
}

/// <summary>
/// <c>GET|POST /api/optimize</c>: the report of the flag-driven <c>suanli optimize</c>: the cheapest deployment and the
/// cost-quality-latency frontier over models x precisions x devices x layouts x engines, priced as the CLI prices it
/// (<see cref="SearchChoiceInput"/>: cost basis, rent term, purchase price, the day, exhaustive). Runs under the time
/// limit; the search stops between candidates when it is reached.
/// </summary>
public static class OptimizeApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api) =>
        ReportEndpoints.MapTimed<OptimizeInput, OptimizeJson>(api, "/optimize", "Optimize", "Cost",
            "The cheapest deployment that meets latency targets and a quality floor, and the cost vs quality vs latency frontier (suanli optimize).",
            "The optimisation", "Search fewer models, devices or precisions (maxCandidates limits the search space).", Build);

    /// <summary>The report <c>suanli optimize</c> prints for the same options; checks <paramref name="cancel"/> per candidate.</summary>
    public static Report Build(OptimizeInput input, SuanliCatalog catalog, IStepTimeModel stepModel, TimeProvider clock, CancellationToken cancel = default)
    {
        var models = Split(input.Model, "model");
        var hardware = Split(input.Hardware, "hardware");
        if (models.Count == 0)
        {
            throw Inputs.Error("model", Phrase.Of("input-required#models", "{field} is required: one or more candidate models, comma-separated.", ("field", Inputs.Field("model"))));
        }
        if (hardware.Count == 0)
        {
            throw Inputs.Error("hardware", Phrase.Of("input-required#devices", "{field} is required: one or more candidate devices, comma-separated.", ("field", Inputs.Field("hardware"))));
        }
        var rate = Inputs.Number(input.Rate, "rate", null, ScenarioApplication.MinPeak, ScenarioApplication.MaxPeak) ?? throw Inputs.Error("rate", Phrase.Of("input-required#rate", "{field} is required: requests per second to serve at the peak, e.g. rate=5.", ("field", Inputs.Field("rate"))));
        var choices = input.Choices();
        var day = choices.Day(clock);
        var (scenario, settings) = OptimizeRun.FromFlags(new OptimizeFlags
        {
            Models = models,
            Hardware = hardware,
            Precisions = Split(input.Precision, "precision"),
            DevicesPerReplica = [.. Split(input.Devices, "devices").Select(OptimizeRun.ParseDevices)],
            Engines = Split(input.Engine, "engine"),
            InputTokens = Inputs.Count(input.Input, "input", 1000, 1, Footprint.FootprintRequest.MaxContext, CountUnit.Tokens),
            OutputTokens = Inputs.Count(input.Output, "output", 300, 1, Footprint.FootprintRequest.MaxContext, CountUnit.Tokens),
            Rate = rate,
            Ttft = Target(input.Ttft, "ttft", input.TtftP90, "ttftP90", 2),
            Tpot = Target(input.Tpot, "tpot", input.TpotP90, "tpotP90", 0.1),
            TtftField = input.TtftP90 is null ? FieldNames.Ttft : FieldNames.TtftP90,
            TpotField = input.TpotP90 is null ? FieldNames.Tpot : FieldNames.TpotP90,
            TtftPercentile = Inputs.Percentile(input.TtftPercentile, "ttftPercentile"),
            TpotPercentile = Inputs.Percentile(input.TpotPercentile, "tpotPercentile"),
            Quality = Inputs.Text(input.Quality, "quality"),
            Currency = Inputs.Text(input.Currency, "currency") ?? "USD",
        }, catalog);
        var options = choices.Apply(new ScenarioSearchOptions { MaxCandidates = Inputs.Count(input.MaxCandidates, "maxCandidates", SearchOptions.DefaultLimit, 1, SearchOptions.HardestLimit), Cancel = cancel });
        return OptimizeRun.Run(scenario, choices.Apply(settings), PriceFiles.Embedded, catalog, stepModel, day,
            Inputs.Count(input.Top, "top", 10, 1, 10_000), options, new CancelOnProgress(cancel)).Report;
    }

    /// <summary>
    /// A target under its name or its old one (<c>ttftP90</c>, as the CLI's <c>--ttft-p90</c> alias): a number in seconds;
    /// both names at once is an error naming the two; neither, the default.
    /// </summary>
    private static double Target(string? value, string field, string? old, string oldField, double fallback)
    {
        if (value is not null && old is not null)
        {
            throw Inputs.Error(oldField, Phrase.Of("input-old-and-new-name", "{old} is the old name of {field}; give one of them, not both.",
                ("old", Inputs.Field(oldField)), ("field", Inputs.Field(field))));
        }
        return old is not null ? Inputs.Number(old, oldField, fallback, double.MinValue, double.MaxValue)!.Value
            : Inputs.Number(value, field, fallback, double.MinValue, double.MaxValue)!.Value;
    }

    /// <summary>Progress that stops the search (between candidates) once the token is cancelled.</summary>
    private sealed class CancelOnProgress(CancellationToken cancel) : IProgress<long>
    {
        public void Report(long value) => cancel.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Repeated or comma-separated values, as the CLI's list options read them: read as one list, so an empty one among
    /// several (<c>["a", ""]</c>, <c>model=a&amp;model=</c>) is an error at its position rather than dropped; one empty value alone is no list.
    /// </summary>
    internal static IReadOnlyList<string> Split(string[]? values, string field) =>
        Inputs.List(values is null ? null : string.Join(',', values), field);
}

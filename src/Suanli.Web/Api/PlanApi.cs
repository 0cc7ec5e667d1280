using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// A one-application scenario described by query parameters (what the planning page sends). The server fills the
/// same typed scenario the scenario-file reader fills (<see cref="QuickScenario"/>, with the file's defaults, ranges
/// and assumptions) and plans it as <c>suanli plan</c> plans that file; <c>format=yaml</c> returns the file.
/// </summary>
public partial record QuickScenarioInput
{
    /// <summary>Model.</summary>
    [Description("Model: catalog id, Hugging Face repo id or alias (required).")]
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    /// <summary>Weight format.</summary>
    [Description("Weight format (default: the released checkpoint's format, as in a scenario file).")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>KV-cache format.</summary>
    [Description("KV-cache format (default: the weight format if valid for KV, else bf16).")]
    [FromQuery(Name = "kvPrecision")]
    public string? KvPrecision { get; init; }

    /// <summary>Device.</summary>
    [Description("Device id or alias (required).")]
    [FromQuery(Name = "hardware")]
    public string? Hardware { get; init; }

    /// <summary>Devices per replica.</summary>
    [Description("Devices per replica, 1 to 128 (default: chosen by the planner, the layout carrying the most load per device).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "devicesPerReplica")]
    public string? DevicesPerReplica { get; init; }

    /// <summary>Peak concurrency.</summary>
    [Description("Requests in flight at the peak hour (give this or peakRate), 0.000001 to 100,000,000.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "peakConcurrency")]
    public string? PeakConcurrency { get; init; }

    /// <summary>Peak rate.</summary>
    [Description("Requests per second at the peak hour (instead of peakConcurrency), 0.000001 to 100,000,000.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "peakRate")]
    public string? PeakRate { get; init; }

    /// <summary>Prompt tokens.</summary>
    [Description("Mean prompt tokens per request. Default 1024.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "input")]
    public string? Input { get; init; }

    /// <summary>Output tokens.</summary>
    [Description("Mean output tokens per request. Default 256.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "output")]
    public string? Output { get; init; }

    /// <summary>Target.</summary>
    [Description("Time to first token at ttftPercentile (default p90), seconds. Default 2.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftP90")]
    public string? TtftP90 { get; init; }

    /// <summary>Target.</summary>
    [Description("Time per output token at tpotPercentile (default p90), seconds. Default 0.1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotP90")]
    public string? TpotP90 { get; init; }

    /// <summary>Profile.</summary>
    [Description("Traffic over the day: office-hours (default), call-centre, consumer-evening or flat.")]
    [FromQuery(Name = "profile")]
    public string? Profile { get; init; }

    /// <summary>Currency.</summary>
    [Description("Currency of the scenario: CNY, USD or EUR. Default USD.")]
    [FromQuery(Name = "currency")]
    public string? Currency { get; init; }

    /// <summary>Time zone of the profile's hours.</summary>
    [Description("Time zone of the traffic profile's hours: an IANA name such as Asia/Shanghai. Default UTC.")]
    [FromQuery(Name = "timeZone")]
    public string? TimeZone { get; init; }
}

/// <summary>
/// The page's scenario (<see cref="QuickScenarioInput"/>) searched over candidate models: what <c>suanli optimize</c>
/// does with that scenario file and a <c>candidates</c> section (<c>models: application</c>, devices per replica 1, 2, 4, 8).
/// </summary>
public sealed record QuickSearchInput : QuickScenarioInput
{
    /// <summary>Other models searched beside <see cref="QuickScenarioInput.Model"/>.</summary>
    [Description("Other candidate models, comma-separated, searched with the scenario's model.")]
    [FromQuery(Name = "candidates")]
    public string? Candidates { get; init; }

    /// <summary>Frontier rows shown.</summary>
    [Description("Frontier rows shown. Default 10.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "top")]
    public string? Top { get; init; }
}

/// <summary>
/// <c>/api/plan</c>: the report of <c>suanli plan</c>. <c>POST</c> takes a scenario file's text (JSON or YAML) as the
/// body; <c>GET</c> takes a one-application scenario as query parameters (<see cref="QuickScenarioInput"/>), and with
/// <c>format=yaml</c> returns that scenario as the YAML file <c>suanli plan</c> reads. <c>/api/plan/xlsx</c> returns the
/// report as a spreadsheet (<see cref="ReportFiles.Workbook"/>).
/// </summary>
public static class PlanApi
{
    /// <summary>Content types a scenario body may have.</summary>
    /// <remarks>text/plain is not among them: a page on another site may send it without the browser asking first.</remarks>
    public static readonly string[] ScenarioTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    /// <summary>The file name scenario errors from a request body carry.</summary>
    public const string BodyName = "request body";

    /// <summary>The file name of a scenario written from query parameters.</summary>
    public const string QueryName = "planner page";

    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        const string summary = "The fleet for a day of traffic: replicas per hour, devices, servers, racks, power, static vs autoscaled vs pooled sizing, the articles' one-copy-per-request rule applied to the same inputs beside (suanli plan). When no application can meet its targets, format=markdown or csv answers 200 with the report of what was asked and the error findings (why, and the remedies); JSON answers 400.";
        api.MapPost("/plan", async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, RequestBody body, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format);
                var text = await body.ReadTextAsync(http, ScenarioTypes, ct);
                return ReportResults.Render(await PlanOrExplainAsync(text, BodyName, catalog, format, model, Inputs.Today(clock), limit, ct), format);
            })
            .WithName("Plan").WithTags("Plan").WithSummary(summary + " The body is a scenario file (JSON, or YAML with Content-Type application/yaml).")
            .Accepts<string>(ScenarioTypes[0], ScenarioTypes[1..])
            .Produces<PlanJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/plan", async ([AsParameters] QuickScenarioInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format, "yaml");
                var query = Query(input, catalog);
                if (format?.Trim().ToLowerInvariant() == "yaml")
                {
                    return Results.File(Encoding.UTF8.GetBytes(query.ToYaml()), "application/yaml; charset=utf-8", "scenario.yaml");
                }
                return ReportResults.Render(await PlanOrExplainAsync(query.ToScenario(QueryName, catalog), format, model, Inputs.Today(clock), limit, ct), format);
            })
            .WithName("PlanQuery").WithTags("Plan").WithSummary(summary + " A one-application scenario from query parameters; format=yaml returns the scenario file itself.")
            .Produces<PlanJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/plan/sensitivity", async ([AsParameters] QuickScenarioInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format);
                return ReportResults.Render(await PlanOrExplainAsync(Query(input, catalog).ToScenario(QueryName, catalog), format, model, Inputs.Today(clock), limit, ct, sensitivity: true), format);
            })
            .WithName("PlanSensitivityQuery").WithTags("Plan").WithSummary("The plan with each main assumption moved by a stated amount and replanned (suanli plan --sensitivity): plan.json with its 'sensitivity' table. A one-application scenario from query parameters.")
            .Produces<PlanJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/plan/sensitivity", async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, RequestBody body, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format);
                return ReportResults.Render(await PlanOrExplainAsync(await body.ReadTextAsync(http, ScenarioTypes, ct), BodyName, catalog, format, model, Inputs.Today(clock), limit, ct, sensitivity: true), format);
            })
            .WithName("PlanSensitivity").WithTags("Plan").WithSummary("The plan with each main assumption moved by a stated amount and replanned (suanli plan --sensitivity): plan.json with its 'sensitivity' table. The body is a scenario file, as for POST /api/plan.")
            .Accepts<string>(ScenarioTypes[0], ScenarioTypes[1..])
            .Produces<PlanJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        const string hours = "The recommended strategy hour by hour: devices, replicas, load and utilisation (load over provisioned replicas), facility power; what the page's fleet chart draws.";
        api.MapGet("/plan/hours", async ([AsParameters] QuickScenarioInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format);
                return ReportResults.Render(await PlanOrExplainAsync(Query(input, catalog).ToScenario(QueryName, catalog), format, model, Inputs.Today(clock), limit, ct, hours: true), format);
            })
            .WithName("PlanHoursQuery").WithTags("Plan").WithSummary(hours + " A one-application scenario from query parameters.")
            .Produces<PlanHoursJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/plan/hours", async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, RequestBody body, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format);
                return ReportResults.Render(await PlanOrExplainAsync(await body.ReadTextAsync(http, ScenarioTypes, ct), BodyName, catalog, format, model, Inputs.Today(clock), limit, ct, hours: true), format);
            })
            .WithName("PlanHours").WithTags("Plan").WithSummary(hours + " The body is a scenario file.")
            .Accepts<string>(ScenarioTypes[0], ScenarioTypes[1..])
            .Produces<PlanHoursJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/plan/xlsx", async (HttpRequest http, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, RequestBody body, CancellationToken ct) =>
                Workbook(await PlanOrExplainAsync(await body.ReadTextAsync(http, ScenarioTypes, ct), BodyName, catalog, "xlsx", model, Inputs.Today(clock), limit, ct)))
            .WithName("PlanXlsx").WithTags("Plan").WithSummary("The plan report as a spreadsheet: one sheet per table, numbers as numbers (suanli plan --out); when no application can meet its targets, the report of what was asked and the error findings. The body is a scenario file.")
            .Accepts<string>(ScenarioTypes[0], ScenarioTypes[1..])
            .Produces(StatusCodes.Status200OK, contentType: Xlsx).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/plan/search", async ([AsParameters] QuickSearchInput input, [AsParameters] SearchChoiceInput choice, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format);
                var choices = choice.Choices();
                var today = choices.Day(clock);
                return ReportResults.Render(await limit.RunAsync("The optimisation", "Search fewer candidate models.", cancel => Search(SearchScenario(input, catalog), Top(input.Top), catalog, model, today, choices, cancel), ct), format);
            })
            .WithName("PlanSearchQuery").WithTags("Plan").WithSummary("The page's scenario searched over its model and the candidate models (suanli optimize of the scenario file with a candidates section): the cheapest deployment that meets its targets and the cost-quality-latency frontier, costed as the plan costs a fleet.")
            .Produces<OptimizeJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/plan/search", async (HttpRequest http, [AsParameters] SearchListInput input, [AsParameters] SearchChoiceInput choice, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit,
                RequestBody body, CancellationToken ct) =>
            {
                ReportResults.CheckFormat(format);
                var choices = choice.Choices();
                var today = choices.Day(clock);
                var scenario = SearchScenario(await body.ReadTextAsync(http, ScenarioTypes, ct), input, catalog);
                return ReportResults.Render(await limit.RunAsync("The optimisation", "Search fewer candidate models.", cancel => Search(scenario, Top(input.Top), catalog, model, today, choices, cancel), ct), format);
            })
            .WithName("PlanSearch").WithTags("Plan").WithSummary("A scenario file searched as the page searches its scenario: every application over its own model and the candidate models, costed as the plan costs a fleet; one result per application. The body is the scenario file /api/plan reads.")
            .Accepts<string>(ScenarioTypes[0], ScenarioTypes[1..])
            .Produces<OptimizeJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/plan/xlsx", async ([AsParameters] QuickScenarioInput input, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, CancellationToken ct) =>
                Workbook(await PlanOrExplainAsync(Query(input, catalog).ToScenario(QueryName, catalog), "xlsx", model, Inputs.Today(clock), limit, ct)))
            .WithName("PlanQueryXlsx").WithTags("Plan").WithSummary("The plan report of a one-application scenario from query parameters, as a spreadsheet; when the targets cannot be met, the report of what was asked and the error findings.")
            .Produces(StatusCodes.Status200OK, contentType: Xlsx).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>
    /// The scenario search of the page's scenario: the query's scenario (<see cref="Query"/>) with the candidate models
    /// as the application's models, searched as <c>suanli optimize</c> searches a file with <c>candidates: {models:
    /// application}</c>; each candidate's capacity is measured with the plan's probe size (the search's default,
    /// <see cref="ScenarioSearchOptions.DefaultRequestsPerProbe"/>), so the deployment the plan sizes gets the plan's
    /// capacity, fleet and monthly cost in the search too.
    /// </summary>
    public static Report Search(QuickSearchInput input, SuanliCatalog catalog, IStepTimeModel model, DateOnly today, CancellationToken cancel = default) =>
        Search(SearchScenario(input, catalog), Top(input.Top), catalog, model, today, null, cancel);

    /// <summary>Searches a scenario whose applications already list their candidate models, as <see cref="Search(QuickSearchInput, SuanliCatalog, IStepTimeModel, DateOnly, CancellationToken)"/> does.</summary>
    /// <remarks><paramref name="choices"/>: the cost basis, rent term, purchase price and exhaustiveness given with the request (null: the defaults).</remarks>
    public static Report Search(Scenario scenario, int top, SuanliCatalog catalog, IStepTimeModel model, DateOnly today, SearchChoices? choices = null, CancellationToken cancel = default)
    {
        choices ??= new SearchChoices();
        var options = choices.Apply(new ScenarioSearchOptions { Cancel = cancel });
        return OptimizeRun.Run(scenario, choices.Apply(new CandidateSettings()), PriceFiles.Embedded, catalog, model, today,
            top, options).Report;
    }

    /// <summary>The frontier rows a search shows: the <c>top</c> field, 1 to 10,000, default 10.</summary>
    public static int Top(string? top) => Inputs.Count(top, "top", 10, 1, 10_000);

    /// <summary>The scenario <see cref="Search(QuickSearchInput, SuanliCatalog, IStepTimeModel, DateOnly, CancellationToken)"/> searches: the query's scenario with <c>models: [model, candidates…]</c>.</summary>
    public static Scenario SearchScenario(QuickSearchInput input, SuanliCatalog catalog)
    {
        var candidates = Candidates(input.Candidates, catalog);
        var scenario = Query(input, catalog).ToScenario(QueryName, catalog);
        return WithCandidates(scenario, candidates);
    }

    /// <summary>
    /// The scenario a search of a scenario file searches (the plan's typed request: the body /api/plan reads): the file
    /// read as <c>suanli plan</c> reads it, each application's models followed by the candidate models.
    /// </summary>
    public static Scenario SearchScenario(string text, SearchListInput input, SuanliCatalog catalog)
    {
        var candidates = Candidates(input.Candidates, catalog);
        RequireBody(text);
        return WithCandidates(ScenarioFile.Parse(text, BodyName, catalog), candidates);
    }

    // A body with no scenario: the same answer from every endpoint that reads one.
    private static void RequireBody(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Inputs.Error("body", Phrase.Of("input-body-empty#scenario", "The request body is empty; send a scenario (YAML or JSON) as in {example}.", ("example", "examples/c2-knowledge-base.yaml")));
        }
    }

    private static List<ModelEntry> Candidates(string? text, SuanliCatalog catalog) =>
        [.. Inputs.List(text, "candidates").Select(name => catalog.Model(name, "candidates"))];

    // Each application searched over its own models, then the candidates it does not list yet.
    private static Scenario WithCandidates(Scenario scenario, IReadOnlyList<ModelEntry> candidates) => scenario with
    {
        Applications = [.. scenario.Applications.Select(a => a with
        {
            Models = [.. a.Models, .. candidates.Where(c => !a.Models.Any(m => string.Equals(m.Id, c.Id, StringComparison.OrdinalIgnoreCase)))
                .DistinctBy(c => c.Id, StringComparer.OrdinalIgnoreCase)],
        })],
    };

    /// <summary>Parses scenario text (errors carry <paramref name="file"/>, line and column) and plans it under the time limit.</summary>
    public static Task<Report> PlanAsync(string text, string file, SuanliCatalog catalog, IStepTimeModel model, DateOnly today, TimeLimit limit, CancellationToken ct, bool hours = false,
        bool sensitivity = false) =>
        limit.RunAsync("The plan", "Plan fewer applications or candidate models.",
            cancel =>
            {
                var (plan, report) = Run(text, file, catalog, model, today, sensitivity, cancel);
                return hours ? PlanHoursReport.Build(plan, report) : report;
            }, ct);

    /// <summary>
    /// True when a scenario none of whose applications can be served gets its report (<see cref="InfeasiblePlan"/>)
    /// rather than the 400 problem: the file formats, which the page downloads (<c>xlsx</c> for the spreadsheet endpoints);
    /// JSON keeps the error contract.
    /// </summary>
    private static bool Explains(string? format) => (format?.Trim().ToLowerInvariant() ?? "json") is "markdown" or "md" or "csv" or "xlsx";

    private static bool Csv(string? format) => format?.Trim().ToLowerInvariant() == "csv";

    /// <summary>
    /// <see cref="PlanAsync(string, string, SuanliCatalog, IStepTimeModel, DateOnly, TimeLimit, CancellationToken, bool, bool)"/>, or with
    /// a file <paramref name="format"/> the report of the error findings when no application can be served.
    /// </summary>
    private static async Task<Report> PlanOrExplainAsync(string text, string file, SuanliCatalog catalog, string? format, IStepTimeModel model, DateOnly today, TimeLimit limit,
        CancellationToken ct, bool hours = false, bool sensitivity = false)
    {
        try
        {
            return await PlanAsync(text, file, catalog, model, today, limit, ct, hours, sensitivity);
        }
        catch (InputException e) when (Explains(format) && InfeasiblePlan.Is(e))
        {
            // The text parsed before the planner refused it; reading it again costs milliseconds, and only on this path.
            return InfeasiblePlan.Build(ScenarioFile.Parse(text, file, catalog), e, Csv(format));
        }
    }

    /// <summary>
    /// <see cref="PlanAsync(Scenario, IStepTimeModel, DateOnly, TimeLimit, CancellationToken, bool, bool)"/>, or with
    /// a file <paramref name="format"/> the report of the error findings when no application can be served.
    /// </summary>
    private static async Task<Report> PlanOrExplainAsync(Scenario scenario, string? format, IStepTimeModel model, DateOnly today, TimeLimit limit, CancellationToken ct,
        bool hours = false, bool sensitivity = false)
    {
        try
        {
            return await PlanAsync(scenario, model, today, limit, ct, hours, sensitivity);
        }
        catch (InputException e) when (Explains(format) && InfeasiblePlan.Is(e))
        {
            return QuickNamed(scenario, InfeasiblePlan.Build(scenario, e, Csv(format)));
        }
    }

    // The page's scenario is named for its model and device (QuickScenario.Name): say it in the reader's language.
    private static Report QuickNamed(Scenario scenario, Report report)
    {
        var name = scenario.Applications is [{ Models: [var m] }] ? Phrase.Of("scenario-name#quick", "{model} on {device}", ("model", m.Id), ("device", scenario.Device.Id)) : null;
        return scenario.Source == QueryName && name?.English == scenario.Name ? PlanTables.Named(report, name) : report;
    }

    /// <summary>Plans a scenario already read (the query's) under the time limit.</summary>
    public static Task<Report> PlanAsync(Scenario scenario, IStepTimeModel model, DateOnly today, TimeLimit limit, CancellationToken ct, bool hours = false, bool sensitivity = false) =>
        limit.RunAsync("The plan", "Plan fewer applications or candidate models.",
            cancel =>
            {
                var (plan, report) = Run(scenario, model, today, sensitivity, cancel);
                return QuickNamed(scenario, hours ? PlanHoursReport.Build(plan, report) : report);
            }, ct);

    /// <summary>The report <c>suanli plan FILE</c> prints for a file holding <paramref name="text"/> (its <c>source</c> is <paramref name="file"/>).</summary>
    public static Report Build(string text, string file, SuanliCatalog catalog, IStepTimeModel model, DateOnly today, CancellationToken cancel = default) =>
        Run(text, file, catalog, model, today, cancel: cancel).Report;

    /// <summary>Parses, plans and prices scenario text exactly as <c>suanli plan</c> does, with the capacity search over <paramref name="model"/>.</summary>
    public static (PlanResult Plan, Report Report) Run(string text, string file, SuanliCatalog catalog, IStepTimeModel model, DateOnly today, bool sensitivity = false,
        CancellationToken cancel = default)
    {
        RequireBody(text);
        var scenario = ScenarioFile.Parse(text, file, catalog);
        return ScenarioFile.Located(scenario, () => Run(scenario, model, today, sensitivity, cancel));
    }

    /// <summary>Plans and prices a scenario exactly as <c>suanli plan</c> does, with the capacity search over <paramref name="model"/>.</summary>
    public static (PlanResult Plan, Report Report) Run(Scenario scenario, IStepTimeModel model, DateOnly today, bool sensitivity = false, CancellationToken cancel = default)
    {
        var search = SimulatedReplicaCapacity.Provider(model, cancel: cancel);
        return PlanReport.Run(scenario, (d, mix, targets) =>
        {
            cancel.ThrowIfCancellationRequested();
            return search(d, mix, targets);
        }, PriceFiles.Embedded, today, IntervalFiles.Embedded, sensitivity, SimulatedReplicaCapacity.Bound(model));
    }

    /// <summary>
    /// The query's one-application scenario as values. Every value is checked first (names resolve through the
    /// catalog, numbers are in the scenario file's ranges), so problems name the query field.
    /// </summary>
    public static QuickScenario Query(QuickScenarioInput input, SuanliCatalog catalog)
    {
        var model = catalog.Model(Inputs.Required(input.Model, "model"), "model");
        var device = catalog.Device(Inputs.Required(input.Hardware, "hardware"), "hardware");
        // Without a precision, the released checkpoint's format, as a scenario file without one defaults.
        var (weights, kv) = MemoryApi.Formats(input.Precision, input.KvPrecision, model.DefaultPrecision);
        var perReplica = Inputs.OptionalCount(input.DevicesPerReplica, "devicesPerReplica", 1, 128);
        var concurrency = Inputs.Number(input.PeakConcurrency, "peakConcurrency", null, ScenarioApplication.MinPeak, ScenarioApplication.MaxPeak);
        var rate = Inputs.Number(input.PeakRate, "peakRate", null, ScenarioApplication.MinPeak, ScenarioApplication.MaxPeak);
        if (concurrency is null == rate is null)
        {
            (string, object) concurrencyArg = ("concurrency", Inputs.Field("peakConcurrency")), rateArg = ("rate", Inputs.Field("peakRate"));
            throw concurrency is null
                ? Inputs.Error("peakConcurrency", Phrase.Of("peak-one-of#none", "Give one of {concurrency} (requests in flight at the peak) or {rate} (requests per second at the peak); neither was given.", concurrencyArg, rateArg))
                : Inputs.Error("peakRate", Phrase.Of("peak-one-of#both", "Give only one of {concurrency} (requests in flight at the peak) or {rate} (requests per second at the peak), not both.", concurrencyArg, rateArg));
        }
        var prompt = Inputs.Count(input.Input, "input", QuickScenario.DefaultInputTokens, 1, Suanli.Serving.LengthDistribution.MaxTokens, CountUnit.Tokens);
        var output = Inputs.Count(input.Output, "output", QuickScenario.DefaultOutputTokens, 1, Suanli.Serving.LengthDistribution.MaxTokens, CountUnit.Tokens);
        var ttft = Inputs.Number(input.TtftP90, "ttftP90", ApplicationDraft.DefaultTtft.InSeconds, 1e-6, ServingTargets.MaxSeconds)!.Value;
        var tpot = Inputs.Number(input.TpotP90, "tpotP90", ApplicationDraft.DefaultTpot.InSeconds, 1e-6, ServingTargets.MaxSeconds)!.Value;
        var profile = TrafficProfile.Preset(Inputs.Text(input.Profile, "profile") ?? TrafficProfile.OfficeHours.Name, "profile", listAllowed: false);
        var currency = Quantities.Currency.Parse(Inputs.Text(input.Currency, "currency") ?? "USD", "currency");
        var zone = Inputs.Text(input.TimeZone, "timeZone") is { } z ? TimeZoneNames.Check(z, "timeZone") : null;
        return new QuickScenario(model, device, weights, kv, perReplica, concurrency is null ? DemandKind.Rate : DemandKind.Concurrency, concurrency ?? rate!.Value,
            prompt, output, Quantities.Duration.FromSeconds(ttft), Quantities.Duration.FromSeconds(tpot), profile, currency, zone) { TtftAt = input.TtftAt(), TpotAt = input.TpotAt() };
    }

    // The spreadsheet in the request's language (lang=zh: headers, labels, findings and the findings sheet in Chinese).
    private static WorkbookResult Workbook(Report report) => new(report);

    private sealed class WorkbookResult(Report report) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var language = WebLanguage.Of(httpContext);
            var path = Path.Combine(Path.GetTempPath(), $"suanli-plan-{Guid.NewGuid():N}.xlsx");
            try
            {
                ReportFiles.Workbook(WebLanguage.Localized(report, language), path, language);
                return Results.File(File.ReadAllBytes(path), Xlsx, "suanli-plan.xlsx").ExecuteAsync(httpContext);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}

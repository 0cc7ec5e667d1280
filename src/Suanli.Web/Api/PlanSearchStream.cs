using System.ComponentModel;
using System.Text.Json.Serialization;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// The search's options beside a scenario file (<c>POST /api/plan/search</c>): the candidate models every application
/// is searched over with its own model, and the frontier rows shown.
/// </summary>
public sealed record SearchListInput
{
    /// <summary>Other models searched beside each application's model.</summary>
    [Description("Other candidate models, comma-separated, searched with each application's model.")]
    [FromQuery(Name = "candidates")]
    public string? Candidates { get; init; }

    /// <summary>Frontier rows shown per application.</summary>
    [Description("Frontier rows shown per application. Default 10.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "top")]
    public string? Top { get; init; }
}

/// <summary>
/// <c>GET /api/plan/search/stream</c>: the search of <c>/api/plan/search</c> with a first answer while it runs, as
/// newline-delimited JSON (<see cref="PlanSearchMessageJson"/>, one a line): a <c>progress</c> line at once (phase
/// <c>bound</c>), then the shortlist's verification progress (phase <c>verify</c>) at most every
/// <see cref="ProgressInterval"/> besides its start and end, a <c>found</c> line each time the serving simulation
/// verifies a deployment cheaper than the last one sent, and the final <c>result</c> (or an <c>error</c>). Input
/// errors found before the search starts, and a full server, are the usual problem responses (400, 429). When the
/// client goes away (the page's inputs changed), the request's abort token stops the search.
/// </summary>
public static class PlanSearchStream
{
    /// <summary>The shortest time between two progress lines.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The content type of the stream.</summary>
    public const string ContentType = "application/x-ndjson; charset=utf-8";

    private static readonly JsonSerializerOptions Line = new(ReportText.JsonOptions) { WriteIndented = false };

    /// <summary>Maps the endpoint.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/plan/search/stream", (HttpContext http, [AsParameters] QuickSearchInput input, [AsParameters] SearchChoiceInput choice, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, ILoggerFactory logs) =>
            {
                // Input errors before anything is written: the usual 400 with the field.
                var choices = choice.Choices();
                var today = choices.Day(clock);
                return Stream(http, PlanApi.SearchScenario(input, catalog), choices, catalog, PlanApi.Top(input.Top), model, today, limit, logs.CreateLogger(typeof(PlanSearchStream)));
            })
            .WithName("PlanSearchStream").WithTags("Plan")
            .WithSummary("The page's search (/api/plan/search) as it runs: newline-delimited JSON messages, one a line: progress (candidates done of the total), found (the cheapest deployment verified so far), then result (the /api/plan/search document) or error. Closing the request stops the search.")
            .Produces<PlanSearchMessageJson>(StatusCodes.Status200OK, "application/x-ndjson").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/plan/search/stream", async (HttpContext http, [AsParameters] SearchListInput input, [AsParameters] SearchChoiceInput choice, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit,
                RequestBody body, ILoggerFactory logs) =>
            {
                var choices = choice.Choices();
                var today = choices.Day(clock);
                var text = await body.ReadTextAsync(http.Request, PlanApi.ScenarioTypes, http.RequestAborted);
                await Stream(http, PlanApi.SearchScenario(text, input, catalog), choices, catalog, PlanApi.Top(input.Top), model, today, limit, logs.CreateLogger(typeof(PlanSearchStream)));
            })
            .WithName("PlanSearchStreamFile").WithTags("Plan")
            .WithSummary("The search of POST /api/plan/search as it runs, in the messages of GET /api/plan/search/stream: the body is the scenario file /api/plan reads, every application searched over its model and the candidate models.")
            .Accepts<string>(PlanApi.ScenarioTypes[0], PlanApi.ScenarioTypes[1..])
            .Produces<PlanSearchMessageJson>(StatusCodes.Status200OK, "application/x-ndjson").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task Stream(HttpContext http, Scenario scenario, SearchChoices choices, SuanliCatalog catalog, int top, IStepTimeModel model, DateOnly today, TimeLimit limit, ILogger log)
    {
        var aborted = http.RequestAborted;
        var language = WebLanguage.Of(http);
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var clock = Stopwatch.StartNew();
        var gate = new Lock();
        var lastProgress = TimeSpan.Zero;
        var fraction = 0.0;
        decimal? cheapest = null;

        void Send(PlanSearchMessageJson message) => lines.Writer.TryWrite(JsonSerializer.Serialize(message, Line));
        void Progress(string phase, long done, long total, bool force)
        {
            lock (gate)
            {
                if (!force && clock.Elapsed - lastProgress < ProgressInterval)
                {
                    return;
                }
                lastProgress = clock.Elapsed;
                Send(new PlanSearchMessageJson("progress") { Progress = new SearchProgressJson(phase, done, total, fraction, Math.Round(clock.Elapsed.TotalSeconds, 3)) });
            }
        }

        var options = choices.Apply(new ScenarioSearchOptions
        {
            Started = total => Progress("bound", 0, total, force: true),
            Verified = (done, of) =>
            {
                lock (gate)
                {
                    fraction = of > 0 ? Math.Round(done / (double)of, 4) : 1;
                }
                Progress("verify", done, of, force: done == 0 || done == of);
            },
            Feasible = (c, cost) =>
            {
                lock (gate)
                {
                    if (cheapest is { } best && cost.PerMonth.Amount >= best)
                    {
                        return;
                    }
                    cheapest = cost.PerMonth.Amount;
                    Send(new PlanSearchMessageJson("found") { Found = SearchFoundJson.Of(c, cost, fraction) });
                }
            },
        });
        var search = limit.RunAsync("The optimisation", "Search fewer candidate models.", cancel =>
            OptimizeRun.Run(scenario, choices.Apply(new CandidateSettings()), PriceFiles.Embedded, catalog, model, today,
                top, options with { Cancel = cancel }).Report, aborted);
        _ = search.ContinueWith(_ => lines.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // A search that fails before its first line (a full server, too many candidates) answers as any endpoint does.
        await Task.WhenAny(lines.Reader.WaitToReadAsync(aborted).AsTask(), search).ConfigureAwait(false);
        if (search.IsFaulted && !lines.Reader.TryPeek(out _))
        {
            await search.ConfigureAwait(false);
        }

        http.Response.ContentType = ContentType;
        http.Response.Headers.CacheControl = "no-store";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await foreach (var line in lines.Reader.ReadAllAsync(aborted).ConfigureAwait(false))
        {
            await http.Response.WriteAsync(line + "\n", aborted).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
        }
        string last;
        try
        {
            var report = await search.ConfigureAwait(false);
            // The result in the request's language (findings and rejection reasons), as /api/plan/search answers it.
            var result = new JsonObject
            {
                ["schemaVersion"] = ReportDocument.CurrentSchemaVersion,
                ["kind"] = "result",
                ["result"] = JsonNode.Parse(WebLanguage.Json(report, language)),
            };
            last = result.ToJsonString(Line);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && ex is not OperationCanceledException)
        {
            last = JsonSerializer.Serialize(new PlanSearchMessageJson("error") { Error = ErrorOf(ex, language, log) }, Line);
        }
        await http.Response.WriteAsync(last + "\n", aborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }

    private static SearchErrorJson ErrorOf(Exception ex, Suanli.Text.Language language, ILogger log)
    {
        var details = ProblemMapper.Details(ex, language, log);
        return new SearchErrorJson(details.Status!.Value, details.Title ?? "", details.Detail ?? "", details.Extensions.TryGetValue("field", out var f) ? f?.ToString() : null);
    }

}

using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Runs;
using Suanli.StepTime;

namespace Suanli.Web.Http;

/// <summary>
/// Maps a command's GET (query) and POST (JSON body) endpoints: both parse the same input record, run the shared
/// report builder under the server's time limit, and render the report in the requested format.
/// </summary>
public static class ReportEndpoints
{
    /// <summary>Maps <c>GET path</c> and <c>POST path</c> for one report.</summary>
    /// <typeparam name="TInput">The input record (query parameters or JSON body).</typeparam>
    /// <typeparam name="TDocument">The JSON document the report carries: the 200 response's schema in OpenAPI.</typeparam>
    /// <param name="api">The /api group.</param>
    /// <param name="path">Route, e.g. <c>/perf</c>.</param>
    /// <param name="name">OpenAPI operation name; the POST gets a <c>Post</c> suffix.</param>
    /// <param name="tag">OpenAPI tag.</param>
    /// <param name="summary">What the endpoint answers.</param>
    /// <param name="operation">The work named in a time-limit message, e.g. "The comparison".</param>
    /// <param name="advice">What to ask for instead when the time limit is hit.</param>
    /// <param name="build">The shared report builder; the token is cancelled at the time limit.</param>
    public static void MapTimed<TInput, TDocument>(RouteGroupBuilder api, string path, string name, string tag, string summary, string operation, string advice,
        Func<TInput, SuanliCatalog, IStepTimeModel, TimeProvider, CancellationToken, Report> build)
        where TInput : class
        where TDocument : ReportDocument
    {
        async Task<IResult> Run(TInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, CancellationToken ct)
        {
            ReportResults.CheckFormat(format);
            var report = await limit.RunAsync(operation, advice, cancel => build(input, catalog, model, clock, cancel), ct);
            return ReportResults.Render(report, format);
        }

        api.MapGet(path, ([AsParameters] TInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, CancellationToken ct) =>
                Run(input, format, catalog, model, clock, limit, ct))
            .WithName(name).WithTags(tag).WithSummary(summary)
            .Produces<TDocument>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost(path, async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeProvider clock, TimeLimit limit, RequestBody body, CancellationToken ct) =>
                await Run(await body.ReadAsync<TInput>(http, ct), format, catalog, model, clock, limit, ct))
            .WithName(name + "Post").WithTags(tag).WithSummary(summary + " Inputs as a JSON body.")
            .Accepts<TInput>("application/json")
            .Produces<TDocument>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }
}

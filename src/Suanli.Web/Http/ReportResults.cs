using System.Diagnostics;
using Suanli.Runs;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>Renders a <see cref="Report"/> as the CLI's <c>--format json|markdown|csv</c> would print it.</summary>
public static class ReportResults
{
    /// <summary>The formats the API renders (the CLI's terminal table has no HTTP form).</summary>
    public static IReadOnlyList<string> Formats { get; } = ["json", "markdown", "csv"];

    /// <summary>
    /// The report in <paramref name="format"/> (default json): exactly the text of the CLI's output for the same
    /// inputs, with a matching content type; with <c>lang=zh</c> (or Accept-Language) the findings and the Markdown
    /// headings are in Chinese (<see cref="WebLanguage"/>).
    /// </summary>
    public static IResult Render(Report report, string? format) => (format?.Trim().ToLowerInvariant() ?? "json") switch
    {
        "" or "json" => new Localized(l => WebLanguage.Json(report, l), "application/json; charset=utf-8"),
        "markdown" or "md" => new Localized(l => WebLanguage.Markdown(report, l), "text/markdown; charset=utf-8"),
        "csv" => new Localized(l => ReportText.Csv(WebLanguage.Localized(report, l), l), "text/csv; charset=utf-8"),
        _ => throw UnknownFormat(format!, Formats),
    };

    /// <summary>A report rendered when the response is written, in the request's language.</summary>
    private sealed class Localized(Func<Suanli.Text.Language, string> render, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            Results.Text(render(WebLanguage.Of(httpContext)), contentType).ExecuteAsync(httpContext);
    }

    /// <summary>Checks <paramref name="format"/> before a long operation starts, so a typo costs nothing.</summary>
    public static void CheckFormat(string? format, params string[] extra)
    {
        var f = format?.Trim().ToLowerInvariant() ?? "json";
        if (f is not ("" or "json" or "markdown" or "md" or "csv") && !extra.Contains(f))
        {
            throw UnknownFormat(format!, [.. Formats, .. extra]);
        }
    }

    private static InputException UnknownFormat(string format, IReadOnlyList<string> known) =>
        Inputs.Error("format", Phrase.Of("input-one-of", "{field} must be one of {values}, got '{value}'.",
            ("field", Inputs.Field("format")), ("values", PhraseList.Words(known)), ("value", RequestBody.Clip(format))));

    /// <summary>Adds a Server-Timing header (milliseconds spent in the app) to API responses, for the load test and browser tools.</summary>
    public static async Task ServerTiming(HttpContext context, RequestDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = $"app;dur={ms.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}";
            return Task.CompletedTask;
        });
        await next(context);
    }
}

using Microsoft.Extensions.Primitives;
using Suanli.Runs;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// The language of a response (docs/web.md, "Languages"): the <c>lang</c> query parameter (<c>en</c> or <c>zh</c>),
/// else the first supported language of the Accept-Language header, else English. Findings, input errors and the
/// Markdown report's headings are rendered in it; numbers, ids and JSON field names stay as they are.
/// </summary>
public static class WebLanguage
{
    /// <summary>The query parameter every endpoint accepts.</summary>
    public const string Parameter = "lang";

    /// <summary>The language the request asks for.</summary>
    /// <exception cref="InputException">When <c>lang</c> is neither <c>en</c> nor <c>zh</c>.</exception>
    public static Language Of(HttpContext context)
    {
        if (context.Request.Query.TryGetValue(Parameter, out var asked) && !StringValues.IsNullOrEmpty(asked))
        {
            return Languages.Find(asked.ToString())
                ?? throw new InputException(Parameter, Phrase.Of("lang-unknown", "lang must be en or zh, got '{value}'.", ("value", RequestBody.Clip(asked.ToString()))));
        }
        return Accepted(context.Request.Headers.AcceptLanguage.ToString()) ?? Languages.English;
    }

    /// <summary>Like <see cref="Of"/>, but English when <c>lang</c> is not valid (for error responses, which must not fail themselves).</summary>
    public static Language OrEnglish(HttpContext context)
    {
        try
        {
            return Of(context);
        }
        catch (InputException)
        {
            return Languages.English;
        }
    }

    /// <summary>The first supported language of an Accept-Language header, by quality; null when none is.</summary>
    public static Language? Accepted(string header)
    {
        var best = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select((part, i) =>
            {
                var pieces = part.Split(';', StringSplitOptions.TrimEntries);
                var q = pieces.Skip(1).Where(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
                    .Select(p => double.TryParse(p[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0)
                    .DefaultIfEmpty(1).First();
                return (Language: Languages.Find(pieces[0]), Q: q, Order: i);
            })
            .Where(x => x.Language is not null && x.Q > 0)
            .OrderByDescending(x => x.Q).ThenBy(x => x.Order)
            .FirstOrDefault();
        return best.Language;
    }

    // English too: the phrases' English is the CLI's (its options, its commands); the page's names its own.
    /// <summary>
    /// The report's JSON document with each finding's <c>message</c>, each rejection's <c>reason</c> and each of the
    /// scenario's <c>assumptions</c> in <paramref name="language"/> (other fields unchanged).
    /// </summary>
    public static string Json(Report report, Language language) => ReportLanguage.Json(report, language, FieldNames.Web, CommandRefs.Web);

    /// <summary>
    /// The report with its findings in <paramref name="language"/>, for Markdown, CSV and XLSX; titles, headers and
    /// worded cells (the scenario's assumptions among them) are phrases the renderers write in the language.
    /// </summary>
    public static Report Localized(Report report, Language language) =>
        ReportLanguage.Localized(report, language, FieldNames.Web, CommandRefs.Web) with
        {
            Tables = [.. report.Tables.Select(t => t with { Rows = [.. t.Rows.Select(row => (IReadOnlyList<ReportCell>)[.. row.Select(c => WebCell(c, language))])] })],
        };

    // A worded cell that names an input field ("given with {field}") or points to a command, spelled as the API names
    // them (the renderers spell cells as the CLI does); other cells stay as they are, translated by the renderer.
    private static ReportCell WebCell(ReportCell cell, Language language) =>
        cell.Kind == CellKind.Text && cell.Phrase is { } p && NamesFrontEnd(p) ? ReportCell.Text(p.Render(language, FieldNames.Web, CommandRefs.Web)) : cell;

    private static bool NamesFrontEnd(Phrase phrase) =>
        phrase.Args.Any(a => a.Field is not null || a.Command is not null || (a.Phrase is { } inner && NamesFrontEnd(inner)) || (a.List?.Items.Any(NamesFrontEnd) ?? false));

    /// <summary>The report as Markdown in <paramref name="language"/>: findings, headings, headers and worded cells translated.</summary>
    public static string Markdown(Report report, Language language) => ReportText.Markdown(Localized(report, language), language);

    /// <summary>
    /// An input error's sentence in <paramref name="language"/>, fields spelled as the API names them, or as the
    /// scenario file does when the error came from one (<see cref="InputException.Spelling"/>).
    /// </summary>
    public static string Detail(InputException e, Language language)
    {
        // A phrase whose fields the core spelled as strings (a CLI option's name among them) gets the API's names, as a bare message does.
        var detail = e.Text is { } text
            ? e.FieldId is null && e.Spelling is null ? ProblemMapper.ApiFields(text.Render(language, FieldNames.Web, CommandRefs.Web)) : text.Render(language, e.Spelling ?? FieldNames.Web, CommandRefs.Web)
            : ProblemMapper.ApiFields(e.Detail);
        return e.Location is { } at ? $"{at}: {detail}" : detail;
    }
}

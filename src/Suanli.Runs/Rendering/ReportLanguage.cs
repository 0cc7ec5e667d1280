using System.Text.Json.Nodes;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// A report's sentences in the reader's language for either front end (docs/web.md, "Languages"): the findings, the
/// JSON document's messages, rejection reasons, option labels, scenario assumptions and sensitivity lines; fields and commands spelled as the front end
/// names them. Numbers, ids, codes and JSON field names stay as they are.
/// </summary>
public static class ReportLanguage
{
    /// <summary>
    /// The report with each finding's message rendered in <paramref name="language"/>, fields spelled by
    /// <paramref name="fields"/> and commands by <paramref name="commands"/>, for Markdown, CSV, XLSX and the terminal
    /// (their titles, headers and worded cells are phrases the renderers write in the language themselves).
    /// </summary>
    public static Report Localized(Report report, Language language, Func<FieldName, string> fields, Func<CommandRef, Language, string> commands) =>
        report with { Findings = [.. report.Findings.Select(f => f with { Message = f.Render(language, fields, commands) })] };

    /// <summary>
    /// The report's JSON document with each finding's <c>message</c>, each rejection's <c>reason</c>, each of the
    /// scenario's <c>assumptions</c> and each sensitivity line's <c>assumption</c> and <c>move</c> in <paramref name="language"/>, fields spelled by <paramref name="fields"/> and
    /// commands by <paramref name="commands"/> (other fields unchanged).
    /// </summary>
    public static string Json(Report report, Language language, Func<FieldName, string> fields, Func<CommandRef, Language, string> commands)
    {
        var root = JsonNode.Parse(ReportText.Json(report));
        Walk(root, Phrases(report), language, fields, commands);
        return root!.ToJsonString(ReportText.JsonOptions);
    }

    private static Dictionary<string, Phrase> Phrases(Report report)
    {
        var map = new Dictionary<string, Phrase>(StringComparer.Ordinal);
        foreach (var f in report.Findings)
        {
            if (f.Text is { } t)
            {
                map.TryAdd(f.Message, t);
            }
        }
        foreach (var p in report.Phrases)
        {
            map.TryAdd(p.English, p);
        }
        return map;
    }

    private static void Walk(JsonNode? node, Dictionary<string, Phrase> byMessage, Language language, Func<FieldName, string> fields, Func<CommandRef, Language, string> commands)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["code"] is JsonValue && o["severity"] is JsonValue && o["message"] is JsonValue m
                    && m.TryGetValue<string>(out var message) && byMessage.TryGetValue(message, out var phrase))
                {
                    o["message"] = phrase.Render(language, fields, commands);
                }
                // A rejected family's reason (optimize), when the report carries it as a phrase.
                if (o["reason"] is JsonValue r && r.TryGetValue<string>(out var reason) && byMessage.TryGetValue(reason, out var why))
                {
                    o["reason"] = why.Render(language, fields, commands);
                }
                // A row that could not be read (validate's problems): where it is stays, what is wrong follows the language.
                if (o["severity"] is not JsonValue && o["file"] is JsonValue && o["line"] is JsonValue && o["column"] is JsonValue && o["message"] is JsonValue pm
                    && pm.TryGetValue<string>(out var problem) && byMessage.TryGetValue(problem, out var said))
                {
                    o["message"] = said.Render(language, fields, commands);
                }
                // An option's name (compare): the id stays in "option", the words follow the language in "label".
                if (o["label"] is JsonValue lv && lv.TryGetValue<string>(out var label) && byMessage.TryGetValue(label, out var labelled))
                {
                    o["label"] = labelled.Render(language, fields, commands);
                }
                // The scenario's assumptions: "key = value (why)" phrases, the key and ids as written, spelled as the
                // reports' assumption tables spell them (the scenario file's keys), so English stays the CLI's.
                if (o["assumptions"] is JsonArray assumptions && language != Languages.English)
                {
                    for (var i = 0; i < assumptions.Count; i++)
                    {
                        if (assumptions[i] is JsonValue v && v.TryGetValue<string>(out var text) && byMessage.TryGetValue(text, out var assumption))
                        {
                            assumptions[i] = assumption.Render(language, FieldNames.Core);
                        }
                    }
                }
                // A sensitivity line's assumption and the amounts it was moved by (plan --sensitivity), for the page's tornado chart.
                if (language != Languages.English && o["assumption"] is JsonValue an && o["move"] is JsonValue mv
                    && an.TryGetValue<string>(out var name) && byMessage.TryGetValue(name, out var named)
                    && mv.TryGetValue<string>(out var move) && byMessage.TryGetValue(move, out var moved))
                {
                    o["assumption"] = named.Render(language, fields, commands);
                    o["move"] = moved.Render(language, fields, commands);
                }
                foreach (var (_, child) in o.ToList())
                {
                    Walk(child, byMessage, language, fields, commands);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Walk(child, byMessage, language, fields, commands);
                }
                break;
        }
    }
}

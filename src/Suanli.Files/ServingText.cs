using System.Globalization;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.Text;

namespace Suanli.Files;

/// <summary>
/// Text forms of serving inputs: length distributions (<c>512</c>, <c>uniform:256:1024</c>, <c>normal:512:128</c>,
/// <c>lognormal:mean=800,sd=400</c>, <c>empirical:100,200,4000</c>, <c>dataset:mlperf-llama2-70b-99</c>) and trace CSV files
/// (arrival seconds, input tokens, output tokens; docs/methodology-serving.md, "Workload").
/// </summary>
public static class ServingText
{
    // The accepted forms, in the reader's language (the forms themselves are written as typed).
    private static Phrase Syntax => Phrase.Of("length-syntax", "512, uniform:256:1024, normal:512:128, lognormal:mean=800,sd=400, empirical:100,200,4000 or dataset:NAME (a benchmark dataset's per-request lengths, e.g. dataset:mlperf-llama2-70b-99)");

    /// <summary>
    /// Parses a length distribution; errors name <paramref name="field"/> (a logical field each front end spells its own
    /// way, or a file's key) and show the accepted forms. <c>dataset:NAME</c> takes the output column when the field is
    /// the output length, else the prompt column.
    /// </summary>
    public static LengthDistribution ParseLength(string text, FieldRef field)
    {
        field = field.Or(FieldNames.Input);
        var t = text.Trim();
        var colon = t.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return LengthDistribution.Fixed(Whole(t, field, "length"), field);
        }
        var kind = t[..colon].Trim().ToLowerInvariant();
        var rest = t[(colon + 1)..];
        switch (kind)
        {
            case "fixed":
                return LengthDistribution.Fixed(Whole(rest, field, "length"), field);
            case "uniform":
                var u = Parts(rest, ':', 2, field, "uniform:MIN:MAX");
                return LengthDistribution.Uniform(Whole(u[0], field, "minimum"), Whole(u[1], field, "maximum"), field);
            case "normal":
            case "lognormal":
                var (mean, sd) = MeanSd(rest, field, kind);
                return kind == "normal" ? LengthDistribution.Normal(mean, sd, field) : LengthDistribution.LogNormal(mean, sd, field);
            case "empirical":
                var values = ListText.Split(rest, field);
                return LengthDistribution.Empirical([.. values.Select(v => Whole(v, field, "value"))], field);
            case "dataset":
                // dataset:NAME takes the column the field asks for; dataset:NAME:input or :output picks one explicitly.
                var d = rest.Split(':', StringSplitOptions.TrimEntries);
                var column = d.Length > 1 ? d[1].ToLowerInvariant() : IsOutput(field) ? "output" : "input";
                return column switch
                {
                    "input" => LengthDatasets.Input(d[0], field).Labelled(t),
                    "output" => LengthDatasets.Output(d[0], field).Labelled(t),
                    _ => throw field.Error(Phrase.Of("length-dataset-column", "{field}: '{text}' names column '{column}'; use dataset:NAME, dataset:NAME:input or dataset:NAME:output.",
                        ("field", field.Arg), ("text", text), ("column", d[1]))),
                };
            default:
                throw field.Error(Phrase.Of("length-unknown-shape", "{field}: unknown distribution '{kind}' in '{text}'. Use {syntax}.",
                    ("field", field.Arg), ("kind", kind), ("text", text), ("syntax", Syntax)));
        }
    }

    // The output length, named logically or by a file key such as applications[0].output_tokens.
    private static bool IsOutput(FieldRef field) =>
        field.Name == FieldNames.Output || (field.Spelled?.Contains("output", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Reads a trace CSV: a header row is optional; columns arrival seconds, input tokens, output tokens.</summary>
    public static IReadOnlyList<TraceRequest> ReadTrace(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InputException(FieldNames.Trace, Phrase.Of("trace-file-missing", "{trace}: no file at '{path}'.", ("trace", FieldNames.Trace), ("path", path)));
        }
        return ParseTrace(InputFiles.ReadText(path, FieldNames.Trace).Split('\n'), path);
    }

    /// <summary>Parses trace CSV lines; errors carry file:line.</summary>
    public static IReadOnlyList<TraceRequest> ParseTrace(IEnumerable<string> lines, string source)
    {
        var list = new List<TraceRequest>();
        var number = 0;
        var previous = 0.0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            var at = new SourceLocation(source, number);
            // A spreadsheet saved with ';' or tabs gives one cell per row, which read as header rows and left "no requests".
            if (cells.Length < 3 && line.IndexOfAny([';', '\t']) is var other and >= 0)
            {
                throw new InputException(FieldNames.Trace, Phrase.Of("trace-separator", "columns are separated by {separator}; a trace is comma-separated (arrival seconds, input tokens, output tokens), e.g. 0.5,512,128. Save it as CSV with commas.",
                    ("separator", line[other] == '\t' ? Phrase.Of("trace-separator#tab", "tabs") : Phrase.Of("trace-separator#semicolon", "';'"))), at);
            }
            if (list.Count == 0 && !double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                continue; // header
            }
            // A fourth column (a request id, a tenant) was dropped without a word; a column out of place is as likely.
            if (cells.Length != 3)
            {
                throw new InputException(FieldNames.Trace, Phrase.Of("trace-row-columns", "expected 3 columns (arrival seconds, input tokens, output tokens), found {count}.",
                    ("count", cells.Length.ToString(CultureInfo.InvariantCulture))), at);
            }
            if (!double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var time) || !double.IsFinite(time) || time < 0)
            {
                throw new InputException(FieldNames.Trace, Phrase.Of("trace-row-arrival", "arrival seconds '{value}' must be a finite number of seconds, 0 or more.", ("value", cells[0])), at);
            }
            if (time < previous)
            {
                throw new InputException(FieldNames.Trace, Phrase.Of("trace-row-order", "arrival {value} s is before the previous row's {previous} s; sort the trace by arrival time.",
                    ("value", cells[0]), ("previous", Fmt.Number(previous))), at);
            }
            previous = time;
            list.Add(new TraceRequest(time, TraceCount(cells[1], Phrase.Of("trace-column#input", "input tokens"), at), TraceCount(cells[2], Phrase.Of("trace-column#output", "output tokens"), at)));
        }
        return list;
    }

    private static int TraceCount(string cell, Phrase what, SourceLocation at) =>
        int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= LengthDistribution.MaxTokens
            ? n
            : throw new InputException(FieldNames.Trace, Phrase.Of("trace-row-count", "{what} '{value}' must be a whole number from 1 to {max}.",
                ("what", what), ("value", cell), ("max", LengthDistribution.MaxTokens.ToString("N0", CultureInfo.InvariantCulture))), at);

    private static (double Mean, double Sd) MeanSd(string rest, FieldRef field, string kind)
    {
        var example = kind == "normal" ? "normal:512:128 or normal:mean=512,sd=128" : "lognormal:mean=800,sd=400";
        string[] parts = rest.Contains('=', StringComparison.Ordinal)
            ? rest.Split(',', StringSplitOptions.TrimEntries)
            : Parts(rest, ':', 2, field, example);
        double? mean = null, sd = null;
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? (i == 0 ? "mean" : "sd") : p[..eq].Trim().ToLowerInvariant();
            var value = Number(eq < 0 ? p : p[(eq + 1)..], field, key);
            if ((key == "mean" && mean is not null) || (key == "sd" && sd is not null))
            {
                // The second value used to replace the first unseen.
                throw field.Error(Phrase.Of("length-parameter-twice", "{field}: '{key}' is given twice in {kind}; give it once, e.g. {example}.",
                    ("field", field.Arg), ("key", key), ("kind", kind), ("example", example)));
            }
            switch (key)
            {
                case "mean": mean = value; break;
                case "sd": sd = value; break;
                default:
                    throw field.Error(Phrase.Of("length-unknown-parameter", "{field}: unknown parameter '{key}' in {kind}; write {example}.",
                        ("field", field.Arg), ("key", key), ("kind", kind), ("example", example)));
            }
        }
        return mean is { } m && sd is { } s ? (m, s)
            : throw field.Error(Phrase.Of("length-mean-sd", "{field}: {kind} needs a mean and a standard deviation, e.g. {example}.", ("field", field.Arg), ("kind", kind), ("example", example)));
    }

    private static string[] Parts(string rest, char separator, int count, FieldRef field, string example)
    {
        var parts = rest.Split(separator, StringSplitOptions.TrimEntries);
        return parts.Length == count ? parts
            : throw field.Error(Phrase.Of("length-form", "{field}: '{text}' does not match {example}.", ("field", field.Arg), ("text", InputQuote.Clip(rest)), ("example", example)));
    }

    // Token counts take the one suffix rule of the command line and the web API (32k = 32,768; CountSuffix), in every
    // form: --input 32k, input_tokens: 32k, uniform:16k:32k.
    private static double Number(string text, FieldRef field, string what) =>
        CountSuffix.TryParse(text, CountUnit.Tokens, out var v)
            ? v
            : throw field.Error(Phrase.Of("length-not-number", "{field}: {what} '{text}' is not a finite number. Use {syntax}.",
                ("field", field.Arg), ("what", What(what)), ("text", InputQuote.Clip(text.Trim())), ("syntax", Syntax)));

    private static int Whole(string text, FieldRef field, string what)
    {
        var v = Number(text, field, what);
        if (v != Math.Floor(v) || v < 1 || v > LengthDistribution.MaxTokens)
        {
            throw field.Error(Phrase.Of("length-not-whole", "{field}: {what} must be a whole number of tokens from 1 to {max}, got '{text}'.",
                ("field", field.Arg), ("what", What(what)), ("max", LengthDistribution.MaxTokens.ToString("N0", CultureInfo.InvariantCulture)), ("text", InputQuote.Clip(text.Trim()))));
        }
        return (int)v;
    }

    // The part of a distribution a number stands for, in the reader's language; a parameter the user typed stays as typed.
    private static Phrase What(string what) => what switch
    {
        "length" => Phrase.Of("length-what#length", "length"),
        "minimum" => Phrase.Of("length-what#minimum", "minimum"),
        "maximum" => Phrase.Of("length-what#maximum", "maximum"),
        "mean" => Phrase.Of("length-what#mean", "mean"),
        "sd" => Phrase.Of("length-what#sd", "sd"),
        "value" => Phrase.Of("length-what#value", "value"),
        _ => Phrase.Of("length-what", "{what}", ("what", what)),
    };
}

using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using Suanli.Runs;
using Suanli.Text;

namespace Suanli.Cli;

/// <summary>
/// The language the CLI speaks (docs/cli.md, "Language"): <c>--lang en|zh</c>, else the environment variable
/// <see cref="EnvironmentVariable"/>, else English; never a guess from the system's locale. Every sentence that is a
/// phrase (errors, findings, notes, assumptions, report titles, headers and worded cells) is rendered in it, as the
/// web renders its <c>lang</c> parameter; numbers, ids, codes, option names and JSON field names stay as they are.
/// The help (<c>--help</c>) follows it too, from <see cref="HelpTexts"/>.
/// </summary>
public static class CliLanguage
{
    /// <summary>The environment variable that gives the language when <c>--lang</c> is absent.</summary>
    public const string EnvironmentVariable = "SUANLI_LANG";

    /// <summary>The language codes the CLI accepts.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["en", "zh"];

    // The phrase behind each refusal of a value parser, so the error renders in the language; weak, so a parse's
    // results are not kept alive by it.
    private static readonly ConditionalWeakTable<SymbolResult, Phrase> Refusals = [];

    /// <summary>The language of <paramref name="code"/> (<c>en</c> or <c>zh</c>, any case); null for anything else.</summary>
    public static Language? Find(string? code) => code?.Trim().ToLowerInvariant() switch
    {
        "en" => Languages.English,
        "zh" => Languages.Chinese,
        _ => null,
    };

    /// <summary>
    /// The language of a run: <paramref name="given"/> (the <c>--lang</c> value) when valid, else the
    /// <paramref name="environment"/> value of <see cref="EnvironmentVariable"/> when set, else English; with the
    /// problem when the environment's value is neither <c>en</c> nor <c>zh</c> and <c>--lang</c> did not override it
    /// (a bad <c>--lang</c> is a parse error of its own).
    /// </summary>
    public static (Language Language, Phrase? Problem) Resolve(string? given, string? environment)
    {
        var fromEnvironment = string.IsNullOrWhiteSpace(environment) ? Languages.English : Find(environment);
        if (given is not null)
        {
            return (Find(given) ?? fromEnvironment ?? Languages.English, null);
        }
        return fromEnvironment is null ? (Languages.English, NotOneOf(EnvironmentVariable, environment!, Codes)) : (fromEnvironment, null);
    }

    /// <summary>"NAME: 'VALUE' is not one of A, B." for an option or variable that takes one of a few words.</summary>
    public static Phrase NotOneOf(string name, string value, IEnumerable<string> values) =>
        Phrase.Of("cli.not-one-of", "{option}: '{value}' is not one of {values}.", ("option", name), ("value", SuanliCli.Clip(value)), ("values", PhraseList.Words(values)));

    /// <summary>Refuses a value in a parser with a phrase, so the parse error reads in the language of the run.</summary>
    public static void Refuse(ArgumentResult result, Phrase why)
    {
        result.AddError(why.English);
        // The error may be filed under the argument or under the option that holds it.
        Refusals.AddOrUpdate(result, why);
        if (result.Parent is { } parent)
        {
            Refusals.AddOrUpdate(parent, why);
        }
    }

    /// <summary>The phrase a parser refused a value with (<see cref="Refuse"/>), when this error is one.</summary>
    public static Phrase? Refusal(ParseError error) =>
        error.SymbolResult is { } at && Refusals.TryGetValue(at, out var why) && why.English == error.Message ? why : null;

    /// <summary>
    /// An input error's sentence in <paramref name="language"/>, fields spelled as the command line or the scenario file
    /// names them, after its file position; a refusal of an option's value that does not name the option itself
    /// ("Unknown model 'x'") is said after the option (<c>--model: Unknown model 'x'</c>), so every refusal of an option
    /// names it, as a file's refusals name their position.
    /// </summary>
    public static string Detail(InputException error, Language language)
    {
        var detail = error.Text is { } text ? text.Render(language, error.Spelling ?? FieldNames.Core) : error.Detail;
        if (error.Location is { } at)
        {
            return $"{at}: {detail}";
        }
        return IsOption(error.Field) && !detail.Contains(error.Field, StringComparison.Ordinal)
            ? Phrase.Of("cli.option-refused", "{option}: {message}", ("option", error.Field), ("message", detail)).Render(language, FieldNames.Core)
            : detail;
    }

    // An option as the command line spells it (--model), not a scenario key, an argument or an environment variable.
    private static bool IsOption(string field) => field.Length > 2 && field.StartsWith("--", StringComparison.Ordinal) && field[2] != '-';

    /// <summary>The report with its findings in <paramref name="language"/>, fields and commands spelled as the command line names them.</summary>
    public static Report Localized(Report report, Language language) =>
        language == Languages.English ? report : ReportLanguage.Localized(report, language, FieldNames.Core, CommandRefs.Cli);

    /// <summary>The report's JSON document, its messages in <paramref name="language"/> (English: the document as it is).</summary>
    public static string Json(Report report, Language language) =>
        language == Languages.English ? ReportText.Json(report) : ReportLanguage.Json(report, language, FieldNames.Core, CommandRefs.Cli);

    /// <summary>The line an error is printed as on the error stream, by its kind (<c>input</c>, <c>interrupted</c>, <c>internal</c>).</summary>
    public static Phrase ErrorLine(string kind, string message) => kind switch
    {
        "input" => Phrase.Of("cli.fail#input", "error: {message}", ("message", message)),
        "interrupted" => Phrase.Of("cli.fail#interrupted", "interrupted: {message}", ("message", message)),
        _ => Phrase.Of("cli.fail#internal", "internal error: {message}", ("message", message)),
    };

    /// <summary>The label before a finding in the terminal.</summary>
    public static Phrase FindingLabel(Severity severity) => severity switch
    {
        Severity.Error => Phrase.Of("cli.finding#error", "error:"),
        Severity.Warning => Phrase.Of("cli.finding#warning", "warning:"),
        _ => Phrase.Of("cli.finding#note", "note:"),
    };
}

using System.CommandLine;
using Suanli.Text;

namespace Suanli.Cli;

/// <summary>
/// The help texts (<c>--help</c>) of every command, argument and option in English and Chinese: one embedded table,
/// <c>help.yaml</c>, keyed by the symbol's place in the command tree (<see cref="Symbols"/>). The English of each entry
/// is the description the code gives the symbol, kept beside its translation as a message catalogue keeps its source,
/// so a test fails when a description changes and its Chinese does not (or a new option comes without one). Help
/// follows the language of the run (docs/cli.md, "Language"): the Chinese replaces each description through
/// System.CommandLine's own <see cref="Symbol.Description"/> before its help is written; option names, value names
/// and the section words System.CommandLine prints itself stay as they are.
/// </summary>
public static class HelpTexts
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Table = new(Load);

    /// <summary>Every command, argument and option of <paramref name="root"/> once, with its key in the table: the command path without <c>suanli</c> (<c>suanli</c> for the root), then <c>--option</c> or <c>&lt;argument&gt;</c>.</summary>
    public static IEnumerable<(string Key, Symbol Symbol)> Symbols(Command root) => Walk(root, "suanli");

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>; null when the table has none.</summary>
    public static string? Text(string key, Language language) =>
        Table.Value.TryGetValue(Entry(key, language), out var text) ? text : null;

    /// <summary>The keys the table holds, in either language.</summary>
    public static IReadOnlyCollection<string> Keys => [.. Table.Value.Keys.Select(k => k[(k.IndexOf(' ', StringComparison.Ordinal) + 1)..]).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Gives every symbol of <paramref name="root"/> its description in <paramref name="language"/>; English leaves
    /// the code's own. Call it on a tree built for one run only: the symbols are changed in place.
    /// </summary>
    public static void Apply(Command root, Language language)
    {
        if (language == Languages.English)
        {
            return;
        }
        foreach (var (key, symbol) in Symbols(root))
        {
            if (Text(key, language) is { } text)
            {
                symbol.Description = text;
            }
        }
    }

    private static string Entry(string key, Language language) => $"{language.Code} {key}";

    private static IEnumerable<(string Key, Symbol Symbol)> Walk(Command command, string path)
    {
        yield return (path, command);
        foreach (var argument in command.Arguments)
        {
            yield return ($"{path} <{argument.Name}>", argument);
        }
        foreach (var option in command.Options)
        {
            yield return ($"{path} {option.Name}", option);
        }
        foreach (var sub in command.Subcommands)
        {
            foreach (var inner in Walk(sub, path == "suanli" ? sub.Name : $"{path} {sub.Name}"))
            {
                yield return inner;
            }
        }
    }

    private static IReadOnlyDictionary<string, string> Load()
    {
        var assembly = typeof(HelpTexts).Assembly;
        using var stream = assembly.GetManifestResourceStream("Suanli.Cli.help.yaml")!;
        using var reader = new StreamReader(stream);
        return Languages.Parse(reader.ReadToEnd());
    }
}

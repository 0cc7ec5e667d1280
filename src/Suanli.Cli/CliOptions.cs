using Suanli.Quantities;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Suanli.Text;

namespace Suanli.Cli;

/// <summary>Options shared by several commands, with parsers that name the option and its range on bad input.</summary>
public static class CliOptions
{
    /// <summary>
    /// Extra catalog files or folders (devices, servers, models) added to the embedded catalog; a new option for each
    /// command tree, so a tree whose help is put into Chinese (<see cref="HelpTexts.Apply"/>) changes no other run's.
    /// </summary>
    public static Option<string[]> Catalog() => new("--catalog")
    {
        Description = "Extra catalog YAML file or folder (devices:, servers:, models: entries) added to the embedded catalog.",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>
    /// <c>--lang en|zh</c>: the language of every sentence the CLI prints (<see cref="CliLanguage"/>); without it
    /// <see cref="CliLanguage.EnvironmentVariable"/>, else English. A new option for each command tree, as <see cref="Catalog"/>.
    /// </summary>
    public static Option<string?> Lang() => new("--lang")
    {
        Description = $"Language of errors, findings, notes and reports: en or zh (default: the {CliLanguage.EnvironmentVariable} environment variable, else en; the system locale is not read). Numbers, ids, codes and JSON field names stay as they are.",
        Recursive = true,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (CliLanguage.Find(text) is null)
            {
                CliLanguage.Refuse(r, CliLanguage.NotOneOf("--lang", text, CliLanguage.Codes));
            }
            return text;
        },
    };

    /// <summary>
    /// <c>--force</c>: replace output files that already exist. Without it an existing output file is refused (exit 2)
    /// and nothing is written; either way a command's files are written as one set (<see cref="Files.OutputFiles"/>).
    /// </summary>
    public static Option<bool> Force() => new("--force")
    {
        Description = "Replace output files that already exist (without it an existing file is refused and nothing is written).",
    };

    /// <summary>The output format option.</summary>
    public static Option<OutputFormat> Format() => Choice(new Option<OutputFormat>("--format", "-f")
    {
        Description = "Output format: table, json, markdown or csv.",
        DefaultValueFactory = _ => OutputFormat.Table,
    });

    /// <summary>
    /// Gives an enum option a parser that takes only a value's name (any case). System.CommandLine's default goes
    /// through <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/>, which also takes numbers and comma-joined
    /// names: <c>--method -1</c> trained with a method named "-1", <c>--format 2</c> printed Markdown and
    /// <c>--method full,lora</c> was LoRA.
    /// </summary>
    public static Option<T> Choice<T>(Option<T> option)
        where T : struct, Enum
    {
        var name = option.Name;
        option.CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            var match = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return Enum.Parse<T>(match);
            }
            CliLanguage.Refuse(r, CliLanguage.NotOneOf(name, text, Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal)));
            return default;
        };
        return option;
    }

    /// <summary>A length in tokens such as 4096, 32k or 128K (k = 1,024: <see cref="CountUnit.Tokens"/>), within [min, max].</summary>
    public static Option<int> TokenCount(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description + $" Accepts {CountSuffix.Rule(CountUnit.Tokens)}. Range {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseCount(r, name, min, max, CountUnit.Tokens),
    };

    /// <summary>A whole count within [min, max]; large ones accept k = 1,000 and M = 1,000,000 (<see cref="CountUnit.Items"/>).</summary>
    public static Option<int> Count(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description + (max >= 10_000 ? $" Accepts {CountSuffix.Rule(CountUnit.Items)}." : "") + $" Range {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseCount(r, name, min, max, CountUnit.Items),
    };

    /// <summary>
    /// An optional whole count within [min, max] with k = 1,000 and M = 1,000,000 (<see cref="CountUnit.Items"/>), so
    /// "1e8" or "100M" requests are refused for their size, not as "not a whole number".
    /// </summary>
    public static Option<int?> OptionalCount(string name, string alias, string description, int min, int max) => new(name, alias)
    {
        Description = description + $" Accepts {CountSuffix.Rule(CountUnit.Items)}. Range {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}.",
        CustomParser = r => ParseCount(r, name, min, max, CountUnit.Items),
    };

    /// <summary>
    /// The values of a list option given comma-separated, repeated or both, each trimmed; an empty one is an error
    /// naming the option and its position (<see cref="ListText"/>), never dropped.
    /// </summary>
    public static IReadOnlyList<string> Split(ParseResult parse, Option<string[]> option) =>
        [.. (parse.GetValue(option) ?? []).SelectMany(v => ListText.Split(v, option.Name))];

    /// <summary>Options an empty value is refused for: the paths commands write or read, and the speculation.</summary>
    public static IReadOnlySet<string> NotBlank { get; } = new HashSet<string>(["--out", "--report", "--plot", "--fit", "--fit-intervals", "--calibration", "--speculate"], StringComparer.Ordinal);

    /// <summary>
    /// Gives every number option of <paramref name="command"/> and its subcommands that has no parser of its own the
    /// invariant, finite reading the API uses. System.CommandLine's default reads the machine's culture and takes
    /// thousands separators, so <c>--rate 1,5</c> was silently 15 requests/s here (1.5 under a German locale) and
    /// <c>--rate 1e400</c> became infinity.
    /// </summary>
    /// <remarks>
    /// It also refuses an empty value for the options in <see cref="NotBlank"/>, which took it silently: <c>--out ""</c>
    /// wrote the report files into the working folder, <c>--speculate ""</c> ran without speculation.
    /// </remarks>
    public static void StrictNumbers(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<double> number when number.CustomParser is null:
                    number.CustomParser = r => ParseNumber(r, number.Name) ?? 0;
                    break;
                case Option<double?> optional when optional.CustomParser is null:
                    optional.CustomParser = r => ParseNumber(r, optional.Name);
                    break;
                case Option<string?> text when text.CustomParser is null && NotBlank.Contains(text.Name):
                    text.CustomParser = r =>
                    {
                        var value = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                        if (string.IsNullOrWhiteSpace(value))
                        {
                            var what = text.Name == "--speculate" ? Phrase.Of("cli.blank-value#speculation", "mtp, eagle or draft:MODEL")
                                : Phrase.Of("cli.blank-value#path", "a file or folder name");
                            CliLanguage.Refuse(r, Phrase.Of("cli.blank-value", "{option} is given an empty value; give {what}, or leave {option} out.",
                                ("option", text.Name), ("what", what)));
                        }
                        return value;
                    };
                    break;
            }
        }
        foreach (var sub in command.Subcommands)
        {
            StrictNumbers(sub);
        }
    }

    /// <summary>A finite number in invariant notation (2.5, 1e6), or an error naming the option; null after an error.</summary>
    public static double? ParseNumber(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        CliLanguage.Refuse(result, Phrase.Of("option-not-a-number", "{option}: '{value}' is not a finite number. Use digits with a point, e.g. 0.5, 2.5 or 1e6, without thousands separators or units.",
            ("option", name), ("value", SuanliCli.Clip(text))));
        return null;
    }

    /// <summary>Parses "4096", "32k" or "1M" (suffixes per <paramref name="unit"/>: <see cref="CountSuffix"/>) and checks the range, reporting errors against the option.</summary>
    public static int ParseCount(ArgumentResult result, string name, int min, int max, CountUnit unit = CountUnit.Tokens)
    {
        if (result.Tokens.Count == 0)
        {
            CliLanguage.Refuse(result, Phrase.Of("cli.needs-value", "{option} needs a value.", ("option", name)));
            return 0;
        }
        if (!CountSuffix.TryParse(result.Tokens[0].Value, unit, out var value))
        {
            CliLanguage.Refuse(result, Phrase.Of("cli.not-a-count", "{option}: '{value}' is not a number.", ("option", name), ("value", result.Tokens[0].Value)));
            return 0;
        }
        if (value != Math.Floor(value) || value < min || value > max)
        {
            CliLanguage.Refuse(result, Phrase.Of("input-count-range", "{field} must be a whole number from {min} to {max}, got {value}.",
                ("field", name), ("min", min.ToString("N0", CultureInfo.InvariantCulture)), ("max", max.ToString("N0", CultureInfo.InvariantCulture)), ("value", result.Tokens[0].Value)));
            return 0;
        }
        return (int)value;
    }
}

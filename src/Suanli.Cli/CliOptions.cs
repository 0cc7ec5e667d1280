using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Suanli.Cli;

/// <summary>Options shared by several commands, with parsers that name the option and its range on bad input.</summary>
public static class CliOptions
{
    /// <summary>Extra catalog files or folders (devices, servers, models) added to the embedded catalog.</summary>
    public static Option<string[]> Catalog { get; } = new("--catalog")
    {
        Description = "Extra catalog YAML file or folder (devices:, servers:, models: entries) added to the embedded catalog.",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
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
    public static Option<OutputFormat> Format() => new("--format", "-f")
    {
        Description = "Output format: table, json, markdown or csv.",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    /// <summary>A token count such as 4096, 32k or 128K (k = 1,024), within [min, max].</summary>
    public static Option<int> TokenCount(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description + $" Accepts 32k = 32,768. Range {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseCount(r, name, min, max),
    };

    /// <summary>A whole count within [min, max].</summary>
    public static Option<int> Count(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description + $" Range {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseCount(r, name, min, max),
    };

    /// <summary>The values of a list option given comma-separated, repeated or both, each trimmed.</summary>
    public static IReadOnlyList<string> Split(IEnumerable<string>? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>Parses "4096", "32k" or "1M" and checks the range, reporting errors against the option.</summary>
    public static int ParseCount(ArgumentResult result, string name, int min, int max)
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"{name} needs a value.");
            return 0;
        }
        var text = result.Tokens[0].Value.Trim();
        var multiplier = 1.0;
        if (text.EndsWith('k') || text.EndsWith('K'))
        {
            multiplier = 1024;
            text = text[..^1];
        }
        else if (text.EndsWith('m') || text.EndsWith('M'))
        {
            multiplier = 1024 * 1024;
            text = text[..^1];
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            result.AddError($"{name}: '{result.Tokens[0].Value}' is not a number.");
            return 0;
        }
        value *= multiplier;
        if (value != Math.Floor(value) || value < min || value > max)
        {
            result.AddError($"{name} must be a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}, got {result.Tokens[0].Value}.");
            return 0;
        }
        return (int)value;
    }
}

using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Spectre.Console;
using Suanli.Catalog;
using Suanli.Cli.Commands;
using Suanli.Text;

namespace Suanli.Cli;

/// <summary>Builds and runs the <c>suanli</c> command tree; every command is parse, validate, run, render.</summary>
public static partial class SuanliCli
{
    /// <summary>Exit code for bad input (unknown names, out-of-range values, malformed files, command-line syntax).</summary>
    public const int InputError = 2;

    /// <summary>Exit code for an internal error (a defect).</summary>
    public const int InternalError = 70;

    /// <summary>Exit code after Ctrl+C stopped a command: 128 + SIGINT (2), as shells report a process interrupted by the signal.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Runs the CLI. Tables go to <paramref name="console"/>; JSON, Markdown and CSV to <paramref name="output"/>. A
    /// command line that does not parse exits 2 with one line on <paramref name="error"/> (a JSON object with
    /// <c>--format json</c>), as every other input error does; <c>--help</c> prints the help in the run's language
    /// (<see cref="HelpTexts"/>). Cancelling
    /// <paramref name="cancel"/> (Ctrl+C in <c>Program.cs</c>) stops a long command, which exits <see cref="Interrupted"/>.
    /// Dated findings (prices more than a year old, fit dates) read <paramref name="clock"/> (<c>Program.cs</c> passes the system clock).
    /// Sentences are in the language of <c>--lang</c>, else of the variable <see cref="CliLanguage.EnvironmentVariable"/> read
    /// through <paramref name="environment"/> (<c>Program.cs</c> passes the process's; none when null), else English.
    /// </summary>
    public static int Run(string[] args, IAnsiConsole console, TextWriter output, TextWriter error, TimeProvider clock,
        Func<string, string?>? environment = null, CancellationToken cancel = default)
    {
        var context = new CliContext(console, output, error) { JsonErrors = WantsJson(args), Cancel = cancel, Clock = clock };
        var root = Build(context);
        var parse = root.Parse(args);
        var given = parse.GetResult("--lang")?.Tokens is { Count: > 0 } tokens ? tokens[^1].Value : null;
        var (language, problem) = CliLanguage.Resolve(given, environment?.Invoke(CliLanguage.EnvironmentVariable));
        context.Language = language;
        if (parse.Action is HelpAction)
        {
            // The language is known only once the whole line is parsed (--lang may follow --help), so the tree built
            // for this run takes its help texts now, before the help is written from them.
            HelpTexts.Apply(root, language);
        }
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var (field, message) = Describe(parse);
            return context.Fail(context.Say(message), field);
        }
        if (problem is not null && parse.Action is not HelpAction)
        {
            return context.Fail(context.Say(problem), CliLanguage.EnvironmentVariable);
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Suanli (算力): what an LLM application will really cost to train and run, and the cheapest deployment that meets its needs.");
        root.Options.Add(CliOptions.Catalog());
        root.Options.Add(CliOptions.Lang());
        foreach (var command in Commands(context))
        {
            root.Subcommands.Add(command);
        }
        CliOptions.StrictNumbers(root);
        return root;
    }

    /// <summary>True when the arguments ask for <c>--format json</c> (errors are then JSON too).</summary>
    public static bool WantsJson(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if ((a is "--format" or "-f") && i + 1 < args.Count && args[i + 1].Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if ((a.StartsWith("--format=", StringComparison.Ordinal) || a.StartsWith("--format:", StringComparison.Ordinal)) && a[9..].Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The field at fault and one sentence for the first parse error, with the nearest option or command when a name
    /// was mistyped; a phrase, so it reads in the run's language (a message of System.CommandLine's that is not
    /// recognised stays as it is).
    /// </summary>
    public static (string? Field, Phrase Message) Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        var help = Phrase.Of("cli.see-help", "See {help}.", ("help", $"'{path} --help'"));
        var commands = string.Join(", ", command.Subcommands.Select(c => c.Name));
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var names = command.Options.Concat(CliOptionsRecursive(parse)).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
                var near = Nearest.Names(token, names, 1);
                return (token, Sentences(Phrase.Of("cli.unknown-option", "Unknown option '{option}' for '{command}'.", ("option", Clip(token)), ("command", path)), DidYouMean(near), help));
            }
            if (command.Subcommands.Count > 0)
            {
                var near = Nearest.Names(token, command.Subcommands.Select(c => c.Name), 1);
                var hint = DidYouMean(near) ?? Phrase.Of("cli.commands", "Commands: {commands}.", ("commands", commands));
                return (token, Sentences(Phrase.Of("cli.unknown-command", "Unknown command '{command}'.", ("command", Clip(token))), hint, help));
            }
            return (token, Sentences(Phrase.Of("cli.unexpected-argument", "Unexpected argument '{argument}' for '{command}'.", ("argument", Clip(token)), ("command", path)), help));
        }
        var error = parse.Errors[0];
        var field = error.SymbolResult switch
        {
            OptionResult o => o.Option.Name,
            ArgumentResult { Parent: OptionResult o } => o.Option.Name,
            ArgumentResult a => a.Argument.Name,
            _ => null,
        };
        if (error.SymbolResult is CommandResult && command.Subcommands.Count > 0 && command.Action is null)
        {
            return (null, Sentences(Phrase.Of("cli.needs-command", "'{command}' needs a command: {commands}.", ("command", path), ("commands", commands)), help));
        }
        return (field, Sentences(CliLanguage.Refusal(error) ?? Plain(error.Message, field), help));
    }

    // Sentences one after another, as the language joins them (a space in English, nothing in Chinese).
    private static Phrase Sentences(params Phrase?[] sentences) =>
        Phrase.Of("cli.sentences", "{sentences}", ("sentences", new PhraseList([.. sentences.OfType<Phrase>()], "space")));

    private static Phrase? DidYouMean(IReadOnlyList<string> near) =>
        near.Count > 0 ? Phrase.Of("cli.did-you-mean", "Did you mean '{name}'?", ("name", near[0])) : null;

    /// <summary>Rewrites System.CommandLine's messages so they name the option and never a .NET type.</summary>
    private static Phrase Plain(string message, string? field)
    {
        var text = CliContext.OneLine(message);
        var parse = CannotParse().Match(text);
        if (parse.Success)
        {
            var type = parse.Groups["type"].Value;
            var choices = parse.Groups["rest"].Value;
            if (choices.Contains("Did you mean", StringComparison.Ordinal))
            {
                // An enumeration: System.CommandLine lists its values after the question.
                var values = choices[(choices.IndexOf('?', StringComparison.Ordinal) + 1)..]
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.ToLowerInvariant());
                return CliLanguage.NotOneOf(parse.Groups["option"].Value, parse.Groups["value"].Value, values);
            }
            var option = parse.Groups["option"].Value;
            var value = Clip(parse.Groups["value"].Value);
            // An unsigned option (--seed) read "'-1' is not a whole number": it is one, but below zero.
            return type.Contains("UInt64", StringComparison.Ordinal) ? Phrase.Of("cli.not-a#unsigned", "{option}: '{value}' is not a whole number from 0 to {max}.",
                    ("option", option), ("value", value), ("max", ulong.MaxValue.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))
                : type.Contains("Int", StringComparison.Ordinal) ? Phrase.Of("cli.not-a#whole", "{option}: '{value}' is not a whole number.", ("option", option), ("value", value))
                : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal)
                    ? Phrase.Of("cli.not-a#number", "{option}: '{value}' is not a number such as 2.5 or 1e6.", ("option", option), ("value", value))
                : type.Contains("Boolean", StringComparison.Ordinal) ? Phrase.Of("cli.not-a#boolean", "{option}: '{value}' is not true or false.", ("option", option), ("value", value))
                : Phrase.Of("cli.not-a", "{option}: '{value}' is not a valid value.", ("option", option), ("value", value));
        }
        var choice = NotRecognized().Match(text);
        if (choice.Success)
        {
            var values = Quoted().Matches(choice.Groups["values"].Value).Select(m => m.Groups[1].Value.ToLowerInvariant());
            return CliLanguage.NotOneOf(field ?? "value", choice.Groups["value"].Value, values);
        }
        if (Required().Match(text) is { Success: true } required)
        {
            return Phrase.Of("cli.option-required", "Option '{option}' is required.", ("option", required.Groups["option"].Value));
        }
        if (SingleValue().Match(text) is { Success: true } single)
        {
            return Phrase.Of("cli.option-single-value", "Option '{option}' expects a single argument but {count} were provided.", ("option", single.Groups["option"].Value), ("count", single.Groups["count"].Value));
        }
        // Whatever else, as System.CommandLine says it: no type names ('System.Nullable`1[System.Double]') reach the user.
        text = TypeName().Replace(text, "a valid value");
        return new Phrase("", field is not null && !text.Contains(field, StringComparison.Ordinal) ? $"{field}: {text}" : text, []);
    }

    private static IEnumerable<Option> CliOptionsRecursive(ParseResult parse) => parse.RootCommandResult.Command.Options.Where(o => o.Recursive);

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Parent is null ? "suanli" : c.Command.Name);
            }
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The text, cut to 60 characters, for quoting a user's input back in an error.</summary>
    internal static string Clip(string text) => Suanli.Text.InputQuote.Clip(text);

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) '(?<option>[^']*)' as expected type '(?<type>[^']*)'\.?(?<rest>.*)$")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?<values>.*)$")]
    private static partial Regex NotRecognized();

    [GeneratedRegex(@"^Option '(?<option>[^']*)' is required\.$")]
    private static partial Regex Required();

    [GeneratedRegex(@"^Option '(?<option>[^']*)' expects a single argument but (?<count>\d+) were provided\.$")]
    private static partial Regex SingleValue();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"'?(System|Suanli|Microsoft)\.[\w`\[\]\.,]+'?")]
    private static partial Regex TypeName();

    private static IEnumerable<Command> Commands(CliContext c) =>
    [
        PlanCommand.Create(c),
        MemoryCommand.Create(c),
        DensityCommand.Create(c),
        CatalogCommand.Create(c),
        PerfCommand.Create(c),
        SimulateCommand.Create(c),
        CapacityCommand.Create(c),
        ValidateCommand.Create(c),
        CompareCommand.Create(c),
        OptimizeCommand.Create(c),
        TrainCommand.Create(c),
        ChinchillaCommand.Create(c),
        CasesCommand.Create(c),
        SchemaCommand.Create(c),
        ServeCommand.Create(c),
    ];
}

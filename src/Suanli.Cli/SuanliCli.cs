using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Spectre.Console;
using Suanli.Catalog;
using Suanli.Cli.Commands;

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
    /// <c>--format json</c>), as every other input error does; <c>--help</c> prints the help. Cancelling
    /// <paramref name="cancel"/> (Ctrl+C in <c>Program.cs</c>) stops a long command, which exits <see cref="Interrupted"/>.
    /// Dated findings (prices more than a year old, fit dates) read <paramref name="clock"/> (<c>Program.cs</c> passes the system clock).
    /// </summary>
    public static int Run(string[] args, IAnsiConsole console, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancel = default)
    {
        var context = new CliContext(console, output, error) { JsonErrors = WantsJson(args), Cancel = cancel, Clock = clock };
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var (field, message) = Describe(parse);
            return context.Fail(message, field);
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Suanli (算力): what an LLM application will really cost to train and run, and the cheapest deployment that meets its needs.");
        root.Options.Add(CliOptions.Catalog);
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

    /// <summary>The field at fault and one sentence for the first parse error, with the nearest option or command when a name was mistyped.</summary>
    public static (string? Field, string Message) Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        var help = $" See '{path} --help'.";
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var names = command.Options.Concat(CliOptionsRecursive(parse)).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
                var near = Nearest.Names(token, names, 1);
                var hint = near.Count > 0 ? $" Did you mean '{near[0]}'?" : "";
                return (token, $"Unknown option '{Clip(token)}' for '{path}'.{hint}{help}");
            }
            if (command.Subcommands.Count > 0)
            {
                var near = Nearest.Names(token, command.Subcommands.Select(c => c.Name), 1);
                var hint = near.Count > 0 ? $" Did you mean '{near[0]}'?" : $" Commands: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.";
                return (token, $"Unknown command '{Clip(token)}'.{hint}{help}");
            }
            return (token, $"Unexpected argument '{Clip(token)}' for '{path}'.{help}");
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
            return (null, $"'{path}' needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.{help}");
        }
        return (field, Plain(error.Message, field) + help);
    }

    /// <summary>Rewrites System.CommandLine's messages so they name the option and never a .NET type.</summary>
    private static string Plain(string message, string? field)
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
                return $"{parse.Groups["option"].Value}: '{Clip(parse.Groups["value"].Value)}' is not one of {string.Join(", ", values)}.";
            }
            var kind = type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
                : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number such as 2.5 or 1e6"
                : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : "a valid value";
            return $"{parse.Groups["option"].Value}: '{Clip(parse.Groups["value"].Value)}' is not {kind}.";
        }
        var choice = NotRecognized().Match(text);
        if (choice.Success)
        {
            var values = Quoted().Matches(choice.Groups["values"].Value).Select(m => m.Groups[1].Value.ToLowerInvariant());
            return $"{field ?? "value"}: '{Clip(choice.Groups["value"].Value)}' is not one of {string.Join(", ", values)}.";
        }
        // Whatever else: no type names ('System.Nullable`1[System.Double]') reach the user.
        text = TypeName().Replace(text, "a valid value");
        return field is not null && !text.Contains(field, StringComparison.Ordinal) ? $"{field}: {text}" : text;
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

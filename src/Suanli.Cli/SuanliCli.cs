using System.CommandLine;
using Spectre.Console;
using Suanli.Cli.Commands;

namespace Suanli.Cli;

/// <summary>Builds and runs the <c>suanli</c> command tree; every command is parse, validate, run, render.</summary>
public static class SuanliCli
{
    /// <summary>Exit code for bad input (unknown names, out-of-range values, malformed files).</summary>
    public const int InputError = 2;

    /// <summary>Runs the CLI. Tables go to <paramref name="console"/>; JSON, Markdown and CSV to <paramref name="output"/>.</summary>
    public static int Run(string[] args, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var context = new CliContext(console, output, error);
        var root = Build(context);
        var parse = root.Parse(args);
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
        return root;
    }

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
        ServeCommand.Create(c),
    ];
}

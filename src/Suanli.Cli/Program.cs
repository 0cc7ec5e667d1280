using Spectre.Console;
using Suanli.Cli;

// Most commands start by reading the embedded catalog, prices and calibration; reading them on a second core while the
// console and the command line are set up takes them off a cold start's critical path (docs/performance.md).
if (!args.Any(a => a is "-h" or "--help" or "-?"))
{
    _ = Task.Run(Suanli.Files.CatalogFiles.LoadEmbeddedFiles);
}
var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Piped output (files, CI logs) has no terminal width; 80 columns would wrap every table.
    console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 40 ? columns : 140;
}
// The first Ctrl+C cancels the running command cooperatively (it stops within a second, leaves no partial files and
// exits 130); a second one ends the process at once.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupt.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupt.Cancel();
    }
};
// The one place the CLI reads the system clock and the environment (SUANLI_LANG); everything else is given them.
return SuanliCli.Run(args, console, Console.Out, Console.Error, TimeProvider.System, Environment.GetEnvironmentVariable, interrupt.Token);

using Spectre.Console;
using Suanli.Cli;

var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Piped output (files, CI logs) has no terminal width; 80 columns would wrap every table.
    console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 40 ? columns : 140;
}
return SuanliCli.Run(args, console, Console.Out, Console.Error);

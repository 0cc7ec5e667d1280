using Spectre.Console;
using Suanli.Cli;

return SuanliCli.Run(args, AnsiConsole.Console, Console.Out, Console.Error);

using System.CommandLine;
using Suanli.Files;
using Suanli.Runs;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli cases</c>: every question of the founding articles with the article's figure, its method re-computed and Suanli's answer.</summary>
public static class CasesCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var only = new Option<string?>("--case") { Description = $"One case: {string.Join(", ", CasesReport.Ids)} (default: all)." };
        var format = CliOptions.Format();
        var command = new Command("cases", "The founding articles' questions (seed cases C1-C8): each article's figure, its method applied to its own inputs (arithmetic checked), and Suanli's answer from the functions plan, compare, memory and train use. 'suanli cases --format markdown' writes docs/cases.md.")
        {
            only, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            c.Write(CasesReport.Run(catalog, PriceFiles.Embedded, CliContext.StepTimeModel, CliContext.Capacity, parse.GetValue(only)), parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}

using System.CommandLine;
using Suanli.IO.Reports;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli catalog hardware|servers|models</c>: what the catalog holds, with sources.</summary>
public static class CatalogCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var command = new Command("catalog", "List the embedded catalogs (plus --catalog files) with sources and dates: hardware, servers, models, prices.");
        foreach (var (name, description, build) in new (string, string, Func<Suanli.Catalog.SuanliCatalog, Report>)[]
        {
            ("hardware", "Devices: memory, bandwidth, dense peaks, power, prices.", CatalogReport.Hardware),
            ("servers", "Servers: devices per node, power, height, price.", CatalogReport.Servers),
            ("models", "Models: parameters (counted and published), attention, experts, licence, MMLU.", CatalogReport.Models),
            ("prices", "Prices: API per million tokens, rent, purchase, tariffs, PUE, exchange rates; entries over a year old are flagged.", _ => PriceReport.Build(Suanli.IO.PriceFiles.Embedded, DateOnly.FromDateTime(DateTime.Now))),
        })
        {
            var format = CliOptions.Format();
            var sub = new Command(name, description) { format };
            sub.SetAction(parse => c.Guarded(() =>
            {
                c.Write(build(CliContext.CatalogFor(parse)), parse.GetValue(format));
                return 0;
            }));
            command.Subcommands.Add(sub);
        }
        return command;
    }
}

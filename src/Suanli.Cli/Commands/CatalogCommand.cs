using System.CommandLine;
using Suanli.Runs;

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
        var priceFormat = CliOptions.Format();
        var stale = new Option<bool>("--stale") { Description = "List only the entries more than a year old on --today (what needs refreshing), oldest first." };
        var today = new Option<string?>("--today") { Description = "The date entries are judged stale against (yyyy-mm-dd; default: today)." };
        var prices = new Command("prices", "Prices: API per million tokens, rent (on-demand and reserved terms), purchase, tariffs, PUE, exchange rates; entries over a year old are flagged.") { priceFormat, stale, today };
        prices.SetAction(parse => c.Guarded(() =>
        {
            CliContext.RefuseUnreadableCatalog(parse);
            var day = Suanli.Runs.CompareRun.Today(parse.GetValue(today), c.Clock);
            var book = Suanli.Files.PriceFiles.Embedded;
            c.Write(parse.GetValue(stale) ? PriceReport.Stale(book, day) : PriceReport.Build(book, day), parse.GetValue(priceFormat));
            return 0;
        }));
        command.Subcommands.Add(prices);
        return command;
    }
}

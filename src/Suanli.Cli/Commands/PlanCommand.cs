using System.CommandLine;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Plan;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli plan [SCENARIO]</c>: the fleet for a day of traffic, with racks, power and the strategies compared.</summary>
public static class PlanCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var scenario = new Argument<string?>("scenario") { Description = "Scenario YAML or JSON file (see examples/). Default: the built-in seed case C2 knowledge base.", Arity = ArgumentArity.ZeroOrOne };
        var format = CliOptions.Format();
        var outDir = new Option<string?>("--out", "-o") { Description = "Folder to write report.md, plan.json, plan.xlsx and PNG charts into (nothing is written if the scenario is invalid)." };
        var sensitivity = new Option<bool>("--sensitivity") { Description = "Also move each main assumption (peak load, prompt and output length, latency targets, headroom, prices, electricity, PUE, the step-time interval) by a stated amount and replan: a ranked table and, with --out, a tornado chart (sensitivity.png)." };
        var force = CliOptions.Force();
        var prices = new Option<string[]>("--prices") { Description = "Extra price files (catalog/prices format) added to the catalog's: a purchase, rent or tariff the catalog lacks.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("plan", "Plan the fleet for a scenario: replicas per hour, devices, servers, racks, power, and static vs autoscaled vs pooled sizing; the articles' one-copy-per-request rule applied to the same inputs beside (the articles' own figures: 'suanli cases').")
        {
            scenario, format, outDir, sensitivity, force, prices,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var path = parse.GetValue(scenario);
            var s = path is null ? ScenarioFile.LoadDefault(catalog) : ScenarioFile.Load(path, catalog);
            // The no-price warnings say to add a price in a prices file; plan takes one as optimize and compare do.
            var extraPrices = parse.GetValue(prices) ?? [];
            var book = extraPrices.Length == 0 ? PriceFiles.Embedded : PriceFiles.WithUserFiles(extraPrices, catalog, c.Today);
            var (plan, report) = ScenarioFile.Located(s, () => PlanReport.Run(s, c.CancellableCapacity, book, c.Today, IntervalFiles.Embedded,
                parse.GetValue(sensitivity), Suanli.Plan.SimulatedReplicaCapacity.Bound(CliContext.StepTimeModel)));
            if (parse.GetValue(outDir) is { } dir)
            {
                // Files first: an existing report without --force is refused before anything is printed.
                var files = ReportFiles.Write(report, dir, "plan", PlanCharts.Render(plan, ((PlanJson)report.Json).Sensitivity),
                    Suanli.Text.FieldNames.Out, parse.GetValue(force), c.Language);
                c.Write(report, parse.GetValue(format));
                c.Error.WriteLine(c.Say(Suanli.Text.Phrase.Of("cli.wrote", "wrote {files} to {folder}", ("files", Suanli.Text.PhraseList.Words(files.Select(f => Path.GetFileName(f) ?? f))), ("folder", dir))));
                return 0;
            }
            c.Write(report, parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}

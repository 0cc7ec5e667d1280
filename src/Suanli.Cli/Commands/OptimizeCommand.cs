using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Cli.Commands;

/// <summary>
/// <c>suanli optimize [SCENARIO]</c>: per application, the cheapest deployment over models x precisions x hardware x
/// devices per replica x layouts x engines that meets its latency targets and quality floor, verified with the
/// serving simulator, sized over the day by the fleet stage and costed per month (own and rent); the frontier and
/// the rejected families. Without a scenario, the flags describe one application.
/// </summary>
public static class OptimizeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var scenarioArg = new Argument<string?>("scenario") { Description = "Scenario YAML or JSON with an optional 'candidates' section (see examples/c2-optimize.yaml). Without it, --model, --hardware and --rate describe one application.", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string[]>("--model", "-m") { Description = "Without a scenario: candidate models, comma-separated or repeated.", Arity = ArgumentArity.ZeroOrMore };
        var hardware = new Option<string[]>("--hardware", "-H") { Description = "Without a scenario: candidate devices, comma-separated or repeated.", Arity = ArgumentArity.ZeroOrMore };
        var precision = new Option<string[]>("--precision", "-p") { Description = "Without a scenario: candidate weight formats (default bf16).", Arity = ArgumentArity.ZeroOrMore };
        var devices = new Option<string[]>("--devices") { Description = "Without a scenario: candidate devices per replica (default 1,2,4,8).", Arity = ArgumentArity.ZeroOrMore };
        var engine = new Option<string[]>("--engine") { Description = "Without a scenario: candidate engines: vllm, trtllm, sglang, llamacpp, transformers (default vllm).", Arity = ArgumentArity.ZeroOrMore };
        var input = CliOptions.TokenCount("--input", "Without a scenario: prompt tokens per request.", 1000, 1, Footprint.FootprintRequest.MaxContext);
        var output = CliOptions.TokenCount("--output", "Without a scenario: output tokens per request.", 300, 1, Footprint.FootprintRequest.MaxContext);
        var rate = new Option<double?>("--rate") { Description = "Without a scenario: requests per second at the peak (flat over the day)." };
        // --ttft and --tpot as simulate and capacity name them; --ttft-p90 and --tpot-p90, their old names, still work.
        var ttft = new Option<double>("--ttft", "--ttft-p90") { Description = "Without a scenario: time-to-first-token target at --ttft-percentile (default p90), seconds; --ttft-p90 is its old name.", DefaultValueFactory = _ => 2 };
        var tpot = new Option<double>("--tpot", "--tpot-p90") { Description = "Without a scenario: time-per-output-token target at --tpot-percentile (default p90), seconds; --tpot-p90 is its old name.", DefaultValueFactory = _ => 0.1 };
        var ttftAt = new Option<string?>("--ttft-percentile") { Description = "Without a scenario: percentile the TTFT target (--ttft's seconds) is checked at instead of p90, above 0 and below 100 (99 as MLPerf)." };
        var tpotAt = new Option<string?>("--tpot-percentile") { Description = "Without a scenario: percentile the TPOT target (--tpot's seconds) is checked at instead of p90, above 0 and below 100." };
        var quality = new Option<string?>("--quality") { Description = "Without a scenario: quality floor, e.g. 'MMLU>=70'." };
        var currency = new Option<string>("--currency") { Description = "Without a scenario: currency of costs.", DefaultValueFactory = _ => "USD" };
        var cost = new Option<string?>("--cost") { Description = "Cost minimised: cheaper (own or rent, the default), own or rent; overrides the scenario's candidates.cost." };
        var rentTerm = new Option<string?>("--rent-term") { Description = "Rent term pinned: on-demand, reserved-1y, reserved-3y or spot; overrides candidates.rent_term. Without it each fleet reserves the devices busy enough to pay and rents the rest on demand. Reserved terms bill every hour of the month." };
        var purchase = new Option<string?>("--purchase") { Description = "Purchase price used: newest (the newest-dated, the default), article-claim, street-estimate or list-price; overrides candidates.purchase." };
        var top = CliOptions.Count("--top", "Frontier rows shown per application.", 10, 1, 10_000);
        var limit = CliOptions.Count("--max-candidates", "Largest search space accepted (all applications together).", SearchOptions.DefaultLimit, 1, SearchOptions.HardestLimit);
        var today = new Option<string?>("--today") { Description = "The date prices are judged stale against (yyyy-mm-dd; default: today)." };
        var prices = new Option<string[]>("--prices") { Description = "Extra price files (catalog/prices format) added to the catalog's.", Arity = ArgumentArity.ZeroOrMore };
        var exhaustive = new Option<bool>("--exhaustive") { Description = "Simulate every feasible candidate instead of pruning with the analytic bound (slow; checks the pruning)." };
        var outDir = new Option<string?>("--out") { Description = "Folder for frontier.png (one subfolder per application when there are several)." };
        var force = CliOptions.Force();
        var format = CliOptions.Format();
        var command = new Command("optimize", "The cheapest deployment per application that meets its latency targets and quality floor: searches models x precisions x hardware x devices x layouts x engines, verifies the shortlist with the serving simulator, sizes the fleet over the day and prices it per month (own and rent).")
        {
            scenarioArg, model, hardware, precision, devices, engine, input, output, rate, ttft, tpot, ttftAt, tpotAt, quality, currency, cost, rentTerm, purchase, top, limit, today, prices, exhaustive, outDir, force, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var extraPrices = parse.GetValue(prices) ?? [];
            var book = extraPrices.Length == 0 ? PriceFiles.Embedded : PriceFiles.WithUserFiles(extraPrices, catalog, c.Today);
            Scenario scenario;
            CandidateSettings settings;
            if (parse.GetValue(scenarioArg) is { } path)
            {
                RefuseFlagsBeside(parse, path, [(model, "applications[].model(s)"), (hardware, "candidates.hardware"), (precision, "candidates.precisions"),
                    (devices, "candidates.devices_per_replica"), (engine, "candidates.engines"), (input, "applications[].input_tokens"),
                    (output, "applications[].output_tokens"), (rate, "applications[].peak_rate"), (ttft, "applications[].targets.ttft_p90_s"),
                    (tpot, "applications[].targets.tpot_p90_s"), (ttftAt, "applications[].targets.ttft_p99_s (the percentile in the key)"),
                    (tpotAt, "applications[].targets.tpot_p99_s (the percentile in the key)"), (quality, "applications[].quality"), (currency, "currency")]);
                (scenario, settings) = ScenarioFile.LoadSearch(path, catalog);
            }
            else
            {
                (scenario, settings) = OptimizeRun.FromFlags(new OptimizeFlags
                {
                    Models = CliOptions.Split(parse, model),
                    Hardware = CliOptions.Split(parse, hardware),
                    Precisions = CliOptions.Split(parse, precision),
                    DevicesPerReplica = [.. CliOptions.Split(parse, devices).Select(OptimizeRun.ParseDevices)],
                    Engines = CliOptions.Split(parse, engine),
                    InputTokens = parse.GetValue(input),
                    OutputTokens = parse.GetValue(output),
                    Rate = parse.GetValue(rate),
                    Ttft = parse.GetValue(ttft),
                    Tpot = parse.GetValue(tpot),
                    TtftField = parse.GetResult(ttft)?.IdentifierToken?.Value == "--ttft-p90" ? FieldNames.TtftP90 : FieldNames.Ttft,
                    TpotField = parse.GetResult(tpot)?.IdentifierToken?.Value == "--tpot-p90" ? FieldNames.TpotP90 : FieldNames.Tpot,
                    TtftPercentile = parse.GetValue(ttftAt),
                    TpotPercentile = parse.GetValue(tpotAt),
                    Quality = parse.GetValue(quality),
                    Currency = parse.GetValue(currency)!,
                }, catalog);
            }
            var choices = new SearchChoices
            {
                Cost = parse.GetValue(cost),
                RentTerm = parse.GetValue(rentTerm),
                Purchase = parse.GetValue(purchase),
                Today = parse.GetValue(today),
                Exhaustive = parse.GetValue(exhaustive),
            };
            settings = choices.Apply(settings);
            var day = choices.Day(c.Clock);
            var options = choices.Apply(new ScenarioSearchOptions { MaxCandidates = parse.GetValue(limit), Cancel = c.Cancel });
            OptimizeResult result;
            Report report;
            if (parse.GetValue(format) == OutputFormat.Table && c.Console.Profile.Capabilities.Interactive)
            {
                (OptimizeResult, Report)? r = null;
                c.Console.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask(c.Say(Suanli.Text.Phrase.Of("cli.searching", "Searching candidates")), maxValue: 1);
                    var withTotal = options with
                    {
                        Started = total =>
                        {
                            task.Description = c.Say(Suanli.Text.Phrase.Of("cli.searching#count", "Searching {count} candidates", ("count", total.ToString("N0", CultureInfo.InvariantCulture))));
                            task.MaxValue = Math.Max(1, total);
                        },
                    };
                    r = ScenarioFile.Located(scenario, () => OptimizeRun.Run(scenario, settings, book, catalog, CliContext.StepTimeModel, day, parse.GetValue(top), withTotal, new Inline(done => task.Value = Math.Min(done, task.MaxValue))));
                    task.Value = task.MaxValue;
                });
                (result, report) = r!.Value;
            }
            else
            {
                (result, report) = ScenarioFile.Located(scenario, () => OptimizeRun.Run(scenario, settings, book, catalog, CliContext.StepTimeModel, day, parse.GetValue(top), options));
            }
            if (parse.GetValue(outDir) is { } dir)
            {
                using var files = new OutputFiles(parse.GetValue(force));
                foreach (var app in result.Applications)
                {
                    var folder = result.Applications.Count == 1 ? dir : Path.Combine(dir, Safe(app.Application.Name));
                    files.Stage(Path.Combine(folder, "frontier.png"), Suanli.Text.FieldNames.Out, temp => CostCharts.Frontier(app.Search, Path.GetDirectoryName(temp)!, Path.GetFileName(temp)));
                }
                var written = files.Commit();
                report = report with { Findings = [.. report.Findings, Finding.Info("chart", "Wrote {paths}.", ("paths", PhraseList.Words(written)))] };
            }
            c.Write(report, parse.GetValue(format));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The one-application flags beside a scenario would be silently ignored (the file says what to search), so a
    /// reader who typed <c>--currency EUR</c> got USD: each such flag typed is refused, naming the scenario key that says it.
    /// </summary>
    private static void RefuseFlagsBeside(ParseResult parse, string path, (Option Option, string Key)[] flags)
    {
        foreach (var (option, key) in flags)
        {
            if (parse.GetResult(option) is { Implicit: false } given)
            {
                // As typed: an old name (--ttft-p90) is named as the reader wrote it.
                var typed = given.IdentifierToken?.Value ?? option.Name;
                throw new InputException(typed, Suanli.Text.Phrase.Of("cli.optimize-flag-beside-scenario",
                    "{option} describes the one application searched without a scenario; {file} is searched as it is written. Set {key} in the scenario file, or leave out the scenario.",
                    ("option", typed), ("file", path), ("key", key)));
            }
        }
    }

    /// <summary>Synchronous progress (Progress&lt;T&gt; posts to the thread pool, which would lag the bar).</summary>
    private sealed class Inline(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '-'));
}

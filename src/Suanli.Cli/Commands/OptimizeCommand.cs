using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.IO;
using Suanli.IO.Charts;
using Suanli.IO.Reports;
using Suanli.Plan;
using Suanli.Quantities;

namespace Suanli.Cli.Commands;

/// <summary>
/// <c>suanli optimize</c> (flag-driven): the cheapest deployment of one application over models, precisions,
/// hardware, devices per replica and engines, priced as cloud rent, with the frontier and the rejected families.
/// Capacity comes from the analytic estimate until the serving simulator is wired in as the evaluator.
/// </summary>
public static class OptimizeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var model = new Option<string[]>("--model", "-m") { Description = "Candidate models, comma-separated or repeated.", Arity = ArgumentArity.OneOrMore, Required = true };
        var hardware = new Option<string[]>("--hardware", "-H") { Description = "Candidate devices, comma-separated or repeated.", Arity = ArgumentArity.OneOrMore, Required = true };
        var precision = new Option<string[]>("--precision", "-p") { Description = "Candidate weight formats.", Arity = ArgumentArity.OneOrMore, DefaultValueFactory = _ => ["bf16"] };
        var devices = new Option<string[]>("--devices") { Description = "Candidate devices per replica.", Arity = ArgumentArity.OneOrMore, DefaultValueFactory = _ => ["1,2,4,8"] };
        var engine = new Option<string[]>("--engine") { Description = "Candidate engines: vllm, trtllm, sglang, llamacpp, transformers.", Arity = ArgumentArity.OneOrMore, DefaultValueFactory = _ => ["vllm"] };
        var input = CliOptions.Count("--input", "Prompt tokens per request.", 1000, 1, Footprint.FootprintRequest.MaxContext);
        var output = CliOptions.Count("--output", "Output tokens per request.", 300, 1, Footprint.FootprintRequest.MaxContext);
        var rate = new Option<double>("--rate") { Description = "Requests per second to serve (peak).", Required = true };
        var ttft = new Option<double>("--ttft-p90") { Description = "Time-to-first-token target, seconds.", DefaultValueFactory = _ => 2 };
        var tpot = new Option<double>("--tpot-p90") { Description = "Time-per-output-token target, seconds.", DefaultValueFactory = _ => 0.1 };
        var quality = new Option<string?>("--quality") { Description = "Quality floor, e.g. 'MMLU>=70'." };
        var top = CliOptions.Count("--top", "Frontier rows shown.", 10, 1, 10_000);
        var limit = CliOptions.Count("--max-candidates", "Largest search space accepted.", SearchOptions.DefaultLimit, 1, SearchOptions.HardestLimit);
        var currency = new Option<string>("--currency") { Description = "Currency of costs.", DefaultValueFactory = _ => "USD" };
        var outDir = new Option<string?>("--out") { Description = "Folder for frontier.png." };
        var format = CliOptions.Format();
        var command = new Command("optimize", "The cheapest deployment that meets latency targets and a quality floor: searches models x precisions x hardware x devices x layouts x engines, priced at the cheapest catalog on-demand rent.")
        {
            model, hardware, precision, devices, engine, input, output, rate, ttft, tpot, quality, top, limit, currency, outDir, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var book = PriceFiles.Embedded;
            var converter = new CurrencyConverter(Currency.Parse(parse.GetValue(currency)!, "--currency"), book.ExchangeRates);
            var findings = new List<Finding>();
            var hourly = new Dictionary<string, (Money Price, RentPrice Rent)>(StringComparer.OrdinalIgnoreCase);
            var priced = new List<Device>();
            foreach (var d in Split(parse.GetValue(hardware)).Select(h => catalog.Device(h)).Distinct())
            {
                var best = book.RentsFor(d.Id, RentTerm.OnDemand).Select(r => (Rent: r, Price: TryConvert(converter, r.PerDeviceHour))).Where(r => r.Price is not null).OrderBy(r => r.Price!.Value.Amount).FirstOrDefault();
                if (best.Rent is null)
                {
                    findings.Add(Finding.Warn("no-rent-price", $"{d.Id} has no on-demand rent in the catalog, so it is left out of the search."));
                    continue;
                }
                hourly[d.Id] = (best.Price!.Value, best.Rent);
                priced.Add(d);
            }
            if (priced.Count == 0)
            {
                throw new InputException("--hardware", "None of the devices has an on-demand rent price in the catalog, so nothing can be priced; see 'suanli catalog prices'.");
            }
            var space = new SearchSpace
            {
                Models = [.. Split(parse.GetValue(model)).Select(n => CliContext.Model(catalog, n)).DistinctBy(m => m.Id)],
                Precisions = [.. Split(parse.GetValue(precision)).Select(p => NumberFormat.Parse(p, "--precision")).Distinct()],
                Hardware = priced,
                DevicesPerReplica = [.. Split(parse.GetValue(devices)).Select(ParseDevices).Distinct()],
                Engines = [.. Split(parse.GetValue(engine)).Select(e => EngineNames.Parse(e)).Distinct()],
            };
            var target = new ServiceTarget("application", Guard.Positive(parse.GetValue(rate), "--rate"), parse.GetValue(input), parse.GetValue(output),
                Duration.FromSeconds(Guard.Positive(parse.GetValue(ttft), "--ttft-p90")), Duration.FromSeconds(Guard.Positive(parse.GetValue(tpot), "--tpot-p90")),
                parse.GetValue(quality) is { } q ? QualityFloor.Parse(q) : null);
            var options = new SearchOptions { MaxCandidates = parse.GetValue(limit) };
            var engineSearch = new SearchEngine(CliContext.StepTimeModel, options);
            SearchEvaluation Evaluate(SearchCandidate cand, ServiceTarget t) => SearchCapacity.Estimate(CliContext.StepTimeModel, cand, t, options.Reserve, options.MaxBatch);
            Money Cost(SearchCandidate cand, int replicas) => hourly[cand.Device.Id].Price * (cand.DevicesPerReplica * replicas) * CostCalendar.HoursPerMonth;
            var total = space.Count(options.MaxCandidates);
            SearchResult result;
            if (parse.GetValue(format) == OutputFormat.Table && c.Console.Profile.Capabilities.Interactive && total > 2_000)
            {
                SearchResult? r = null;
                c.Console.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask($"Searching {total.ToString("N0", CultureInfo.InvariantCulture)} candidates", maxValue: total);
                    r = engineSearch.Search(space, [target], Evaluate, Cost, new Progress<long>(done => task.Value = done));
                    task.Value = total;
                });
                result = r!;
            }
            else
            {
                result = engineSearch.Search(space, [target], Evaluate, Cost);
            }
            findings.Add(Finding.Info("analytic-evaluator", $"Capacity and latency are the analytic estimate ({CliContext.StepTimeModel.GetType().Name} step times, decode at the largest batch within the TPOT target); the serving simulator will replace it as the evaluator."));
            foreach (var (id, (price, rent)) in hourly)
            {
                findings.Add(Finding.Info("rent-used", $"{id} priced at {PriceReport.M(price)} per device-hour on-demand ({rent.Provider}, {PriceBook.Iso(rent.Provenance.Date)}), 730 hours per month."));
            }
            foreach (var used in converter.Used)
            {
                findings.Add(Finding.Info("exchange-rate", $"Converted with 1 {used.From} = {used.Rate.ToString(CultureInfo.InvariantCulture)} {used.To}, dated {PriceBook.Iso(used.Date)} ({used.Source})."));
            }
            var report = OptimizeReport.Build(result, parse.GetValue(top), findings);
            if (parse.GetValue(outDir) is { } dir)
            {
                var path = CostCharts.Frontier(result.Applications[0], dir);
                report = report with { Findings = [.. report.Findings, Finding.Info("chart", $"Wrote {path}.")] };
            }
            c.Write(report, parse.GetValue(format));
            return 0;
        }));
        return command;
    }

    private static int ParseDevices(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Footprint.MemoryModel.MaxDevicesSearched
            ? n
            : throw new InputException("--devices", $"--devices takes whole numbers from 1 to {Footprint.MemoryModel.MaxDevicesSearched}, got '{text}'.");

    private static Money? TryConvert(CurrencyConverter c, Money m)
    {
        try
        {
            return c.Convert(m);
        }
        catch (InputException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Split(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}

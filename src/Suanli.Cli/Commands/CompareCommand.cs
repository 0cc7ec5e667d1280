using System.CommandLine;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Text;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli compare</c>: API vs rent vs buy, small vs large model, over a monthly volume, with break-even volumes and months.</summary>
public static class CompareCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var requests = Volume("--requests-per-month", "Requests per month (1e6, 1.2M, 3B).");
        var tokens = Volume("--tokens-per-month", "Tokens per month, input plus output (instead of --requests-per-month).");
        var input = CliOptions.TokenCount("--input", "Prompt tokens per request.", 500, 1, FootprintRequest.MaxContext);
        var output = CliOptions.TokenCount("--output", "Output tokens per request.", 200, 1, FootprintRequest.MaxContext);
        var api = List("--api", "Hosted API prices to compare, 'provider/model' or 'model' (see 'suanli catalog prices').");
        var model = List("--model", "Models to self-host (catalog id, Hugging Face id or alias).");
        var hardware = List("--hardware", "Devices to self-host on (see 'suanli catalog hardware').");
        var precision = new Option<string>("--precision", "-p") { Description = "Weight format of self-hosted models.", DefaultValueFactory = _ => "bf16" };
        var devices = CliOptions.Count("--devices", "Devices per replica; 0 picks the fewest of 1, 2, 4, 8... that hold the model.", 0, 0, MemoryModel.MaxDevicesSearched);
        var selfHost = new Option<string>("--self-host") { Description = "How self-hosted options are paid: buy, rent, or buy,rent.", DefaultValueFactory = _ => "buy,rent" };
        var custom = new Option<string[]>("--custom")
        {
            Description = "A fixed-plus-variable option: 'NAME;build=7418 USD;per-10k=173 USD;quality=71.4' (keys build, monthly, per-request, per-1k, per-10k, quality).",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var currency = new Option<string>("--currency") { Description = "Currency every option is converted into (USD, CNY, EUR).", DefaultValueFactory = _ => "USD" };
        var rates = new Option<string[]>("--exchange-rate") { Description = "Explicit rate 'USD/CNY=7.2734@2025-02-28' (1 USD = 7.2734 CNY on that date); without it the newest catalog rate is used and shown.", Arity = ArgumentArity.ZeroOrMore };
        var tariff = new Option<string?>("--tariff") { Description = "Electricity: a catalog region (see 'suanli catalog prices') or '0.65 CNY/kWh' (default: the region for the currency, as plan uses: CN-industrial-average for CNY, US-VA-industrial for USD, EU-non-household-average for EUR)." };
        var pue = new Option<string?>("--pue") { Description = "PUE: a number from 1.0 to 3.0 or a catalog name (default 1.3, as plan and train)." };
        var years = new Option<double?>("--years") { Description = "Amortisation years for bought hardware (default: the catalog's server-lifetime-default)." };
        var maintenance = new Option<double?>("--maintenance") { Description = "Maintenance per year as a share of capex, 0 to 1 (default: the catalog's maintenance-share)." };
        var overhead = new Option<double>("--server-overhead") { Description = "Share added to device capex for servers, network and storage (0 = devices only).", DefaultValueFactory = _ => 0 };
        var purchase = new Option<string>("--purchase") { Description = "Catalog purchase price used: newest (the newest-dated, default), article-claim, street-estimate or list-price.", DefaultValueFactory = _ => "newest" };
        var devicePrice = new Option<string[]>("--device-price") { Description = "Purchase price of a device: 'kunlunxin-r200=20000 CNY' (overrides the catalog).", Arity = ArgumentArity.ZeroOrMore };
        var months = new Option<double>("--months") { Description = "Months over which a --custom build cost is spread.", DefaultValueFactory = _ => 36 };
        var peak = new Option<double>("--peak-factor") { Description = "Peak-to-mean ratio self-hosted fleets are sized for.", DefaultValueFactory = _ => 1 };
        var tpot = new Option<double>("--tpot-p90") { Description = "Seconds per output token a self-hosted replica must keep (sets its batch).", DefaultValueFactory = _ => 0.1 };
        var ttft = new Option<double>("--ttft-p90") { Description = "Seconds to first token a self-hosted replica must keep.", DefaultValueFactory = _ => 2 };
        var prefixHit = new Option<double>("--prefix-hit-rate")
        {
            Description = "Fraction of each prompt served from a prefix cache (a shared system prompt), 0 to 1: self-hosted replicas prefill only the rest, and APIs with a cached-input price bill that share at it.",
            DefaultValueFactory = _ => 0,
        };
        var range = new Option<string?>("--range") { Description = "Volumes scanned for break-even, 'MIN:MAX' requests per month (default: the volume / 1,000 to x 1,000)." };
        var top = CliOptions.Count("--top", "Options shown, cheapest at the volume first; the break-even volumes and months pair these only, and a note counts the rest.", CompareRun.DefaultTop, 1, CompareRun.MaxTop);
        var prices = new Option<string[]>("--prices") { Description = "Extra price YAML files or folders (api:, rent:, purchase:, electricity:, exchange_rates: entries).", Arity = ArgumentArity.ZeroOrMore };
        var today = new Option<string?>("--today") { Description = "The date prices are judged stale against (yyyy-mm-dd; default: today)." };
        var outDir = new Option<string?>("--out") { Description = "Folder for break-even.png." };
        var force = CliOptions.Force();
        var format = CliOptions.Format();
        var command = new Command("compare", "API vs rent vs buy, and small vs large model, over a monthly volume: cost per month, per million tokens and per request, by part, with break-even volumes and months.")
        {
            requests, tokens, input, output, api, model, hardware, precision, devices, selfHost, custom, currency, rates, tariff, pue, years, maintenance,
            overhead, purchase, devicePrice, months, peak, tpot, ttft, prefixHit, range, top, prices, today, outDir, force, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var book = (parse.GetValue(prices) ?? []) is { Length: > 0 } extra ? PriceFiles.WithUserFiles(extra, catalog, c.Today) : PriceFiles.Embedded;
            var (result, report) = CompareRun.Run(new CompareInputs
            {
                RequestsPerMonth = parse.GetValue(requests),
                TokensPerMonth = parse.GetValue(tokens),
                InputTokens = parse.GetValue(input),
                OutputTokens = parse.GetValue(output),
                Api = CliOptions.Split(parse, api),
                Models = CliOptions.Split(parse, model),
                Hardware = CliOptions.Split(parse, hardware),
                Precision = parse.GetValue(precision)!,
                DevicesPerReplica = parse.GetValue(devices),
                SelfHost = parse.GetValue(selfHost)!,
                Custom = parse.GetValue(custom) ?? [],
                Pricing = new()
                {
                    Currency = parse.GetValue(currency)!,
                    ExchangeRates = parse.GetValue(rates) ?? [],
                    Tariff = parse.GetValue(tariff),
                    Pue = parse.GetValue(pue),
                    Years = parse.GetValue(years),
                    Maintenance = parse.GetValue(maintenance),
                    ServerOverhead = parse.GetValue(overhead),
                    DevicePrices = parse.GetValue(devicePrice) ?? [],
                    Purchase = parse.GetValue(purchase)!,
                },
                Months = parse.GetValue(months),
                PeakFactor = parse.GetValue(peak),
                TpotP90 = parse.GetValue(tpot),
                TtftP90 = parse.GetValue(ttft),
                PrefixHitRate = parse.GetValue(prefixHit),
                Range = parse.GetValue(range),
                Today = CompareRun.Today(parse.GetValue(today), c.Clock),
                Top = parse.GetValue(top),
            }, book, catalog, CliContext.StepTimeModel, (n, field) => CliContext.Model(catalog, n, field), c.Cancel);
            if (parse.GetValue(outDir) is { } dir)
            {
                using var files = new OutputFiles(parse.GetValue(force));
                files.Stage(Path.Combine(dir, "break-even.png"), Suanli.Text.FieldNames.Out, temp => CostCharts.BreakEven(result, Path.GetDirectoryName(temp)!, Path.GetFileName(temp)));
                var path = files.Commit()[0];
                report = report with { Findings = [.. report.Findings, Finding.Info("chart", "Wrote {paths}.", ("paths", path))] };
            }
            c.Write(report, parse.GetValue(format));
            return 0;
        }));
        return command;
    }

    private static Option<string[]> List(string name, string description) => new(name) { Description = description + " Comma-separated or repeated.", Arity = ArgumentArity.ZeroOrMore };

    /// <summary>A volume option: a number with an optional k, M or B suffix (decimal thousands).</summary>
    internal static Option<double?> Volume(string name, string description) => new(name)
    {
        Description = description + " Accepts k = 1,000, M = 1,000,000 and B = 1,000,000,000 (volumes are decimal; only token lengths such as --input read k = 1,024).",
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (CompareRun.TryVolume(text, out var v) && v >= 0)
            {
                return v;
            }
            CliLanguage.Refuse(r, Phrase.Of("input-volume", "{field} must be a number of zero or more such as 1e6, 250k or 1.2M; got '{value}'.", ("field", name), ("value", text)));
            return null;
        },
    };
}

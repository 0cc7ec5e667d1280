using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table (<see cref="CommandFigureRows"/>) found by an audit of the hand-written pages: the
/// sensitivity table's moves (the constants <c>plan --sensitivity</c> applies), the cost page's rent-term example and
/// the reserved rows the README and the catalog page name (both from <c>suanli catalog prices</c>).
/// </summary>
public sealed partial class DocFiguresTests
{
    /// <summary>docs/methodology-intervals.md's table of what <c>plan --sensitivity</c> moves, from the constants it moves them by.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> SensitivityRows()
    {
        const string page = "docs/methodology-intervals.md";
        var (down, up) = (1 - Sensitivity.DemandFactor, 1 + Sensitivity.DemandFactor);
        yield return (page, () => F($"| peak load | x{down:0.00} / x{up:0.00} | yes (fleet) |"));
        yield return (page, () => F($"| prompt length, output length | x{down:0.00} / x{up:0.00}, every length of the distribution |"));
        yield return (page, () => F($"| latency targets (TTFT, TPOT, end-to-end together) | tighter x{down:0.00} / looser x{up:0.00} |"));
        yield return (page, () => F($"| headroom (utilisation target) | -{Sensitivity.HeadroomPoints * 100:0} / +{Sensitivity.HeadroomPoints * 100:0} points |"));
        yield return (page, () => F($"| device price, rent per device-hour, electricity tariff | x{1 - Sensitivity.PriceFactor:0.0} / x{1 + Sensitivity.PriceFactor:0.0} | cost only |"));
        yield return (page, () => F($"| PUE | -{Sensitivity.PueStep:0.0} (not below 1) / {Sensitivity.PueStep:+0.0} |"));
    }

    private static List<JsonElement> RentRows() => [.. Command("catalog", "prices").GetProperty("rent").EnumerateArray()];

    /// <summary>The rent row a USD plan pays for a device and term: the library's choice (each provider's newest row, the cheapest after conversion).</summary>
    private static RentPrice CheapestRent(string device, RentTerm term)
    {
        var book = PriceFiles.Embedded;
        var rent = PriceSelection.CheapestRent(book, device, new CurrencyConverter(Currency.Usd, book.ExchangeRates), term);
        Assert.NotNull(rent);
        return rent;
    }

    /// <summary>The cost page's worked rent-term choice on the catalog: the A100 40GB's cheapest 3-year row against its cheapest on-demand row, and the H100's on-demand and 1-year rows.</summary>
    private static string CatalogRentChoice()
    {
        var (reserved, onDemand) = (CheapestRent("nvidia-a100-sxm4-40gb", RentTerm.Reserved3Y), CheapestRent("nvidia-a100-sxm4-40gb", RentTerm.OnDemand));
        var (r, o) = (reserved.PerDeviceHour.Amount, onDemand.PerDeviceHour.Amount);
        // The row as published (AWS China's is in CNY), and the dated rate a USD plan converts it at.
        var published = PriceFiles.Embedded.RentsFor("nvidia-a100-sxm4-40gb", RentTerm.Reserved3Y).Single(x => x.Provider == reserved.Provider).PerDeviceHour;
        var provider = reserved.Provider.StartsWith("AWS China", StringComparison.Ordinal) ? "AWS China"
            : reserved.Provider.StartsWith("China Telecom Cloud", StringComparison.Ordinal) ? "China Telecom Cloud" : reserved.Provider;
        var rate = published.Amount / r;
        return F($"is reserved for 3 years ({provider}'s {published.Amount} {published.Currency} at {rate:0.0000} CNY per USD: 730 x {r:0.00000} = {730 * r:N2} USD against 730 x {o:0.00} = {730 * o:N2} on demand); ")
            + F($"an H100 stays on demand because the cheapest on-demand row ({CheapestRent("nvidia-h100-sxm5-80gb", RentTerm.OnDemand).PerDeviceHour.Amount:0.00} USD) undercuts the cheapest 1-year row ({CheapestRent("nvidia-h100-sxm5-80gb", RentTerm.Reserved1Y).PerDeviceHour.Amount:0.00})");
    }

    private static string CatalogRentBreakEven()
    {
        var (r, o) = (CheapestRent("nvidia-a100-sxm4-40gb", RentTerm.Reserved3Y).PerDeviceHour.Amount, CheapestRent("nvidia-a100-sxm4-40gb", RentTerm.OnDemand).PerDeviceHour.Amount);
        return F($"(break-even 24 x {r:0.00000} / {o:0.00} = {24 * r / o:0.0} h a day)");
    }

    /// <summary>The catalog's 1- and 3-year rows as provider: devices, the pages' words when they are the ones named, else the rows themselves.</summary>
    private static string ReservedProviders(string named)
    {
        var rows = RentRows().Where(r => r.GetProperty("term").GetString()!.StartsWith("reserved", StringComparison.Ordinal))
            .Select(r => $"{r.GetProperty("provider").GetString()}: {r.GetProperty("hardware").GetString()}").ToHashSet();
        return rows.SetEquals([
            "AWS: nvidia-h100-sxm5-80gb", "Google Cloud: nvidia-h100-sxm5-80gb", "Google Cloud: nvidia-a100-sxm4-40gb",
            "Neocloud 1-year contract (SemiAnalysis index): nvidia-h100-sxm5-80gb",
            "AWS China (Ningxia): nvidia-a100-sxm4-40gb", "AWS China (Ningxia): nvidia-t4",
            "China Telecom Cloud (CTyun): nvidia-a100-sxm4-40gb", "China Telecom Cloud (CTyun): nvidia-t4", "China Telecom Cloud (CTyun): huawei-ascend-910b"])
            ? named
            : "the reserved rows now: " + string.Join("; ", rows.Order());
    }

    [GeneratedRegex(@"^The ([\w.-]+) price ")]
    private static partial Regex ClaimedPrice();

    [GeneratedRegex(@"^No purchase price for ([\w.-]+) in the catalog")]
    private static partial Regex NoPurchasePrice();

    [GeneratedRegex(@"^(\d+) devices x ")]
    private static partial Regex CapexDevices();

    /// <summary>Seed case C3's costed answer (examples/c3-accelerator-cost): the devices each bought fleet holds, and which devices have the article's price or none.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> AcceleratorCostRows()
    {
        const string page = "examples/c3-accelerator-cost/README.md";
        string[] compare = ["compare", "--requests-per-month", "876M", "--input", "67", "--output", "1333", "--model", "chatglm2-6b", "--precision", "int8",
            "--hardware", "nvidia-a100-sxm4-80gb,cambricon-mlu370-x8,cambricon-mlu370-x4,kunlunxin-r200", "--currency", "CNY", "--tariff", "CN-industrial-average", "--purchase", "article-claim"];
        List<string> Ids(Regex finding, string code) => [.. Command(compare).GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("code").GetString() == code)
            .Select(f => finding.Match(f.GetProperty("message").GetString()!)).Where(m => m.Success).Select(m => m.Groups[1].Value).Order()];
        yield return (page, () =>
        {
            var devices = Command(compare).GetProperty("options").EnumerateArray().Where(o => o.GetProperty("kind").GetString() == "own")
                .Select(o => int.Parse(CapexDevices().Match(o.GetProperty("parts")[0].GetProperty("formula").GetString()!).Groups[1].Value, Invariant)).ToList();
            return F($"The fleet is {devices.Min()} to {devices.Max()} cards, not a fraction of one");
        });
        yield return (page, () =>
            Ids(ClaimedPrice(), "article-claim-price").SequenceEqual(["cambricon-mlu370-x4", "cambricon-mlu370-x8", "nvidia-a100-sxm4-80gb"])
                ? "The A100, MLU370-X8 and MLU370-X4 purchase prices are the article's 2023 claims"
                : "the article's prices are now on " + string.Join(", ", Ids(ClaimedPrice(), "article-claim-price")));
        yield return (page, () =>
            Ids(NoPurchasePrice(), "no-purchase-price").SequenceEqual(["kunlunxin-r200"])
                ? "the Kunlun R200 has no purchase price with a source, so buying it is left out with a finding"
                : "no purchase price now for " + string.Join(", ", Ids(NoPurchasePrice(), "no-purchase-price")));
    }

    private static IEnumerable<(string Page, Func<string> Says)> AuditRows()
    {
        foreach (var row in AcceleratorCostRows())
        {
            yield return row;
        }
        foreach (var row in SensitivityRows())
        {
            yield return row;
        }
        yield return ("docs/cli.md", () => F($"(absent when none up to {Suanli.Footprint.MemoryModel.MaxDevicesSearched})"));
        yield return ("docs/cli.md", () =>
        {
            // One replica of --devices N: the widest TP within a node, pipeline stages over nodes.
            var perf = Command("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--devices", "16");
            return F($"(16 x H100 for a 70B: TP={perf.GetProperty("tp").GetInt32()} x PP={perf.GetProperty("pp").GetInt32()})");
        });
        yield return ("README.md", () =>
        {
            var r = Suanli.Footprint.RuntimeReserve.Default;
            return F($"Engines keep {(1 - r.MemoryUtilization) * 100:0}% of device memory in reserve (vLLM's default `gpu_memory_utilization` {r.MemoryUtilization}) and {r.ContextPerDevice.Value / (1L << 30):0} GiB per device for context and CUDA graphs");
        });
        yield return ("docs/methodology-cost.md", CatalogRentChoice);
        yield return ("docs/methodology-cost.md", CatalogRentBreakEven);
        yield return ("README.md", () => ReservedProviders("(AWS's us-east-1 and Google Cloud's for the H100, a 1-year neocloud H100 contract, Google Cloud's and AWS China's and China Telecom Cloud's, in CNY, for the A100 40GB, AWS China's and China Telecom Cloud's for the T4, China Telecom Cloud's for the Ascend 910B; none of Azure was found)"));
        yield return ("docs/catalog.md", () => ReservedProviders("Reserved rows today: AWS (us-east-1) reserved instances for the H100 and Google Cloud committed use for the A100 40GB (asia-east1) and H100 (us-central1), 1 and 3 years each, a 1-year neocloud H100 contract, AWS China (Ningxia) reserved instances in CNY for the T4 and the A100 40GB (1 and 3 years; catalog/prices/SOURCES.md), and China Telecom Cloud (CTyun) 1- and 3-year subscriptions in CNY for the A100 40GB, T4 and Ascend 910B (the monthly price times the published discount)."));
    }

    /// <summary>docs/schemas/README.md's table lists every document of the contract (<c>suanli schema</c>) and every endpoint that returns it.</summary>
    [Fact]
    public void The_schema_pages_table_lists_every_document_and_each_endpoint_returning_it()
    {
        var rows = Read("docs", "schemas", "README.md").Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .ToDictionary(l => l.Split('`')[1], l => l.Replace("\\|", "|", StringComparison.Ordinal));
        var documents = Suanli.Runs.ReportSchemas.Documents.Select(d => (d.Name, d.Producers)).Append((Suanli.Validation.ValidationSchema.Document.Name, Suanli.Validation.ValidationSchema.Document.Producers)).ToList();
        Assert.Equal(documents.Select(d => d.Name).Order(), rows.Keys.Order());
        foreach (var (name, producers) in documents)
        {
            foreach (Match endpoint in Regex.Matches(producers, @"(?:GET|POST)(?:\|(?:GET|POST))* /api/[a-z/]+"))
            {
                Assert.True(Regex.IsMatch(rows[name], Regex.Escape(endpoint.Value) + "(?![a-z/])"), $"docs/schemas/README.md's row of '{name}' does not name {endpoint.Value}, which returns it.");
            }
        }
    }

    /// <summary>The help's request count (en and zh) is the default and the bound the simulator applies.</summary>
    [Theory]
    [InlineData("en simulate --requests", "default {0}", "Range 1 to {1}.")]
    [InlineData("zh simulate --requests", "默认 {0}", "范围 1 到 {1}。")]
    [InlineData("en capacity --requests", "default {0}", "Range 1 to {1}.")]
    [InlineData("zh capacity --requests", "默认 {0}", "范围 1 到 {1}。")]
    public void The_helps_request_count_is_the_simulators_default_and_bound(string key, string defaultText, string rangeText)
    {
        var line = Read("src", "Suanli.Cli", "help.yaml").Split('\n').Single(l => l.StartsWith(key + ": ", StringComparison.Ordinal));
        object[] bounds = [Suanli.Serving.Workload.DefaultRequests.ToString("N0", Invariant), Suanli.Serving.Workload.MaxRequests.ToString("N0", Invariant)];
        Assert.Contains(string.Format(Invariant, defaultText, bounds), line, StringComparison.Ordinal);
        Assert.Contains(string.Format(Invariant, rangeText, bounds), line, StringComparison.Ordinal);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The servers' networks between nodes (<c>scale_out_bandwidth</c>, catalog/hardware/servers.yaml): every figure has a
/// row in catalog/hardware/SOURCES.md ("Scale-out bandwidth") naming its line rate and a source the entry lists, and
/// every server without one is named there with the reason.
/// </summary>
public sealed partial class ServerNetworkTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static string Sources() => File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "catalog", "hardware", "SOURCES.md"));

    /// <summary>The table rows of SOURCES.md's scale-out section whose first cell is a server id in backticks.</summary>
    private static Dictionary<string, string[]> Rows()
    {
        var text = Sources();
        var start = text.IndexOf("### Scale-out bandwidth", StringComparison.Ordinal);
        Assert.True(start >= 0, "catalog/hardware/SOURCES.md has no '### Scale-out bandwidth' section");
        var section = text[start..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            foreach (Match id in ServerId().Matches(cells[0]))
            {
                rows[id.Groups[1].Value] = cells;
            }
        }
        return rows;
    }

    [GeneratedRegex("`([a-z0-9-]+)`")]
    private static partial Regex ServerId();

    [GeneratedRegex(@"^(\d+) Gb/s")]
    private static partial Regex LineRate();

    [Fact]
    public void Every_server_network_figure_is_its_sources_line_rate_over_eight_from_a_url_the_entry_lists()
    {
        var rows = Rows();
        var networked = Catalog.Servers.Where(s => s.ScaleOutBandwidth is not null).ToList();
        // DGX A100, H100, H200, B200, B300, GB300 NVL72, the Gaudi 3 node, Atlas 800T A3, CloudMatrix 384, Vera Rubin NVL72 and AMD Helios.
        Assert.Equal(11, networked.Count);
        foreach (var server in networked)
        {
            Assert.True(rows.TryGetValue(server.Id, out var row), $"{server.Id} has scale_out_bandwidth but no row in SOURCES.md");
            Assert.Equal(4, row.Length);
            // Line rate in Gb/s / 8 = GB/s per device and direction: 200 -> 25, 400 -> 50, 600 -> 75, 800 -> 100.
            var gbits = double.Parse(LineRate().Match(row[1]).Groups[1].Value, CultureInfo.InvariantCulture);
            var bytes = server.ScaleOutBandwidth!.Value.InGigabytesPerSecond;
            Assert.Equal(gbits / 8, bytes, 9);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{bytes:0} GB/s"), row[2]);
            var urls = Regex.Matches(row[3], @"https?://[^\s;)]+").Select(m => m.Value).ToList();
            Assert.NotEmpty(urls);
            Assert.All(urls, u => Assert.Contains(u, server.Sources));
        }
    }

    [Fact]
    public void Every_server_without_a_network_figure_is_named_in_sources_with_the_reason()
    {
        var rows = Rows();
        foreach (var server in Catalog.Servers.Where(s => s.ScaleOutBandwidth is null))
        {
            Assert.True(rows.TryGetValue(server.Id, out var row), $"{server.Id} has no scale_out_bandwidth and SOURCES.md does not say why");
            Assert.Equal(2, row.Length);
            Assert.False(string.IsNullOrWhiteSpace(row[1]));
        }
        // No row names a server the catalog lacks.
        Assert.All(rows.Keys, id => Assert.Contains(Catalog.Servers, s => s.Id == id));
    }

    [Fact]
    public void The_catalog_servers_table_and_json_show_each_servers_network_per_device()
    {
        var (code, output, _, _) = CliTests.Run("catalog", "servers", "--format", "json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        // One 400 Gb/s ConnectX-7 per GPU on DGX H100: 50e9 bytes per second; one 800 Gb/s ConnectX-8 on DGX B300: 100e9.
        Assert.Equal(50e9, rows["dgx-h100"].GetProperty("scaleOutBandwidthBytesPerSecond").GetDouble());
        Assert.Equal(100e9, rows["dgx-b300"].GetProperty("scaleOutBandwidthBytesPerSecond").GetDouble());
        Assert.False(rows["l40s-8gpu-4u"].TryGetProperty("scaleOutBandwidthBytesPerSecond", out var none) && none.ValueKind != System.Text.Json.JsonValueKind.Null);
        var (_, table, _, _) = CliTests.Run("catalog", "servers", "--format", "csv");
        Assert.Contains("Network (GB/s per device, each way)", table, StringComparison.Ordinal);
        var (_, zh, _, _) = CliTests.Run("catalog", "servers", "--format", "csv", "--lang", "zh");
        Assert.Contains("节点间网络（GB/s，每设备每方向）", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Kimi_k2_5_on_dgx_a100_spans_two_servers_over_their_25_gb_per_second_network()
    {
        var scenario = ScenarioFile.Parse(
            "hardware: nvidia-a100-sxm4-80gb\nserver: dgx-a100\napplications:\n  - name: assistant\n    model: kimi-k2.5\n"
            + "    peak_rate: 20\n    input_tokens: 2000\n    output_tokens: 500\n    targets: {ttft_p90_s: 2, tpot_p90_s: 0.1}\n    profile: flat\n",
            "a100.yaml", Catalog);
        var plan = Planner.Plan(scenario, SimulatedReplicaCapacity.Provider(CalibrationFiles.Default, 200));
        var app = Assert.Single(plan.Applications);
        // Kimi K2.5's INT4 weights (about 594 GB) nearly fill one 8 x 80 GiB server; two hold them with room for the KV cache.
        Assert.Equal((8, 2, 16), (app.Deployment.Layout.Tp, app.Deployment.Layout.Pp, app.Deployment.Layout.Devices));
        var why = Assert.Single(plan.Findings, f => f.Code == "replica-spans-servers");
        Assert.Contains("each replica spans 2 dgx-a100 servers (TP=8 PP=2 EP=8)", why.Message, StringComparison.Ordinal);
        Assert.Contains("hand-offs between servers at 25 GB/s per device each way", why.Message, StringComparison.Ordinal);

        // The network cost formula (docs/methodology-steptime.md, communication; docs/methodology-serving.md, "Replicas
        // across nodes"): a prefill of 4,096 tokens is one micro-batch, so its one cross-node hand-off of 4,096 x 7,168
        // (Kimi's hidden size) x 2 bytes = 58,720,256 bytes goes at 25 GB/s instead of NVLink 3's 300 GB/s each way
        // (600 both), both at the fitted collective efficiency, with one collective latency either way.
        var model = CalibrationFiles.Default;
        var a100 = Catalog.Device("nvidia-a100-sxm4-80gb");
        var local = new Deployment(Catalog.Model("kimi-k2.5"), a100, app.Deployment.Layout, WeightPrecision.Parse("int4-g32+bf16"), NumberFormat.Bf16, Engine.Vllm);
        var spanning = local with { Nodes = NodeLinks.Of(scenario.Server) };
        var shape = StepShape.Prefill(4096);
        var extra = model.Estimate(spanning, shape).Communication.Value - model.Estimate(local, shape).Communication.Value;
        var expected = 4096.0 * 7168 * 2 * (1 / 25e9 - 1 / 300e9) / model.Prepare(local).Parameters.InterconnectEfficiency;
        Assert.Equal(expected, extra, expected * 1e-9);
    }

    [Fact]
    public void Catalog_servers_prints_not_published_for_a_server_without_a_network_figure_and_json_leaves_it_null()
    {
        static string Row(string text, string id) => text.Split('\n').Single(l => l.Contains("| " + id + " ", StringComparison.Ordinal));
        var (code, en, _, _) = CliTests.Run("catalog", "servers", "--format", "markdown");
        Assert.Equal(0, code);
        var (_, zh, _, _) = CliTests.Run("catalog", "servers", "--format", "markdown", "--lang", "zh");
        foreach (var id in new[] { "hgx-h20-8gpu", "atlas-800t-a2", "xe9680-mi300x" })
        {
            Assert.Contains("| not published |", Row(en, id), StringComparison.Ordinal);
            Assert.Contains("| 未公布 |", Row(zh, id), StringComparison.Ordinal);
        }
        // DGX H100's ConnectX-7: 400 Gb/s per GPU = 50 GB/s each way (SOURCES.md), a number in either language.
        Assert.Contains("| 50 |", Row(en, "dgx-h100"), StringComparison.Ordinal);
        Assert.DoesNotContain("not published", Row(en, "dgx-h100"), StringComparison.Ordinal);
        var (_, json, _, _) = CliTests.Run("catalog", "servers", "--format", "json");
        var servers = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        // Null, which the documents omit (every JSON output writes no null field; docs/schemas marks it optional).
        Assert.False(servers["hgx-h20-8gpu"].TryGetProperty("scaleOutBandwidthBytesPerSecond", out _));
        Assert.Equal(50e9, servers["dgx-h100"].GetProperty("scaleOutBandwidthBytesPerSecond").GetDouble());
    }
}

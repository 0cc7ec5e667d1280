using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Replicas larger than one server (docs/methodology-fleet.md, "Replicas across servers"): tensor parallelism stays within
/// one server's scale-up domain and a replica crosses servers only by pipeline stages, unless the scenario pins a layout,
/// which is then used with a finding that names the servers and the network (or that the catalog does not publish it).
/// </summary>
public class CrossServerLayoutTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // Qwen3.5-397B-A17B in BF16 (its released format) on H20: 32 query and 2 key/value heads, 60 layers; its weights fill
    // more than one 8 x 96 GB HGX H20 server, whose network the server catalog does not publish.
    private static string Qwen35OnH20(string extra = "") =>
        "name: crossnode\ncurrency: USD\nhardware: nvidia-h20\napplications:\n  - name: chat\n    model: qwen3.5-397b-a17b\n    precision: bf16\n"
        + "    peak_rate: 2\n    input_tokens: 1024\n    output_tokens: 256\n    profile: flat\n" + extra;

    private static Scenario Parse(string yaml) => ScenarioFile.Parse(yaml, "crossnode.yaml", Catalog);

    [Theory]
    // Within one 8-device server any split is within its domain.
    [InlineData(8, 1, 1, false)]
    [InlineData(2, 3, 1, false)]
    // TP=8 x PP=2: each stage is one whole server; the hand-off between them crosses, the all-reduces do not.
    [InlineData(8, 2, 1, false)]
    // TP=4 x PP=3 (12 devices): stages on devices 0-3, 4-7 and 8-11, each within a server.
    [InlineData(4, 3, 1, false)]
    // TP=16 over two servers, and TP=6 x PP=2 whose second stage (devices 6-11) straddles the boundary at device 8.
    [InlineData(16, 1, 1, true)]
    [InlineData(6, 2, 1, true)]
    // Data-parallel attention: 8 ranks of TP=2 form a 16-device expert-parallel group, wider than a server.
    [InlineData(2, 1, 8, true)]
    public void A_group_crosses_servers_only_when_it_is_wider_than_a_server_or_straddles_one(int tp, int pp, int dp, bool crosses)
    {
        var layout = dp > 1 ? Layouts.MakeDataParallelAttention(tp, dp, pp) : new Layout(tp, pp, 1);
        Assert.Equal(crosses, Layouts.GroupCrossesNodes(layout, 8));
        // An NVL72-style rack is one domain: nothing of up to 72 devices crosses it.
        Assert.False(Layouts.GroupCrossesNodes(layout, 72));
    }

    [Fact]
    public void The_h20_candidates_keep_tensor_parallel_within_a_server_and_split_across_servers_by_stages()
    {
        var scenario = Parse(Qwen35OnH20());
        var app = scenario.Applications[0];
        Assert.Equal(8, scenario.Server.DevicesPerNode);
        Assert.Null(scenario.Server.ScaleOutBandwidth);
        var request = new FootprintRequest(app.Models[0], app.Precision, app.KvPrecision, 1280, 1, EngineConfig.ReserveFor(app.Engine));
        var layouts = Planner.CandidateLayouts(request, scenario.Device, null, scenario.Server.DevicesPerNode);
        Assert.NotEmpty(layouts);
        Assert.All(layouts, l => Assert.False(Layouts.GroupCrossesNodes(l, 8), $"{l} crosses servers"));
        // Nothing fits one server (more than 8 x 96 GB of BF16 weights), so every candidate spans at least two.
        Assert.All(layouts, l => Assert.True(l.Devices > 8, $"{l} on {l.Devices} devices"));
        // The whole-server replicas of 2 and 4 servers: TP=8 over each server's 8 devices (32 heads / 8 = 4 each), PP = servers.
        Assert.Contains(new Layout(8, 2, 8), layouts);
        Assert.Contains(new Layout(8, 4, 8), layouts);
        Assert.DoesNotContain(new Layout(16, 1, 16), layouts);
        // A replica of devices_per_replica 16 takes the widest TP within a server: TP=8 x PP=2, not TP=16.
        Assert.Equal([new Layout(8, 2, 8)], Planner.CandidateLayouts(request, scenario.Device, 16, 8));
    }

    private static readonly Lazy<PlanResult> Planned = new(() => Planner.Plan(Parse(Qwen35OnH20()), PlanTests.TestCapacity));

    [Fact]
    public void The_h20_plan_spans_servers_by_pipeline_stages_and_says_the_network_is_not_published()
    {
        var plan = Planned.Value;
        var app = Assert.Single(plan.Applications);
        var layout = app.Deployment.Layout;
        Assert.False(Layouts.GroupCrossesNodes(layout, 8), $"{layout} crosses servers");
        Assert.True(layout.Pp >= 2 && layout.Devices > 8, layout.ToString());
        // Hand-checked counts: peak devices = replicas x devices per replica; servers per replica = ceil(devices / 8).
        Assert.Equal(app.ReplicasPeak * layout.Devices, app.DevicesPeak);
        var servers = (layout.Devices + 7) / 8;
        var why = Assert.Single(plan.Findings, f => f.Code == "replica-spans-servers");
        Assert.EndsWith("no-network", why.Text!.Key, StringComparison.Ordinal);
        Assert.Contains($"each replica spans {servers} hgx-h20-8gpu servers ({layout})", why.Message, StringComparison.Ordinal);
        Assert.Contains("The server catalog does not publish the network between hgx-h20-8gpu servers", why.Message, StringComparison.Ordinal);
        Assert.Contains("服务器目录未公布 hgx-h20-8gpu 服务器之间的网络", why.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Findings, f => f.Code == "replica-crosses-servers");
    }

    [Fact]
    public void A_pinned_tensor_parallel_group_across_servers_is_used_with_a_finding_in_english_and_chinese()
    {
        var scenario = Parse(Qwen35OnH20("    layout: {tp: 16}\n"));
        Assert.Equal(new Layout(16, 1, 16), scenario.Applications[0].StatedLayout);
        var plan = Planner.Plan(scenario, PlanTests.TestCapacity);
        var app = Assert.Single(plan.Applications);
        Assert.Equal(new Layout(16, 1, 16), app.Deployment.Layout);
        Assert.Equal(LayoutChoice.Pinned, app.Choice!.Reason);
        Assert.Equal(app.ReplicasPeak * 16, app.DevicesPeak);
        var crossing = Assert.Single(plan.Findings, f => f.Text?.Key == "replica-crosses-servers#no-network");
        Assert.Equal(Severity.Warning, crossing.Severity);
        Assert.Equal("chat: each replica (TP=16 PP=1 EP=16) crosses servers: its tensor-parallel group of 16 devices spans 2 hgx-h20-8gpu servers of 8 devices, and the server catalog does not publish the network between hgx-h20-8gpu servers, so its all-reduces are priced at the device's own links as if the servers were one scale-up domain, which understates their time. Tensor parallelism is kept within one server unless the layout is pinned; pipeline stages across servers hand off far less.",
            crossing.Message);
        Assert.StartsWith("chat：每个副本（TP=16 PP=1 EP=16）跨服务器：其 16 台设备的张量并行组横跨 2 台每台 8 台设备的 hgx-h20-8gpu 服务器", crossing.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
        Assert.Contains(plan.Findings, f => f.Text?.Key == "layout-chosen#pinned");
    }

    [Fact]
    public void A_pinned_cross_server_group_on_a_server_with_a_published_network_names_it()
    {
        // DGX H100: one 400 Gb/s ConnectX-7 per GPU, 50 GB/s each way (catalog/hardware/servers.yaml).
        var yaml = "name: crossnode\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: chat\n    model: llama-3.1-70b\n    peak_rate: 1\n"
            + "    input_tokens: 1024\n    output_tokens: 256\n    profile: flat\n    layout: {tp: 16, pp: 1}\n";
        var plan = Planner.Plan(Parse(yaml), PlanTests.TestCapacity);
        Assert.Equal(new Layout(16, 1, 1), Assert.Single(plan.Applications).Deployment.Layout);
        var crossing = Assert.Single(plan.Findings, f => f.Text?.Key == "replica-crosses-servers");
        Assert.Contains("spans 2 dgx-h100 servers of 8 devices, so its all-reduces between servers run at the server's scale-out network, 50 GB/s per device each way", crossing.Message, StringComparison.Ordinal);
    }

    [Theory]
    // An unknown key in the layout: the valid keys are named.
    [InlineData("    layout: {tp: 8, pq: 2}\n", "applications[0].layout.pq", "pq")]
    // 32 query heads do not divide over TP=3: the valid layouts on 3 devices are listed.
    [InlineData("    layout: {tp: 3}\n", "applications[0].layout", "32 attention heads do not divide over TP=3")]
    // More stages than the model's 60 layers.
    [InlineData("    layout: {tp: 1, pp: 61}\n", "applications[0].layout", "61 pipeline stages exceed the model's 60 layers")]
    [InlineData("    layout: {tp: 0}\n", "applications[0].layout.tp", "must be a whole number from 1 to 64, got 0")]
    [InlineData("    layout: {tp: 2.5}\n", "applications[0].layout.tp", "got 2.5")]
    [InlineData("    layout: TP16\n", "applications[0].layout", "must be a mapping")]
    public void A_bad_pinned_layout_is_an_error_at_its_key_never_a_stack_trace(string layout, string field, string says)
    {
        var path = TempFiles.Write("crossnode.yaml", Qwen35OnH20(layout));
        var (code, output, err, _) = CliTests.Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: {path}:", err, StringComparison.Ordinal);
        Assert.Contains(says, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        var e = Assert.Throws<InputException>(() => Parse(Qwen35OnH20(layout)));
        Assert.Equal(field, e.Field);
        // The same error in Chinese, at the same line.
        var (zhCode, _, zhErr, _) = CliTests.Run("plan", path, "--lang", "zh");
        Assert.Equal(2, zhCode);
        Assert.StartsWith($"错误：{path}:{err.Split(':')[2]}:", zhErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", zhErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pinned_layout_too_small_for_the_weights_says_so_instead_of_choosing_another()
    {
        // TP=8 on one H20 server: 8 x 96 GB does not hold the BF16 weights and one request.
        var e = Assert.Throws<InputException>(() => Planner.Plan(Parse(Qwen35OnH20("    layout: {tp: 8}\n")), PlanTests.TestCapacity));
        Assert.Contains("does not fit nvidia-h20-96gb in the scenario's layout TP=8 PP=1 EP=8 (8 devices", e.Message, StringComparison.Ordinal);
    }
}

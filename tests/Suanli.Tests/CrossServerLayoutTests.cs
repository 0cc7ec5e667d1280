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
    public void A_pinned_layout_that_divides_no_model_lists_only_layouts_that_fit_memory_or_the_fewest_devices_that_do()
    {
        // TP=1 PP=3 divides the model but 3 x 96 GB cannot hold its ~800 GB of BF16 weights: listing it sent the user to
        // another refusal. The fewest H20s whose layouts hold the weights and one request are 10 (TP=2 PP=5, TP=1 PP=10).
        var path = TempFiles.Write("crossnode.yaml", Qwen35OnH20("    layout: {tp: 3}\n"));
        var (code, _, err, _) = CliTests.Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal($"error: {path}:12:13: Layout TP=3 PP=1 is invalid for qwen3.5-397b-a17b: 32 attention heads do not divide over TP=3; "
            + "no valid layout on 3 devices fits the weights and one request in memory; the fewest devices whose layouts fit are 10: TP=2 PP=5 EP=2; TP=1 PP=10.", err.TrimEnd());
        var (_, _, zh, _) = CliTests.Run("plan", path, "--lang", "zh");
        Assert.Equal($"错误：{path}:12:13: 布局 TP=3 PP=1 对 qwen3.5-397b-a17b 无效：32 个注意力头无法均分到 TP=3；"
            + "3 台设备上没有一种有效布局放得下权重加一个请求；布局放得下的最少设备数为 10：TP=2 PP=5 EP=2；TP=1 PP=10。", zh.TrimEnd());
        // On 12 devices some layouts fit: only those are listed (TP=4 PP=3, not the 12-stage one alone).
        var e = Assert.Throws<InputException>(() => Parse(Qwen35OnH20("    layout: {tp: 3, pp: 4}\n")));
        Assert.EndsWith("valid layouts on 12 devices that fit in memory: TP=4 PP=3 EP=4; TP=2 PP=6 EP=2; TP=1 PP=12.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_layout_with_a_memory_check_lists_what_fits_and_without_one_every_valid_layout()
    {
        var a = Catalog.Model("llama-3.1-70b").Architecture;
        // 64 heads do not divide over TP=3; on 3 devices only TP=1 PP=3 is valid.
        Assert.EndsWith("valid layouts on 3 devices: TP=1 PP=3.", Assert.Throws<InputException>(() => Layouts.Validate(a, 3, 1, "m")).Message, StringComparison.Ordinal);
        // A memory test that passes only from 4 devices: none of 3 fits, and 4 is the fewest (widest TP first).
        var e = Assert.Throws<InputException>(() => Layouts.Validate(a, 3, 1, "m", l => l.Devices >= 4));
        Assert.EndsWith("no valid layout on 3 devices fits the weights and one request in memory; the fewest devices whose layouts fit are 4: TP=4 PP=1; TP=2 PP=2; TP=1 PP=4.",
            e.Message, StringComparison.Ordinal);
        // Nothing fits at any count up to the search's limit: the error says so and what to change.
        e = Assert.Throws<InputException>(() => Layouts.Validate(a, 3, 1, "m", _ => false));
        Assert.EndsWith($"no valid layout on 3 devices fits the weights and one request in memory, nor does any layout on up to {MemoryModel.MaxDevicesSearched} devices; use a lower precision or a device with more memory.",
            e.Message, StringComparison.Ordinal);
    }

    // Llama 3.1 8B on H100 with the layout and devices_per_replica lines given; a second application pins nothing.
    private static string Pinned(string top, string layout, bool second = false) =>
        "name: pinned\nhardware: h100\n" + top + "applications:\n  - name: chat\n    model: llama-3.1-8b\n    peak_rate: 5\n    input_tokens: 500\n    output_tokens: 100\n" + layout
        + (second ? "  - name: batch\n    model: llama-3.1-8b\n    peak_rate: 1\n    input_tokens: 500\n    output_tokens: 100\n" : "");

    [Fact]
    public void A_pinned_layout_is_the_assumption_in_place_of_the_default_devices_per_replica()
    {
        var assumptions = Parse(Pinned("", "    layout: {tp: 4}\n")).Assumptions.Select(a => a.English).ToList();
        Assert.Contains("chat.layout = TP=4 PP=1 (pinned by the application's layout key; it wins over devices_per_replica)", assumptions);
        Assert.DoesNotContain(assumptions, a => a.StartsWith("devices_per_replica", StringComparison.Ordinal));
        // An application that pins nothing is still sized by the default, which is then stated beside the pinned layout.
        assumptions = [.. Parse(Pinned("", "    layout: {tp: 4}\n", second: true)).Assumptions.Select(a => a.English)];
        Assert.Contains(assumptions, a => a.StartsWith("devices_per_replica = the layout that carries the most load per device", StringComparison.Ordinal));
        Assert.Contains("chat.layout = TP=4 PP=1 (pinned by the application's layout key; it wins over devices_per_replica)", assumptions);
        Assert.DoesNotContain(assumptions, a => a.StartsWith("batch.layout", StringComparison.Ordinal));
        // The plan's JSON and the Chinese table carry the same line.
        var path = TempFiles.Write("pinned.yaml", Pinned("", "    layout: {tp: 4}\n"));
        var (code, json, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("chat.layout = TP=4 PP=1 (pinned by the application's layout key; it wins over devices_per_replica)", json, StringComparison.Ordinal);
        var (_, zh, _, _) = CliTests.Run("plan", path, "--lang", "zh", "--format", "markdown");
        Assert.Contains("chat.layout = TP=4 PP=1（由应用的 layout 键固定；优先于 devices_per_replica）", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pinned_layout_that_disagrees_with_devices_per_replica_wins_with_a_warning_naming_both()
    {
        var plan = Planner.Plan(Parse(Pinned("devices_per_replica: 2\n", "    layout: {tp: 4}\n", second: true)), PlanTests.TestCapacity);
        Assert.Equal(4, plan.Applications.Single(a => a.Application.Name == "chat").Deployment.Layout.Devices);
        Assert.Equal(2, plan.Applications.Single(a => a.Application.Name == "batch").Deployment.Layout.Devices);
        var warning = Assert.Single(plan.Findings, f => f.Code == "layout-overrides-devices-per-replica");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("chat: its layout TP=4 PP=1 (4 x 1 = 4 devices per replica) wins over the scenario's devices_per_replica of 2, which this application does not use; give the two the same count, or drop one of them.",
            warning.Message);
        Assert.Equal("chat：其布局 TP=4 PP=1（每个副本 4 x 1 = 4 台设备）优先于场景的 devices_per_replica（2），本应用不使用后者；请让两者的设备数相同，或删去其中之一。",
            warning.Render(Languages.Chinese));
        // Agreeing values, or no devices_per_replica at all, say nothing.
        Assert.DoesNotContain(Planner.Plan(Parse(Pinned("devices_per_replica: 4\n", "    layout: {tp: 2, pp: 2}\n")), PlanTests.TestCapacity).Findings,
            f => f.Code == "layout-overrides-devices-per-replica");
        Assert.DoesNotContain(Planner.Plan(Parse(Pinned("", "    layout: {tp: 2}\n")), PlanTests.TestCapacity).Findings, f => f.Code == "layout-overrides-devices-per-replica");
    }

    [Fact]
    public void A_pinned_layout_too_small_for_the_weights_says_so_instead_of_choosing_another()
    {
        // TP=8 on one H20 server: 8 x 96 GB does not hold the BF16 weights and one request.
        var e = Assert.Throws<InputException>(() => Planner.Plan(Parse(Qwen35OnH20("    layout: {tp: 8}\n")), PlanTests.TestCapacity));
        Assert.Contains("does not fit nvidia-h20-96gb in the scenario's layout TP=8 PP=1 EP=8 (8 devices", e.Message, StringComparison.Ordinal);
    }
}

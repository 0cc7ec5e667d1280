using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Replicas larger than one server (docs/methodology-serving.md, "Replicas across nodes"): tensor parallel within each
/// node, pipeline stages across nodes, hand-offs between nodes at the server's scale-out bandwidth.
/// </summary>
public sealed class MultiNodeTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly Device H100 = Catalog.Device("nvidia-h100-sxm5-80gb");

    private static Scenario Parse(string yaml) => ScenarioFile.Parse(yaml, "multinode.yaml", Catalog);

    private static Scenario Kimi(double rate) => Parse(
        "hardware: nvidia-h100-sxm5-80gb\nserver: dgx-h100\napplications:\n  - name: assistant\n    model: kimi-k2.5\n"
        + $"    peak_rate: {rate}\n    input_tokens: 2000\n    output_tokens: 500\n    targets: {{ttft_p90_s: 2, tpot_p90_s: 0.1}}\n    profile: flat\n");

    [Fact]
    public void The_dgx_h100_network_is_one_400_gbit_nic_per_gpu_50_gb_per_second_each_way()
    {
        var server = Catalog.Servers.Single(s => s.Id == "dgx-h100");
        // NVIDIA DGX BasePOD reference architecture: eight single-port ConnectX-7 of up to 400 Gb/s, one per GPU: 400 / 8 = 50 GB/s.
        Assert.Equal(50.0, server.ScaleOutBandwidth!.Value.InGigabytesPerSecond, 9);
        var links = NodeLinks.Of(server)!;
        Assert.Equal(8, links.DevicesPerNode);
        // A server without a published network keeps its replicas within one node.
        Assert.Null(NodeLinks.Of(server with { ScaleOutBandwidth = null }));
    }

    [Theory]
    // 8 devices per node, devices placed in order, stage s starting at device s x stage devices.
    [InlineData(8, 2, 1)]   // 16 devices: the boundary at device 8 starts node 2
    [InlineData(8, 4, 3)]   // 32 devices: boundaries at 8, 16, 24, all node starts
    [InlineData(4, 4, 1)]   // 16 devices: boundaries at 4, 8, 12; only 8 starts a node
    [InlineData(4, 2, 0)]   // 8 devices: one node, the boundary at 4 stays inside it
    [InlineData(16, 2, 1)]  // a stage wider than a node: every boundary crosses
    public void A_stage_boundary_crosses_the_network_only_where_it_starts_a_node(int tp, int pp, int crossings)
    {
        var links = new NodeLinks(8, Quantities.ByteRate.FromGigabytesPerSecond(50));
        var layout = new Layout(tp, pp, 1);
        Assert.Equal(crossings, links.CrossNodeHandoffs(layout));
        Assert.Equal(tp > 8, links.GroupCrossesNodes(layout));
        Assert.Equal((tp * pp + 7) / 8, links.NodesOf(layout));
    }

    [Fact]
    public void A_replica_spanning_two_nodes_pays_its_one_cross_node_hand_off_at_the_servers_network()
    {
        var model = CalibrationFiles.Default;
        var kimi = Catalog.Model("kimi-k2.5");
        var layout = Layouts.Make(kimi.Architecture, 8, 2);
        var local = new Deployment(kimi, H100, layout, WeightPrecision.Parse("int4-g32+bf16"), NumberFormat.Bf16, Engine.Vllm);
        var spanning = local with { Nodes = NodeLinks.Of(Catalog.Servers.Single(s => s.Id == "dgx-h100")) };
        var shape = StepShape.Prefill(4096);
        var extra = model.Estimate(spanning, shape).Communication.Value - model.Estimate(local, shape).Communication.Value;
        // One prompt is one micro-batch, so the step is one traversal: its one cross-node hand-off of 4,096 tokens x 7,168
        // (Kimi's hidden size) x 2 bytes = 58,720,256 bytes goes at 50 GB/s instead of NVLink's 450 GB/s each way (900 both),
        // both at the fitted collective efficiency.
        var efficiency = model.Prepare(local).Parameters.InterconnectEfficiency;
        var expected = 4096.0 * 7168 * 2 * (1 / 50e9 - 1 / 450e9) / efficiency;
        Assert.Equal(expected, extra, expected * 1e-9);
        Assert.True(model.Time(spanning, shape) > model.Time(local, shape));
        // A replica within one node is priced alike whether or not its nodes are known.
        var inNode = local with { Layout = Layouts.Make(kimi.Architecture, 4, 2) };
        Assert.Equal(model.Time(inNode, shape), model.Time(inNode with { Nodes = spanning.Nodes }, shape));
    }

    [Fact]
    public void A_model_that_needs_sixteen_h100s_gets_replicas_of_two_servers_tp_within_each_and_pp_across()
    {
        // Llama 3.1 405B in BF16: about 405.9e9 x 2 bytes = 812 GB of weights, more than the 640 GB of one 8 x 80 GB
        // server, less than the 1,280 GB of two.
        var llama = Catalog.Model("meta-llama/Llama-3.1-405B");
        var request = new FootprintRequest(llama, WeightPrecision.Parse("bf16"), NumberFormat.Bf16, 1200, 1, RuntimeReserve.Default);
        Assert.False(MemoryModel.OnDevice(request, Layouts.Make(llama.Architecture, 8, 1), H100.Memory, 0.9).Fits);
        var acrossNodes = Planner.CandidateLayouts(request, H100, null, 8, acrossNodes: true);
        Assert.Contains(Layouts.Make(llama.Architecture, 8, 2), acrossNodes);
        // TP within node boundaries: no tensor-parallel group wider than a server is searched.
        Assert.All(acrossNodes, l => Assert.True(l.StageDevices <= 8, l.ToString()));
        // Without a known network too: tensor parallelism stays within a server, stages go across (a TP group 16 wide
        // only when nothing else fits, and 8 x 2 fits).
        var unknownNetwork = Planner.CandidateLayouts(request, H100, null, 8);
        Assert.Contains(Layouts.Make(llama.Architecture, 8, 2), unknownNetwork);
        Assert.All(unknownNetwork, l => Assert.True(l.StageDevices <= 8, l.ToString()));
    }

    [Fact]
    public void Kimi_k2_5_on_h100_spans_two_servers_and_needs_fewer_devices_than_one_server_replicas()
    {
        var capacity = SimulatedReplicaCapacity.Provider(CalibrationFiles.Default, 200);
        var scenario = Kimi(20);
        var plan = Planner.Plan(scenario, capacity);
        var app = Assert.Single(plan.Applications);
        Assert.Equal((8, 2, 16), (app.Deployment.Layout.Tp, app.Deployment.Layout.Pp, app.Deployment.Layout.Devices));
        var why = Assert.Single(plan.Findings, f => f.Code == "replica-spans-servers");
        Assert.Contains("each replica spans 2 dgx-h100 servers (TP=8 PP=2 EP=8)", why.Message, StringComparison.Ordinal);
        // The same scenario on servers whose network is unknown keeps the replica within one server, and needs more devices.
        var oneServer = Planner.Plan(scenario with { Server = scenario.Server with { ScaleOutBandwidth = null } }, capacity);
        var local = Assert.Single(oneServer.Applications);
        Assert.Equal(8, local.Deployment.Layout.Devices);
        Assert.True(app.DevicesPeak < local.DevicesPeak, $"{app.DevicesPeak} vs {local.DevicesPeak}");
        // More devices never lower a replica's capacity: two servers carry more than one.
        Assert.True(app.Capacity.MaxRequestsPerSecond >= local.Capacity.MaxRequestsPerSecond);
    }

    [Fact]
    public void A_server_network_of_zero_is_refused_at_its_line()
    {
        var dir = Directory.CreateTempSubdirectory("suanli-multinode-").FullName;
        var path = Path.Combine(dir, "servers.yaml");
        File.WriteAllText(path, "servers:\n  - id: s1\n    name: S\n    device: h100\n    devices_per_node: 8\n    power: 10 kW\n    height_u: 4\n    scale_out_bandwidth: 0 GB/s\n");
        var (code, output, err, _) = CliTests.Run("density", "--server", "s1", "--model", "llama-3.1-8b", "--catalog", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: {path}:8:", err, StringComparison.Ordinal);
        Assert.Contains("Server 's1' needs servers[0].scale_out_bandwidth greater than zero", err, StringComparison.Ordinal);
    }
}

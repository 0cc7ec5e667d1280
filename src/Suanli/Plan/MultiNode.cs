using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>
/// Replicas larger than one server (docs/methodology-serving.md, "Replicas across nodes"): tensor parallelism within
/// each node and pipeline stages across nodes, as vLLM's distributed serving guide sets a model larger than a node
/// ("the tensor parallel size is the number of GPUs in each node, and the pipeline parallel size is the number of
/// nodes", https://docs.vllm.ai/en/v0.8.3/serving/distributed_serving.html). The plan tries them beside the layouts
/// within one server and keeps the one that serves the most per device, the same rule as within a node.
/// </summary>
public static class MultiNode
{
    /// <summary>
    /// <paramref name="inNode"/> without its tensor-parallel groups wider than one node, plus the replicas of k and 2k
    /// servers (k the fewest servers of at least 2 that hold the smallest fitting layout): TP = the widest valid degree
    /// that divides a server's <paramref name="devicesPerServer"/> devices, PP = servers x (server / TP); for
    /// mixture-of-experts models also data-parallel attention over each server's devices with the same stages. At most
    /// four layouts are added, so the search stays bounded. A wider TP group stays only when nothing spanning nodes fits.
    /// </summary>
    public static IReadOnlyList<Layout> Layouts(ModelArchitecture a, int devicesPerServer, Func<Layout, bool> fits, IReadOnlyList<Layout> inNode)
    {
        var smallest = inNode.Count > 0 ? inNode.Min(l => l.Devices) : devicesPerServer;
        var first = Math.Max(2, (smallest + devicesPerServer - 1) / devicesPerServer);
        var tp = Enumerable.Range(1, devicesPerServer).Reverse().FirstOrDefault(t => devicesPerServer % t == 0 && Footprint.Layouts.TensorParallelProblem(a, t) is null);
        var added = new List<Layout>();
        foreach (var servers in new[] { first, 2 * first })
        {
            var pp = servers * (devicesPerServer / Math.Max(1, tp));
            if (tp < 1 || Footprint.Layouts.PipelineProblem(a, pp) is not null)
            {
                continue;
            }
            var plain = Footprint.Layouts.Make(a, tp, pp);
            if (fits(plain))
            {
                added.Add(plain);
            }
            if (devicesPerServer > 1 && Footprint.Layouts.DataParallelAttentionProblem(a, 1, devicesPerServer) is null
                && Footprint.Layouts.MakeDataParallelAttention(1, devicesPerServer, servers) is var dp && fits(dp))
            {
                added.Add(dp);
            }
        }
        if (added.Count == 0)
        {
            return inNode;
        }
        return [.. inNode.Where(l => l.StageDevices <= devicesPerServer), .. added];
    }

    /// <summary>
    /// Why the plan chose a replica that spans servers, or null when <paramref name="winner"/> fits in one: its servers and
    /// layout, the network it hands off over, and how much more it serves per device than the best layout within one
    /// server (or that none within one server fits or meets the targets).
    /// </summary>
    public static Finding? Why(ScenarioApplication app, Server server, (Deployment Deployment, ReplicaCapacity Capacity) winner,
        (Deployment Deployment, ReplicaCapacity Capacity)? bestInNode, int tried)
    {
        var layout = winner.Deployment.Layout;
        if (layout.Devices <= server.DevicesPerNode || winner.Deployment.Nodes is not { } nodes)
        {
            return null;
        }
        var servers = nodes.NodesOf(layout);
        var network = Fmt.I($"{nodes.ScaleOut.InGigabytesPerSecond:0.#} GB/s");
        if (bestInNode is not { } inNode)
        {
            return Finding.Info("replica-spans-servers#only",
                "{application}: each replica spans {servers} {server} servers ({layout}): tensor parallel within each server, pipeline stages across them, hand-offs between servers at {network} per device each way (the server's scale-out network); no layout within one server fits or meets the targets (of {tried} layouts tried).",
                ("application", app.Name), ("servers", Fmt.I($"{servers}")), ("server", server.Id), ("layout", layout.ToString()), ("network", network), ("tried", Fmt.I($"{tried}")));
        }
        var ratio = winner.Capacity.In(app.Kind) / layout.Devices / (inNode.Capacity.In(app.Kind) / inNode.Deployment.Layout.Devices);
        return Finding.Info("replica-spans-servers",
            "{application}: each replica spans {servers} {server} servers ({layout}): tensor parallel within each server, pipeline stages across them, hand-offs between servers at {network} per device each way (the server's scale-out network); it serves {ratio} x as much per device as the best layout within one server ({inNode}), the most of {tried} layouts tried.",
            ("application", app.Name), ("servers", Fmt.I($"{servers}")), ("server", server.Id), ("layout", layout.ToString()), ("network", network),
            ("ratio", Fmt.I($"{ratio:0.0#}")), ("inNode", inNode.Deployment.Layout.ToString()), ("tried", Fmt.I($"{tried}")));
    }
}

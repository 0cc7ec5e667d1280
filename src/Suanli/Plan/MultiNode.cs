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
    /// four layouts are added, so the search stays bounded. Layouts of <paramref name="inNode"/> whose tensor-parallel group
    /// spans servers (<see cref="Footprint.Layouts.GroupCrossesNodes"/>) are left out, unless nothing else fits.
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
        List<Layout> within = [.. inNode.Where(l => !Footprint.Layouts.GroupCrossesNodes(l, devicesPerServer)), .. added.Where(l => !inNode.Contains(l))];
        // A tensor-parallel group across servers stays only when no split with its groups within one server fits.
        return within.Count > 0 ? within : inNode;
    }

    /// <summary>
    /// Why the plan chose a replica that spans servers, or null when <paramref name="winner"/> fits in one: its servers and
    /// layout, the network it hands off over (or that the server catalog does not publish it, so hand-offs are priced at
    /// the device's own links), and how much more it serves per device than the best layout within one server (or that
    /// none within one server fits or meets the targets). A replica whose tensor-parallel group spans servers (pinned, or
    /// the only split that fits) gets <see cref="Crossing"/> instead.
    /// </summary>
    public static Finding? Why(ScenarioApplication app, Server server, (Deployment Deployment, ReplicaCapacity Capacity) winner,
        (Deployment Deployment, ReplicaCapacity Capacity)? bestInNode, int tried)
    {
        var layout = winner.Deployment.Layout;
        if (layout.Devices <= server.DevicesPerNode || server.DevicesPerNode < 1)
        {
            return null;
        }
        if (Footprint.Layouts.GroupCrossesNodes(layout, server.DevicesPerNode))
        {
            return Crossing(app, server, winner.Deployment);
        }
        var servers = Fmt.I($"{Footprint.Layouts.NodesOf(layout, server.DevicesPerNode)}");
        var nodes = winner.Deployment.Nodes;
        var network = nodes is null ? null : Fmt.I($"{nodes.ScaleOut.InGigabytesPerSecond:0.#} GB/s");
        if (bestInNode is not { } inNode)
        {
            return network is null
                ? Finding.Info("replica-spans-servers#only-no-network",
                    "{application}: each replica spans {servers} {server} servers ({layout}): tensor parallel within each server, pipeline stages across them; no layout within one server fits or meets the targets (of {tried} layouts tried). The server catalog does not publish the network between {server} servers, so the hand-offs between them are priced at the device's own links, an optimistic assumption (each carries one token's hidden state per sequence).",
                    ("application", app.Name), ("servers", servers), ("server", server.Id), ("layout", layout.ToString()), ("tried", Fmt.I($"{tried}")))
                : Finding.Info("replica-spans-servers#only",
                    "{application}: each replica spans {servers} {server} servers ({layout}): tensor parallel within each server, pipeline stages across them, hand-offs between servers at {network} per device each way (the server's scale-out network); no layout within one server fits or meets the targets (of {tried} layouts tried).",
                    ("application", app.Name), ("servers", servers), ("server", server.Id), ("layout", layout.ToString()), ("network", network), ("tried", Fmt.I($"{tried}")));
        }
        var ratio = Fmt.I($"{winner.Capacity.In(app.Kind) / layout.Devices / (inNode.Capacity.In(app.Kind) / inNode.Deployment.Layout.Devices):0.0#}");
        return network is null
            ? Finding.Info("replica-spans-servers#no-network",
                "{application}: each replica spans {servers} {server} servers ({layout}): tensor parallel within each server, pipeline stages across them; it serves {ratio} x as much per device as the best layout within one server ({inNode}), the most of {tried} layouts tried. The server catalog does not publish the network between {server} servers, so the hand-offs between them are priced at the device's own links, an optimistic assumption (each carries one token's hidden state per sequence).",
                ("application", app.Name), ("servers", servers), ("server", server.Id), ("layout", layout.ToString()),
                ("ratio", ratio), ("inNode", inNode.Deployment.Layout.ToString()), ("tried", Fmt.I($"{tried}")))
            : Finding.Info("replica-spans-servers",
                "{application}: each replica spans {servers} {server} servers ({layout}): tensor parallel within each server, pipeline stages across them, hand-offs between servers at {network} per device each way (the server's scale-out network); it serves {ratio} x as much per device as the best layout within one server ({inNode}), the most of {tried} layouts tried.",
                ("application", app.Name), ("servers", servers), ("server", server.Id), ("layout", layout.ToString()), ("network", network),
                ("ratio", ratio), ("inNode", inNode.Deployment.Layout.ToString()), ("tried", Fmt.I($"{tried}")));
    }

    /// <summary>
    /// The warning for a replica whose tensor-parallel (or expert-parallel) group spans servers, which the plan uses only
    /// when the scenario pins the layout or no other split fits: the group, the servers, and the network its collectives
    /// cross, or that the server catalog does not publish it (then they are priced at the device's own links, as if the
    /// servers were one scale-up domain, which understates their time). Null when the group stays within one server.
    /// </summary>
    public static Finding? Crossing(ScenarioApplication app, Server server, Deployment deployment)
    {
        var layout = deployment.Layout;
        if (!Footprint.Layouts.GroupCrossesNodes(layout, server.DevicesPerNode))
        {
            return null;
        }
        var servers = Fmt.I($"{Footprint.Layouts.NodesOf(layout, server.DevicesPerNode)}");
        var group = Fmt.I($"{layout.StageDevices}");
        var perNode = Fmt.I($"{server.DevicesPerNode}");
        if (deployment.Nodes is { } nodes)
        {
            return Finding.Warn("replica-crosses-servers",
                "{application}: each replica ({layout}) crosses servers: its tensor-parallel group of {group} devices spans {servers} {server} servers of {perNode} devices, so its all-reduces between servers run at the server's scale-out network, {network} per device each way, as priced here. Tensor parallelism is kept within one server unless the layout is pinned; pipeline stages across servers hand off far less.",
                ("application", app.Name), ("layout", layout.ToString()), ("group", group), ("servers", servers), ("server", server.Id), ("perNode", perNode),
                ("network", Fmt.I($"{nodes.ScaleOut.InGigabytesPerSecond:0.#} GB/s")));
        }
        return Finding.Warn("replica-crosses-servers#no-network",
            "{application}: each replica ({layout}) crosses servers: its tensor-parallel group of {group} devices spans {servers} {server} servers of {perNode} devices, and the server catalog does not publish the network between {server} servers, so its all-reduces are priced at the device's own links as if the servers were one scale-up domain, which understates their time. Tensor parallelism is kept within one server unless the layout is pinned; pipeline stages across servers hand off far less.",
            ("application", app.Name), ("layout", layout.ToString()), ("group", group), ("servers", servers), ("server", server.Id), ("perNode", perNode));
    }
}

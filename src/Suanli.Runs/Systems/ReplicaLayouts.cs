using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The layout of one replica of N devices (<c>--devices</c> of <c>perf</c>, <c>simulate</c> and <c>capacity</c>) when
/// no TP or PP is pinned, split as <c>suanli validate</c> and the whole-system choice split it
/// (docs/methodology-serving.md, "Whole systems"): llama.cpp splits layers over GPUs (PP = N, its default
/// <c>--split-mode layer</c>); the other engines use the widest tensor parallel that stays within one node (devices per
/// node from the server catalog) and pipeline stages over nodes.
/// </summary>
public static class ReplicaLayouts
{
    /// <summary>The default layout of <paramref name="devices"/> devices, or null when no TP/PP layout of the model uses exactly that many.</summary>
    public static Layout? Default(ModelEntry entry, Device device, int devices, Engine engine, SuanliCatalog catalog)
    {
        var a = entry.Architecture;
        var layouts = Layouts.On(a, devices);
        if (layouts.Count == 0)
        {
            return null;
        }
        if (engine == Engine.LlamaCpp && devices > 1 && Layouts.PipelineProblem(a, devices) is null)
        {
            return Layouts.Make(a, 1, devices);
        }
        var perNode = SystemLayouts.NodeSize(catalog, device, devices);
        // Only when no layout keeps TP within a node does the widest TP cross nodes; CrossingNodes then says so.
        return layouts.FirstOrDefault(l => l.StageDevices <= perNode) ?? layouts[0];
    }

    /// <summary>
    /// Refuses a pinned replica count that does not divide the system's <paramref name="devices"/>, listing the valid
    /// splits that <paramref name="fits"/> (the memory check the layout choice applies) lets through, or saying that none
    /// fits: no layout can use the system then, whatever memory allows, so the choice's memory error would mislead.
    /// </summary>
    public static void CheckReplicas(ModelEntry entry, int devices, int? replicas, Func<Layout, bool> fits)
    {
        if (replicas is not { } r || (r >= 1 && devices % r == 0))
        {
            return;
        }
        throw new InputException(FieldNames.Replicas, Phrase.Of("replicas-do-not-divide#splits", "{replicas} {count} does not divide the system's {devices} devices into equal replicas; {alternatives}.",
            ("replicas", FieldNames.Replicas), ("count", r), ("devices", devices), ("alternatives", SystemLayouts.ValidSplits(entry.Architecture, devices, entry.Id, fits))));
    }

    /// <summary>
    /// A warning when the tensor-parallel group of <paramref name="layout"/> spans more devices than one node of
    /// <paramref name="device"/> holds (a pinned TP, or a model no layout keeps within a node); else null.
    /// </summary>
    public static Finding? CrossingNodes(Layout layout, Device device, SuanliCatalog catalog)
    {
        var perNode = SystemLayouts.NodeSize(catalog, device, layout.Devices);
        return layout.StageDevices <= perNode ? null
            : NodeLinks.ForDevice(catalog, device) is { } nodes
            ? Finding.Warn("replica-crosses-nodes#modelled", "One replica's tensor-parallel group of {group} devices ({layout}) spans more than a node of {perNode} x {device}: its all-reduces run over the scale-out network at {network} per device each way, as the step time prices them; engines keep TP within a node and put pipeline stages across nodes, which usually serves more.",
                ("group", Show.N(layout.StageDevices)), ("layout", layout.ToString()), ("perNode", Show.N(perNode)), ("device", device.Id), ("network", Fmt.I($"{nodes.ScaleOut.InGigabytesPerSecond:0.#} GB/s")))
            : Finding.Warn("replica-crosses-nodes", "One replica's tensor-parallel group of {group} devices ({layout}) spans more than a node of {perNode} x {device}: its all-reduces run over the scale-out network, which the step time does not model as slower than the node's links, so the prediction is optimistic.",
                ("group", Show.N(layout.StageDevices)), ("layout", layout.ToString()), ("perNode", Show.N(perNode)), ("device", device.Id));
    }
}

using Suanli.Catalog;
using Suanli.Text;

namespace Suanli.Footprint;

/// <summary>
/// How one model copy is split over devices: tensor parallel (each layer's matrices split), pipeline parallel
/// (layers split into stages) and expert parallel (experts spread over the tensor-parallel group). With data-parallel
/// attention (<paramref name="AttentionDp"/> above 1, mixture-of-experts models only) the group holds
/// <paramref name="AttentionDp"/> attention ranks of <paramref name="Tp"/> devices each, every one running attention,
/// dense layers, shared experts, embedding and LM head for its own sequences, while the routed experts are spread over
/// all Tp x AttentionDp devices (EP) and tokens reach them by all-to-all (docs/methodology.md, "Data-parallel attention").
/// </summary>
/// <param name="Tp">Tensor-parallel degree of attention (and, without data-parallel attention, of every layer).</param>
/// <param name="Pp">Pipeline stages.</param>
/// <param name="Ep">Expert-parallel degree (1 for dense models).</param>
/// <param name="AttentionDp">Data-parallel attention ranks in the group (1: attention is tensor-parallel over the whole group).</param>
public sealed record Layout(int Tp, int Pp, int Ep, int AttentionDp = 1)
{
    /// <summary>Devices one replica occupies: TP x attention DP x PP.</summary>
    public int Devices => Tp * AttentionDp * Pp;

    /// <summary>Devices of one pipeline stage, over which the routed experts are spread: TP x attention DP.</summary>
    public int StageDevices => Tp * AttentionDp;

    /// <summary>True when attention runs data-parallel (each rank on its own sequences) and experts are spread by EP.</summary>
    public bool DataParallelAttention => AttentionDp > 1;

    /// <summary>A single device.</summary>
    public static Layout Single { get; } = new(1, 1, 1);

    /// <inheritdoc />
    public override string ToString()
    {
        if (AttentionDp > 1)
        {
            var attention = Tp > 1 ? $"DP-attention {AttentionDp} x TP={Tp}" : $"DP-attention {AttentionDp}";
            return Pp > 1 ? $"{attention} x EP {Ep} PP={Pp}" : $"{attention} x EP {Ep}";
        }
        return Ep > 1 ? $"TP={Tp} PP={Pp} EP={Ep}" : $"TP={Tp} PP={Pp}";
    }
}

/// <summary>Which splits a model admits (docs/methodology.md, "Layouts").</summary>
public static class Layouts
{
    /// <summary>The largest tensor-parallel degree considered (one NVLink/NVSwitch domain of common servers is 8; 64 covers NVL-class systems).</summary>
    public const int MaxTensorParallel = 64;

    /// <summary>
    /// The most pipeline stages a command or request may give (<c>--pp</c>, <c>pp</c>): a bound on the input, above any
    /// model's layer count, which then bounds the stages of that model (<see cref="PipelineProblem"/>).
    /// </summary>
    public const int MaxPipelineStages = 1024;

    /// <summary>
    /// Why a tensor-parallel degree is invalid, or null when valid: query heads must divide evenly, and key/value
    /// heads must divide evenly or be replicated (TP a multiple of the KV heads), as vLLM and TensorRT-LLM require.
    /// </summary>
    public static Phrase? TensorParallelProblem(ModelArchitecture a, int tp)
    {
        if (tp < 1)
        {
            return Phrase.Of("layout-problem#tp-min", "tensor-parallel degree must be at least 1");
        }
        if (a.Heads % tp != 0)
        {
            return Phrase.Of("layout-problem#heads", "{heads} attention heads do not divide over TP={tp}", ("heads", a.Heads), ("tp", tp));
        }
        if (a.WindowHeads % tp != 0)
        {
            return Phrase.Of("layout-problem#heads", "{heads} attention heads do not divide over TP={tp}", ("heads", a.WindowHeads), ("tp", tp));
        }
        if (a.Mla is null && a.KvHeads % tp != 0 && tp % a.KvHeads != 0)
        {
            return Phrase.Of("layout-problem#kv-heads", "{kvHeads} key/value heads neither divide over nor replicate onto TP={tp}", ("kvHeads", a.KvHeads), ("tp", tp));
        }
        return null;
    }

    /// <summary>Why a pipeline depth is invalid, or null. Stages may be uneven (vLLM gives the remainder layers to some stages).</summary>
    public static Phrase? PipelineProblem(ModelArchitecture a, int pp) =>
        pp < 1 ? Phrase.Of("layout-problem#pp-min", "pipeline stages must be at least 1")
        : pp > a.Layers ? Phrase.Of("layout-problem#pp-layers", "{pp} pipeline stages exceed the model's {layers} layers", ("pp", pp), ("layers", a.Layers))
        : null;

    /// <summary>Builds a layout, setting EP to the TP degree for MoE models whose experts divide over it.</summary>
    public static Layout Make(ModelArchitecture a, int tp, int pp)
    {
        var ep = a.Moe is { } m && tp > 1 && m.Experts % tp == 0 ? tp : 1;
        return new Layout(tp, pp, ep);
    }

    /// <summary>
    /// A data-parallel-attention layout: <paramref name="dp"/> attention ranks of TP=<paramref name="tp"/>, routed experts
    /// spread over all tp x dp devices of each of <paramref name="pp"/> stages. Check it with <see cref="DataParallelAttentionProblem"/>.
    /// </summary>
    public static Layout MakeDataParallelAttention(int tp, int dp, int pp) => new(tp, pp, tp * dp, dp);

    /// <summary>
    /// Why data-parallel attention with <paramref name="dp"/> ranks of TP=<paramref name="tp"/> is invalid, or null: it needs
    /// a mixture-of-experts model, a valid attention TP and at least two ranks. Routed experts that do not divide over the
    /// tp x dp devices are placed as the engines' load balancers place them, in equal slots per device with some experts
    /// replicated (<see cref="ExpertSlotsPerDevice"/>).
    /// </summary>
    public static Phrase? DataParallelAttentionProblem(ModelArchitecture a, int tp, int dp)
    {
        if (a.Moe is not { } m)
        {
            return Phrase.Of("layout-problem#dp-dense", "data-parallel attention needs a mixture-of-experts model (it spreads the experts over the group)");
        }
        if (dp < 2)
        {
            return Phrase.Of("layout-problem#dp-ranks", "data-parallel attention needs at least 2 attention ranks");
        }
        return TensorParallelProblem(a, tp);
    }

    /// <summary>
    /// Routed-expert slots on each device of a data-parallel-attention group of G devices: ceil(E / G). Every device holds
    /// the same number of expert slots, so when E does not divide over G, G ceil(E / G) - E slots hold redundant copies of
    /// experts, as the engines' expert-parallel load balancers do (TensorRT-LLM's wide-EP <c>num_slots</c>, "must be
    /// &gt;= total experts": 288 slots for DeepSeek's 256 experts on 72 GPUs, NVIDIA/TensorRT-LLM@a98a9061
    /// examples/wide_ep/README.md; DeepSeek's load balancer replicates the most loaded experts into physical experts whose
    /// number "must be a multiple of num_gpus", deepseek-ai/EPLB@57919718 eplb.py, rebalance_experts). Without data-parallel attention EP is the TP degree when the experts
    /// divide over it (<see cref="Make"/>), so no slot is redundant. 0 for a dense model.
    /// </summary>
    public static int ExpertSlotsPerDevice(ModelArchitecture a, Layout layout) =>
        a.Moe is not { } m ? 0
        : layout.DataParallelAttention ? (m.Experts + layout.StageDevices - 1) / layout.StageDevices
        : m.Experts / Math.Max(1, layout.Ep);

    /// <summary>
    /// Routed-expert weights each device stores and reads, over an even share E / G of them: ceil(E / G) G / E, 1 when the
    /// experts divide (DeepSeek's 256 experts on 72 devices: 4 x 72 / 256 = 1.125). Arithmetic per device does not change:
    /// the replicas of an expert split its tokens.
    /// </summary>
    public static double ExpertSlotScale(ModelArchitecture a, Layout layout) =>
        a.Moe is { } m && layout.DataParallelAttention ? (double)ExpertSlotsPerDevice(a, layout) * layout.StageDevices / m.Experts : 1.0;

    /// <summary>
    /// Data-parallel-attention layouts on exactly <paramref name="devices"/> devices without pipeline stages (none for
    /// dense models): attention ranks of TP = 1, 2, 4... while at least two ranks remain, narrowest attention TP first.
    /// </summary>
    public static IReadOnlyList<Layout> DataParallelAttentionOn(ModelArchitecture a, int devices)
    {
        var list = new List<Layout>();
        if (a.Moe is null)
        {
            return list;
        }
        for (var tp = 1; tp * 2 <= devices; tp++)
        {
            if (devices % tp == 0 && DataParallelAttentionProblem(a, tp, devices / tp) is null)
            {
                list.Add(MakeDataParallelAttention(tp, devices / tp, 1));
            }
        }
        return list;
    }

    /// <summary>
    /// The layouts one replica of exactly <paramref name="devices"/> devices may use, the one family <c>plan</c> and
    /// <c>optimize</c> both search (docs/methodology-serving.md, "Replica layouts"): every valid TP x PP split
    /// (<see cref="On"/>, widest tensor parallel first), then, for mixture-of-experts models, data-parallel attention
    /// (<see cref="DataParallelAttentionOn"/>).
    /// </summary>
    public static IReadOnlyList<Layout> OfReplica(ModelArchitecture a, int devices) => [.. On(a, devices), .. DataParallelAttentionOn(a, devices)];

    /// <summary>Servers of <paramref name="devicesPerNode"/> devices that one replica of <paramref name="layout"/> occupies (at least 1).</summary>
    public static int NodesOf(Layout layout, int devicesPerNode) => (layout.Devices + devicesPerNode - 1) / devicesPerNode;

    /// <summary>
    /// True when a pipeline stage's tensor-parallel (or data-parallel-attention and expert-parallel) group of
    /// <paramref name="layout"/> spans two nodes of <paramref name="devicesPerNode"/> devices, so its collectives would run
    /// over the network between servers: the group is wider than a node, or the replica is larger than a node and a group
    /// does not divide the node's devices (devices are placed in order, stage s from device s x group). Tensor parallelism
    /// stays within one server's scale-up domain (an NVL72 rack or a CloudMatrix supernode is one); across servers a
    /// replica is split only into pipeline stages (docs/methodology-fleet.md, "Replicas across servers").
    /// </summary>
    public static bool GroupCrossesNodes(Layout layout, int devicesPerNode) =>
        devicesPerNode > 0 && (layout.StageDevices > devicesPerNode || (layout.Devices > devicesPerNode && devicesPerNode % layout.StageDevices != 0));

    /// <summary>
    /// <see cref="OfReplica"/> over each of <paramref name="counts"/> (repeats dropped) that <paramref name="fits"/> accepts,
    /// in the order of the counts.
    /// </summary>
    public static IReadOnlyList<Layout> OfReplicas(ModelArchitecture a, IEnumerable<int> counts, Func<Layout, bool>? fits = null) =>
        [.. counts.Distinct().SelectMany(n => OfReplica(a, n)).Where(l => fits is null || fits(l))];

    /// <summary>Valid layouts on exactly <paramref name="devices"/> devices, widest tensor parallel first.</summary>
    public static IReadOnlyList<Layout> On(ModelArchitecture a, int devices)
    {
        var list = new List<Layout>();
        for (var tp = Math.Min(devices, MaxTensorParallel); tp >= 1; tp--)
        {
            if (devices % tp != 0 || TensorParallelProblem(a, tp) is not null)
            {
                continue;
            }
            var pp = devices / tp;
            if (PipelineProblem(a, pp) is null)
            {
                list.Add(Make(a, tp, pp));
            }
        }
        return list;
    }

    /// <summary>
    /// Checks a user's layout; an invalid one throws with the valid layouts on the same device count. With
    /// <paramref name="fits"/> (whether the weights and one request fit a device in that layout), only the layouts that
    /// fit are listed, and when none of that count fits the error says so and names the fewest devices whose layouts
    /// fit, with those layouts: a layout that divides the model but not the memory would send the user to another refusal.
    /// </summary>
    public static Layout Validate(ModelArchitecture a, int tp, int pp, string modelName, Func<Layout, bool>? fits = null)
    {
        var tpProblem = TensorParallelProblem(a, tp);
        var problem = tpProblem ?? PipelineProblem(a, pp);
        if (problem is null)
        {
            return Make(a, tp, pp);
        }
        var devices = (tp * pp).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The field at fault is the degree the problem is about: a bad PP named --tp.
        throw new InputException(tpProblem is null ? FieldNames.Pp : FieldNames.Tp, Phrase.Of("invalid-layout", "Layout TP={tp} PP={pp} is invalid for {model}: {problem}; {alternatives}.",
            ("tp", tp.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pp", pp.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("model", modelName), ("problem", problem),
            ("alternatives", Alternatives(a, tp * pp, fits))));
    }

    // The valid layouts on the devices of a refused layout: all of them, or with a memory check those that fit, else the
    // fewest devices (up to MemoryModel.MaxDevicesSearched) whose layouts fit.
    private static Phrase Alternatives(ModelArchitecture a, int devices, Func<Layout, bool>? fits)
    {
        var valid = On(a, devices);
        IReadOnlyList<Layout> fitting = fits is null ? valid : [.. valid.Where(fits)];
        if (fitting.Count > 0)
        {
            return fits is null
                ? Phrase.Of("layouts#valid", "valid layouts on {devices} devices: {layouts}", ("devices", devices), ("layouts", PhraseList.Words(valid, "semicolon")))
                : Phrase.Of("layouts#valid-fit", "valid layouts on {devices} devices that fit in memory: {layouts}", ("devices", devices), ("layouts", PhraseList.Words(fitting, "semicolon")));
        }
        var none = valid.Count == 0
            ? Phrase.Of("layouts#none", "no layout uses exactly {devices} devices", ("devices", devices))
            : Phrase.Of("layouts#none-fit", "no valid layout on {devices} devices fits the weights and one request in memory", ("devices", devices));
        if (fits is null)
        {
            return none;
        }
        for (var n = 1; n <= MemoryModel.MaxDevicesSearched; n++)
        {
            if (On(a, n).Where(fits).ToList() is { Count: > 0 } smallest)
            {
                return Phrase.Of("layouts#fewest-fit", "{none}; the fewest devices whose layouts fit are {fewest}: {layouts}",
                    ("none", none), ("fewest", n), ("layouts", PhraseList.Words(smallest, "semicolon")));
            }
        }
        return Phrase.Of("layouts#nothing-fits", "{none}, nor does any layout on up to {max} devices; use a lower precision or a device with more memory",
            ("none", none), ("max", MemoryModel.MaxDevicesSearched));
    }
}

/// <summary>
/// A whole system of devices split as operators split it: data-parallel replicas of one replica layout, each replica
/// serving its share of the load independently (docs/methodology-serving.md, "Whole systems").
/// </summary>
/// <param name="Replica">The layout of one replica (TP x PP, EP).</param>
/// <param name="Replicas">Data-parallel replicas.</param>
public sealed record SystemLayout(Layout Replica, int Replicas)
{
    /// <summary>Devices the whole system uses.</summary>
    public int Devices => Replica.Devices * Replicas;

    /// <inheritdoc />
    public override string ToString() => Replicas == 1 ? Replica.ToString() : $"{Replicas} replicas x ({Replica})";
}

/// <summary>Which splits of a whole system into replicas are possible.</summary>
public static class SystemLayouts
{
    /// <summary>
    /// Devices per node for tensor parallelism on <paramref name="device"/>: the catalog's largest server for it (most
    /// devices per node); without a server entry, the system itself up to 8 devices, the HGX/DGX baseboard size of
    /// the generic data-centre node (<c>FleetPlanner.GenericServer</c>). Used by validation and by the commands that
    /// split a system alike.
    /// </summary>
    public static int NodeSize(SuanliCatalog catalog, Device device, int systemDevices)
    {
        var servers = catalog.ServersFor(device);
        return servers.Count > 0 ? servers.Max(s => s.DevicesPerNode) : Math.Min(systemDevices, GenericNodeDevices);
    }

    /// <summary>Devices per generic node when the catalog has no server for a device: an 8-GPU HGX/DGX baseboard.</summary>
    public const int GenericNodeDevices = 8;

    /// <summary>
    /// Every split of <paramref name="devices"/> devices into equal replicas whose tensor-parallel (or data-parallel
    /// attention and expert-parallel) group stays within one node (<paramref name="devicesPerNode"/>) and whose weights
    /// and one request fit, as <paramref name="fits"/> decides; fewest devices per replica first, and among equal sizes
    /// the widest tensor parallel first, then the data-parallel-attention groups of mixture-of-experts models (left out
    /// when <paramref name="dataParallelAttention"/> is false).
    /// </summary>
    public static IReadOnlyList<SystemLayout> Candidates(ModelArchitecture a, int devices, int devicesPerNode, Func<Layout, bool> fits, bool dataParallelAttention = true)
    {
        var list = new List<SystemLayout>();
        for (var group = 1; group <= devices; group++)
        {
            if (devices % group != 0)
            {
                continue;
            }
            foreach (var layout in dataParallelAttention ? Layouts.On(a, group).Concat(Layouts.DataParallelAttentionOn(a, group)) : Layouts.On(a, group))
            {
                if (layout.StageDevices <= Math.Max(1, devicesPerNode) && fits(layout))
                {
                    list.Add(new SystemLayout(layout, devices / group));
                }
            }
        }
        return list;
    }

    /// <summary>
    /// Pipeline degrees an unpinned choice tries within one node beside the splits without stages: 2 and 4, as NVIDIA
    /// splits Llama 3.1 405B on GB200 (TP=2 PP=2 in its MLPerf v5.1 Offline config, docs/methodology-serving.md, "Whole
    /// systems"); the step time runs them as pipelined micro-batches (docs/methodology-steptime.md, "Pipeline micro-batches").
    /// </summary>
    public static IReadOnlyList<int> PipelineDegreesWithinNode { get; } = [2, 4];

    /// <summary>
    /// The candidates an unpinned choice scores (docs/methodology-serving.md, "Whole systems"): when any split without
    /// pipeline stages fits, those and, with <paramref name="pipelineWithinNode"/>, the splits of PP in
    /// <see cref="PipelineDegreesWithinNode"/> whose whole replica (TP x attention DP x PP) stays within one node of
    /// <paramref name="devicesPerNode"/> devices; <paramref name="keep"/> keeps others the caller adds (stages across
    /// nodes). When no split without stages fits, every candidate stays.
    /// </summary>
    public static IReadOnlyList<SystemLayout> PreferringNoPipeline(IReadOnlyList<SystemLayout> candidates, int devicesPerNode, bool pipelineWithinNode,
        Func<SystemLayout, bool>? keep = null)
    {
        if (!candidates.Any(c => c.Replica.Pp == 1))
        {
            return candidates;
        }
        return [.. candidates.Where(c => c.Replica.Pp == 1 || (keep?.Invoke(c) ?? false)
            || (pipelineWithinNode && PipelineDegreesWithinNode.Contains(c.Replica.Pp) && c.Replica.Devices <= Math.Max(1, devicesPerNode)))];
    }

    /// <summary>
    /// Checks a layout a user or a source pins on a system of <paramref name="devices"/>: the replica must be a valid
    /// split of the model and replicas x TP x PP must equal the devices; otherwise an <see cref="InputException"/> on
    /// <paramref name="field"/> lists the valid splits. An <paramref name="ep"/> that is a multiple k x TP of TP (k at
    /// least 2) pins data-parallel attention: k attention ranks of TP each, the routed experts over all EP devices, and
    /// replicas x EP x PP must equal the devices. Any other EP is left to the caller.
    /// </summary>
    /// <remarks>With <paramref name="fits"/> (the memory check of the caller's layout choice), only the splits that fit are listed, or the error says none does.</remarks>
    public static SystemLayout Validate(ModelArchitecture a, int devices, int tp, int pp, int? replicas, string modelName, FieldRef field = default, int? ep = null,
        Func<Layout, bool>? fits = null)
    {
        var dp = ep is { } e && tp > 0 && e > tp ? (e % tp == 0 ? e / tp : -1) : 1;
        var group = tp * Math.Max(1, dp) * pp;
        var n = replicas ?? (group > 0 ? devices / group : 0);
        var problem = (dp == -1 ? Phrase.Of("layout-problem#ep-multiple", "EP={ep} is neither TP={tp} nor a multiple of it", ("ep", ep ?? 0), ("tp", tp)) : null)
            ?? (dp > 1 ? Layouts.DataParallelAttentionProblem(a, tp, dp) : Layouts.TensorParallelProblem(a, tp))
            ?? Layouts.PipelineProblem(a, pp)
            ?? (replicas is null && group > 0 && devices % group != 0 ? GroupDoesNotDivide(tp, dp, pp, group, devices)
                : n < 1 || n * group != devices ? UnusedDevices(n, tp, dp, pp, devices) : null);
        if (problem is null)
        {
            return new SystemLayout(dp > 1 ? Layouts.MakeDataParallelAttention(tp, dp, pp) : Layouts.Make(a, tp, pp), n);
        }
        var alternatives = ValidSplits(a, devices, modelName, fits);
        // Without a pinned replica count that the devices set, a replica that does not divide them has no count to show.
        var layout = ep is { } pinned
            ? Phrase.Of("split#ep", "{replicas} replicas x TP={tp} PP={pp} EP={ep}", ("replicas", n), ("tp", tp), ("pp", pp), ("ep", pinned))
            : replicas is null && n * group != devices ? Phrase.Of("split#replica", "TP={tp} PP={pp}", ("tp", tp), ("pp", pp))
            : Phrase.Of("split", "{replicas} replicas x TP={tp} PP={pp}", ("replicas", n), ("tp", tp), ("pp", pp));
        throw field.Or(FieldNames.Tp).Error(Phrase.Of("invalid-split", "Layout {split} is invalid for {model}: {problem}; {alternatives}.",
            ("split", layout), ("model", modelName), ("problem", problem), ("alternatives", alternatives)));
    }

    /// <summary>
    /// The valid splits of <paramref name="devices"/> devices for an error about a pinned layout, at most 12, fewest
    /// devices per replica first. With <paramref name="fits"/> (the memory check of weights and one request that the
    /// layout choice applies) only those that fit are listed, and when a split exists but none fits, the phrase says so:
    /// a split the memory cannot hold (a 671B model at TP=1 on one device) would send the user to another refusal.
    /// </summary>
    public static Phrase ValidSplits(ModelArchitecture a, int devices, string modelName, Func<Layout, bool>? fits = null)
    {
        var valid = Candidates(a, devices, int.MaxValue, _ => true);
        if (valid.Count == 0)
        {
            return Phrase.Of("splits#none", "no split of {model} uses exactly {devices} devices", ("model", modelName), ("devices", devices));
        }
        if (fits is null)
        {
            return Phrase.Of("splits#valid", "valid splits of {devices} devices: {splits}", ("devices", devices), ("splits", PhraseList.Words(valid.Take(12), "semicolon")));
        }
        var fitting = valid.Where(s => fits(s.Replica)).ToList();
        return fitting.Count == 0
            ? Phrase.Of("splits#none-fit", "none of the {count} splits of {devices} devices fits {model} in memory (weights and one request); use more devices or a lower precision",
                ("count", valid.Count), ("devices", devices), ("model", modelName))
            : Phrase.Of("splits#valid-fit", "valid splits of {devices} devices that fit memory: {splits}", ("devices", devices), ("splits", PhraseList.Words(fitting.Take(12), "semicolon")));
    }

    private static Phrase GroupDoesNotDivide(int tp, int dp, int pp, int group, int devices) => dp > 1
        ? Phrase.Of("layout-problem#group-dp", "a replica of TP={tp} x DP-attention {dp} x PP={pp} = {group} devices does not divide {devices} devices",
            ("tp", tp), ("dp", dp), ("pp", pp), ("group", group), ("devices", devices))
        : Phrase.Of("layout-problem#group", "a replica of TP={tp} x PP={pp} = {group} devices does not divide {devices} devices",
            ("tp", tp), ("pp", pp), ("group", group), ("devices", devices));

    private static Phrase UnusedDevices(int replicas, int tp, int dp, int pp, int devices) => dp > 1
        ? Phrase.Of("layout-problem#devices-dp", "{replicas} replicas x TP={tp} x DP-attention {dp} x PP={pp} do not use exactly {devices} devices",
            ("replicas", replicas), ("tp", tp), ("dp", dp), ("pp", pp), ("devices", devices))
        : Phrase.Of("layout-problem#devices", "{replicas} replicas x TP={tp} x PP={pp} do not use exactly {devices} devices",
            ("replicas", replicas), ("tp", tp), ("pp", pp), ("devices", devices));
}

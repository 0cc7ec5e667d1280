using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>The layout of a whole system in JSON (docs/methodology-serving.md, "Whole systems").</summary>
/// <param name="Replicas">Data-parallel replicas, each serving an equal share of the load.</param>
/// <param name="Tp">Tensor-parallel degree of one replica (of each attention rank with data-parallel attention).</param>
/// <param name="Pp">Pipeline stages of one replica.</param>
/// <param name="Ep">Expert-parallel degree of one replica (1 for dense models).</param>
/// <param name="AttentionDp">Data-parallel attention ranks of one replica (1: none).</param>
/// <param name="ReplicaDevices">Devices of one replica: TP x attention DP x PP.</param>
/// <param name="Devices">Devices of the whole system: replicas x replica devices.</param>
public sealed record SystemLayoutJson(int Replicas, int Tp, int Pp, int Ep, int AttentionDp, int ReplicaDevices, int Devices)
{
    /// <summary>Converts a system layout.</summary>
    public static SystemLayoutJson Of(SystemLayout s) =>
        new(s.Replicas, s.Replica.Tp, s.Replica.Pp, s.Replica.Ep, s.Replica.AttentionDp, s.Replica.Devices, s.Devices);
}

/// <summary>What a user pins of a system's layout; every null is left to the choice.</summary>
/// <param name="Tp">Tensor-parallel degree.</param>
/// <param name="Pp">Pipeline stages.</param>
/// <param name="Replicas">Data-parallel replicas.</param>
/// <param name="AttentionDp">Data-parallel attention ranks (mixture-of-experts models).</param>
public sealed record SystemPin(int? Tp, int? Pp, int? Replicas, int? AttentionDp)
{
    /// <summary>True when any part is pinned.</summary>
    public bool Any => Tp is not null || Pp is not null || Replicas is not null || AttentionDp is not null;
}

/// <summary>The layout used for a system and why.</summary>
/// <param name="Layout">Replicas x the replica's layout.</param>
/// <param name="Reason">Why: pinned, the only split, or chosen by the rule among the candidates.</param>
/// <param name="Candidates">Splits compared (1 when pinned).</param>
/// <param name="Findings">Notes on the layout (the choice; tensor parallel crossing nodes).</param>
public sealed record SystemChoice(SystemLayout Layout, Phrase Reason, int Candidates, IReadOnlyList<Finding> Findings)
{
    /// <summary>The layout in JSON.</summary>
    public SystemLayoutJson Json => SystemLayoutJson.Of(Layout);
}

/// <summary>
/// Splits a system of N devices into replicas for <c>perf</c>, <c>simulate</c> and <c>capacity</c> as <c>suanli validate</c>
/// does (docs/methodology-serving.md, "Whole systems"): a pinned layout is checked against the system and the model; without
/// one every split whose tensor-parallel group stays within one node and whose weights fit is scored and the best is used.
/// </summary>
public static class SystemLayoutChoice
{
    /// <summary>
    /// Chooses the layout of <paramref name="devices"/> devices. <paramref name="fits"/> says whether weights and one request
    /// fit a replica layout; <paramref name="score"/> rates a candidate (higher is better, per device); <paramref name="rule"/>
    /// names the score in the reason. With <paramref name="preferNoPipeline"/> and no pinned PP, splits without pipeline
    /// stages are the candidates when any fits, with those of PP = 2 or 4 within one node when <paramref name="pipelineWithinNode"/>
    /// (<see cref="SystemLayouts.PreferringNoPipeline"/>; it bounds searches that cost a simulation each). Ties (within
    /// <paramref name="tieFraction"/>) keep the earlier candidate (fewer devices per replica) unless
    /// <paramref name="tieBreak"/> (lower is better) separates them. Data-parallel attention with expert parallelism is a
    /// candidate when pinned, or when <paramref name="expertParallel"/> says the engine serves the model that way
    /// (<see cref="ExpertParallelChoice.Tried"/>).
    /// </summary>
    public static SystemChoice Choose(ModelEntry entry, Device device, int devices, SystemPin pin, SuanliCatalog catalog, Func<Layout, bool> fits,
        Func<SystemLayout, double> score, Phrase rule, bool preferNoPipeline = false, double tieFraction = 1e-4, Func<SystemLayout, double>? tieBreak = null,
        bool expertParallel = false, bool pipelineWithinNode = false)
    {
        var a = entry.Architecture;
        var perNode = SystemLayouts.NodeSize(catalog, device, devices);
        var findings = new List<Finding>();
        var dp = pin.AttentionDp ?? 1;
        var tryDp = dp > 1 || (expertParallel && pin.AttentionDp is null);
        if (pin.Tp is { } tp)
        {
            var pp = pin.Pp ?? (pin.Replicas is { } r && r > 0 && devices % (r * tp * dp) == 0 ? devices / (r * tp * dp) : 1);
            var system = SystemLayouts.Validate(a, devices, tp, pp, pin.Replicas, entry.Id, FieldNames.Tp, dp > 1 ? tp * dp : null, fits);
            var reason = Phrase.Of("layout-reason#pinned", "pinned");
            Crossing(system, perNode, findings, NodeLinks.ForDevice(catalog, device));
            findings.Add(Chosen(system, devices, device, reason));
            return new SystemChoice(system, reason, 1, findings);
        }
        bool Matches(SystemLayout s) => (pin.Pp is null || s.Replica.Pp == pin.Pp) && (pin.Replicas is null || s.Replicas == pin.Replicas)
            && (pin.AttentionDp is null || s.Replica.AttentionDp == pin.AttentionDp);
        var candidates = SystemLayouts.Candidates(a, devices, perNode, fits, dataParallelAttention: tryDp).Where(Matches).ToList();
        if (candidates.Count == 0 && pin.Any)
        {
            // A pinned part (say --replicas 1 on two nodes) may only be met with TP across nodes: allowed, and said.
            candidates = SystemLayouts.Candidates(a, devices, int.MaxValue, fits, dataParallelAttention: tryDp).Where(Matches).ToList();
        }
        if (candidates.Count == 0)
        {
            var valid = SystemLayouts.Candidates(a, devices, int.MaxValue, _ => true, dataParallelAttention: true);
            var pinned = pin.Any ? Fmt.I($" with {Describe(pin)}") : "";
            var alternatives = valid.Count == 0 ? $"no split of {entry.Id} uses exactly {devices.ToString(CultureInfo.InvariantCulture)} devices"
                : $"valid splits of {devices.ToString(CultureInfo.InvariantCulture)} devices (before memory): {string.Join("; ", valid.Take(12))}";
            throw new InputException(pin.Any ? PinField(pin) : FieldNames.SystemDevices,
                Phrase.Of("no-split-fits", "No split of {model} on {devices} x {device}{pinned} fits memory with tensor parallel within a node of {perNode} devices; {alternatives}. Use more devices or a lower {precision}.",
                    ("model", entry.Id), ("devices", devices), ("device", device.Id), ("pinned", pinned), ("perNode", perNode), ("alternatives", alternatives), ("precision", FieldNames.Precision)));
        }
        if (preferNoPipeline && pin.Pp is null && candidates.Any(c => c.Replica.Pp == 1))
        {
            // When the smallest split without stages fills a node or more and the servers' network is known, replicas that
            // span nodes (TP over a whole node, PP across nodes) stay candidates, as the plan tries them (MultiNode).
            var spanning = NodeLinks.ForDevice(catalog, device) is not null && candidates.Where(c => c.Replica.Pp == 1).Min(c => c.Replica.Devices) >= perNode;
            candidates = [.. SystemLayouts.PreferringNoPipeline(candidates, perNode, pipelineWithinNode, c => spanning && c.Replica.StageDevices == perNode)];
        }
        SystemLayout best = candidates[0];
        if (candidates.Count > 1)
        {
            var bestScore = double.NegativeInfinity;
            var bestTie = double.PositiveInfinity;
            foreach (var c in candidates)
            {
                var s = score(c);
                var t = tieBreak?.Invoke(c) ?? 0;
                if (s > bestScore * (1 + tieFraction) || (s >= bestScore * (1 - tieFraction) && t < bestTie))
                {
                    best = c;
                    bestScore = Math.Max(s, bestScore);
                    bestTie = t;
                }
                else if (s > bestScore)
                {
                    bestScore = s;
                }
            }
        }
        var why = candidates.Count == 1
            ? Phrase.Of("layout-reason#only", "the only split that fits")
            : Phrase.Of("layout-reason#chosen", "chosen as the split with {rule} of {count} candidates", ("rule", rule), ("count", Show.N(candidates.Count)));
        if (pin.Any)
        {
            why = Phrase.Of("layout-reason#partly-pinned", "{reason}, with {pinned} pinned", ("reason", why), ("pinned", Describe(pin)));
        }
        Crossing(best, perNode, findings, NodeLinks.ForDevice(catalog, device));
        findings.Add(Chosen(best, devices, device, why));
        return new SystemChoice(best, why, candidates.Count, findings);
    }

    private static Finding Chosen(SystemLayout s, int devices, Device device, Phrase reason) =>
        Finding.Info("system-layout", "{devices} x {device} split as {layout} ({reason}); figures for the system are the replica's times {replicas}, the load spread evenly over the replicas (docs/methodology-serving.md, 'Whole systems').",
            ("devices", Show.N(devices)), ("device", device.Id), ("layout", s.ToString()), ("reason", reason), ("replicas", Show.N(s.Replicas)));

    private static void Crossing(SystemLayout s, int perNode, List<Finding> findings, NodeLinks? nodes)
    {
        if (s.Replica.StageDevices > perNode && nodes is not null)
        {
            findings.Add(Finding.Warn("layout-crosses-nodes#modelled", "The tensor-parallel group of {group} devices ({layout}) crosses nodes of {perNode} devices: its all-reduces run over the scale-out network at {network} per device each way, as the step time prices them; engines keep TP within a node and put pipeline stages across nodes, which usually serves more.",
                ("group", Show.N(s.Replica.StageDevices)), ("layout", s.Replica.ToString()), ("perNode", Show.N(perNode)), ("network", Fmt.I($"{nodes.ScaleOut.InGigabytesPerSecond:0.#} GB/s"))));
        }
        else if (s.Replica.StageDevices > perNode)
        {
            findings.Add(Finding.Warn("layout-crosses-nodes", "The tensor-parallel group of {group} devices ({layout}) crosses nodes of {perNode} devices: its all-reduces run over the scale-out network, which the step time does not model as slower than the node's links, so the prediction is optimistic.",
                ("group", Show.N(s.Replica.StageDevices)), ("layout", s.Replica.ToString()), ("perNode", Show.N(perNode))));
        }
    }

    private static FieldName PinField(SystemPin p) => p.Replicas is not null ? FieldNames.Replicas : p.Pp is not null ? FieldNames.Pp : p.AttentionDp is not null ? FieldNames.DpAttention : FieldNames.Tp;

    private static string Describe(SystemPin p) => string.Join(", ", new[]
    {
        p.Tp is { } t ? Fmt.I($"TP={t}") : null, p.Pp is { } pp ? Fmt.I($"PP={pp}") : null,
        p.Replicas is { } r ? Fmt.I($"replicas={r}") : null, p.AttentionDp is { } d ? Fmt.I($"DP-attention {d}") : null,
    }.Where(x => x is not null));
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>
/// The capacity searches already run in this process, so that a plan, its range, its sensitivity and the web page's
/// panels, two applications with the same requests on the same replica, and the optimizer's candidates do not simulate
/// one search twice. A search is a pure function of its inputs (seeded arrivals, a step-time model that does not
/// change), so a remembered result is the one a new run would give, bit for bit.
/// </summary>
internal static class CapacitySearchMemo
{
    // Each result holds a few summaries per probe (no per-request data): a few kilobytes. Past this many per model the
    // memo starts again rather than grow without end in a long-lived web process.
    private const int MaxEntries = 4096;

    private static readonly ConditionalWeakTable<IStepTimeModel, ConcurrentDictionary<Key, CapacityResult>> Memo = new();

    // Any length distribution stands in for the workload's own, whose content is compared by LengthKey instead: two
    // applications' distributions parsed apart are different objects with the same lengths.
    private static readonly LengthDistribution Placeholder = LengthDistribution.Fixed(1);

    public static CapacityResult GetOrRun(IStepTimeModel model, Deployment deployment, Workload workload, EngineConfig engine, ServingTargets targets,
        CapacityMode mode, Speculation? speculation, Func<CapacityResult> run)
    {
        var memo = Memo.GetValue(model, _ => new ConcurrentDictionary<Key, CapacityResult>());
        var key = new Key(deployment, workload with { Input = Placeholder, Output = Placeholder }, LengthKey.Of(workload.Input), LengthKey.Of(workload.Output),
            engine, targets, mode, speculation);
        if (memo.TryGetValue(key, out var known))
        {
            return known;
        }
        // Run outside the dictionary: a cancelled or refused search throws and leaves nothing behind.
        var result = run();
        if (memo.Count >= MaxEntries)
        {
            memo.Clear();
        }
        return memo.GetOrAdd(key, result);
    }

    private sealed record Key(Deployment Deployment, Workload Workload, LengthKey Input, LengthKey Output, EngineConfig Engine, ServingTargets Targets,
        CapacityMode Mode, Speculation? Speculation);

    // What the simulator draws lengths from; the field and label only name the distribution in messages.
    private sealed class LengthKey(LengthShape shape, double a, double b, string pairing, IReadOnlyList<int> values) : IEquatable<LengthKey>
    {
        public static LengthKey Of(LengthDistribution d) => new(d.Shape, d.A, d.B, d.Pairing, d.Values);

        public bool Equals(LengthKey? other) => other is not null && shape == other.Shape && a.Equals(other.A) && b.Equals(other.B)
            && pairing == other.Pairing && (ReferenceEquals(values, other.Values) || values.SequenceEqual(other.Values));

        public override bool Equals(object? obj) => Equals(obj as LengthKey);

        public override int GetHashCode() => HashCode.Combine(shape, a, b, pairing, values.Count, values.Count > 0 ? values[0] : 0);

        private LengthShape Shape => shape;

        private double A => a;

        private double B => b;

        private string Pairing => pairing;

        private IReadOnlyList<int> Values => values;
    }
}

using FsCheck;
using FsCheck.Fluent;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <see cref="CapacityLayouts.Choose"/> searches splits on several threads and replays the one-thread rule over the
/// capacities found: the split chosen, its capacity, the splits searched and pruned and every capacity reported equal
/// those of the one-thread search, whatever order the searches end in.
/// </summary>
public class CapacityLayoutParallelTests
{
    // Distinct splits: 1..n replicas of one replica layout.
    private static List<SystemLayout> Splits(int n) =>
        [.. Enumerable.Range(1, n).Select(r => new SystemLayout(Layouts.Make(CatalogFiles.Embedded.Models[0].Architecture, 1, 1), r))];

    /// <summary>A random fake row: two bounds and a capacity per split, how long each search sleeps, threads and pruning.</summary>
    public sealed record Case(double[] Bound, double[] Steady, double[] Capacity, int[] SleepMs, int Threads, bool Prune);

    // Values on both sides of 10 within and beyond the 0.01% tie (Planner.TieFactor), so that ties on bounds and on
    // capacities, ties broken by place, and capacities above their bounds (where pruning is not exact) all occur.
    private static readonly double[] Bounds = [0, 5, 9.9995, 10, 10.0005, 10.002, 12, 20, double.PositiveInfinity];
    private static readonly double[] Capacities = [0, 0, 4, 5, 9.9995, 10, 10.0005, 10.002, 11, 12, 25];

    private static Gen<Case> Cases =>
        from n in Gen.Choose(1, 10)
        from bound in Gen.Elements(Bounds).ArrayOf(n)
        from steady in Gen.Elements(Bounds).ArrayOf(n)
        from capacity in Gen.Elements(Capacities).ArrayOf(n)
        from sleep in Gen.Choose(0, 2).ArrayOf(n)
        from threads in Gen.Elements(2, 3, 4, 8)
        from prune in Gen.Elements(true, false, true)
        select new Case(bound, steady, capacity, sleep, threads, prune);

    [Fact]
    public void The_parallel_choice_equals_the_one_thread_choice_with_the_same_splits_searched_and_pruned() =>
        FsCheck.Check.One(PropertyTests.Seeded(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true)), Prop.ForAll(Arb.From(Cases), c =>
        {
            var splits = Splits(c.Bound.Length);
            var calls = new int[splits.Count];
            var (running, most) = (0, 0);
            double Capacity(SystemLayout l)
            {
                var at = l.Replicas - 1;
                Interlocked.Increment(ref calls[at]);
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                // Searches end in varying orders; no assertion reads the time.
                Thread.Sleep(c.SleepMs[at]);
                Interlocked.Decrement(ref running);
                return c.Capacity[at];
            }
            double Bound(SystemLayout l) => c.Bound[l.Replicas - 1];
            double Steady(SystemLayout l) => c.Steady[l.Replicas - 1];

            var one = CapacityLayouts.Choose(splits, [Bound, Steady], l => c.Capacity[l.Replicas - 1], c.Prune, parallelism: 1);
            var many = CapacityLayouts.Choose(splits, [Bound, Steady], Capacity, c.Prune, parallelism: c.Threads);

            Assert.Equal(one is null, many is null);
            if (one is not null)
            {
                Assert.Equal(one.Chosen, many!.Chosen);
                Assert.Equal(one.Capacity, many.Capacity);
                Assert.Equal(one.Pruned, many.Pruned);
                // Every split's bound and reported capacity (null where pruned) as on one thread.
                Assert.Equal(one.Candidates, many.Candidates);
                Assert.Equal(one.Note, many.Note);
                // Every split the rule searched was searched.
                Assert.All(many.Candidates.Select((s, i) => (s, i)).Where(x => x.s.Capacity is not null), x => Assert.Equal(1, calls[x.i]));
            }
            // No split searched twice, never more searches at once than threads.
            Assert.All(calls, n => Assert.InRange(n, 0, 1));
            Assert.InRange(most, 0, c.Threads);
            if (!c.Prune)
            {
                Assert.All(calls, n => Assert.Equal(1, n));
            }
        }));

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    [Fact]
    public void With_two_threads_two_splits_are_searched_at_the_same_time()
    {
        // Each search waits until two searches have started: one thread at a time would never get past the first.
        // The wait's limit only ends a run that went wrong; no assertion reads the time.
        using var both = new CountdownEvent(2);
        var met = 0;
        double Capacity(SystemLayout l)
        {
            if (l.Replicas <= 2)
            {
                both.Signal();
                Interlocked.Add(ref met, both.Wait(TimeSpan.FromMinutes(2)) ? 1 : 0);
            }
            return l.Replicas;
        }
        var choice = CapacityLayouts.Choose(Splits(4), [_ => double.PositiveInfinity], Capacity, parallelism: 2)!;
        Assert.Equal(2, Volatile.Read(ref met));
        // Infinite bounds prune nothing: the largest capacity (4 replicas) wins.
        Assert.Equal((4, 4.0, 0), (choice.Chosen.Replicas, choice.Capacity, choice.Pruned));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_search_that_throws_throws_only_where_the_one_thread_rule_needs_its_capacity(int threads)
    {
        var splits = Splits(3);
        // Bounds 20, 15, 5: the first carries 12, so the third (bound 5) is pruned, and its search, which throws, is not
        // needed even when a thread ran it ahead of the rule.
        double[] bound = [20, 15, 5];
        double Capacity(int at) => at == 2 ? throw new InvalidOperationException("third split") : new double[] { 12, 8, 0 }[at];
        var choice = CapacityLayouts.Choose(splits, [l => bound[l.Replicas - 1]], l => Capacity(l.Replicas - 1), parallelism: threads)!;
        Assert.Equal((splits[0], 12.0, 1), (choice.Chosen, choice.Capacity, choice.Pruned));
        Assert.Null(choice.Candidates[2].Capacity);
        Assert.Equal(8, choice.Candidates[1].Capacity);

        // A bound of 13 on the third beats 12: the rule needs its capacity, and its own exception reaches the caller.
        bound[2] = 13;
        var thrown = Assert.Throws<InvalidOperationException>(() => CapacityLayouts.Choose(splits, [l => bound[l.Replicas - 1]], l => Capacity(l.Replicas - 1), parallelism: threads));
        Assert.Equal("third split", thrown.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_cancelled_choice_starts_no_search_after_the_cancellation_and_throws_operation_cancelled(int threads)
    {
        var splits = Splits(6);
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        double Capacity(SystemLayout l)
        {
            Interlocked.Increment(ref calls);
            cancel.Cancel();
            return l.Replicas;
        }
        // Bounds all infinite: without the cancellation every split would be searched.
        Assert.ThrowsAny<OperationCanceledException>(() => CapacityLayouts.Choose(splits, [_ => double.PositiveInfinity], Capacity, parallelism: threads, cancel: cancel.Token));
        // The first search cancels; only searches already taken by other threads by then still run.
        Assert.InRange(calls, 1, threads);

        // Cancelled before it starts: no search at all.
        calls = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => CapacityLayouts.Choose(splits, [_ => double.PositiveInfinity], Capacity, parallelism: threads, cancel: cancel.Token));
        Assert.Equal(0, calls);
    }
}

using System.Runtime.ExceptionServices;

namespace Suanli.Validation;

public static partial class CapacityLayouts
{
    /// <summary>
    /// The search of <see cref="Choose"/> on several threads, with the one-thread result (<see cref="OneAfterAnother"/>). Each
    /// thread takes, under one lock, the first split that the one-thread rule replayed over the capacities found so far
    /// still needs and that no thread has taken; when that split is taken, the next in bound order whose bound can beat
    /// the best capacity the replay has reached (a split the rule may yet need); when neither, it waits for a search to
    /// end. The search ends when the replay needs no capacity it lacks, and the result is that replay: a split searched
    /// ahead and then pruned by the rule is left out, and a search that threw throws only if the rule needs its capacity,
    /// as on one thread.
    /// </summary>
    /// <param name="order">Indices of the splits, highest tightest bound first (ties: earlier index first).</param>
    /// <param name="tightest">Each split's tightest bound (requests/s, whole system).</param>
    /// <param name="prune">Whether splits are skipped by their bounds.</param>
    /// <param name="capacity">A split's capacity by index (requests/s, whole system; 0 when it meets no load).</param>
    private sealed class SplitSearch(int[] order, double[] tightest, bool prune, Func<int, double> capacity)
    {
        private readonly object _gate = new();
        private readonly bool[] _taken = new bool[order.Length];
        private readonly Outcome?[] _found = new Outcome?[order.Length];
        private bool _over;

        /// <summary>A split's search: its capacity, or what it threw.</summary>
        private readonly record struct Outcome(double Value, ExceptionDispatchInfo? Failure);

        /// <summary>Searches on <paramref name="threads"/> threads (the caller's among them) and returns the one-thread rule's result.</summary>
        public ((double Value, int At)? Best, double?[] Capacities) Run(int threads, CancellationToken cancel)
        {
            // A cancellation wakes the threads waiting for a search to end; the one running a search stops after it.
            using (cancel.Register(Wake))
            {
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Work(cancel));
            }
            cancel.ThrowIfCancellationRequested();
            var replay = Replay();
            replay.Failure?.Throw();
            return (replay.Best, replay.Capacities);
        }

        private void Work(CancellationToken cancel)
        {
            while (Take(cancel) is { } at)
            {
                Outcome outcome;
                try
                {
                    outcome = new Outcome(capacity(at), null);
                }
                catch (Exception ex)
                {
                    // Kept, and thrown by Run only if the one-thread rule needs this split's capacity.
                    outcome = new Outcome(0, ExceptionDispatchInfo.Capture(ex));
                }
                lock (_gate)
                {
                    _found[at] = outcome;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        /// <summary>The next split this thread searches, waiting while every split worth searching is taken; null when the search is over.</summary>
        private int? Take(CancellationToken cancel)
        {
            lock (_gate)
            {
                while (!_over)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        break;
                    }
                    var replay = Replay();
                    if (replay.Needed is not { } needed || replay.Failure is not null)
                    {
                        // The rule needs no capacity it lacks (or needs one whose search threw): every thread stops.
                        _over = true;
                        Monitor.PulseAll(_gate);
                        break;
                    }
                    int? next = _taken[needed] ? null : needed;
                    for (var k = Array.IndexOf(order, needed) + 1; next is null && k < order.Length; k++)
                    {
                        // Ahead of the rule: a split it may still need, as its bound beats the best capacity reached so far.
                        var ahead = order[k];
                        next = !_taken[ahead] && (!prune || Beats(tightest[ahead], ahead, replay.Best)) ? ahead : null;
                    }
                    if (next is { } at)
                    {
                        _taken[at] = true;
                        return at;
                    }
                    Monitor.Wait(_gate);
                }
                return null;
            }
        }

        private void Wake()
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>
        /// The one-thread rule over the capacities found: the best capacity reached, the capacities it used, the first split
        /// it needs whose capacity is not found yet (null when none), and the failure of a needed search that threw.
        /// </summary>
        private ((double Value, int At)? Best, double?[] Capacities, int? Needed, ExceptionDispatchInfo? Failure) Replay()
        {
            var capacities = new double?[order.Length];
            (double Value, int At)? best = null;
            foreach (var at in order)
            {
                if (prune && !Beats(tightest[at], at, best))
                {
                    continue;
                }
                if (_found[at] is not { } found)
                {
                    return (best, capacities, at, null);
                }
                if (found.Failure is { } failure)
                {
                    return (best, capacities, null, failure);
                }
                capacities[at] = found.Value;
                if (found.Value > 0 && Beats(found.Value, at, best))
                {
                    best = (found.Value, at);
                }
            }
            return (best, capacities, null, null);
        }
    }
}

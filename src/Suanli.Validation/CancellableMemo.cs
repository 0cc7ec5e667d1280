using System.Collections.Concurrent;

namespace Suanli.Validation;

/// <summary>A memo whose values are computed once even when several threads ask at once, and forgotten when their computation was cancelled.</summary>
public static class CancellableMemo
{
    /// <summary>
    /// The value of <paramref name="key"/>: the one computed already or being computed by another thread, else
    /// <paramref name="run"/>'s. A <see cref="Lazy{T}"/> keeps its exception for every later caller, so a cancelled
    /// computation is removed, and run again for a caller whose own <paramref name="cancel"/> was not the one cancelled.
    /// </summary>
    public static TValue Once<TKey, TValue>(ConcurrentDictionary<TKey, Lazy<TValue>> memo, TKey key, Func<TValue> run, CancellationToken cancel)
        where TKey : notnull
    {
        while (true)
        {
            var once = memo.GetOrAdd(key, _ => new Lazy<TValue>(run));
            try
            {
                return once.Value;
            }
            catch (OperationCanceledException)
            {
                memo.TryRemove(KeyValuePair.Create(key, once));
                cancel.ThrowIfCancellationRequested();
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// Runs the expensive operations (simulate, capacity, plan, optimize, compare, perf, train, density) under the server's limits:
/// at most <see cref="WebLimits.MaxConcurrentOperations"/> at once, each for at most
/// <see cref="WebLimits.OperationTimeLimit"/>. The work receives a token that is cancelled at the limit, when the client
/// disconnects, or when the answer has been sent for any other reason; the core checks it within a second, so no
/// request keeps a core busy after its answer. A request that finds every slot taken waits up to
/// <see cref="WebLimits.MaxQueueWait"/>, then gets a <see cref="ServerBusyException"/> (HTTP 429 with Retry-After); a
/// slot is released only when the work has really stopped, not when the answer was sent.
/// </summary>
public sealed class TimeLimit : IDisposable
{
    private readonly IOptions<WebLimits> _limits;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly List<long> _started = [];
    private int _timedOut;
    private int _stoppedAfterTimeOut;
    private int _cancelledAfterTimeOut;
    private TimeSpan _longestStopAfterTimeOut;

    /// <summary>Creates the limiter with <see cref="WebLimits.MaxConcurrentOperations"/> slots.</summary>
    public TimeLimit(IOptions<WebLimits> limits)
    {
        _limits = limits;
        var slots = limits.Value.MaxConcurrentOperations;
        if (slots < 1)
        {
            throw new InputException("Suanli:MaxConcurrentOperations", Phrase.Of("web-slots-below-one", "{key} must be 1 or more, got {value}; leave it unset for one operation per processor.",
                ("key", "Suanli:MaxConcurrentOperations"), ("value", slots.ToString(CultureInfo.InvariantCulture))));
        }
        _slots = new SemaphoreSlim(slots, slots);
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    /// <summary>The configured limit.</summary>
    public TimeSpan Limit => _limits.Value.OperationTimeLimit;

    /// <summary>Operations running now (their work has not yet returned).</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _started.Count;
            }
        }
    }

    /// <summary>Operations answered at the time limit (HTTP 422) since the server started.</summary>
    public int TimedOut => Volatile.Read(ref _timedOut);

    /// <summary>Of <see cref="TimedOut"/>, those whose work has stopped (observed its cancellation and returned).</summary>
    public int StoppedAfterTimeOut
    {
        get
        {
            lock (_gate)
            {
                return _stoppedAfterTimeOut;
            }
        }
    }

    /// <summary>
    /// Of <see cref="StoppedAfterTimeOut"/>, those whose work ended by observing its cancellation token (an
    /// <see cref="OperationCanceledException"/>), not by finishing its computation late.
    /// </summary>
    public int CancelledAfterTimeOut
    {
        get
        {
            lock (_gate)
            {
                return _cancelledAfterTimeOut;
            }
        }
    }

    /// <summary>
    /// The longest time, over the operations answered at the time limit, from that answer to their work returning: how
    /// long a timed-out request kept its core (zero when the work had already stopped).
    /// </summary>
    public TimeSpan LongestStopAfterTimeOut
    {
        get
        {
            lock (_gate)
            {
                return _longestStopAfterTimeOut;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on the thread pool under the limits.</summary>
    /// <param name="operation">What runs, for the message, e.g. "The optimisation".</param>
    /// <param name="advice">How to make it finish in time, e.g. "Search fewer models or devices."</param>
    /// <param name="work">The computation; it must observe the token.</param>
    /// <param name="aborted">The request's abort token.</param>
    public async Task<T> RunAsync<T>(string operation, string advice, Func<CancellationToken, T> work, CancellationToken aborted)
    {
        var limit = Limit;
        if (!await _slots.WaitAsync(_limits.Value.MaxQueueWait, aborted).ConfigureAwait(false))
        {
            throw new ServerBusyException(RetryAfter(limit), _limits.Value.MaxConcurrentOperations);
        }
        var started = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _started.Add(started);
        }
        var timer = new CancellationTokenSource(limit);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, aborted);
        // The token is taken now: once the work stops, Finish disposes its source, and reading Token then throws.
        var token = linked.Token;
        Task<T> task;
        try
        {
            task = Task.Run(() => work(token), token);
        }
        catch
        {
            Finish(started, timer, linked);
            throw;
        }
        // The slot and the tokens are released when the work has stopped, however the answer ends.
        _ = task.ContinueWith(_ => Finish(started, timer, linked), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            // WaitAsync answers at the limit even if the work is slow to notice its token.
            return await task.WaitAsync(limit, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && !aborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _timedOut);
            var answered = Stopwatch.GetTimestamp();
            _ = task.ContinueWith(t => StoppedAfter(Stopwatch.GetElapsedTime(answered), t.IsCanceled || t.Exception?.InnerException is OperationCanceledException), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new TimeLimitException(operation, limit, advice);
        }
        finally
        {
            if (!task.IsCompleted)
            {
                // The answer is leaving without the work: stop it (a timer that has not fired yet would never stop it).
                await CancelQuietly(linked).ConfigureAwait(false);
            }
        }
    }

    private static async Task CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            await source.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The work finished and released its tokens in the meantime (before the call or while its callbacks ran).
        }
    }

    private void StoppedAfter(TimeSpan elapsed, bool cancelled)
    {
        lock (_gate)
        {
            _stoppedAfterTimeOut++;
            _cancelledAfterTimeOut += cancelled ? 1 : 0;
            if (elapsed > _longestStopAfterTimeOut)
            {
                _longestStopAfterTimeOut = elapsed;
            }
        }
    }

    private void Finish(long started, CancellationTokenSource timer, CancellationTokenSource linked)
    {
        lock (_gate)
        {
            _started.Remove(started);
        }
        linked.Dispose();
        timer.Dispose();
        _slots.Release();
    }

    /// <summary>Seconds until a slot is free at the latest: the time limit left to the oldest running operation, at least 1.</summary>
    private TimeSpan RetryAfter(TimeSpan limit)
    {
        long oldest;
        lock (_gate)
        {
            oldest = _started.Count == 0 ? Stopwatch.GetTimestamp() : _started.Min();
        }
        var left = limit - Stopwatch.GetElapsedTime(oldest);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(left.TotalSeconds)));
    }
}

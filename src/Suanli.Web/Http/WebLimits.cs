namespace Suanli.Web.Http;

/// <summary>
/// Limits the server enforces, bound from the configuration section <c>Suanli</c>
/// (e.g. <c>--Suanli:OperationTimeLimit 00:01:00</c> or the environment variable <c>Suanli__MaxBodyBytes</c>).
/// </summary>
public sealed class WebLimits
{
    /// <summary>Largest request body accepted, in bytes (a scenario file is a few kilobytes).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest a long operation (optimize, simulate) may run before it is stopped with a message.</summary>
    public TimeSpan OperationTimeLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Expensive operations (simulate, capacity, plan, optimize, compare, perf, train, density) running at once; the default is
    /// one per processor, so the others keep a share of the machine while the rest wait.
    /// </summary>
    public int MaxConcurrentOperations { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Longest a request waits for a free slot before the 429 answer. The default, 5 s, lets a burst of page requests
    /// (a plan takes about 0.2 s, docs/timings.md) take turns without an error; a runaway request holds its slot at most
    /// <see cref="OperationTimeLimit"/> plus the second the core needs to notice its cancellation.
    /// </summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(5);
}

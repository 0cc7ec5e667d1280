using Microsoft.Extensions.Options;

namespace Suanli.Web.Http;

/// <summary>
/// Runs long operations (optimize, simulate) under the server's time limit. The work receives a token that is
/// cancelled at the limit and must check it; the caller gets a <see cref="TimeLimitException"/> with advice, which
/// the API turns into a 422 problem. A client that disconnects cancels the work too.
/// </summary>
public sealed class TimeLimit(IOptions<WebLimits> limits)
{
    /// <summary>The configured limit.</summary>
    public TimeSpan Limit => limits.Value.OperationTimeLimit;

    /// <summary>Runs <paramref name="work"/> on the thread pool under the limit.</summary>
    /// <param name="operation">What runs, for the message, e.g. "The optimisation".</param>
    /// <param name="advice">How to make it finish in time, e.g. "Search fewer models or devices."</param>
    /// <param name="work">The computation; it must observe the token.</param>
    /// <param name="aborted">The request's abort token.</param>
    public async Task<T> RunAsync<T>(string operation, string advice, Func<CancellationToken, T> work, CancellationToken aborted)
    {
        var limit = Limit;
        using var timer = new CancellationTokenSource(limit);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, aborted);
        try
        {
            linked.Token.ThrowIfCancellationRequested();
            // WaitAsync stops waiting at the limit even if the work is slow to notice its token.
            return await Task.Run(() => work(linked.Token), linked.Token).WaitAsync(limit, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && !aborted.IsCancellationRequested)
        {
            throw new TimeLimitException(operation, limit, advice);
        }
    }
}

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
}

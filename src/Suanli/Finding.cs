namespace Suanli;

/// <summary>How much a finding matters to the answer.</summary>
public enum Severity
{
    /// <summary>An assumption or explanation the user should see.</summary>
    Info,
    /// <summary>The answer holds, but something is close to a limit or rests on weak data.</summary>
    Warning,
    /// <summary>The configuration does not work as asked (does not fit, misses a target).</summary>
    Error,
}

/// <summary>
/// A statement about a result that travels with it ("KV cache needs 96 GiB, 80 GiB free"). Findings are part of
/// every result, never log lines, so every renderer (terminal, JSON, web) shows the same ones.
/// </summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="Code">A stable, machine-readable code, e.g. <c>does-not-fit</c>.</param>
/// <param name="Message">A complete English sentence with the numbers that matter.</param>
public sealed record Finding(Severity Severity, string Code, string Message)
{
    /// <summary>An informational finding.</summary>
    public static Finding Info(string code, string message) => new(Severity.Info, code, message);

    /// <summary>A warning.</summary>
    public static Finding Warn(string code, string message) => new(Severity.Warning, code, message);

    /// <summary>An error: the configuration does not work as asked.</summary>
    public static Finding Error(string code, string message) => new(Severity.Error, code, message);
}

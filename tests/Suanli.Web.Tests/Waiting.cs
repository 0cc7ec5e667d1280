namespace Suanli.Web.Tests;

/// <summary>Polls server-side state that a request changes after its answer (a stopped computation, a freed slot).</summary>
internal static class Waiting
{
    /// <summary>Returns when <paramref name="condition"/> holds or <paramref name="within"/> has passed; the caller asserts the condition.</summary>
    public static async Task Until(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}

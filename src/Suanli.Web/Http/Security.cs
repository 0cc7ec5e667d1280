using System.Net;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// Browser-facing protections: security headers on every response, and a Host allow-list so that a web page on
/// another site cannot reach the server through a DNS name it controls (DNS rebinding).
/// </summary>
public static class Security
{
    /// <summary>
    /// The Content-Security-Policy of the planning page: scripts only from this server (the page's own files and the
    /// vendored chart library), no plug-ins, no framing, requests only to this server. Inline styles stay allowed because
    /// the chart library sets style attributes on the elements it draws.
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The policy of the API reference (<c>/scalar</c>), whose page starts itself with an inline script and whose bundle
    /// evaluates code at run time; still no plug-ins, no framing and no requests beyond this server.
    /// </summary>
    public const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The host names accepted when none are configured: this machine's loopback names.</summary>
    public static IReadOnlyList<string> LoopbackHosts { get; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Adds the security headers to every response just before it starts (so error responses carry them too).</summary>
    public static Task Headers(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        var reference = context.Request.Path.StartsWithSegments("/scalar");
        response.OnStarting(() =>
        {
            var h = response.Headers;
            h["Content-Security-Policy"] = reference ? ReferencePolicy : PagePolicy;
            h["X-Content-Type-Options"] = "nosniff";
            h["X-Frame-Options"] = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>
    /// The allowed host names: <paramref name="configured"/> (names separated by ';' or ','; <c>*</c> allows any) when
    /// given, else the loopback names plus the bound address when it is a specific one.
    /// </summary>
    public static IReadOnlyList<string> AllowedHosts(string? configured, string boundHost)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return [.. configured.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant())];
        }
        var hosts = new List<string>(LoopbackHosts);
        if (IPAddress.TryParse(boundHost.Trim(), out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
        {
            var shown = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
            if (!hosts.Contains(shown, StringComparer.OrdinalIgnoreCase))
            {
                hosts.Add(shown);
            }
        }
        return hosts;
    }

    /// <summary>
    /// The origins allowed to read answers cross-origin (CORS), from <paramref name="configured"/> (origins such as
    /// <c>https://intranet.example.org</c> separated by ';' or ','); empty, the default, denies every other origin.
    /// </summary>
    public static IReadOnlyList<string> AllowedOrigins(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? [] : [.. configured.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>True when <paramref name="host"/> (without its port) matches an entry: equal, <c>*</c>, or <c>*.example.org</c> for subdomains.</summary>
    public static bool IsAllowed(string host, IReadOnlyList<string> allowed)
    {
        if (host.Length == 0)
        {
            return false;
        }
        foreach (var entry in allowed)
        {
            if (entry == "*" || string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)
                || (entry.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Middleware refusing requests whose Host header is not in <paramref name="allowed"/> with a 400 problem.</summary>
    public static Func<HttpContext, RequestDelegate, Task> HostFilter(IReadOnlyList<string> allowed) => (context, next) =>
    {
        var host = context.Request.Host.Host;
        if (!IsAllowed(host, allowed))
        {
            var shown = host.Length == 0 ? "(none)" : RequestBody.Clip(host);
            throw new InputException("Host", Phrase.Of("web-host-refused", "Host '{host}' is not one this server answers to ({allowed}). Open it by one of those names, or start it with {option} {host} (configuration {key}).",
                ("host", shown), ("allowed", string.Join(", ", allowed)), ("option", "--allowed-hosts"), ("key", "Suanli:AllowedHosts")));
        }
        return next(context);
    };
}

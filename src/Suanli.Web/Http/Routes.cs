using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Patterns;
using Suanli.Catalog;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// The sentences of the framework's own routing refusals, which carried only "Not Found" or "Method Not Allowed": a
/// path under <c>/api</c> that no endpoint has names the nearest endpoint and where they are all listed; a method a
/// path does not take names the ones it does. In the request's language, like every other refusal.
/// </summary>
public static class Routes
{
    /// <summary>Fills the title and detail of a 404 or 405 problem.</summary>
    internal static void Explain(ProblemDetails details, HttpContext context)
    {
        var language = WebLanguage.OrEnglish(context);
        var path = RequestBody.Clip(context.Request.Path.Value ?? "/");
        Phrase detail;
        if (details.Status == StatusCodes.Status405MethodNotAllowed)
        {
            var allowed = context.Response.Headers.Allow.ToString();
            detail = Phrase.Of("method-not-allowed", "{path} takes {allowed}, not {method}.",
                ("path", path), ("allowed", allowed.Length > 0 ? allowed : "GET"), ("method", RequestBody.Clip(context.Request.Method)));
            details.Title = language == Languages.English ? "Method not allowed" : "请求方法不受支持";
        }
        else
        {
            var near = context.Request.Path.StartsWithSegments("/api") ? Nearest.Names(path, ApiPaths(context), 1) : [];
            detail = near.Count > 0
                ? Phrase.Of("route-unknown#suggest", "Nothing is at {path}. Did you mean {nearest}? Every endpoint is listed at /openapi/v1.json and /scalar.", ("path", path), ("nearest", near[0]))
                : Phrase.Of("route-unknown", "Nothing is at {path}. The planning page is at /, the API under /api; every endpoint is listed at /openapi/v1.json and /scalar.", ("path", (object)path));
            details.Title = language == Languages.English ? "Not found" : "未找到";
        }
        details.Detail = detail.Render(language, FieldNames.Web, CommandRefs.Web);
        details.Extensions["code"] = detail.Key;
    }

    /// <summary>The paths of the API's endpoints, e.g. <c>/api/memory</c>.</summary>
    private static IEnumerable<string> ApiPaths(HttpContext context) =>
        context.RequestServices.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
}

using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Suanli.Web.Http;

/// <summary>
/// Sends the page's files Brotli-compressed at the smallest size (quality 11) to browsers that accept <c>br</c>.
/// Response compression runs at level Optimal (quality 4), which suits answers computed per request; the files never
/// change within a build, so each is compressed once per process at the slower, smaller setting, which takes about a
/// fifth off the chart library (test <c>SmallestBrotliAssetsTests</c>; docs/web.md, "Compression").
/// Browsers that accept only gzip, or nothing, get the response-compression or plain path as before.
/// </summary>
public sealed class SmallestBrotliAssets(EmbeddedAssets assets)
{
    // Keyed by path: every server in a process embeds the same files, so one compression serves them all.
    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Compressed = new(StringComparer.Ordinal);
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Middleware: answers GET and HEAD for an embedded file when the request accepts Brotli, else calls <paramref name="next"/>.</summary>
    public Task Serve(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !AcceptsBrotli(request)
            || !ContentTypes.TryGetContentType(path, out var contentType))
        {
            return next(context);
        }
        var file = assets.GetFileInfo(path);
        if (!file.Exists)
        {
            return next(context);
        }
        var response = context.Response;
        var tag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-br\"");
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.ETag = tag.ToString();
        response.GetTypedHeaders().LastModified = file.LastModified;
        if (request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(tag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        var body = Compressed.GetOrAdd(path, p => new Lazy<byte[]>(() => Compress(assets, p))).Value;
        response.ContentType = contentType;
        response.Headers.ContentEncoding = "br";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static bool AcceptsBrotli(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("br", StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0);

    private static byte[] Compress(EmbeddedAssets assets, string path)
    {
        using var source = assets.GetFileInfo(path).CreateReadStream();
        using var packed = new MemoryStream();
        using (var brotli = new BrotliStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            source.CopyTo(brotli);
        }
        return packed.ToArray();
    }
}

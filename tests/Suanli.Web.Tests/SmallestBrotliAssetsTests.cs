using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

public class SmallestBrotliAssetsTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const string Charts = "/lib/echarts/echarts.min.js";
    private readonly HttpClient _client = factory.CreateClient();

    private static byte[] Embedded(string path)
    {
        using var stream = new EmbeddedAssets(typeof(Program).Assembly).GetFileInfo(path).CreateReadStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int BrotliLength(byte[] data, CompressionLevel level)
    {
        using var packed = new MemoryStream();
        using (var brotli = new BrotliStream(packed, level, leaveOpen: true))
        {
            brotli.Write(data);
        }
        return (int)packed.Length;
    }

    private async Task<HttpResponseMessage> Get(string path, string? encoding, string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (encoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(encoding);
        }
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.ParseAdd(etag);
        }
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task A_browser_that_accepts_brotli_gets_the_chart_library_at_the_smallest_size_and_it_decodes_to_the_file()
    {
        var file = Embedded(Charts);
        using var response = await Get(Charts, "gzip, deflate, br");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        // Quality 11 (SmallestSize), not the Optimal level (quality 4) that response compression uses for answers.
        Assert.Equal(BrotliLength(file, CompressionLevel.SmallestSize), body.Length);
        Assert.True(body.Length < BrotliLength(file, CompressionLevel.Optimal), $"{body.Length:N0} bytes");
        using var decoded = new MemoryStream();
        using (var brotli = new BrotliStream(new MemoryStream(body), CompressionMode.Decompress))
        {
            brotli.CopyTo(decoded);
        }
        Assert.Equal(file, decoded.ToArray());
    }

    [Fact]
    public async Task The_page_itself_is_sent_the_same_way_and_a_repeated_request_with_its_tag_is_not_modified()
    {
        using var page = await Get("/", "br");
        Assert.Equal("br", Assert.Single(page.Content.Headers.ContentEncoding));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept-Encoding", page.Headers.Vary);
        var tag = Assert.IsType<System.Net.Http.Headers.EntityTagHeaderValue>(page.Headers.ETag).Tag;
        using var again = await Get("/", "br", tag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_browser_without_brotli_gets_gzip_or_the_plain_file_and_unknown_paths_are_still_not_found()
    {
        var file = Embedded(Charts);
        using var gzip = await Get(Charts, "gzip");
        Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
        using var plain = await Get(Charts, null);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(file, await plain.Content.ReadAsByteArrayAsync());
        using var refused = await Get(Charts, "br;q=0, gzip");
        Assert.Equal("gzip", Assert.Single(refused.Content.Headers.ContentEncoding));
        using var missing = await Get("/lib/echarts/missing.js", "br");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

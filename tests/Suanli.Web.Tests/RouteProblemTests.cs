using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The framework's own refusals (no such path, a method the path does not take, no Content-Type) say what is wrong and
/// what to send instead, in the request's language, as every other refusal does; they used to carry only "Not Found" or
/// "Method Not Allowed".
/// </summary>
public class RouteProblemTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Problem(HttpResponseMessage r)
    {
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return (r.StatusCode, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement);
    }

    [Theory]
    [InlineData("/api/memroy?model=qwen2.5-7b", "Not found", "Nothing is at /api/memroy. Did you mean /api/memory? Every endpoint is listed at /openapi/v1.json and /scalar.")]
    [InlineData("/api/plan/serch?lang=zh", "未找到", "/api/plan/serch 处没有内容。是否想用 /api/plan/search？所有端点列在 /openapi/v1.json 和 /scalar。")]
    [InlineData("/no-such-page", "Not found", "Nothing is at /no-such-page. The planning page is at /, the API under /api; every endpoint is listed at /openapi/v1.json and /scalar.")]
    public async Task An_unknown_path_is_a_404_naming_the_nearest_endpoint_and_where_all_are_listed(string url, string title, string detail)
    {
        var (status, body) = await Problem(await _client.GetAsync(url));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(title, body.GetProperty("title").GetString());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_path_in_chinese_by_accept_language_and_a_very_long_one_is_clipped()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/" + new string('x', 5000));
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var (status, body) = await Problem(await _client.SendAsync(request));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("未找到", body.GetProperty("title").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.EndsWith("处没有内容。规划页面在 /，API 在 /api 下；所有端点列在 /openapi/v1.json 和 /scalar。", detail, StringComparison.Ordinal);
        Assert.True(detail.Length < 400, $"{detail.Length} characters: the path is echoed clipped");
    }

    [Theory]
    [InlineData("PUT", "/api/memory", "Method not allowed", "/api/memory takes GET, POST, not PUT.")]
    [InlineData("DELETE", "/api/plan/search/stream?lang=zh", "请求方法不受支持", "/api/plan/search/stream 只接受 GET, POST 请求，不接受 DELETE。")]
    // HEAD is not answered for GET endpoints (their work is too expensive to run for headers alone): it says so too.
    [InlineData("HEAD", "/api/catalog/models", null, null)]
    public async Task A_method_the_path_does_not_take_is_a_405_naming_the_ones_it_does(string method, string url, string? title, string? detail)
    {
        var r = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
        Assert.NotEmpty(r.Content.Headers.Allow);
        if (title is null)
        {
            // A HEAD answer has no body.
            return;
        }
        var (_, body) = await Problem(r);
        Assert.Equal(title, body.GetProperty("title").GetString());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_post_without_content_type_says_which_to_send_in_chinese_on_a_chinese_request()
    {
        using var content = new StringContent("{\"model\":\"qwen2.5-7b\"}", Encoding.UTF8);
        content.Headers.ContentType = null;
        var (status, body) = await Problem(await _client.PostAsync("/api/memory?lang=zh", content));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("不支持的媒体类型", body.GetProperty("title").GetString());
        Assert.Equal("请求没有 Content-Type 头；请以 application/json 发送请求体，并在 Content-Type 中注明。", body.GetProperty("detail").GetString());
    }
}

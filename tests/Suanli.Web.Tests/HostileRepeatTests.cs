using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// A hostile sweep of repeated and out-of-range parameters: a name given twice arrives joined by a comma and was
/// "Unknown model 'a,b'"; a hosted API given twice was priced twice; a custom option's quality of 1e308 ranked it
/// above every model. Each is a 400 naming its field, in English and Chinese.
/// </summary>
public class HostileRepeatTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonElement> Problem(string url)
    {
        var r = await _client.GetAsync(url);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, text);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Theory]
    [InlineData("/api/plan?model=qwen2.5-7b-instruct&model=qwen3-8b&hardware=h100&peakConcurrency=10", "model", "model", "qwen2.5-7b-instruct,qwen3-8b", "qwen2.5-7b-instruct", "模型")]
    [InlineData("/api/memory?model=qwen2.5-7b&hardware=h100&hardware=h20", "hardware", "hardware", "h100,h20", "h100", "硬件")]
    public async Task A_name_given_twice_says_one_is_expected_instead_of_unknown(string url, string field, string kind, string joined, string first, string zhKind)
    {
        var en = await Problem(url);
        Assert.Equal(field, en.GetProperty("field").GetString());
        Assert.Equal($"One {kind} is expected, got '{joined}': a parameter given twice, or a comma-separated list where one name belongs. Give one, e.g. '{first}'.", en.GetProperty("detail").GetString());
        var zh = await Problem(url + "&lang=zh");
        Assert.Equal($"这里只能填一个{zhKind}，实际为 '{joined}'：可能是参数给了两次，或在只能填一个名称的地方给了逗号分隔的列表。请只给一个，例如 '{first}'。", zh.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_hosted_api_given_twice_is_a_400_not_two_equal_options()
    {
        var en = await Problem("/api/compare?requestsPerMonth=1e6&api=qwen-plus&api=qwen-plus");
        Assert.Equal("api", en.GetProperty("field").GetString());
        Assert.Equal("api names the price 'Alibaba Cloud (Model Studio)/qwen-plus' twice; give each hosted API once.", en.GetProperty("detail").GetString());
        var zh = await Problem("/api/compare?requestsPerMonth=1e6&api=qwen-plus&api=qwen-plus&lang=zh");
        Assert.Equal("api 两次给出了价格 'Alibaba Cloud (Model Studio)/qwen-plus'；每个托管 API 只需给一次。", zh.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("1e308")]
    [InlineData("-1")]
    [InlineData("101")]
    public async Task A_custom_quality_outside_a_benchmark_percentage_is_a_400(string quality)
    {
        var url = "/api/compare?requestsPerMonth=1e6&api=qwen-plus&custom=" + Uri.EscapeDataString($"x;build=1 USD;quality={quality}");
        var en = await Problem(url);
        Assert.Equal("custom", en.GetProperty("field").GetString());
        Assert.Equal($"quality in custom 'x' is a benchmark score from 0 to 100 (MMLU 71.4, say), got '{quality}'.", en.GetProperty("detail").GetString());
        var zh = await Problem(url + "&lang=zh");
        Assert.Equal($"custom 'x' 中的 quality 是 0 到 100 之间的基准分数（例如 MMLU 71.4），实际为 '{quality}'。", zh.GetProperty("detail").GetString());
    }

    private const string App = "{\"name\":\"a\",\"model\":\"qwen2.5-7b-instruct\",\"peak_concurrency\":5,\"input_tokens\":512,\"output_tokens\":128}";

    [Theory]
    // Scenario-file errors that were English sentences in a Chinese answer (the problem's title read 输入无效).
    [InlineData("{\"hardware\":\"h100\",\"policy\":{\"headroom\":11},\"applications\":[" + App + "]}", "request body:1:41: policy.headroom 是 0 到 10 之间的比例（0.2 = 20%），实际为 11。")]
    [InlineData("{\"hardware\":\"h100\",\"applications\":[" + App + "," + App + "]}", "request body:1:35: 有两个应用都叫 'a'；应用名称必须唯一。")]
    [InlineData("{\"hardware\":\"h100\",\"applications\":[]}", "request body:1:35: 场景在 'applications' 下至少需要一项。")]
    [InlineData("{\"hardware\":\"h100\",\"devices_per_replica\":500,\"applications\":[" + App + "]}", "request body:1:42: devices_per_replica 必须在 1 到 128 之间，实际为 500。")]
    [InlineData("{\"hardware\":\"h100\",\"candidates\":{\"cost\":\"free\"},\"applications\":[" + App + "]}", "request body:1:41: candidates.cost 只能是 cheaper（默认：自建与租用中较便宜者）、own 或 rent，实际为 'free'。")]
    [InlineData("{\"hardware\":\"h100\",\"server\":\"dgx-a100\",\"applications\":[" + App + "]}", "request body:1:29: 服务器 'dgx-a100' 装的是 nvidia-a100-sxm4-80gb，不是 nvidia-h100-sxm5-80gb；请指定一台装 nvidia-h100-sxm5-80gb 的服务器，或省略 server。")]
    public async Task Scenario_errors_of_a_posted_plan_read_in_chinese(string body, string detail)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var r = await _client.PostAsync(new Uri("/api/plan?lang=zh", UriKind.Relative), content);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, text);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(detail, doc.RootElement.GetProperty("detail").GetString());
    }
}

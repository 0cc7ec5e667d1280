using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// Errors the web raises itself (an empty body, a missing candidate list, an unknown format, a pair of inputs that
/// exclude each other) are phrases like the core's: a code, the API's field name and a sentence in the reader's language.
/// </summary>
public sealed class WebErrorLanguageTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/api/optimize?hardware=h100&rate=1", "en", "model", "input-required#models", "model is required: one or more candidate models, comma-separated.")]
    [InlineData("/api/optimize?hardware=h100&rate=1", "zh", "model", "input-required#models", "model 为必填项：一个或多个候选模型，用逗号分隔。")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100", "zh", "rate", "input-required#rate", "rate 为必填项：高峰时每秒要服务的请求数，例如 rate=5。")]
    [InlineData("/api/memory?model=qwen2.5-7b&format=xml", "en", "format", "input-one-of", "format must be one of json, markdown, csv, got 'xml'.")]
    [InlineData("/api/memory?model=qwen2.5-7b&format=xml", "zh", "format", "input-one-of", "format 必须是 json、markdown、csv 之一，实际为 'xml'。")]
    [InlineData("/api/chinchilla?flops=1e24&tokens=1T", "zh", "tokens", "input-needs#params", "tokens 需要 params：请给出要预测其损失的模型规模，例如 params=70B&tokens=1.4T。")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100", "en", "peakConcurrency", "peak-one-of#none", "Give one of peakConcurrency (requests in flight at the peak) or peakRate (requests per second at the peak); neither was given.")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100", "zh", "peakConcurrency", "peak-one-of#none", "请给出 peakConcurrency（峰值时在处理中的请求数）或 peakRate（峰值时每秒请求数）之一；两者都没有给出。")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurrency=5&peakRate=2", "zh", "peakRate", "peak-one-of#both", "请只给出 peakConcurrency（峰值时在处理中的请求数）或 peakRate（峰值时每秒请求数）之一，不要同时给出。")]
    [InlineData("/api/compare?api=deepseek-chat&requestsPerMonth=NaN", "en", "requestsPerMonth", "input-volume", "requestsPerMonth must be a number of zero or more such as 1e6, 250k or 1.2M; got 'NaN'.")]
    [InlineData("/api/compare?api=deepseek-chat&requestsPerMonth=NaN", "zh", "requestsPerMonth", "input-volume", "requestsPerMonth 必须是零或更大的数字，例如 1e6、250k 或 1.2M；实际为 'NaN'。")]
    [InlineData("/api/capacity?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&tpotP90=0.1&rate=5", "en", "rate", "capacity-load-given", "rate sets the load of one simulation; the capacity search varies the load itself (mode rate or mode concurrency). Drop rate.")]
    [InlineData("/api/capacity?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&tpotP90=0.1&concurrency=8", "zh", "concurrency", "capacity-load-given", "concurrency 设定的是单次模拟的负载；容量搜索会自行改变负载（mode rate 或 mode concurrency）。请去掉 concurrency。")]
    public async Task A_web_error_names_the_api_field_in_the_readers_language(string url, string lang, string field, string code, string detail)
    {
        using var response = await _client.GetAsync($"{url}&lang={lang}");
        await AssertProblem(response, field, code, detail);
    }

    [Theory]
    [InlineData("en", "The request body is empty; send a scenario (YAML or JSON) as in examples/c2-knowledge-base.yaml.")]
    [InlineData("zh", "请求体为空；请按 examples/c2-knowledge-base.yaml 的格式发送一个场景（YAML 或 JSON）。")]
    public async Task An_empty_scenario_body_says_what_to_send_in_the_readers_language(string lang, string detail)
    {
        using var content = new StringContent("", System.Text.Encoding.UTF8, "application/yaml");
        using var response = await _client.PostAsync($"/api/plan?lang={lang}", content);
        await AssertProblem(response, "body", "input-body-empty#scenario", detail);
    }

    private static async Task AssertProblem(HttpResponseMessage response, string field, string code, string detail)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problem = doc.RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }
}

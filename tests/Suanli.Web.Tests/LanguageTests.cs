using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// lang=zh|en (or Accept-Language): findings, input errors and the Markdown report in the asked language, with the
/// same numbers as the English ones; the core's field ids spelled as the API names them.
/// </summary>
public class LanguageTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string Memory = "/api/memory?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&context=2048&batch=16";

    private async Task<JsonElement> Json(string url, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }
        using var response = await _client.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static JsonElement Finding(JsonElement report, string code) =>
        report.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("code").GetString() == code);

    [Fact]
    public async Task Lang_zh_renders_the_findings_in_chinese_with_the_english_ones_numbers()
    {
        var en = Finding(await Json(Memory), "rule-of-thumb");
        var zh = Finding(await Json(Memory + "&lang=zh"), "rule-of-thumb");
        Assert.StartsWith("The '1.2 x weights' rule gives ", en.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("“1.2 x 权重”经验规则给出 ", zh.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Key, template and values are the same in both: only the sentence changes.
        foreach (var field in new[] { "key", "template", "args" })
        {
            Assert.Equal(en.GetProperty(field).GetRawText(), zh.GetProperty(field).GetRawText());
        }
        foreach (var value in en.GetProperty("args").EnumerateObject())
        {
            Assert.Contains(value.Value.GetString()!, zh.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Accept_language_picks_chinese_without_the_parameter_and_lang_overrides_it()
    {
        var zh = Finding(await Json(Memory, "zh-CN,zh;q=0.9,en;q=0.8"), "rule-of-thumb");
        Assert.StartsWith("“1.2 x 权重”", zh.GetProperty("message").GetString(), StringComparison.Ordinal);
        var en = Finding(await Json(Memory + "&lang=en", "zh-CN"), "rule-of-thumb");
        Assert.StartsWith("The '1.2 x weights'", en.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_language_is_a_located_400()
    {
        using var response = await _client.GetAsync(Memory + "&lang=fr");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("lang", problem.GetProperty("field").GetString());
        Assert.Equal("lang must be en or zh, got 'fr'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_core_input_error_names_the_api_field_and_speaks_the_asked_language()
    {
        const string url = "/api/simulate?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&input=512&output=128&rate=1&requests=20&maxNumSeqs=16&maxBatchedTokens=8";
        var en = await Json(url);
        Assert.Equal("maxBatchedTokens", en.GetProperty("field").GetString());
        Assert.Equal("batched-tokens-below-seqs", en.GetProperty("code").GetString());
        Assert.Equal("maxBatchedTokens 8 is below maxNumSeqs 16: every running sequence needs a token of the step budget; raise it to at least 16 (vLLM refuses the same setting).",
            en.GetProperty("detail").GetString());
        var zh = await Json(url + "&lang=zh");
        Assert.Equal("输入无效", zh.GetProperty("title").GetString());
        Assert.Equal("maxBatchedTokens 8 小于 maxNumSeqs 16：每条运行中的序列都需要占用单步预算中的一个词元；请至少提高到 16（vLLM 同样拒绝这种设置）。", zh.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/memory?model=qwen2.5-7b-instruct&devices=abc", "devices", "input-not-a-count",
        "devices: 'abc' is not a number. Use a whole number such as 64 or 2k.", "devices：'abc' 不是数字。请填写整数，例如 64 或 2k。")]
    [InlineData("/api/memory?model=qwen2.5-7b-instruct&context=32q", "context", "input-not-a-count#tokens",
        "context: '32q' is not a number. Use a whole number such as 4096 or 32k.", "context：'32q' 不是数字。请填写整数，例如 4096 或 32k。")]
    [InlineData("/api/plan?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=-1", "peakConcurrency", "input-number-range",
        "peakConcurrency must be from 0.000001 to 100,000,000, got -1.", "peakConcurrency 必须在 0.000001 到 100,000,000 之间，实际为 -1。")]
    [InlineData("/api/plan?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&ttftP90=x", "ttftP90", "input-not-a-number",
        "ttftP90: 'x' is not a number. Use digits with a point, e.g. 0.5 or 1e6.", "ttftP90：'x' 不是数字。请填写数字（小数点用 .），例如 0.5 或 1e6。")]
    [InlineData("/api/memory?model=qwen2.5-7b-instruct&batch=0", "batch", "input-count-range",
        "batch must be a whole number from 1 to 100,000, got 0.", "batch 必须是 1 到 100,000 之间的整数，实际为 0。")]
    [InlineData("/api/perf?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&batch=1,0", "batch", "batch-values",
        "batch values must be whole numbers from 1 to 100,000, got '0'. Example: batch 1,8,64.", "batch 的每个值必须是 1 到 100,000 之间的整数，实际为 '0'。例如：batch 1,8,64。")]
    [InlineData("/api/memory?model=qwen2.5-7b-instrct", "model", "unknown-name#suggest",
        "Unknown model 'qwen2.5-7b-instrct'. Did you mean ", "未知的模型 'qwen2.5-7b-instrct'。您是否想要 ")]
    public async Task The_web_layers_own_input_checks_name_the_api_field_and_speak_the_asked_language(string url, string field, string code, string english, string chinese)
    {
        var en = await Json(url);
        Assert.Equal(field, en.GetProperty("field").GetString());
        Assert.Equal(code, en.GetProperty("code").GetString());
        Assert.StartsWith(english, en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var zh = await Json(url + "&lang=zh");
        Assert.Equal(field, zh.GetProperty("field").GetString());
        Assert.StartsWith(chinese, zh.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_files_error_comes_coded_at_its_key_in_the_asked_language()
    {
        const string yaml = "name: t\ncurrency: USD\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: chat\n    model: meta-llama/Llama-3.1-70B\n"
            + "    users: {daily_active: -5, requests_per_user_per_day: 5}\n    input_tokens: 800\n    output_tokens: 400\n";
        async Task<JsonElement> Post(string lang)
        {
            using var content = new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml");
            using var response = await _client.PostAsync("/api/plan?lang=" + lang, content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        var en = await Post("en");
        var zh = await Post("zh");
        Assert.Equal("draft#users-count-range", zh.GetProperty("code").GetString());
        Assert.Equal("applications[0].users.daily_active", zh.GetProperty("field").GetString());
        Assert.EndsWith(":7:27: applications[0].users.daily_active must be from 1 to 100,000,000,000, got -5.", en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(":7:27: applications[0].users.daily_active 必须在 1 到 100,000,000,000 之间，实际为 -5。", zh.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plans_assumptions_come_in_the_asked_language()
    {
        const string plan = "/api/plan?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50";
        static List<string> Assumptions(JsonElement report) => [.. report.GetProperty("assumptions").EnumerateArray().Select(a => a.GetString()!)];
        var en = Assumptions(await Json(plan));
        var zh = Assumptions(await Json(plan + "&lang=zh"));
        Assert.Equal(en.Count, zh.Count);
        Assert.Contains("policy = 20% headroom, at least 1 replica, 10-minute scale-up (default)", en);
        Assert.Contains("policy = 20% 余量，至少 1 个副本，10 分钟扩容（默认）", zh);
        Assert.Contains(zh, a => a.EndsWith(".profile = office-hours：工作日办公时间（示意）：9-11 点和 14-16 点为高峰，午间回落，夜间约 2%", StringComparison.Ordinal));
        Assert.DoesNotContain(zh, a => a.Contains("default", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_markdown_plan_in_chinese_has_chinese_headings_and_findings()
    {
        var text = await _client.GetStringAsync("/api/plan?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&format=markdown&lang=zh");
        Assert.Contains("## 方案：", text, StringComparison.Ordinal);
        Assert.Contains("### 概要", text, StringComparison.Ordinal);
        Assert.Contains("| 项目 | 数值 |", text, StringComparison.Ordinal);
        Assert.Contains("### 发现", text, StringComparison.Ordinal);
        Assert.Contains("文章中的经验规则", text, StringComparison.Ordinal);
        Assert.DoesNotContain("### Findings", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unmeetable_target_is_refused_in_chinese_naming_the_ttft_target()
    {
        using var response = await _client.GetAsync("/api/plan?model=llama-3.1-70b&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&ttftP90=0.05&lang=zh");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("应用 '", detail, StringComparison.Ordinal);
        Assert.Contains("TTFT 目标 50 ms", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_search_gives_its_rejection_reasons_in_chinese()
    {
        const string url = "/api/optimize?model=llama-3.1-70b&hardware=nvidia-h100-sxm5-80gb&precision=bf16&input=1024&output=256&rate=5&ttftP90=0.05&tpotP90=0.1";
        var en = (await Json(url)).GetProperty("applications")[0].GetProperty("rejected").EnumerateArray().First(r => r.GetProperty("code").GetString() == "ttft");
        var zh = (await Json(url + "&lang=zh")).GetProperty("applications")[0].GetProperty("rejected").EnumerateArray().First(r => r.GetProperty("code").GetString() == "ttft");
        Assert.StartsWith("prefilling 1024 tokens takes ", en.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("预填充 1024 个词元需要 ", zh.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("超过 50 ms 的 TTFT 目标", zh.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}

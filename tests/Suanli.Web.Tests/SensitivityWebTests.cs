using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The sensitivity panel of a plan whose moved assumptions cannot all be served answers with why, never a 500.</summary>
public class SensitivityWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    // A Chinese architect's plan: DeepSeek-V3.2 for 300 concurrent users with 32k prompts on Ascend 910C, in CNY. The plan
    // itself is served (eight devices per replica with data-parallel attention).
    private const string Query = "model=DeepSeek-V3.2&hardware=huawei-ascend-910c&peakConcurrency=300&input=32k&currency=CNY&timeZone=Asia/Shanghai";

    [Theory]
    [InlineData("en", "Moving 'Prompt length' (x0.75 / x1.25) leaves the plan unservable, so its sensitivity cannot be shown; the plan as asked stands. Application 'deepseek-v3.2-exp' cannot be served as asked")]
    [InlineData("zh", "将提示长度按（x0.75 / x1.25）调整后，方案无法提供服务，因此无法给出敏感性；按所填条件的方案不受影响。应用 'deepseek-v3.2-exp' 无法按要求提供服务")]
    public async Task A_move_that_leaves_the_plan_unservable_is_a_400_naming_the_move_not_a_500(string lang, string start)
    {
        var client = factory.CreateClient();
        var plan = await client.GetAsync($"/api/plan?{Query}&lang={lang}");
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        // Parallel replans wrapped this error in an AggregateException (HTTP 500, "internal error" exit 70 on the CLI),
        // and the replans pinned the replica to its size alone, which dropped the data-parallel attention the plan chose,
        // so even the unmoved targets failed.
        var r = await client.GetAsync($"/api/plan/sensitivity?{Query}&lang={lang}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("sensitivity-unserved", body.GetProperty("code").GetString());
        Assert.Equal("applications", body.GetProperty("field").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith(start, detail, StringComparison.Ordinal);
        // The first line whose move fails, in the table's order: peak load (the first) replans, since the replica keeps its
        // data-parallel attention; the longer prompt (x1.25, 40,960 tokens) cannot be prefilled within the 2 s target.
        Assert.Contains(lang == "en" ? "TTFT target 2.00 s" : "TTFT 目标 2.00 s", detail, StringComparison.Ordinal);
    }
}

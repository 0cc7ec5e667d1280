using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The sensitivity of a plan one of whose moves cannot be served: the other lines, and that end of that line marked
/// "cannot be served at this move" with the reason (en + zh), never a 400 for the whole table or a 500.
/// </summary>
public class SensitivityWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    // A Chinese architect's plan: DeepSeek-V3.2 for 300 concurrent users with 32k prompts on Ascend 910C, in CNY. The plan
    // itself is served (eight devices per replica with data-parallel attention).
    private const string Query = "model=DeepSeek-V3.2&hardware=huawei-ascend-910c&peakConcurrency=300&input=32k&currency=CNY&timeZone=Asia/Shanghai";

    [Theory]
    [InlineData("en", "Prompt length", "TTFT target 2.00 s", "Sensitivity: with 'Prompt length' moved up (x0.75 / x1.25) the plan cannot be served at this move; the plan as asked stands. Application 'deepseek-v3.2-exp' cannot be served as asked")]
    [InlineData("zh", "提示长度", "TTFT 目标 2.00 s", "敏感性：将提示长度上调（x0.75 / x1.25）后，方案在此调整下无法提供服务；按所填条件的方案不受影响。应用 'deepseek-v3.2-exp' 无法按要求提供服务")]
    public async Task A_move_the_plan_cannot_serve_is_marked_on_its_line_and_the_other_lines_are_answered(string lang, string prompt, string target, string finding)
    {
        var client = factory.CreateClient();
        // The whole sensitivity answered 400 (sensitivity-unserved) when one move failed, and before that 500.
        var r = await client.GetAsync($"/api/plan/sensitivity?{Query}&lang={lang}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        var lines = body.GetProperty("sensitivity").GetProperty("lines").EnumerateArray().ToList();
        // The longer prompt (x1.25, 40,960 tokens) cannot be prefilled within the 2 s target; the shorter one can.
        var line = Assert.Single(lines, l => l.GetProperty("assumption").GetString() == prompt);
        var unserved = Assert.Single(line.GetProperty("unserved").EnumerateArray());
        Assert.Equal("up", unserved.GetProperty("end").GetString());
        Assert.Contains(target, unserved.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        // That end has no devices or cost (JSON leaves a null out); the shorter prompt's end has both.
        Assert.False(line.TryGetProperty("devicesUp", out _));
        Assert.False(line.TryGetProperty("costPerMonthUp", out _));
        Assert.True(line.GetProperty("devicesDown").GetInt32() > 0);
        // The tighter targets (TTFT 1.5 s) cannot be met either: their line is marked at its down end.
        var targets = Assert.Single(lines, l => l.GetProperty("unserved").EnumerateArray().Any(u => u.GetProperty("end").GetString() == "down"));
        Assert.True(targets.GetProperty("devicesUp").GetInt32() > 0);
        // Lines that cannot be served come last; the others carry both ends.
        var served = lines.Where(l => l.GetProperty("unserved").GetArrayLength() == 0).ToList();
        Assert.All(lines.Skip(served.Count), l => Assert.True(l.GetProperty("unserved").GetArrayLength() > 0));
        Assert.True(served.Count >= 5, $"{served.Count} lines served");
        Assert.All(served, l => Assert.True(l.GetProperty("devicesDown").GetInt32() > 0 && l.GetProperty("devicesUp").GetInt32() > 0));
        var warnings = body.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("code").GetString() == "sensitivity-move-unserved").ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.GetProperty("message").GetString()!.StartsWith(finding, StringComparison.Ordinal));
    }
}

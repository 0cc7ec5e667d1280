using System.Text.Json;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// What a Chinese-speaking planner reads (docs/cli.md, "Language"): the words the plan's findings, its sensitivity
/// table and the training report put around the numbers come in Chinese with <c>--lang zh</c> and stay as before in
/// English; and <c>train</c> prices a device at the purchase price <c>plan</c> uses.
/// </summary>
public sealed class ChineseWalkthroughTests
{
    private static (JsonElement Root, string[] Messages) Json(string? lang, params string[] args)
    {
        var (code, output, err, _) = CliLanguageTests.Run(lang, [.. args, "--format", "json"]);
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement.Clone();
        return (root, [.. root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("message").GetString()!)]);
    }

    private static void Said(string[] messages, string text) =>
        Assert.True(messages.Any(m => m.Contains(text, StringComparison.Ordinal)), $"no finding says '{text}':\n{string.Join("\n", messages)}");

    [Fact]
    public void Plan_findings_name_the_strategy_the_failing_target_and_the_price_kind_in_the_readers_language()
    {
        // examples/c2-call-intent-7b.yaml: autoscaled is recommended (the call-centre profile is idle at night), the
        // end-to-end target limits a replica, and the A100's newest purchase price in catalog/prices is a street
        // estimate (11,500 USD, 2026-03-20).
        var scenario = Path.Combine(PlanTests.RepoRoot(), "examples", "c2-call-intent-7b.yaml");
        var (_, zh) = Json("zh", "plan", scenario);
        Said(zh, "自动扩缩方案每天使用 344 设备小时，按峰值静态配置需 576（少 40%）");
        Said(zh, "超过后端到端目标无法达到");
        Said(zh, "（市场估价，");
        Assert.DoesNotContain(zh, m => m.Contains("Autoscaled", StringComparison.Ordinal) || m.Contains("street estimate", StringComparison.Ordinal));
        var (_, en) = Json(null, "plan", scenario);
        Said(en, "The autoscaled sizing uses 344 device-hours a day against 576 for static peak sizing (40% fewer)");
        Said(en, "beyond it the e2e target fails");
        Said(en, "(street estimate, ");
    }

    [Fact]
    public void The_sensitivity_names_each_assumption_and_its_move_in_chinese_and_keeps_english_in_english()
    {
        var (zh, _) = Json("zh", "plan", "--sensitivity");
        var lines = zh.GetProperty("sensitivity").GetProperty("lines").EnumerateArray().ToList();
        var peak = lines.Single(l => l.GetProperty("assumption").GetString() == "峰值负载");
        Assert.Equal("x0.75 / x1.25", peak.GetProperty("move").GetString());
        var targets = lines.Single(l => l.GetProperty("assumption").GetString() == "延迟目标");
        Assert.Equal("收紧 x0.75 / 放宽 x1.25", targets.GetProperty("move").GetString());
        // The default rack's PUE 1.3 moved by 0.2 each way.
        Assert.Equal("1.1 / 1.5（当前 1.3）", lines.Single(l => l.GetProperty("assumption").GetString() == "PUE").GetProperty("move").GetString());
        Assert.Equal("own", zh.GetProperty("sensitivity").GetProperty("basis").GetString());
        Assert.DoesNotContain(lines, l => l.GetProperty("assumption").GetString()!.Any(char.IsAsciiLetterLower));

        var (en, _) = Json(null, "plan", "--sensitivity");
        var english = en.GetProperty("sensitivity").GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("assumption").GetString()).ToList();
        Assert.Contains("Peak load", english);
        Assert.Contains("Headroom (utilisation target)", english);
        Assert.Contains("Step-time model (80% capacity interval)", english);

        var (_, _, _, table) = CliLanguageTests.Run("zh", "plan", "--sensitivity");
        Assert.Contains("（预期 4 台设备，每月", table, StringComparison.Ordinal);
        Assert.Contains("| 峰值负载", table.Replace('│', '|'), StringComparison.Ordinal);
        Assert.DoesNotContain("Peak load", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_and_the_device_catalog_price_a_device_at_the_purchase_price_and_rent_plan_uses()
    {
        // The H20 has no price in its device entry, only in catalog/prices: the newest purchase is 110,000 CNY
        // (2026-11-23), which plan buys it at, and the cheapest on-demand rent is UCloud Compshare's 7.50 CNY an hour.
        var (train, messages) = Json(null, "train", "--model", "Qwen/Qwen3-32B", "--method", "lora", "--tokens", "500M", "--hardware", "h20", "--devices", "8");
        var capex = train.GetProperty("costs").GetProperty("capex");
        Assert.Equal("CNY", capex.GetProperty("currency").GetString());
        Assert.Equal(8 * 110_000m, capex.GetProperty("amount").GetDecimal());
        Assert.DoesNotContain(messages, m => m.StartsWith("No purchase price for nvidia-h20-96gb", StringComparison.Ordinal));
        var (_, catalog, _, _) = CliLanguageTests.Run(null, "catalog", "hardware", "--format", "json");
        var h20 = JsonDocument.Parse(catalog).RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "nvidia-h20-96gb");
        Assert.Equal(110_000m, h20.GetProperty("price").GetProperty("amount").GetDecimal());
        Assert.Equal("CNY", h20.GetProperty("price").GetProperty("currency").GetString());
        // The rent in USD at the catalog's 6.9858 CNY a dollar: 7.50 / 6.9858 = 1.0736 USD an hour.
        Assert.Equal(7.50 / 6.9858, (double)h20.GetProperty("rentPerHour").GetProperty("amount").GetDecimal(), 4);
        // The A100 80GB's device entry says 100,000 CNY (2023); plan buys at the newer 11,500 USD street estimate (2026-03-20), and so does the catalog.
        var a100 = JsonDocument.Parse(catalog).RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "nvidia-a100-sxm4-80gb");
        Assert.Equal(11_500m, a100.GetProperty("price").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public void Train_states_its_mfu_basis_and_time_interval_in_chinese()
    {
        var args = new[] { "train", "--model", "Qwen/Qwen3-32B", "--method", "lora", "--tokens", "500M", "--hardware", "h20", "--devices", "8" };
        var (_, zh) = Json("zh", args);
        Said(zh, "训练时间的 80% 预测区间：");
        Said(zh, "（训练时间类别“training/nvidia-hopper”的 80% 区间（");
        Assert.DoesNotContain(zh, m => m.Contains("80% interval of", StringComparison.Ordinal));
        var (code, _, err, console) = CliLanguageTests.Run("zh", args);
        Assert.True(code == 0, err);
        // 8 devices are within the fit's onset, so the MFU is the base 0.47 alone.
        Assert.Contains("按公开训练记录拟合（base 为 16 位训练在规模损失开始之前的 MFU）：0.47 base = 0.470", console, StringComparison.Ordinal);
        Assert.DoesNotContain("fitted to published runs", console, StringComparison.Ordinal);
        Assert.Contains("fitted to published runs: 0.47 base = 0.470", CliLanguageTests.Run(null, args).Console, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_written_4kt_in_a_scenario_is_refused_at_its_line_with_the_accepted_forms_in_chinese()
    {
        var path = Path.Combine(Path.GetTempPath(), $"suanli-4k-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "currency: CNY\nhardware: 910c\napplications:\n  - name: kb\n    model: glm-5\n    peak_concurrency: 50\n    input_tokens: 4kt\n    output_tokens: 512\n");
        try
        {
            var (code, _, err, console) = CliLanguageTests.Run("zh", "plan", path);
            Assert.NotEqual(0, code);
            var said = err + console;
            Assert.Contains(":7:19: applications[0].input_tokens：长度 '4kt' 不是有限数值。可用写法：512、uniform:256:1024", said, StringComparison.Ordinal);
            Assert.Contains("或 dataset:NAME（基准数据集的逐请求长度，例如 dataset:mlperf-llama2-70b-99）", said, StringComparison.Ordinal);
            Assert.DoesNotContain("a benchmark dataset", said, StringComparison.Ordinal);
            var (_, _, enErr, enConsole) = CliLanguageTests.Run(null, "plan", path);
            Assert.Contains("or dataset:NAME (a benchmark dataset's per-request lengths, e.g. dataset:mlperf-llama2-70b-99)", enErr + enConsole, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Compare_names_each_option_kind_and_cost_part_in_chinese_and_keeps_the_english_ids_in_json()
    {
        // One H20 bought (110,000 CNY, catalog/prices) and rented (UCloud Compshare, 7.50 CNY an hour) for 3M requests a month.
        var args = new[] { "compare", "--requests-per-month", "3000000", "--model", "Qwen/Qwen3.5-9B", "--hardware", "h20", "--currency", "CNY" };
        var (code, _, err, console) = CliLanguageTests.Run("zh", args);
        Assert.True(code == 0, err);
        var table = console.Replace('│', '|');
        foreach (var said in new[] { "| 自建 ", "| 租用 ", "| 设备投资（摊销）", "| 电费 ", "| 维护 ", "| 租金 " })
        {
            Assert.Contains(said, table, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("capex (amortised)", console, StringComparison.Ordinal);
        Assert.Contains("capex (amortised)", CliLanguageTests.Run(null, args).Console, StringComparison.Ordinal);
        var (json, _) = Json("zh", args);
        var parts = json.GetProperty("options").EnumerateArray().SelectMany(o => o.GetProperty("parts").EnumerateArray()).Select(p => p.GetProperty("part").GetString()).ToList();
        Assert.Contains("capex (amortised)", parts);
        Assert.Contains("own", json.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("kind").GetString()));
    }
}

using System.Text.RegularExpressions;
using Suanli.Serving;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// English that was left inside Chinese output (<c>--lang zh</c>): the interval basis's class names, the rent
/// source of <c>train</c>, the article-method note's device count, an unknown limiting target and the operator
/// table of <c>perf</c>. Each is now a phrase with a Chinese template; an identifier (a class key) stays quoted.
/// </summary>
public sealed partial class ChineseLeftEnglishTests
{
    // A Latin word outside the quotes “…” that carry identifiers.
    [GeneratedRegex(@"“[^”]*”")]
    private static partial Regex Quoted();

    private static readonly string[] Capacity = ["capacity", "--model", "llama-3.1-8b", "--hardware", "nvidia-h100-sxm5-80gb", "--devices", "1",
        "--input", "1000", "--output", "200", "--tpot-p90", "50", "--ttft-p90", "2000", "--format", "markdown"];

    private static string Output(params string[] args)
    {
        var (code, output, err, _) = CliTests.Run(args);
        Assert.True(code == 0, err);
        return output + err;
    }

    [Fact]
    public void The_capacity_interval_names_its_classes_in_chinese_and_quotes_their_keys()
    {
        var zh = Output([.. Capacity, "--lang", "zh"]);
        // No capacity class on vLLM/Hopper has 9 rows (catalog/calibration/intervals), so the pooled throughput class is used.
        Assert.Contains("（吞吐量类别“throughput”的 80% 区间（", zh, StringComparison.Ordinal);
        Assert.Contains("容量类别“capacity/vllm/nvidia-hopper”不足 9 行已验证数据，因此使用合并的吞吐量类别“throughput”离散度", zh, StringComparison.Ordinal);
        var line = zh.Split('\n').Single(l => l.Contains("容量的 80% 预测区间", StringComparison.Ordinal));
        Assert.DoesNotContain("throughput", Quoted().Replace(line, ""), StringComparison.Ordinal);
        Assert.DoesNotContain("capacity", Quoted().Replace(line, ""), StringComparison.Ordinal);
        // English keeps the keys as they were.
        var en = Output(Capacity);
        Assert.Contains("(80% interval of throughput (", en, StringComparison.Ordinal);
        Assert.Contains("no class for capacity/vllm/nvidia-hopper has 9 validated rows", en, StringComparison.Ordinal);
    }

    [Fact]
    public void The_article_method_note_counts_one_device_in_the_singular()
    {
        // One device per copy: "1 device each", and n copies of it are "n devices" (n > 1 at these targets).
        var en = Output(Capacity);
        Assert.Contains("per model copy (1 device each);", en, StringComparison.Ordinal);
        Assert.DoesNotContain("1 devices", en, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"need 1 copy instead of ([\d,]+) \(\1 devices\)"), en);
        var zh = Output([.. Capacity, "--lang", "zh"]);
        Assert.Contains("每个并发请求配一份模型副本（每份 1 台设备）", zh, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"只需 1 份副本而非 ([\d,]+) 份（\1 台设备）"), zh);
    }

    [Fact]
    public void The_train_rent_source_says_on_demand_in_chinese()
    {
        string[] args = ["train", "--model", "llama-3.1-8b", "--tokens", "1B", "--hardware", "nvidia-a100-sxm4-80gb", "--devices", "8", "--format", "markdown"];
        // The A100 80GB's cheapest on-demand rent in the prices catalog is RunPod Community Cloud's (CostPriceTests).
        var zh = Output([.. args, "--lang", "zh"]);
        Assert.Contains("每设备小时 1.39 USD（RunPod (Community Cloud) 按需价（http", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("on-demand", zh, StringComparison.Ordinal);
        Assert.Contains("RunPod (Community Cloud) on-demand (http", Output(args), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_limiting_target_is_a_phrase()
    {
        var phrase = Assert.IsType<Phrase>(CapacitySearch.LimitedBy("queue"));
        Assert.Equal("limited by queue", phrase.English);
        Assert.Equal("受 queue 限制", phrase.Render(Languages.Chinese, FieldNames.Core));
        Assert.Equal("受 TPOT 限制", Assert.IsType<Phrase>(CapacitySearch.LimitedBy("tpot")).Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void The_perf_operator_table_names_operators_in_chinese()
    {
        string[] args = ["perf", "--model", "qwen2.5-7b", "--hardware", "nvidia-h100-sxm5-80gb", "--batch", "1", "--format", "markdown"];
        var zh = Output([.. args, "--lang", "zh"]);
        foreach (var name in new[] { "QKV 投影", "注意力", "注意力输出投影", "MLP", "归一化与残差", "词元嵌入", "LM 输出头" })
        {
            Assert.Contains("| " + name + " |", zh, StringComparison.Ordinal);
        }
        foreach (var id in new[] { "QkvProjection", "OutputProjection", "Mlp", "Norms", "Embedding", "LmHead" })
        {
            Assert.DoesNotContain(id, zh, StringComparison.Ordinal);
        }
        // English keeps the operator ids.
        Assert.Contains("| QkvProjection |", Output(args), StringComparison.Ordinal);
    }
}

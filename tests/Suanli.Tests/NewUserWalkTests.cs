using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// What a new user met walking the README's commands in Chinese: the plan's rent sentence doubled its "按"
/// ("按按需以每设备小时 … 租用", its template "按 {term} 以…" around a term that is itself "按需"), and compare's capacity
/// finding named its limiting target by its code ("受限于 tpot") where plan's table says "TPOT p90".
/// </summary>
public class NewUserWalkTests
{
    private static string Example(string name) => Path.Combine(PlanTests.RepoRoot(), "examples", name);

    [Fact]
    public void Plan_names_the_rent_term_once_in_chinese_and_keeps_the_english_sentence()
    {
        var (code, zh, zhErr, _) = CliTests.Run("plan", Example("c2-knowledge-base.yaml"), "--format", "markdown", "--lang", "zh");
        Assert.Equal(0, code);
        var zhText = zh + zhErr;
        Assert.DoesNotContain("按按需", zhText, StringComparison.Ordinal);
        // The knowledge base rents its A100s on demand (the autoscaled fleet is never busy enough to reserve).
        Assert.Matches(new Regex(@"nvidia-a100-sxm4-80gb 以每设备小时 [\d.,]+ CNY 租用（按需；[^，]+，\d{4}-\d{2}-\d{2}），按自动扩缩机群实际服务的设备小时计费。"), zhText);
        var (_, en, enErr, _) = CliTests.Run("plan", Example("c2-knowledge-base.yaml"), "--format", "markdown");
        Assert.Matches(new Regex(@"nvidia-a100-sxm4-80gb rented on-demand at [\d.,]+ CNY per device-hour"), en + enErr);
    }

    [Fact]
    public void Compare_names_the_target_that_limits_a_replica_in_the_readers_language()
    {
        string[] args = ["compare", "--requests-per-month", "1000000", "--model", "qwen2-72b", "--hardware", "a100-80gb", "--currency", "CNY", "--format", "markdown"];
        var (code, zh, zhErr, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(0, code);
        // 500 input and 200 output tokens at the default targets: TPOT binds first, as plan's table says for the same model.
        Assert.Matches(new Regex(@"每副本 [\d.]+ 请求/秒（TP=\d PP=1，[\d.]+ 个在途，受 TPOT 限制），即 plan 为同一应用给出的容量"), zh + zhErr);
        Assert.DoesNotContain("受限于 tpot", zh + zhErr, StringComparison.Ordinal);
        var (_, en, enErr, _) = CliTests.Run(args);
        Assert.Matches(new Regex(@"[\d.]+ requests/s per replica \(TP=\d PP=1, [\d.]+ in flight, limited by tpot\), the capacity plan gives"), en + enErr);
    }

    [Fact]
    public void Capacity_reads_its_interval_basis_and_limiting_target_in_chinese()
    {
        // The interval's basis was passed as its English text, so the Chinese finding quoted "80% interval of throughput
        // (57 validated rows, …)" inside a Chinese sentence; the title said "受 tpot 限制" and the probes "否（tpot）".
        string[] args = ["capacity", "--model", "qwen2-72b", "--hardware", "a100-80gb", "--devices", "4", "--precision", "bf16",
            "--input", "500", "--output", "200", "--ttft-p90", "2", "--tpot-p90", "0.1", "--format", "markdown"];
        var (code, zh, zhErr, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(0, code);
        var zhText = zh + zhErr;
        Assert.Matches(new Regex(@"容量的 80% 预测区间：[\d.]+ 到 [\d.]+ 请求/秒（[^（]+的 80% 区间（\d+ 行已验证数据，实测/预测 [\d.]+-[\d.]+）"), zhText);
        Assert.DoesNotContain("validated rows", zhText, StringComparison.Ordinal);
        Assert.Contains("，受 TPOT 限制", zhText, StringComparison.Ordinal);
        Assert.Contains("否（TPOT）", zhText, StringComparison.Ordinal);
        Assert.DoesNotContain("tpot", zhText, StringComparison.Ordinal);
        var (_, en, enErr, _) = CliTests.Run(args);
        Assert.Matches(new Regex(@"requests/s, limited by tpot"), en + enErr);
        Assert.Matches(new Regex(@"80% prediction interval of the capacity: [\d.]+ to [\d.]+ requests/s \(80% interval of \w+ \(\d+ validated rows"), en + enErr);
        Assert.Contains("no (tpot)", en + enErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_says_in_chinese_what_the_fitted_mfu_formulas_base_is()
    {
        // The formula keeps its English term ("0.47 base / (1 + …)"), which the Chinese cell left unexplained.
        var (code, zh, zhErr, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1", "--format", "markdown", "--lang", "zh");
        Assert.Equal(0, code);
        Assert.Matches(new Regex(@"按公开训练记录拟合（base 为 16 位训练在规模损失开始之前的 MFU）：[\d.]+ base / \(1 \+ [\d.]+ x log2\(\d+/\d+\)\) = [\d.]+"), zh + zhErr);
    }
}

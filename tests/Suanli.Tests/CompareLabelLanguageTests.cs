using System.Text.Json;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The names of compare's self-hosted options and the rent terms read in the reader's language (they were English in
/// the Chinese report); the JSON keeps the option's id in <c>option</c> and the words in <c>label</c>; where a term is
/// typed back (the catalog's prices), its id stands beside the words.
/// </summary>
public sealed class CompareLabelLanguageTests
{
    private static readonly string[] Args = ["compare", "--requests-per-month", "1000000", "--input", "1000", "--output", "300",
        "--model", "llama-3.1-8b", "--hardware", "h100", "--self-host", "buy,rent"];

    [Fact]
    public void Self_hosted_option_names_and_rent_terms_read_in_chinese_and_stay_ids_in_english()
    {
        var (code, en, _, _) = CliTests.Run([.. Args, "--format", "markdown"]);
        Assert.Equal(0, code);
        Assert.Contains("| llama-3.1-8b bf16 on 1x nvidia-h100-sxm5-80gb (buy) | own |", en, StringComparison.Ordinal);
        Assert.Contains("llama-3.1-8b bf16 on 1x nvidia-h100-sxm5-80gb (rent AWS, reserved-3y) | rent |", en, StringComparison.Ordinal);
        Assert.Contains("730 device-hours (on-demand) x", en, StringComparison.Ordinal);

        var (_, zh, _, _) = CliTests.Run([.. Args, "--format", "markdown", "--lang", "zh"]);
        Assert.Contains("| llama-3.1-8b bf16，1 张 nvidia-h100-sxm5-80gb（购买） | 自建 |", zh, StringComparison.Ordinal);
        Assert.Contains("llama-3.1-8b bf16，1 张 nvidia-h100-sxm5-80gb（租用：AWS，预留 3 年） | 租用 |", zh, StringComparison.Ordinal);
        Assert.Contains("730 设备小时（按需）x", zh, StringComparison.Ordinal);
        foreach (var english in new[] { " on 1x ", "(buy)", "(rent ", "on-demand", "reserved-1y", "reserved-3y" })
        {
            Assert.DoesNotContain(english, zh, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compare_json_keeps_the_option_id_and_gives_its_words_in_label()
    {
        static Dictionary<string, string> Labels(string json) => JsonDocument.Parse(json).RootElement.GetProperty("options").EnumerateArray()
            .ToDictionary(o => o.GetProperty("option").GetString()!, o => o.GetProperty("label").GetString()!);
        var en = Labels(CliTests.Run([.. Args, "--format", "json"]).Out);
        var zh = Labels(CliTests.Run([.. Args, "--format", "json", "--lang", "zh"]).Out);
        Assert.Equal(en.Keys.Order(), zh.Keys.Order());
        const string bought = "llama-3.1-8b bf16 on 1x nvidia-h100-sxm5-80gb (buy)";
        Assert.Equal(bought, en[bought]);
        Assert.Equal("llama-3.1-8b bf16，1 张 nvidia-h100-sxm5-80gb（购买）", zh[bought]);
        Assert.Equal("llama-3.1-8b bf16，1 张 nvidia-h100-sxm5-80gb（租用：AWS，预留 3 年）", zh["llama-3.1-8b bf16 on 1x nvidia-h100-sxm5-80gb (rent AWS, reserved-3y)"]);
    }

    [Fact]
    public void A_plans_own_and_rent_costs_carry_the_label_compare_names_a_self_hosted_option_by()
    {
        // The default plan (seed case C2: qwen2-72b in bf16 on A100s): the page shows these labels instead of building
        // the names itself, so the page and the CLI say the same in either language.
        static (JsonElement Plan, JsonElement Chosen) Plan(params string[] lang)
        {
            var (code, output, err, _) = CliTests.Run(["plan", "--format", "json", .. lang]);
            Assert.True(code == 0, err);
            var plan = JsonDocument.Parse(output).RootElement.Clone();
            var strategy = plan.GetProperty("fleet").GetProperty("recommendedStrategy").GetString();
            return (plan, plan.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == strategy));
        }
        var (en, chosen) = Plan();
        var devices = en.GetProperty("fleet").GetProperty("devices").GetInt32();
        var provider = en.GetProperty("costs").GetProperty("rentPerDeviceHour").GetProperty("provider").GetString();
        Assert.Equal($"qwen2-72b bf16 on {devices}x nvidia-a100-sxm4-80gb (buy)", chosen.GetProperty("own").GetProperty("label").GetString());
        Assert.Equal($"qwen2-72b bf16 on {devices}x nvidia-a100-sxm4-80gb (rent {provider})", chosen.GetProperty("rent").GetProperty("label").GetString());
        var (_, zh) = Plan("--lang", "zh");
        Assert.Equal($"qwen2-72b bf16，{devices} 张 nvidia-a100-sxm4-80gb（购买）", zh.GetProperty("own").GetProperty("label").GetString());
        Assert.Equal($"qwen2-72b bf16，{devices} 张 nvidia-a100-sxm4-80gb（租用：{provider}）", zh.GetProperty("rent").GetProperty("label").GetString());
        // The id stays in option, as compare keeps it.
        Assert.Equal(chosen.GetProperty("own").GetProperty("option").GetString(), zh.GetProperty("own").GetProperty("option").GetString());
    }

    [Fact]
    public void The_catalog_prices_rent_table_shows_the_term_in_words_with_the_id_to_type()
    {
        var (_, en, _, _) = CliTests.Run("catalog", "prices", "--format", "markdown");
        var (_, zh, _, _) = CliTests.Run("catalog", "prices", "--format", "markdown", "--lang", "zh");
        Assert.Contains("| reserved-1y |", en, StringComparison.Ordinal);
        Assert.Contains("| 预留 1 年（reserved-1y） |", zh, StringComparison.Ordinal);
        Assert.Contains("| 预留 3 年（reserved-3y） |", zh, StringComparison.Ordinal);
        Assert.Contains("| 按需（on-demand） |", zh, StringComparison.Ordinal);
    }
}

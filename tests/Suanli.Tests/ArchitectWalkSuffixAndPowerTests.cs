using System.Text.Json;
using Suanli.Files;
using Suanli.Serving;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A Chinese architect's third walk (government assistant with 32k prompts on Ascend 910C, fine-tuning 235B on
/// 910C): the prompt length written as every other token length is written, and train's energy warning beside the
/// energy it printed.
/// </summary>
public class ArchitectWalkSuffixAndPowerTests
{
    [Theory]
    [InlineData("32k", 32_768.0, 32_768)]
    [InlineData("uniform:16k:32k", 24_576.0, 32_768)]
    [InlineData("empirical:1k,2K,4096", 7_168.0 / 3, 4_096)]
    [InlineData("normal:8k:1k", 8_192.0, LengthDistribution.MaxTokens)]
    public void Token_lengths_take_the_binary_k_of_every_other_token_length(string text, double mean, int max)
    {
        // docs/cli.md, "Numbers": --input and --output read 32k = 32,768 (perf did; simulate, capacity and input_tokens
        // refused '32k' as "not a finite number").
        var d = ServingText.ParseLength(text, FieldNames.Input);
        Assert.Equal(mean, d.Mean, 9);
        Assert.Equal(max, d.Max);
    }

    [Fact]
    public void A_scenario_prompt_of_32k_tokens_plans_at_32768_and_a_bad_suffix_still_names_the_key_en_and_zh()
    {
        var dir = Directory.CreateTempSubdirectory("suanli-walk-zh3-").FullName;
        var path = Path.Combine(dir, "gov.yaml");
        File.WriteAllText(path, "name: gov\ncurrency: CNY\nhardware: h100\napplications:\n  - name: docs\n    model: qwen2.5-7b-instruct\n    peak_concurrency: 4\n    input_tokens: 16k\n    output_tokens: 1k\n    targets: {ttft_p90_s: 10}\n");
        var (code, json, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.True(code == 0, err);
        var demand = JsonDocument.Parse(json).RootElement.GetProperty("applications")[0].GetProperty("demand");
        Assert.Equal(16_384, demand.GetProperty("inputTokens").GetDouble());
        Assert.Equal(1_024, demand.GetProperty("outputTokens").GetDouble());

        File.WriteAllText(path, "name: gov\nhardware: h100\napplications:\n  - name: docs\n    model: qwen2.5-7b-instruct\n    peak_concurrency: 4\n    input_tokens: 32x\n    output_tokens: 1k\n");
        var (bad, _, en, _) = CliTests.Run("plan", path);
        Assert.Equal(2, bad);
        Assert.Contains($"{path}:7:19: applications[0].input_tokens: length '32x' is not a finite number.", en, StringComparison.Ordinal);
        var (_, _, zh, _) = CliTests.Run("plan", path, "--lang", "zh");
        Assert.Contains($"{path}:7:19: applications[0].input_tokens：长度 '32x' 不是有限数值。", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_models_where_one_belongs_are_refused_as_two_not_as_an_unknown_name()
    {
        var (code, _, en, _) = CliTests.Run("memory", "--model", "qwen2.5-7b,qwen3-8b", "--hardware", "h100");
        Assert.Equal(2, code);
        Assert.Contains("error: --model: One model is expected, got 'qwen2.5-7b,qwen3-8b': a parameter given twice, or a comma-separated list where one name belongs. Give one, e.g. 'qwen2.5-7b'.", en, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_with_no_purchase_price_at_all_is_not_said_to_lack_one_in_the_plans_currency()
    {
        // catalog/prices has no purchase row for kunlunxin-p800 in any currency; "no purchase price ... in CNY" implied one in another.
        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-walk-zh3-").FullName, "p800.yaml");
        File.WriteAllText(path, "name: p800\ncurrency: CNY\nhardware: kunlunxin-p800\napplications:\n  - name: kb\n    model: qwen2.5-7b-instruct\n    peak_concurrency: 4\n    input_tokens: 512\n    output_tokens: 128\n");
        var (code, en, enErr, _) = CliTests.Run("plan", path, "--format", "markdown");
        Assert.True(code == 0, enErr);
        Assert.Contains("The prices catalog has no purchase price for kunlunxin-p800, so the cost of owning the fleet is left out; add one under purchase: in a prices file.", en + enErr, StringComparison.Ordinal);
        var (_, zh, zhErr, _) = CliTests.Run("plan", path, "--format", "markdown", "--lang", "zh");
        Assert.Contains("价格目录中没有 kunlunxin-p800 的购买价，因此不计自有机群的成本；可在价格文件的 purchase: 下添加。", zh + zhErr, StringComparison.Ordinal);
        Assert.DoesNotContain("以 CNY 计的购买价", zh + zhErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_takes_a_32k_prompt_as_perf_does()
    {
        var (code, json, err, _) = CliTests.Run("simulate", "--model", "qwen2.5-7b-instruct", "--hardware", "h100", "--devices", "1",
            "--rate", "0.2", "--input", "32k", "--output", "64", "--requests", "20", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("32768", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_writes_the_sequences_kv_holds_with_the_separator_of_its_other_figures_en_and_zh()
    {
        // Qwen2.5-72B: 320 KiB of KV per token (2 x 80 layers x 8 KV heads x 128 x 2 B); on 2 x H20 the fullest device
        // keeps 10.8 GiB for KV (activations sized for vLLM's 8,192-token step on a 96 GB device), 2 sequences of 32,768 tokens (10 GiB each). The note wrote "32768" beside "1 x 32,768".
        string[] args = ["memory", "--model", "qwen2.5-72b", "--context", "32k", "--hardware", "h20", "--format", "markdown"];
        var (_, en, enErr, _) = CliTests.Run(args);
        Assert.Contains("On 2 devices, TP=2 PP=1 the fullest device has 10.8 GiB for KV cache: 2 sequences of 32,768 tokens.", en + enErr, StringComparison.Ordinal);
        var (_, zh, zhErr, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Contains("最满的设备有 10.8 GiB 可用于 KV 缓存：可容纳 2 条 32,768 词元的序列。", zh + zhErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_on_a_device_without_board_power_says_its_energy_comes_from_the_server_nameplate_en_and_zh()
    {
        // catalog: huawei-ascend-910c has no TDP; its server atlas-800t-a3 is 8 devices at 11.5 kW. 8 devices make one
        // server: 11.5 kW. The warning said "energy and electricity are omitted" above "Energy ... = whole-server power".
        string[] args = ["train", "--model", "qwen2.5-72b", "--method", "lora", "--tokens", "100M", "--hardware", "910c", "--devices", "8", "--tariff", "0.6 CNY/kWh", "--format", "markdown"];
        var (code, en, enErr, _) = CliTests.Run(args);
        Assert.True(code == 0, enErr);
        var enText = en + enErr;
        Assert.Contains("huawei-ascend-910c has no published board power in the catalog; energy and electricity are counted at the atlas-800t-a3 nameplate, 11.5 kW for the cluster's servers (hosts included, an upper bound).", enText, StringComparison.Ordinal);
        Assert.DoesNotContain("energy and electricity are omitted", enText, StringComparison.Ordinal);
        // The server is the one plan and compare take (the largest fitting the default rack): counted against the
        // 560 kW CloudMatrix 384 supernode, 8 devices drew 70 kW each.
        Assert.DoesNotContain("cloudmatrix-384", enText, StringComparison.Ordinal);
        Assert.Contains("| Cluster power | 12 kW servers (nameplate) | PUE 1.30 |", enText, StringComparison.Ordinal);
        Assert.Contains("Electricity (run)", enText, StringComparison.Ordinal);
        var (_, zh, zhErr, _) = CliTests.Run([.. args, "--lang", "zh"]);
        var zhText = zh + zhErr;
        Assert.Contains("目录中没有 huawei-ascend-910c 公布的板卡功率；能耗和电费按 atlas-800t-a3 的铭牌功率计，集群各服务器共 11.5 kW（含主机，是上限）。", zhText, StringComparison.Ordinal);
        Assert.Contains("服务器 12 kW（铭牌功率）", zhText, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_deadline_names_the_layout_that_holds_the_memory_count_not_a_copy_it_does_not_use()
    {
        // qwen3-235b-a22b full on 910C within 7 days: memory needs 40 devices, the smallest cluster that fits has a
        // TP x PP group of 4, and the layout chosen on 40 devices is TP=8 PP=5; "whole model copies of 4 (TP x PP)"
        // read as the chosen layout's copy. 40 devices hold the job as TP=8 PP=5, so nothing is rounded and that says so.
        string[] args = ["train", "--model", "qwen3-235b-a22b", "--method", "full", "--tokens", "1B", "--hardware", "910c", "--days", "7", "--format", "markdown"];
        var (code, en, enErr, _) = CliTests.Run(args);
        Assert.True(code == 0, enErr);
        Assert.Contains("| Chosen | 40 | the larger, as it is: TP=8 PP=5 DP=1 ZeRO-1 holds the job;", en, StringComparison.Ordinal);
        var (_, zh, _, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Contains("| 选定 | 40 | 取较大者，不取整：TP=8 PP=5 DP=1 ZeRO-1 放得下该作业；", zh, StringComparison.Ordinal);
    }
}

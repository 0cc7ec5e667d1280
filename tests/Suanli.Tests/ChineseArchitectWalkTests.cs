using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// What a Chinese-speaking architect met planning DeepSeek, Qwen and GLM on Ascend 910C, Kunlunxin P800, H20 and H100
/// (knowledge base, call centre, fine-tuning): words left in English, numbers without their separators, an advice that
/// could not be followed, zeros where a reason belonged, and compare pricing a device plan powers at no electricity.
/// </summary>
public class ChineseArchitectWalkTests
{
    [Fact]
    public void Optimize_reads_its_cost_basis_range_and_unpriced_rent_terms_in_the_readers_language()
    {
        // kunlunxin-p800 has no purchase or rent row in catalog/prices, so it is left out; the H100 is costed.
        var path = TempFiles.Write("opt.yaml", "name: small\ncurrency: CNY\nhardware: h100\napplications:\n  - name: kb\n    model: qwen2.5-7b-instruct\n    peak_rate: 1\n    input_tokens: 512\n    output_tokens: 128\ncandidates:\n  hardware: [h100, kunlunxin-p800]\n  devices_per_replica: [1]\n");
        var (code, zh, zhErr, _) = CliTests.Run("optimize", path, "--format", "markdown", "--lang", "zh");
        Assert.Equal(0, code);
        var zhText = zh + zhErr;
        Assert.Matches(new Regex(@"CNY（(自有|租用)）；80% 区间 [\d,]+ CNY( 至 [\d,]+ CNY)?（容量类别"), zhText);
        // The terms read in words with the id a scenario types (rent_term), joined as a Chinese list.
        Assert.Contains("kunlunxin-p800 的购买价或按需（on-demand）、预留 1 年（reserved-1y）或预留 3 年（reserved-3y）租金", zhText, StringComparison.Ordinal);
        Assert.DoesNotContain(" or ", zhText.Replace("qwen2.5-7b-instruct bf16 on kunlunxin-p800", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"CNY to [\d,]+ CNY"), zhText);
        var (_, en, enErr, _) = CliTests.Run("optimize", path, "--format", "markdown");
        Assert.Matches(new Regex(@"CNY \((own|rent)\); 80% range [\d,]+ CNY( to [\d,]+ CNY)? \(capacity class"), en + enErr);
        Assert.Contains("kunlunxin-p800 has no purchase price or on-demand, reserved-1y or reserved-3y rent", en + enErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimize_leaves_out_a_device_whose_server_spans_racks_without_advising_a_taller_rack()
    {
        // cloudmatrix-384 is 672U; rack.height_u stops at 60U, so "raise rack.height_u" could not be followed.
        var path = TempFiles.Write("cm.yaml", "name: cm\ncurrency: CNY\nhardware: 910c\nserver: cloudmatrix-384\napplications:\n  - name: kb\n    model: qwen2.5-7b-instruct\n    peak_rate: 1\n    input_tokens: 512\n    output_tokens: 128\ncandidates:\n  hardware: [910c, h20]\n  devices_per_replica: [1]\n");
        var (code, en, enErr, _) = CliTests.Run("optimize", path, "--format", "markdown");
        Assert.Equal(0, code);
        Assert.Contains("kb: huawei-ascend-910c is left out: cloudmatrix-384 (672U) spans more than one rack and rack.height_u stops at 60U; name a server of one rack for huawei-ascend-910c in server, or leave server out.", en + enErr, StringComparison.Ordinal);
        Assert.DoesNotContain("raise rack.power or rack.height_u", en + enErr, StringComparison.Ordinal);
        var (_, zh, zhErr, _) = CliTests.Run("optimize", path, "--format", "markdown", "--lang", "zh");
        Assert.Contains("kb：huawei-ascend-910c 未纳入：cloudmatrix-384（672U）跨越不止一个机柜，而 rack.height_u 最多为 60U；请在 server 中为 huawei-ascend-910c 指定一台单机柜的服务器，或省略 server。", zh + zhErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_value_of_the_wrong_kind_and_a_pue_out_of_range_read_in_chinese_with_the_fix()
    {
        // YAML's .nan parses as a float; a scenario refuses it. The value of peak_concurrency is at line 6, column 23.
        var path = TempFiles.Write("nan.yaml", "name: x\nhardware: h100\napplications:\n  - name: kb\n    model: qwen2.5-7b-instruct\n    peak_concurrency: .nan\n    input_tokens: 512\n    output_tokens: 128\n");
        var (code, _, en, _) = CliTests.Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal($"error: {path}:6:23: 'applications[0].peak_concurrency' must be a number, got '.nan'; write digits with a point, e.g. 0.5 or 1e6.", en.TrimEnd());
        var (_, _, zh, _) = CliTests.Run("plan", path, "--lang", "zh");
        Assert.Equal($"错误：{path}:6:23: 'applications[0].peak_concurrency' 必须是数字，实际为 '.nan'；请填写数字（小数点用 .），例如 0.5 或 1e6。", zh.TrimEnd());
        // rack.pue 5 is at line 3, column 13: it used to stay English in Chinese.
        var pue = TempFiles.Write("pue.yaml", "name: x\nhardware: h100\nrack: {pue: 5}\napplications:\n  - name: kb\n    model: qwen2.5-7b-instruct\n    peak_concurrency: 3\n    input_tokens: 512\n    output_tokens: 128\n");
        var (_, _, pueZh, _) = CliTests.Run("plan", pue, "--lang", "zh");
        Assert.Equal($"错误：{pue}:3:13: rack.pue 必须在 1.0 到 3.0 之间，实际为 5；数据中心的 PUE 是总功率除以 IT 功率，默认 1.3。", pueZh.TrimEnd());
    }

    [Fact]
    public void A_monthly_volume_past_what_a_number_holds_is_refused_at_its_option_not_as_an_infinite_token_count()
    {
        // 1e308 requests x (500 + 200) tokens overflowed a double; it used to read "tokens must be a finite number, got Infinity".
        // It is now refused by the volume limit, before any token count is formed.
        string[] args = ["compare", "--requests-per-month", "1e308", "--api", "DeepSeek/deepseek-chat (DeepSeek-V3.2)"];
        var (code, _, en, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("error: --requests-per-month 1e308 is 1e308 requests a month, more than the 262,800,000,000,000 a comparison takes (100,000,000 requests/s, the largest peak a scenario takes, over a 730-hour month); lower --requests-per-month.", en.TrimEnd());
        var (_, _, zh, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal("错误：--requests-per-month 1e308 即每月 1e308 个请求，超过比较所能接受的 262,800,000,000,000 个（每秒 100,000,000 个请求，即场景所接受的最大峰值，持续一个 730 小时的月）；请降低 --requests-per-month。", zh.TrimEnd());
    }

    [Fact]
    public void The_articles_rule_writes_a_thousand_copies_with_its_separator_in_the_table_and_the_finding()
    {
        // One copy per concurrent request: 1,000 in flight are 1,000 copies of a 0.5B model, one device each.
        var path = TempFiles.Write("cc.yaml", "name: cc\nhardware: h100\napplications:\n  - name: cc\n    model: qwen2.5-0.5b\n    peak_concurrency: 1000\n    input_tokens: 100\n    output_tokens: 10\n    profile: flat\n");
        var (code, en, _, _) = CliTests.Run("plan", path, "--format", "markdown");
        Assert.Equal(0, code);
        Assert.Contains("1,000 (1,000 copies x 1)", en, StringComparison.Ordinal);
        Assert.Contains("gives 1,000 copies x 1 devices = 1,000 x nvidia-h100-sxm5-80gb", en, StringComparison.Ordinal);
        var (_, zh, _, _) = CliTests.Run("plan", path, "--format", "markdown", "--lang", "zh");
        Assert.Contains("得到 1,000 份副本 x 1 台设备 = 1,000 x nvidia-h100-sxm5-80gb", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_counts_a_device_without_a_published_tdp_at_its_catalog_servers_share_as_plan_does()
    {
        // huawei-ascend-910c has no TDP; atlas-800t-a3 is 11.5 kW for 8 devices: 1,437.5 W a device, 1,049 kWh in the
        // 730 hours of a month for one device running around the clock (compare's fleet), where it used to be 0 kWh.
        string[] args = ["compare", "--requests-per-month", "1M", "--model", "qwen2.5-7b-instruct", "--hardware", "910c", "--currency", "CNY", "--self-host", "buy", "--format", "markdown"];
        var (code, en, enErr, _) = CliTests.Run(args);
        Assert.Equal(0, code);
        Assert.Contains("huawei-ascend-910c has no published board power; its electricity is counted at 1,438 W a device, the atlas-800t-a3 nameplate of 11.5 kW over its 8 devices (hosts included, an upper bound).", en + enErr, StringComparison.Ordinal);
        Assert.Contains("1,049 kWh IT x PUE", en, StringComparison.Ordinal);
        Assert.DoesNotContain("electricity is counted as zero", en + enErr, StringComparison.Ordinal);
        var (_, zh, zhErr, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Contains("huawei-ascend-910c 没有公布的板卡功率；其电费按每台 1,438 W 计，即 atlas-800t-a3 的铭牌功率 11.5 kW 除以其 8 台设备（含主机，是上限）。", zh + zhErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replica_whose_kv_cache_holds_no_whole_request_says_so_instead_of_reporting_zeros()
    {
        // Llama-3.1-8B on one 24 GB L4 keeps a few tens of thousands of KV tokens; a 100,000-token prompt never fits.
        string[] args = ["capacity", "--model", "llama-3.1-8b", "--hardware", "l4", "--devices", "1", "--input", "100000", "--output", "100", "--ttft-p90", "100", "--tpot-p90", "1"];
        var (_, en, enErr, console) = CliTests.Run(args);
        var all = en + enErr + console;
        Assert.Matches(new Regex(@"No load meets the targets: the replica's KV cache holds [\d,]+ tokens, fewer than one request's prompt plus output, so every request\s+is refused\."), all);
        Assert.DoesNotContain("TTFT p90 0.0 ms", all, StringComparison.Ordinal);
        var (_, zh, zhErr, zhConsole) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Matches(new Regex(@"没有任何负载能满足目标：该副本的 KV 缓存只能容纳 [\d,]+ 个词元，不足一个请求的提示加输出，因此所有请求都被拒绝。"), zh + zhErr + zhConsole);
    }

    [Fact]
    public void Models_whose_checkpoints_differ_run_in_bf16_and_the_assumption_says_why_and_how_to_change_it()
    {
        // qwen2.5-7b-instruct ships bf16, gpt-oss-20b mxfp4+bf16 (their config.json files): one application, one format.
        var path = TempFiles.Write("mix.yaml", "name: mix\nhardware: h100\napplications:\n  - name: kb\n    models: [qwen2.5-7b-instruct, gpt-oss-20b]\n    peak_concurrency: 5\n    input_tokens: 512\n    output_tokens: 128\n");
        var (code, json, _, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        var assumptions = doc.RootElement.GetProperty("assumptions").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("kb.precision = bf16 (default: the models' released checkpoints differ (qwen2.5-7b-instruct bf16, gpt-oss-20b mxfp4+bf16); state precision, or candidates.precisions for optimize, to run each in its own)", assumptions);
        // No devices_per_replica: the planner keeps the TP layout with the most demand per device (docs/methodology-fleet.md), not the fewest.
        Assert.Contains("devices_per_replica = the layout that carries the most load per device, from the fewest devices that fit up to one server, or several when a replica fills one (default)", assumptions);
    }
}

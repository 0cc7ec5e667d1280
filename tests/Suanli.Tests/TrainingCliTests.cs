using System.Text.Json;
using Xunit;

namespace Suanli.Tests;

public class TrainingCliTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, output, err, _) = CliTests.Run([.. args, "--format", "json"]);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public void Train_json_has_the_documented_fields()
    {
        var root = Json("train", "--model", "llama-2-7b", "--tokens", "2T", "--hardware", "a100", "--devices", "1024", "--tariff", "0.65 CNY/kWh");
        foreach (var path in new[] { "inputs.model", "compute.trainFlops", "compute.pfDays", "time.gpuHours", "time.days", "memory.memoryPerDeviceBytes", "memory.fits", "energyMwh", "costs", "findings", "sweep", "layout" })
        {
            var node = root;
            Assert.All(path.Split('.'), name => Assert.True(node.TryGetProperty(name, out node), $"missing {path}"));
        }
        var costs = root.GetProperty("costs");
        Assert.Equal("USD", costs.GetProperty("rent").GetProperty("currency").GetString());
        Assert.Equal("CNY", costs.GetProperty("electricity").GetProperty("currency").GetString());
        Assert.True(costs.TryGetProperty("capex", out _));
        Assert.Equal(2e12, root.GetProperty("inputs").GetProperty("tokens").GetDouble());
    }

    [Fact]
    public void A_short_fine_tuning_run_keeps_two_significant_figures_instead_of_rounding_to_zero()
    {
        // LoRA on Llama-3.3-70B over 1e8 tokens: (2 x 2 x 70.55e9 + attention) x 1e8 = 3.007e19 FLOPs = 0.348 PF-days
        // (3.007e19 / 8.64e19); about 18 device-hours on 8 devices is 0.094 days; 10.2 kW x 2.25 h (17.97 device-hours / 8) x PUE 1.3 = 0.030 MWh.
        // Before, the tables said "0" PF-days, "0.0 days" and "0.0 MWh".
        var args = new[] { "train", "--model", "llama-3.3-70b", "--tokens", "100M", "--hardware", "h100", "--devices", "8", "--method", "lora" };
        var root = Json(args);
        Assert.Equal(0.348, root.GetProperty("compute").GetProperty("pfDays").GetDouble(), 0.001);
        var (code, output, err, _) = CliTests.Run([.. args, "--format", "markdown"]);
        Assert.True(code == 0, err);
        Assert.Contains("| PF-days | 0.35 |", output, StringComparison.Ordinal);
        Assert.Contains("= 0.48 PF-days", output, StringComparison.Ordinal); // 6ND: 6 x 69.5e9 parameters without the embedding x 1e8 = 4.17e19
        Assert.Contains("| Wall clock | 0.094 days |", output, StringComparison.Ordinal);
        Assert.Contains("| Energy | 0.030 MWh |", output, StringComparison.Ordinal);
        Assert.Contains("Energy 0.030 MWh = whole-server power x 2.2 h x PUE 1.30.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0 days", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_c4_gpt3_at_3_15e23_flops_is_about_3646_pf_days_and_shows_the_int8_figure_beside_bf16()
    {
        var (code, _, err, console) = CliTests.Run("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--devices", "1024");
        Assert.True(code == 0, err);
        Assert.Contains("INT8 peak, 100% use (articles)", console, StringComparison.Ordinal);
        Assert.Contains("624 TFLOP/s", console, StringComparison.Ordinal);
        Assert.Contains("312 TFLOP/s", console, StringComparison.Ordinal);
        var root = Json("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--devices", "1024");
        Assert.Equal(3645.8, root.GetProperty("compute").GetProperty("pfDays").GetDouble(), 0.1);
        Assert.Equal(312, root.GetProperty("compute").GetProperty("peakTflopsPerDevice").GetDouble());
    }

    [Fact]
    public void Seed_c6_a_500b_class_dense_model_prices_a_year_of_cluster_electricity_and_the_capex()
    {
        var root = Json("train", "--model", "palm-540b", "--tokens", "10.8T", "--hardware", "h100", "--devices", "16384", "--tariff", "0.65 CNY/kWh");
        var costs = root.GetProperty("costs");
        var capex = costs.GetProperty("capex").GetProperty("amount").GetDecimal();
        Assert.Equal(16384m * 30000m, capex);
        var perYear = costs.GetProperty("electricityPerYear").GetProperty("amount").GetDecimal();
        Assert.InRange(perYear, 100_000_000m, 300_000_000m);
        Assert.True(root.GetProperty("memory").GetProperty("fits").GetBoolean());
    }

    [Fact]
    public void Chinchilla_json_compares_gpt3_with_chinchilla()
    {
        var root = Json("chinchilla", "--flops", "5.76e23", "--params", "70B", "--tokens", "1.4T");
        Assert.Equal(5.76e23, root.GetProperty("flops").GetDouble());
        Assert.Equal(20.0, root.GetProperty("rule").GetProperty("tokensPerParameter").GetDouble(), 1e-9);
        Assert.Equal(1.937, root.GetProperty("pair").GetProperty("loss").GetDouble(), 0.001);
        Assert.Equal(2, root.GetProperty("comparison").GetArrayLength());
    }

    [Fact]
    public void Budget_mode_turns_dollars_into_tokens_through_the_rent()
    {
        var root = Json("train", "--model", "llama-2-7b", "--budget-usd", "1M", "--hardware", "h100", "--devices", "256", "--rent-per-hour", "2 USD");
        Assert.Equal(1_000_000.0, (double)root.GetProperty("costs").GetProperty("rent").GetProperty("amount").GetDecimal(), 1.0);
    }

    [Fact]
    public void Qlora_fine_tune_of_a_70b_model_fits_one_80gb_device()
    {
        var root = Json("train", "--model", "llama-2-70b", "--tokens", "100M", "--hardware", "a100", "--devices", "1", "--method", "qlora", "--recompute", "full", "--seq-len", "2048");
        Assert.True(root.GetProperty("memory").GetProperty("fits").GetBoolean());
        Assert.Equal("qlora", root.GetProperty("inputs").GetProperty("method").GetString());
    }

    [Fact]
    public void Distillation_adds_the_teacher_generation()
    {
        var root = Json("train", "--model", "llama-3.2-1b", "--tokens", "1B", "--hardware", "h100", "--devices", "8", "--teacher", "llama-3.1-70b", "--teacher-devices", "4");
        var teacher = root.GetProperty("teacher");
        Assert.Equal("llama-3.1-70b", teacher.GetProperty("model").GetString());
        Assert.True(teacher.GetProperty("gpuHours").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--tokens", "0")]
    [InlineData("--tokens", "-5B")]
    [InlineData("--tokens", "NaN")]
    [InlineData("--flops", "0")]
    [InlineData("--flops", "abc")]
    public void Zero_negative_or_nan_tokens_and_flops_exit_2_naming_the_option(string option, string value)
    {
        var (code, _, err, _) = CliTests.Run("train", "--model", "llama-2-7b", option, value, "--hardware", "a100");
        Assert.Equal(2, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_stage_4_is_refused_with_the_valid_stages()
    {
        var (code, _, err, _) = CliTests.Run("train", "--model", "llama-2-7b", "--tokens", "1T", "--hardware", "a100", "--zero", "4");
        Assert.Equal(2, code);
        Assert.Contains("ZeRO stage 4 does not exist", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layout_that_does_not_divide_the_model_is_refused_with_valid_layouts()
    {
        var (code, _, err, _) = CliTests.Run("train", "--model", "llama-2-7b", "--tokens", "1T", "--hardware", "a100", "--devices", "24", "--tp", "3");
        Assert.Equal(2, code);
        Assert.Contains("TP=3", err, StringComparison.Ordinal);
        var (code2, _, err2, _) = CliTests.Run("train", "--model", "llama-2-7b", "--tokens", "1T", "--hardware", "a100", "--devices", "12", "--tp", "8");
        Assert.Equal(2, code2);
        Assert.Contains("do not divide", err2, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_flops_and_budget_are_mutually_exclusive()
    {
        var (code, _, err, _) = CliTests.Run("train", "--model", "llama-2-7b", "--tokens", "1T", "--flops", "1e23", "--hardware", "a100");
        Assert.Equal(2, code);
        Assert.Contains("exactly one of", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_too_small_reports_the_smallest_that_fits()
    {
        var root = Json("train", "--model", "gpt-3-175b", "--tokens", "300B", "--hardware", "a100", "--devices", "8");
        Assert.False(root.GetProperty("memory").GetProperty("fits").GetBoolean());
        Assert.True(root.GetProperty("memory").GetProperty("smallestCluster").GetProperty("devices").GetInt32() > 8);
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "does-not-fit");
    }
}

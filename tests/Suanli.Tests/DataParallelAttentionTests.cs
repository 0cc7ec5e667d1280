using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class DataParallelAttentionTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly Layout Dp8 = Layouts.MakeDataParallelAttention(1, 8, 1);

    private static Deployment On8H200(string model, Layout layout) =>
        new(Catalog.Model(model), Catalog.Device("nvidia-h200-sxm-141gb"), layout, NumberFormat.Fp8, NumberFormat.Fp8, Engine.Sglang);

    [Fact]
    public void DeepSeek_V3_fp8_on_8_H200_holds_4_8_times_the_sequences_with_data_parallel_attention_as_with_TP_8()
    {
        // DeepSeek-V3 (config.json): 61 layers (3 dense, 58 MoE), hidden 7,168, 256 routed experts of width 2,048, vocab 129,280.
        // Counted parameters: 671,026,404,352, of which embedding and LM head 2 x 926,679,040 (kept 16-bit) and routed
        // experts 58 x 256 x 3 x 7,168 x 2,048 = 653,908,770,816; the rest of the blocks (MLA, 3 dense MLPs, shared
        // experts, routers, norms) 669,173,046,272 - 653,908,770,816 = 15,264,275,456, one byte each in FP8.
        //   TP=8: (669,173,046,272 + 2 x 1,853,358,080) / 8 = 84,109,970,304 bytes per device.
        //   DP-attention 8 x EP 8: 15,264,275,456 + 3,706,716,160 + 653,908,770,816 / 8 = 100,709,587,968 bytes per device.
        // KV of one 2,048-token sequence: 61 x (512 + 64) x 1 byte x 2,048 = 71,958,528 bytes, on every TP rank (the latent
        // is replicated) or on its own DP rank only.
        // Free for KV: 141e9 x 0.9 - weights - activations (136,832,000 / 268,952,576) - 1 GiB context:
        //   TP=8 41,579,455,872 -> 577 sequences for the whole group; DP 24,847,717,632 -> 345 per rank x 8 = 2,760.
        var model = Catalog.Model("deepseek-v3");
        var request = new FootprintRequest(model, NumberFormat.Fp8, NumberFormat.Fp8, 2048, 1, RuntimeReserve.Default);
        var memory = Catalog.Device("nvidia-h200-sxm-141gb").Memory;
        var tp = MemoryModel.OnDevice(request, Layouts.Make(model.Architecture, 8, 1), memory, 0.9);
        var dp = MemoryModel.OnDevice(request, Dp8, memory, 0.9);

        Assert.Equal(84_109_970_304, tp.Weights.Value, 0);
        Assert.Equal(100_709_587_968, dp.Weights.Value, 0);
        Assert.Equal(71_958_528, tp.KvPerSequence.Value, 0);
        Assert.Equal(71_958_528, dp.KvPerSequence.Value, 0);
        Assert.Equal(577, tp.MaxSequences);
        Assert.Equal(2_760, dp.MaxSequences);
        // Not the full factor 8: each rank also holds the replicated attention, dense and shared-expert weights.
        Assert.InRange(dp.MaxSequences / (double)tp.MaxSequences, 4.7, 4.9);
    }

    [Fact]
    public void The_serving_kv_pool_of_a_data_parallel_attention_group_is_one_pool_per_rank()
    {
        var tp = ServingSimulator.KvCapacity(On8H200("deepseek-v3", Layouts.Make(Catalog.Model("deepseek-v3").Architecture, 8, 1)), EngineConfig.Default(Engine.Sglang, Catalog.Device("nvidia-h200-sxm-141gb")));
        var dp = ServingSimulator.KvCapacity(On8H200("deepseek-v3", Dp8), EngineConfig.Default(Engine.Sglang, Catalog.Device("nvidia-h200-sxm-141gb")));
        Assert.Equal(0, dp % 8);
        Assert.InRange(dp / (double)tp, 4.0, 5.5);
    }

    [Fact]
    public void One_all_to_all_sends_each_token_to_its_top_k_experts_on_the_other_devices()
    {
        // DeepSeek-V3, DP-attention 8 x EP 8, 2,048 tokens in the group: each device dispatches its 256 tokens to 8 experts,
        // 7/8 of them on other devices, 7,168 BF16 values each: 256 x 8 x 7,168 x 2 x 7/8 = 25,690,112 bytes.
        var a = Catalog.Model("deepseek-v3").Architecture;
        Assert.Equal(25_690_112, PreparedStep.AllToAllBytesPerDevice(a, Dp8, 2048).Value, 0);
        Assert.Equal(0, PreparedStep.AllToAllBytesPerDevice(a, Layouts.Make(a, 8, 1), 2048).Value);
    }

    [Fact]
    public void A_decode_step_with_data_parallel_attention_communicates_by_two_all_to_alls_per_moe_layer()
    {
        // 512 decoding sequences: 2 x 58 MoE layers x (latency + 512/8 x 8 x 7,168 x 2 x 7/8 bytes / link), the link one
        // direction of the catalog's NVLink figure times the fitted interconnect efficiency; no all-reduce (attention TP = 1).
        var d = On8H200("deepseek-v3", Dp8);
        var step = new CalibratedStepTimeModel(CalibrationFiles.Embedded).Prepare(d);
        var p = step.Parameters;
        var link = d.Device.Interconnect.Bandwidth!.Value.Value / 2 * p.InterconnectEfficiency;
        var bytes = PreparedStep.AllToAllBytesPerDevice(d.Model.Architecture, Dp8, 512).Value;
        var expected = 2 * 58 * (p.CollectiveLatency.Value + bytes / link);
        Assert.Equal(expected, step.Estimate(StepShape.Decode(512, 2048)).Communication.Value, 9);
    }

    [Theory]
    [InlineData("deepseek-v3")]
    [InlineData("Qwen/Qwen3-235B-A22B")]
    [InlineData("mistralai/Mixtral-8x7B-Instruct-v0.1")]
    public void Data_parallel_attention_never_changes_the_arithmetic_of_a_step(string modelName)
    {
        var a = Catalog.Model(modelName).Architecture;
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var tp = model.Prepare(On8H200(modelName, Layouts.Make(a, Layouts.On(a, 8)[0].Tp, 1)));
        foreach (var dpLayout in Layouts.DataParallelAttentionOn(a, 8))
        {
            var dp = model.Prepare(On8H200(modelName, dpLayout));
            foreach (var shape in new[] { StepShape.Decode(1, 100), StepShape.Decode(13, 3000), StepShape.Decode(2048, 700), StepShape.Prefill(8192), new StepShape(3000, 5000, 250, 1800), new StepShape(17, 0, 5, 90, 3) })
            {
                var flopTp = tp.Estimate(shape).Flop.Value;
                var flopDp = dp.Estimate(shape).Flop.Value;
                Assert.True(Math.Abs(flopDp / flopTp - 1) < 1e-9, $"{modelName} {dpLayout} {shape}: {flopDp} vs {flopTp}");
            }
        }
    }

    [Fact]
    public void A_pinned_ep_that_is_a_multiple_of_tp_pins_data_parallel_attention()
    {
        var a = Catalog.Model("deepseek-v3").Architecture;
        var pinned = SystemLayouts.Validate(a, 16, 1, 1, null, "deepseek-v3", "tp", 8);
        Assert.Equal(2, pinned.Replicas);
        Assert.Equal(Dp8, pinned.Replica);
        Assert.Equal("2 replicas x (DP-attention 8 x EP 8)", pinned.ToString());
        Assert.Equal("DP-attention 2 x TP=4 x EP 8", SystemLayouts.Validate(a, 8, 4, 1, null, "deepseek-v3", "tp", 8).Replica.ToString());
    }

    [Fact]
    public void Data_parallel_attention_on_a_dense_model_is_refused_with_the_valid_splits()
    {
        var a = Catalog.Model("meta-llama/Llama-3.1-8B").Architecture;
        var e = Assert.Throws<InputException>(() => SystemLayouts.Validate(a, 8, 1, 1, null, "meta-llama/Llama-3.1-8B", "tp", 8));
        Assert.Contains("mixture-of-experts", e.Message);
        Assert.Contains("valid splits of 8 devices", e.Message);
        Assert.Empty(Layouts.DataParallelAttentionOn(a, 8));
    }

    [Fact]
    public void The_layout_search_of_a_moe_model_offers_data_parallel_attention_within_a_node()
    {
        var a = Catalog.Model("deepseek-v3").Architecture;
        var candidates = SystemLayouts.Candidates(a, 16, 8, _ => true);
        Assert.Contains(candidates, c => c.Replica == Dp8 && c.Replicas == 2);
        Assert.DoesNotContain(candidates, c => c.Replica.StageDevices > 8);
    }

    [Fact]
    public void Perf_runs_a_moe_model_with_data_parallel_attention_and_reports_the_layout()
    {
        var (code, output, err, _) = CliTests.Run("perf", "--model", "deepseek-v3", "--hardware", "h200", "--precision", "fp8", "--devices", "8", "--dp-attention", "8", "--batch", "64", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("\"attentionDp\": 8", output, StringComparison.Ordinal);
        var (markdownCode, markdown, markdownErr, _) = CliTests.Run("perf", "--model", "deepseek-v3", "--hardware", "h200", "--precision", "fp8", "--devices", "8", "--dp-attention", "8", "--batch", "64", "--format", "markdown");
        Assert.True(markdownCode == 0, markdownErr);
        Assert.Contains("DP-attention 8 x EP 8", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_refuses_data_parallel_attention_on_a_dense_model_with_one_located_line()
    {
        var (code, _, err, _) = CliTests.Run("perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "8", "--dp-attention", "8");
        Assert.Equal(2, code);
        Assert.Contains("--dp-attention 8 is invalid", err, StringComparison.Ordinal);
        Assert.Contains("mixture-of-experts", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}

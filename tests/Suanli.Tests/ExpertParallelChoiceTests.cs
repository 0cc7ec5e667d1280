using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The layout chooser's expert-parallel candidates (data-parallel attention with the routed experts over the group) and
/// the engine limits such a replica runs (docs/methodology-serving.md, "Whole systems").
/// </summary>
public class ExpertParallelChoiceTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly Layout Dp8 = Layouts.MakeDataParallelAttention(1, 8, 1);

    [Fact]
    public void Only_moe_models_with_latent_attention_on_vllm_sglang_or_trtllm_try_expert_parallel_layouts()
    {
        var deepSeek = Catalog.Model("deepseek-r1").Architecture;
        Assert.True(ExpertParallelChoice.Tried(deepSeek, Engine.TrtLlm));
        Assert.True(ExpertParallelChoice.Tried(deepSeek, Engine.Vllm));
        Assert.True(ExpertParallelChoice.Tried(deepSeek, Engine.Sglang));
        Assert.False(ExpertParallelChoice.Tried(deepSeek, Engine.LlamaCpp));
        Assert.False(ExpertParallelChoice.Tried(deepSeek, Engine.Transformers));
        // Grouped-query MoE (Mixtral) and dense models keep tensor-parallel attention unless pinned.
        Assert.False(ExpertParallelChoice.Tried(Catalog.Model("mixtral-8x7b").Architecture, Engine.TrtLlm));
        Assert.False(ExpertParallelChoice.Tried(Catalog.Model("llama-3.1-70b").Architecture, Engine.TrtLlm));
    }

    [Fact]
    public void Trtllm_and_vllm_apply_their_limits_to_each_attention_rank_and_sglang_to_the_group()
    {
        Assert.Equal(8, ExpertParallelChoice.LimitScale(Dp8, Engine.TrtLlm));
        Assert.Equal(8, ExpertParallelChoice.LimitScale(Dp8, Engine.Vllm));
        Assert.Equal(1, ExpertParallelChoice.LimitScale(Dp8, Engine.Sglang));
        Assert.Equal(4, ExpertParallelChoice.LimitScale(Layouts.MakeDataParallelAttention(2, 4, 1), Engine.TrtLlm));
        Assert.Equal(1, ExpertParallelChoice.LimitScale(Layouts.Make(Catalog.Model("deepseek-r1").Architecture, 8, 1), Engine.TrtLlm));
    }

    [Fact]
    public void A_simulated_trtllm_replica_with_eight_attention_ranks_runs_more_than_one_ranks_batch_limit()
    {
        // 8 x 288 GB GB300 hold thousands of DeepSeek-R1 sequences of 1,100 tokens in FP4 weights and FP8 KV: beyond
        // TensorRT-LLM's max_batch_size of one rank, within eight ranks' worth.
        var d = new Deployment(Catalog.Model("deepseek-r1"), Catalog.Device("nvidia-gb300-per-gpu"), Dp8, NumberFormat.Fp4, NumberFormat.Fp8, Engine.TrtLlm);
        var engine = EngineConfig.Default(Engine.TrtLlm, d.Device);
        var trace = Enumerable.Range(0, 6_000).Select(_ => new TraceRequest(0, 1_000, 100)).ToList();
        var r = ServingSimulator.Run(d, Workload.FromTrace(trace, "offline"), engine with { MaxQueue = 10_000 }, new CalibratedStepTimeModel(CalibrationFiles.Embedded));
        Assert.InRange(r.Occupancy.BatchSize.Max, engine.MaxNumSeqs + 1, 8 * engine.MaxNumSeqs);
    }

    [Fact]
    public void The_chooser_picks_data_parallel_attention_for_deepseek_r1_on_a_gb300_rack_and_says_why()
    {
        var entry = Catalog.Model("deepseek-r1");
        var device = Catalog.Device("nvidia-gb300-per-gpu");
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var choice = Runs.PerfRun.ChooseSystem(entry, device, NumberFormat.Fp4, NumberFormat.Fp8, Engine.TrtLlm, 72, new SystemPin(null, null, null, null), 804, 3657,
            Catalog, model, SchedulerDefaults.For(Engine.TrtLlm, device));
        Assert.True(choice.Layout.Replica.DataParallelAttention, choice.Layout.ToString());
        Assert.True(choice.Layout.Replica.StageDevices <= 72);
        Assert.Equal(72, choice.Layout.Devices);
        Assert.Contains("most output tokens/s per device", choice.Reason.English, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deepseek-r1", "nvidia-gb300-per-gpu", 72, "fp4")]
    [InlineData("deepseek-r1", "nvidia-b200-sxm", 16, "fp4")]
    [InlineData("deepseek-v3", "nvidia-h200-sxm-141gb", 8, "fp8")]
    [InlineData("deepseek-v3", "nvidia-h200-sxm-141gb", 16, "fp8")]
    public void Adding_expert_parallel_layouts_to_the_candidates_never_lowers_the_chosen_throughput_per_device(string model, string hardware, int devices, string precision)
    {
        var entry = Catalog.Model(model);
        var device = Catalog.Device(hardware);
        var weights = WeightPrecision.Parse(precision);
        var kv = NumberFormat.Fp8;
        var stepModel = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var defaults = SchedulerDefaults.For(Engine.TrtLlm, device);
        var request = new FootprintRequest(entry, weights, kv, 2_048, 1, RuntimeReserve.Default);
        long Sequences(Layout l) => MemoryModel.OnDevice(request, l, device.Memory, RuntimeReserve.Default.MemoryUtilization).MaxSequences;
        double PerDevice(SystemLayout c) => SteadyState.PerDeviceAtLargestBatch(stepModel, new Deployment(entry, device, c.Replica, weights, kv, Engine.TrtLlm), request,
            1_024, 1_024, defaults.MaxNumSeqs, defaults.MaxBatchedTokens);
        SystemChoice Choose(bool expertParallel) => SystemLayoutChoice.Choose(entry, device, devices, new SystemPin(null, null, null, null), Catalog,
            l => Sequences(l) >= 1, PerDevice, Phrase.Of("layout-rule#perf", "the most output tokens/s per device"), expertParallel: expertParallel);

        var without = Choose(false);
        var with = Choose(true);
        Assert.True(with.Candidates > without.Candidates);
        // Ties within the chooser's 1e-4 keep the earlier candidate, so the bound carries that tolerance.
        Assert.True(PerDevice(with.Layout) >= PerDevice(without.Layout) * (1 - 1e-4), $"{with.Layout} against {without.Layout}");
    }
}

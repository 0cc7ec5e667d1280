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

    [Fact]
    public void Experts_that_do_not_divide_over_an_expert_parallel_group_take_equal_slots_with_redundant_copies()
    {
        // DeepSeek-V3: 256 routed experts of 3 x 7,168 x 2,048 = 44,040,192 weights, 58 MoE layers, top-8. On 72 devices
        // (one GB200/GB300 NVL72 rack) each device holds ceil(256 / 72) = 4 expert slots: 288 slots, 32 of them redundant
        // copies, as TensorRT-LLM's wide-EP example configures (num_slots 288).
        var model = Catalog.Model("deepseek-v3");
        var a = model.Architecture;
        var dp72 = Layouts.MakeDataParallelAttention(1, 72, 1);
        Assert.Null(Layouts.DataParallelAttentionProblem(a, 1, 72));
        Assert.Equal(4, Layouts.ExpertSlotsPerDevice(a, dp72));
        Assert.Equal(4 * 72 / 256.0, Layouts.ExpertSlotScale(a, dp72), 12);
        // A group the experts divide over has no redundant slot: 256 / 8 = 32 each.
        Assert.Equal(32, Layouts.ExpertSlotsPerDevice(a, Dp8));
        Assert.Equal(1.0, Layouts.ExpertSlotScale(a, Dp8), 12);

        // Memory per device in FP8: the replicated rest of the blocks and the 16-bit embedding and head (15,264,275,456 +
        // 3,706,716,160 bytes, DataParallelAttentionTests) plus 4 experts x 58 layers x 44,040,192 = 10,217,324,544 bytes.
        var request = new FootprintRequest(model, NumberFormat.Fp8, NumberFormat.Fp8, 2048, 1, RuntimeReserve.Default);
        var memory = MemoryModel.OnDevice(request, dp72, Catalog.Device("nvidia-h200-sxm-141gb").Memory, 0.9);
        Assert.Equal(15_264_275_456 + 3_706_716_160 + 10_217_324_544, memory.Weights.Value, 0);

        // One decode step of 72 sequences (one per attention rank): the group's 72 tokens touch
        // 256 (1 - (1 - 8/256)^72) experts; each device reads its slots' share of them, 1.125 x the even share, while its
        // arithmetic is the even share of 72 x 8 expert passes (the replicas of an expert split its tokens).
        var d = new Deployment(model, Catalog.Device("nvidia-h200-sxm-141gb"), dp72, NumberFormat.Fp8, NumberFormat.Fp8, Engine.TrtLlm);
        var experts = new PreparedStep(d, StepTimeParameters.Ideal).Operators(StepShape.Decode(72, 1000)).Single(o => o.Kind == OperatorKind.Experts);
        var touched = 256 * (1 - Math.Pow(1 - 8.0 / 256, 72));
        var perDevice = 44_040_192 / 72.0;
        var shared = 3.0 * 7_168 * 2_048 + 7_168 * 256;
        Assert.Equal(58 * (touched * perDevice * 1.125 + shared), experts.WeightBytes.Value, 0);
        Assert.Equal(58 * (2.0 * 72 * 8 * perDevice + 2.0 * 1 * shared), experts.Flop.Value, 0);
    }
}

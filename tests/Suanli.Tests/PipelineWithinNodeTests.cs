using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The unpinned split of a system tries pipeline stages (PP = 2 or 4) within one node beside the splits without stages
/// (docs/methodology-serving.md, "Whole systems"), scored by the same rule as tensor parallelism.
/// </summary>
public class PipelineWithinNodeTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // One direction of a PCIe Gen4 x16 link: the catalog's 64 GB/s adds both directions.
    private const double L40sLinkOneWay = 32e9;
    private const double L40sBandwidth = 864e9;

    [Fact]
    public void Qwen_32b_bf16_on_two_pcie_l40s_splits_into_pp2_because_its_extra_lm_head_costs_less_than_tp2s_all_reduces()
    {
        // Qwen2.5-32B: 64 layers, hidden 5,120, vocabulary 152,064, untied LM head; 65.5 GB of BF16 weights do not fit one
        // 48 GB L40S, so the candidates are TP=2 and TP=1 PP=2 on both devices. TensorRT-LLM keeps max_batch_size
        // sequences per micro-batch, so at a cap of 64 a PP=2 replica runs 128 decodes, TP=2 64 (ideal curves).
        const int cap = 64;
        const double context = 512;
        var entry = Catalog.Model("Qwen/Qwen2.5-32B");
        var device = Catalog.Device("nvidia-l40s");
        var request = new FootprintRequest(entry, NumberFormat.Bf16, NumberFormat.Bf16, (int)context, 1, RuntimeReserve.Default).Validated();
        long Sequences(Layout l) => MemoryModel.OnDevice(request, l, device.Memory, RuntimeReserve.Default.MemoryUtilization).MaxSequences;
        PreparedStep Step(int tp, int pp) => new(new Deployment(entry, device, Layouts.Make(entry.Architecture, tp, pp), NumberFormat.Bf16, NumberFormat.Bf16, Engine.TrtLlm), StepTimeParameters.Ideal);
        Assert.True(Sequences(Layout.Single) < 1);
        Assert.True(Sequences(Layouts.Make(entry.Architecture, 1, 2)) >= 2 * cap);
        Assert.True(Sequences(Layouts.Make(entry.Architecture, 2, 1)) >= 2 * cap);

        // By hand, at 64 tokens a micro-batch: a message of 64 x 5,120 x 2 = 655,360 bytes; a ring all-reduce over two
        // devices sends it once each way, 655,360 / 32 GB/s = 20.48 us, twice a layer over 64 layers = 2.621 ms; a
        // pipeline hand-off is one such message, 20.48 us; the LM head at 64 sampled tokens reads 152,064 x 5,120 x 2 bytes
        // of weights + 64 x (5,120 x 2 + 152,064 x 4) bytes of activations and logits = 1,596,719,104 bytes / 864 GB/s.
        var allReduces = 128 * (cap * 5120 * 2.0 / L40sLinkOneWay);
        var handOff = cap * 5120 * 2.0 / L40sLinkOneWay;
        var lmHead = 1_596_719_104 / L40sBandwidth;
        Assert.Equal(2.621e-3, allReduces, 0.001e-3);
        Assert.Equal(1.848e-3, lmHead, 0.001e-3);

        // PP=2 at 128: two micro-batches of 64, a round of one device's step at 64 plus the last stage's second LM head and
        // a hand-off (docs/methodology-steptime.md, "Pipeline micro-batches"); per device 128 / round / 2.
        var single = Step(1, 1).Time(StepShape.Decode(cap, context)).Value;
        var round = Step(1, 2).Time(StepShape.Decode(2 * cap, context)).Value;
        Assert.Equal(single + lmHead + handOff, round, single * 1e-6);
        // TP=2 at 64: each device reads at least half of what one device reads at 64, and the all-reduces come on top.
        var tp2 = Step(2, 1).Time(StepShape.Decode(cap, context)).Value;
        Assert.True(tp2 >= single / 2 + allReduces, $"{tp2} < {single / 2 + allReduces}");
        // So PP=2 carries more per device (64 / round against 32 / tp2) whenever LM head + hand-off < 2 x all-reduces:
        // 1.869 ms < 5.243 ms.
        Assert.True(lmHead + handOff < 2 * allReduces);
        Assert.True(cap / round > cap / 2.0 / tp2);

        double PerDevice(SystemLayout s)
        {
            var sequences = cap * ExpertParallelChoice.LimitScale(s.Replica, Engine.TrtLlm);
            var step = new PreparedStep(new Deployment(entry, device, s.Replica, NumberFormat.Bf16, NumberFormat.Bf16, Engine.TrtLlm), StepTimeParameters.Ideal);
            return sequences / step.Time(StepShape.Decode(sequences, context)).Value / s.Replica.Devices;
        }
        SystemChoice Choose(bool pipelineWithinNode, SystemPin pin) => SystemLayoutChoice.Choose(entry, device, 2, pin, Catalog, l => Sequences(l) >= 2 * cap,
            PerDevice, Phrase.Of("layout-rule#perf", "the most output tokens/s per device"), preferNoPipeline: true, pipelineWithinNode: pipelineWithinNode);
        var none = new SystemPin(null, null, null, null);
        var chosen = Choose(true, none);
        Assert.Equal(new SystemLayout(Layouts.Make(entry.Architecture, 1, 2), 1), chosen.Layout);
        Assert.Equal(2, chosen.Candidates);
        Assert.StartsWith("chosen as the split with the most output tokens/s per device of 2 candidates", chosen.Reason.English);
        // Without the pipeline candidates TP=2 is the only split; a pinned TP keeps winning.
        Assert.Equal(new SystemLayout(Layouts.Make(entry.Architecture, 2, 1), 1), Choose(false, none).Layout);
        Assert.Equal(new SystemLayout(Layouts.Make(entry.Architecture, 2, 1), 1), Choose(true, new SystemPin(2, null, null, null)).Layout);
        Assert.Equal(new SystemLayout(Layouts.Make(entry.Architecture, 2, 1), 1), Choose(true, new SystemPin(null, 1, null, null)).Layout);
    }

    public static TheoryData<string, string, string, string, int> Systems => new()
    {
        { "llama-3.1-70b", "h100", "fp8", "vllm", 8 },
        { "Qwen/Qwen2.5-32B", "nvidia-l40s", "bf16", "trtllm", 4 },
        { "llama-3.1-8b", "h100", "bf16", "trtllm", 8 },
        { "llama-3.1-70b", "h100", "fp8", "llamacpp", 16 },
    };

    [Theory]
    [MemberData(nameof(Systems))]
    public void Adding_pipeline_candidates_never_lowers_the_chosen_throughput_per_device(string model, string hardware, string precision, string engineName, int devices)
    {
        var entry = Catalog.Model(model);
        var device = Catalog.Device(hardware);
        var weights = NumberFormat.Parse(precision);
        var engine = EngineNames.Parse(engineName);
        var defaults = SchedulerDefaults.For(engine, device);
        IStepTimeModel stepModel = CalibrationFiles.Default;
        var none = new SystemPin(null, null, null, null);
        SystemChoice Choose(bool pp) => PerfRun.ChooseSystem(entry, device, weights, weights, engine, devices, none, 1024, 256, Catalog, stepModel, defaults, pipelineWithinNode: pp);
        var reserve = EngineConfig.ReserveFor(engine, device, defaults.MaxBatchedTokens);
        var request = new FootprintRequest(entry, weights, weights, 1280, 1, reserve).Validated();
        double Score(SystemChoice c) => SteadyState.PerDeviceAtLargestBatch(stepModel, NodeLinks.Place(new Deployment(entry, device, c.Layout.Replica, weights, weights, engine), Catalog),
            request, 1024, 256, defaults.MaxNumSeqs, defaults.MaxBatchedTokens);
        var without = Choose(false);
        var with = Choose(true);
        Assert.True(with.Candidates >= without.Candidates);
        Assert.True(Score(with) >= Score(without) * (1 - 1e-4), $"{with.Layout}: {Score(with)} < {without.Layout}: {Score(without)}");
        // Stages stay within one node whenever a split without them fits.
        Assert.True(with.Layout.Replica.Pp == 1 || with.Layout.Replica.Devices <= SystemLayouts.NodeSize(Catalog, device, devices));
    }

    private static readonly PerfInputs Llama70BOn8H100 = new()
    {
        Model = "llama-3.1-70b", Hardware = "h100", Precision = "fp8", SystemDevices = 8, InputTokens = 1024, OutputTokens = 256, Batch = "1,64",
    };

    [Fact]
    public void Perf_with_pp_in_node_splits_llama_70b_fp8_on_8_h100_into_two_tp1_pp4_replicas_and_without_it_into_four_tp2()
    {
        // vLLM keeps 256 sequences per micro-batch, so TP=1 PP=4 runs 1,024 on 4 devices (256 per device against TP=2's 128,
        // whose 379 that fit are capped at 256) without all-reduces: the most per device among the 9 candidates.
        var model = CalibrationFiles.Default;
        var json = (PerfJson)PerfRun.Run(Llama70BOn8H100 with { PipelineWithinNode = true }, Catalog, model).Json;
        Assert.Equal(new SystemLayoutJson(2, 1, 4, 1, 1, 4, 8), json.Layout);
        Assert.StartsWith("chosen as the split with the most output tokens/s per device of 9 candidates", json.LayoutReason);
        Assert.All(json.Rows, row => Assert.Equal(row.OutputTokensPerSecond * 2, row.SystemOutputTokensPerSecond!.Value, 0));
        var byDefault = (PerfJson)PerfRun.Run(Llama70BOn8H100, Catalog, model).Json;
        Assert.Equal(new SystemLayoutJson(4, 2, 1, 1, 1, 2, 8), byDefault.Layout);
        Assert.StartsWith("chosen as the split with the most output tokens/s per device of 4 candidates", byDefault.LayoutReason);
        // A pinned PP keeps winning over the option.
        Assert.Equal("pinned", ((PerfJson)PerfRun.Run(Llama70BOn8H100 with { PipelineWithinNode = true, Tp = 2, Pp = 1 }, Catalog, model).Json).LayoutReason);
        Assert.Equal(new SystemLayoutJson(4, 2, 1, 1, 1, 2, 8), ((PerfJson)PerfRun.Run(Llama70BOn8H100 with { PipelineWithinNode = true, Pp = 1 }, Catalog, model).Json).Layout);
    }

    [Fact]
    public void Capacity_with_pp_in_node_compares_tp1_pp2_beside_the_splits_without_stages()
    {
        var inputs = new ServingInputs { Model = "llama-3.1-8b", Hardware = "h100", Input = "512", Output = "128", Requests = 300, Targets = new() { TtftP90 = 1, TpotP90 = 0.05 },
            Layout = new() { SystemDevices = 2, PipelineWithinNode = true } };
        var model = CalibrationFiles.Default;
        var chosen = (CapacityJson)ServingRun.Capacity(inputs, "rate", Catalog, model).Json;
        Assert.StartsWith("chosen as the split with the largest load per device meeting the targets of 3 candidates", chosen.LayoutReason);
        foreach (var (tp, pp) in new[] { (1, 1), (2, 1), (1, 2) })
        {
            var other = (CapacityJson)ServingRun.Capacity(inputs with { Layout = inputs.Layout with { Tp = tp, Pp = pp } }, "rate", Catalog, model).Json;
            Assert.True(chosen.SystemMaxRequestsPerSecond >= other.SystemMaxRequestsPerSecond, $"TP={tp} PP={pp}: {other.SystemMaxRequestsPerSecond} > {chosen.SystemMaxRequestsPerSecond}");
        }
    }

    [Fact]
    public void Validation_keeps_an_unpinned_row_pipeline_free_unless_the_resolver_opts_in()
    {
        // MLPerf v4.1 Llama-2-70B Offline on 8 x L40S (inf-020's system), whose source states no split.
        var row = new InferenceMeasurement("pp-1", "meta-llama/Llama-2-70b-chat-hf", "nvidia-l40s", 8, "fp8", "fp8", "trtllm", "offline", null, null, 222, 293,
            "output_tokens_per_s", 1, "test", "", new SourceLocation("pp.csv", 2));
        var byDefault = new InferenceRowResolver(Catalog, CalibrationFiles.Embedded).Resolve(row, out var skip);
        Assert.True(byDefault is not null, skip);
        Assert.Equal(1, byDefault!.Deployment.Layout.Pp);
        var opted = new InferenceRowResolver(Catalog, CalibrationFiles.Embedded) { PipelineWithinNode = true }.Resolve(row, out skip);
        Assert.True(opted is not null, skip);
        Assert.InRange(opted!.Deployment.Layout.Pp, 2, 4);
        Assert.True(opted.Deployment.Layout.Devices <= 8);
    }
}

using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Pipeline parallelism with micro-batches in flight (docs/methodology-steptime.md, "Pipeline micro-batches"), checked by
/// hand with ideal curves (efficiency 1, no overheads, no collective latency): Llama-3.1-8B in BF16 on H100 SXM5
/// (3.35 TB/s, NVLink 900 GB/s both directions, so 450 GB/s one way), vocabulary 128,256, hidden 4,096.
/// </summary>
public class PipelineMicroBatchTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private const double Bandwidth = 3.35e12;
    private const double LinkOneWay = 450e9;

    private static PreparedStep Step(int pp, Engine engine)
    {
        var m = Catalog.Model("llama-3.1-8b");
        var d = new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, pp), NumberFormat.Bf16, NumberFormat.Bf16, engine);
        return new PreparedStep(d, StepTimeParameters.Ideal);
    }

    // One pipeline hand-off of `tokens` hidden vectors in BF16 over one link direction.
    private static double HandOff(int tokens) => tokens * 4096 * 2.0 / LinkOneWay;

    [Fact]
    public void A_pp2_round_of_8_decodes_costs_one_device_at_4_plus_the_last_stages_second_lm_head_and_one_hand_off()
    {
        var one = Step(1, Engine.TrtLlm);
        var two = Step(2, Engine.TrtLlm);
        var shape = StepShape.Decode(8, 1000);
        Assert.Equal(2, two.MicroBatches(shape));

        // Two micro-batches of 4: each crosses both stages (all 32 layers and the LM head once: one device's step at 4),
        // plus one hand-off of 4 tokens (4 x 4,096 x 2 bytes / 450 GB/s = 72.8 ns); the last stage runs the LM head for
        // both micro-batches, so the round is one LM head longer. LM head at batch 4, memory-bound: 128,256 x 4,096 x 2
        // bytes of weights + 4 x (4,096 x 2 + 128,256 x 4) bytes of activations and logits = 1,052,758,016 bytes / 3.35 TB/s.
        var lmHead = 1_052_758_016 / Bandwidth;
        var single = one.Time(StepShape.Decode(4, 1000)).Value;
        Assert.Equal(72.8e-9, HandOff(4), 0.1e-9);
        var round = two.Time(shape).Value;
        Assert.Equal(single + lmHead + HandOff(4), round, single * 1e-9);

        // Every sequence gains a token per round: TPOT = the round, throughput = 8 / round for 2 devices, per device
        // single / (single + t_lm + hand-off) of one device's at batch 4, i.e. close to one stage holding half the layers.
        var perDevice = 8 / round / 2;
        Assert.Equal(4 / single * single / (single + lmHead + HandOff(4)), perDevice, perDevice * 1e-9);
        Assert.InRange(perDevice / (4 / single), 0.9, 1.0);
    }

    [Fact]
    public void One_sequence_on_pp2_crosses_both_stages_one_after_another()
    {
        var one = Step(1, Engine.TrtLlm);
        var two = Step(2, Engine.TrtLlm);
        Assert.Equal(1, two.MicroBatches(StepShape.Decode(1, 500)));
        Assert.Equal(one.Time(StepShape.Decode(1, 500)).Value + HandOff(1), two.Time(StepShape.Decode(1, 500)).Value, 1e-12);
        // A lone prompt is one micro-batch too: its time to first token crosses every stage.
        Assert.Equal(one.Time(StepShape.Prefill(2048)).Value + HandOff(2048), two.Time(StepShape.Prefill(2048)).Value, 1e-12);
    }

    [Fact]
    public void Prompts_of_a_prefill_only_step_fill_the_micro_batches()
    {
        var two = Step(2, Engine.TrtLlm);
        var many = new StepShape(8192, 0, 0, 0, 1, PrefillSequences: 8);
        Assert.Equal(2, two.MicroBatches(many));
        Assert.True(two.Time(many).Value < two.Time(StepShape.Prefill(8192)).Value);
    }

    [Fact]
    public void Llama_cpp_runs_its_layer_split_one_stage_after_another()
    {
        var one = Step(1, Engine.LlamaCpp);
        var two = Step(2, Engine.LlamaCpp);
        Assert.Equal(1, two.MicroBatches(StepShape.Decode(8, 1000)));
        Assert.Equal(one.Time(StepShape.Decode(8, 1000)).Value + HandOff(8), two.Time(StepShape.Decode(8, 1000)).Value, 1e-12);
    }

    [Fact]
    public void A_pipelined_replica_runs_the_engines_limits_once_per_stage()
    {
        var a = Catalog.Model("llama-3.3-70b").Architecture;
        // TensorRT-LLM admits max_batch_size x PP sequences (trtGptModel.h, mMaxNumSequences).
        Assert.Equal(8, ExpertParallelChoice.LimitScale(Layouts.Make(a, 1, 8), Engine.TrtLlm));
        Assert.Equal(4, ExpertParallelChoice.LimitScale(Layouts.Make(a, 2, 4), Engine.Vllm));
        Assert.Equal(1, ExpertParallelChoice.LimitScale(Layouts.Make(a, 1, 8), Engine.LlamaCpp));
        Assert.Equal(1, ExpertParallelChoice.LimitScale(Layouts.Make(a, 8, 1), Engine.TrtLlm));
    }
}

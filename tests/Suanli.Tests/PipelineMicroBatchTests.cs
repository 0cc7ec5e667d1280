using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Pipeline parallelism with micro-batches in flight (docs/methodology-steptime.md, "Pipeline micro-batches"), checked by
/// hand with ideal curves (efficiency 1, no overheads, no collective latency): Llama-3.1-8B in BF16 on H100 SXM5
/// (3.35 TB/s, NVLink 900 GB/s both directions, so 450 GB/s one way), vocabulary 128,256, hidden 4,096; and Llama-3.1-405B
/// (126 layers, hidden 16,384) for stages of unequal layers.
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
    public void A_prompt_in_one_micro_batch_holds_the_round_to_its_whole_prefill_while_the_decode_micro_batch_waits()
    {
        var one = Step(1, Engine.TrtLlm);
        var two = Step(2, Engine.TrtLlm);
        // 8 decodes and one prompt chunk of 2,048 tokens on PP = 2: two micro-batches, the prompt in one of them with 4
        // decodes, the other 4 decodes alone (engines keep a request in one micro-batch).
        var shape = new StepShape(2048, 0, 8, 1000, 1, PrefillSequences: 1);
        Assert.Equal(2, two.MicroBatches(shape));
        var prompt = one.Time(new StepShape(2048, 0, 4, 1000)).Value + HandOff(2052);
        var decodes = one.Time(StepShape.Decode(4, 1000)).Value + HandOff(4);
        // LM heads (memory-bound, 128,256 x 4,096 x 2 bytes of weights plus rows of 4,096 x 2 + 128,256 x 4 bytes): 5 rows
        // (4 decodes and the prompt's last token) for the prompt's micro-batch, 4 for the other.
        double LmHead(int rows) => (128256 * 4096 * 2.0 + rows * (4096 * 2 + 128256 * 4.0)) / Bandwidth;
        // 32 layers over 2 stages of 16: the last stage, which also runs the LM head, is the busiest.
        var stageSum = (prompt - LmHead(5)) / 2 + LmHead(5) + (decodes - LmHead(4)) / 2 + LmHead(4);
        // The prompt's way through both stages (about 31 ms of compute-bound prefill) outlasts the last stage's work on
        // both micro-batches: the round is the whole prefill, and the decode-only micro-batch waits for it (a bubble).
        Assert.True(prompt > stageSum);
        var round = two.Time(shape).Value;
        Assert.Equal(prompt, round, round * 1e-9);
        // Two prompts spread over both micro-batches leave no bubble: the same tokens take well under the lone chunk's round.
        var spread = two.Time(shape with { PrefillSequences = 2 }).Value;
        Assert.True(spread < 0.6 * round);
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
    public void Llama_405b_on_pp8_takes_its_round_from_the_first_stages_16_layers_not_an_even_split_of_126()
    {
        // 126 layers over 8 stages: 126 mod 8 = 6 stages of 16 first, then 2 of 15 (TensorRT-LLM's Mapping.pp_layers,
        // torch.tensor_split; vLLM's get_pp_indices keeps the last stage at 15 too).
        Assert.Equal((16, 15), PreparedStep.StageLayers(126, 8));
        Assert.Equal((10, 10), PreparedStep.StageLayers(80, 8));
        // 80 layers over 3 stages: 27, 27, 26 (the 2 extra layers before the last stage, which holds the LM head).
        Assert.Equal((27, 26), PreparedStep.StageLayers(80, 3));
        Assert.Equal((126, 126), PreparedStep.StageLayers(126, 1));

        var m = Catalog.Model("llama-3.1-405b");
        PreparedStep At(int pp) => new(new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, pp), NumberFormat.Bf16,
            NumberFormat.Bf16, Engine.TrtLlm), StepTimeParameters.Ideal);
        var shape = StepShape.Decode(64, 1000);
        var eight = At(8);
        Assert.Equal(8, eight.MicroBatches(shape));

        // One micro-batch of 8 crosses all 126 layers and the LM head (one device's step at 8) and 7 hand-offs of
        // 8 x 16,384 x 2 bytes / 450 GB/s = 582.5 ns each. LM head at batch 8, memory-bound: 128,256 x 16,384 x 2 bytes
        // of weights + 8 x (16,384 x 2 + 128,256 x 4) bytes of activations and logits = 4,207,058,944 bytes / 3.35 TB/s.
        var handOff = 8 * 16384 * 2.0 / LinkOneWay;
        Assert.Equal(582.5e-9, handOff, 0.1e-9);
        var lmHead = 4_207_058_944 / Bandwidth;
        var traversal = At(1).Time(StepShape.Decode(8, 1000)).Value + 7 * handOff;
        var perLayer = (traversal - lmHead) / 126;
        // A first stage's 16 layers (about 30.6 ms at batch 8) outlast the last stage's 15 and the LM head (about
        // 30.0 ms): the round is 8 micro-batches on a 16-layer stage, shorter than an even 15.75 layers plus the LM head.
        Assert.True(16 * perLayer > 15 * perLayer + lmHead);
        var round = eight.Time(shape).Value;
        Assert.Equal(8 * 16 * perLayer, round, round * 1e-9);
        Assert.True(round < 8 * ((traversal - lmHead) / 8 + lmHead));
    }

    [Fact]
    public void TensorRT_llm_runs_its_sequence_cap_per_micro_batch_and_vllm_v1_per_replica_with_a_token_budget_per_micro_batch()
    {
        var a = Catalog.Model("llama-3.3-70b").Architecture;
        // TensorRT-LLM admits max_batch_size x PP sequences (trtGptModel.h, mMaxNumSequences) and fills each micro-batch
        // to max_num_tokens; vLLM V1 caps self.running at max_num_seqs but starts each micro-batch's schedule() with the
        // whole token budget.
        Assert.Equal((8, 8), (ExpertParallelChoice.LimitScale(Layouts.Make(a, 1, 8), Engine.TrtLlm), ExpertParallelChoice.TokenLimitScale(Layouts.Make(a, 1, 8), Engine.TrtLlm)));
        Assert.Equal((1, 4), (ExpertParallelChoice.LimitScale(Layouts.Make(a, 2, 4), Engine.Vllm), ExpertParallelChoice.TokenLimitScale(Layouts.Make(a, 2, 4), Engine.Vllm)));
        Assert.Equal((1, 1), (ExpertParallelChoice.LimitScale(Layouts.Make(a, 1, 8), Engine.LlamaCpp), ExpertParallelChoice.TokenLimitScale(Layouts.Make(a, 1, 8), Engine.LlamaCpp)));
        Assert.Equal((1, 1), (ExpertParallelChoice.LimitScale(Layouts.Make(a, 8, 1), Engine.TrtLlm), ExpertParallelChoice.TokenLimitScale(Layouts.Make(a, 8, 1), Engine.TrtLlm)));
    }
}

using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.StepTime;

/// <summary>Where the proposed tokens of speculative decoding come from.</summary>
public enum SpeculationKind
{
    /// <summary>The model's own multi-token-prediction block (DeepSeek-V3's <c>num_nextn_predict_layers</c>).</summary>
    Mtp,
    /// <summary>An EAGLE-style head: one decoder layer of the target's width that reuses its embedding and LM head.</summary>
    Eagle,
    /// <summary>A separate, smaller model of the catalog.</summary>
    DraftModel,
}

/// <summary>
/// Speculative decoding of one deployment (docs/methodology-steptime.md, "Speculative decoding"): each step the draft
/// proposes <see cref="Tokens"/> tokens per sequence and the target verifies them in one pass; each proposal is accepted
/// with probability <see cref="Acceptance"/>, independently (Leviathan et al., arXiv:2211.17192, section 3.1).
/// </summary>
/// <param name="Kind">Where the proposals come from.</param>
/// <param name="Tokens">Tokens proposed per sequence per step, k (1 to <see cref="MaxTokens"/>).</param>
/// <param name="Acceptance">Probability that a proposed token is accepted, a, strictly between 0 and 1.</param>
/// <param name="Draft">The draft model for <see cref="SpeculationKind.DraftModel"/>; null otherwise.</param>
public sealed record Speculation(SpeculationKind Kind, int Tokens, double Acceptance, ModelEntry? Draft = null)
{
    /// <summary>Most tokens proposed per step: engines default to 1 to 8 (SGLang's speculative_num_draft_tokens default is 8).</summary>
    public const int MaxTokens = 16;

    /// <summary>
    /// Expected tokens emitted per sequence per step, (1 - a^(k+1)) / (1 - a) (Leviathan et al. 2023, equation 1):
    /// the accepted prefix of the proposals plus the one token the target always contributes.
    /// </summary>
    public double ExpectedTokensPerStep => (1 - Math.Pow(Acceptance, Tokens + 1)) / (1 - Acceptance);

    /// <summary>Checks a speculation against its target model; every error names the option that carries the fix.</summary>
    /// <exception cref="InputException">Acceptance outside (0, 1), k outside 1..16, MTP on a model without MTP layers,
    /// a draft model missing, larger than the target, or of another vocabulary.</exception>
    public static Speculation Create(SpeculationKind kind, int tokens, double acceptance, ModelEntry target, ModelEntry? draft = null)
    {
        if (double.IsNaN(acceptance) || acceptance <= 0 || acceptance >= 1)
        {
            throw new InputException(FieldNames.Accept, Phrase.Of("bad-acceptance", "{accept} must be strictly between 0 and 1 (the probability that one proposed token is accepted), got {value}. Typical: 0.85 for DeepSeek-V3 MTP, 0.7 to 0.8 for EAGLE.",
                ("accept", FieldNames.Accept), ("value", Fmt.Number(acceptance))));
        }
        if (tokens < 1 || tokens > MaxTokens)
        {
            throw new InputException(FieldNames.DraftTokens, Phrase.Of("bad-draft-tokens", "{draftTokens} must be 1 to {max} proposed tokens per step, got {value}.",
                ("draftTokens", FieldNames.DraftTokens), ("max", MaxTokens.ToString(CultureInfo.InvariantCulture)), ("value", tokens.ToString(CultureInfo.InvariantCulture))));
        }
        switch (kind)
        {
            case SpeculationKind.Mtp when target.Architecture.MtpLayers < 1:
                throw new InputException(FieldNames.Speculate, Phrase.Of("no-mtp", "{model} has no multi-token-prediction layers (num_nextn_predict_layers is 0); use {speculate} eagle or draft:MODEL.",
                    ("model", target.Id), ("speculate", FieldNames.Speculate)));
            case SpeculationKind.DraftModel when draft is null:
                throw new InputException(FieldNames.Speculate, Phrase.Of("no-draft", "{speculate} draft:MODEL needs a draft model id, e.g. draft:llama-3.2-1b.", ("speculate", FieldNames.Speculate)));
            case SpeculationKind.DraftModel:
                var targetParams = ParameterCount.Of(target.Architecture).Total(target.Architecture);
                var draftParams = ParameterCount.Of(draft!.Architecture).Total(draft.Architecture);
                if (draftParams >= targetParams)
                {
                    throw new InputException(FieldNames.Speculate, Phrase.Of("draft-too-large", "Draft model {draft} ({draftSize} parameters) is not smaller than the target {model} ({modelSize}); pick a smaller draft of the same family.",
                        ("draft", draft.Id), ("draftSize", (draftParams / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B"), ("model", target.Id),
                        ("modelSize", (targetParams / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B")));
                }
                if (draft.Architecture.VocabSize != target.Architecture.VocabSize)
                {
                    throw new InputException(FieldNames.Speculate, Phrase.Of("draft-vocabulary", "Draft model {draft} has a vocabulary of {draftVocabulary} tokens, the target {model} {modelVocabulary}; a draft must share the target's tokenizer.",
                        ("draft", draft.Id), ("draftVocabulary", draft.Architecture.VocabSize.ToString(CultureInfo.InvariantCulture)), ("model", target.Id),
                        ("modelVocabulary", target.Architecture.VocabSize.ToString(CultureInfo.InvariantCulture))));
                }
                break;
        }
        return new Speculation(kind, tokens, acceptance, kind == SpeculationKind.DraftModel ? draft : null);
    }

    /// <summary>Short label, e.g. "mtp k=1 a=0.85" or "draft:llama-3.2-1b k=4 a=0.7".</summary>
    public override string ToString() =>
        $"{(Kind == SpeculationKind.DraftModel ? "draft:" + Draft?.Id : Kind.ToString().ToLowerInvariant())} k={Tokens.ToString(CultureInfo.InvariantCulture)} a={Acceptance.ToString("0.###", CultureInfo.InvariantCulture)}";
}

/// <summary>One speculative decode step of a batch.</summary>
/// <param name="Verify">The target's pass over k + 1 query tokens per sequence.</param>
/// <param name="Draft">The k draft passes together.</param>
/// <param name="Step">Verify + draft: the wall time of one speculative step.</param>
/// <param name="ExpectedTokens">Expected tokens emitted per sequence per step.</param>
/// <param name="TimePerOutputToken">Step / expected tokens.</param>
public sealed record SpeculativeStep(Duration Verify, Duration Draft, Duration Step, double ExpectedTokens, Duration TimePerOutputToken);

/// <summary>What speculative decoding adds to the memory of the fullest device of a replica (docs/methodology-steptime.md, "Speculative decoding", memory).</summary>
/// <param name="Weights">Draft weights on that device, bytes: the MTP blocks, the EAGLE head or the draft model's share.</param>
/// <param name="KvPerToken">KV-cache bytes the draft keeps on that device for every cached token of every sequence.</param>
/// <param name="Basis">How the two were counted, for findings.</param>
public sealed record SpeculationMemory(Bytes Weights, Bytes KvPerToken, string Basis);

/// <summary>Step time with speculative decoding (docs/methodology-steptime.md, "Speculative decoding").</summary>
public static class SpeculativeDecoding
{
    /// <summary>
    /// The draft's memory on the fullest device of <paramref name="d"/>, in the deployment's weight and KV formats:
    /// <list type="bullet">
    /// <item>MTP: the MTP blocks (<see cref="MemoryModel.MtpWeightBytes"/>) split over the TP ranks, and one softmax layer's KV per
    /// token for each MTP block (each block is a transformer layer with its own attention, arXiv:2412.19437 section 2.2).</item>
    /// <item>EAGLE: one decoder layer of the target's width (attention, the dense MLP or, for MoE targets, a dense MLP as wide as the
    /// active experts, norms) plus the 2h x h projection that joins the token embedding and the target's feature (Li et al.,
    /// arXiv:2401.15077), split over the TP ranks, and one layer's KV per token; embedding and LM head are the target's.</item>
    /// <item>Draft model: its weights and per-token KV on the layout <see cref="DraftPass"/> runs it on (widest valid TP on the
    /// target's devices).</item>
    /// </list>
    /// </summary>
    public static SpeculationMemory Memory(Deployment d, Speculation s)
    {
        var a = d.Model.Architecture;
        var tp = d.Layout.Tp;
        switch (s.Kind)
        {
            case SpeculationKind.DraftModel:
            {
                var draft = s.Draft!;
                var layout = DraftLayout(draft, d.Layout.Devices);
                var request = new FootprintRequest(draft, d.Weights, d.Kv, 1, 1, RuntimeReserve.Default);
                var weights = MemoryModel.OnDevice(request, layout, Bytes.Zero, 1.0).Weights;
                var kv = MemoryModel.KvBytesPerCachedToken(draft.Architecture, d.Kv, layout.Tp, layout.Pp);
                return new SpeculationMemory(weights, kv, $"draft model {draft.Id} in {d.Weights.Name} on {layout}");
            }
            case SpeculationKind.Mtp:
            {
                var weights = MemoryModel.MtpWeightBytes(a, d.Weights) / tp;
                // A listed MTP module (Nemotron-H's "*E") caches on its attention blocks only.
                var kv = MemoryModel.KvBytesPerTokenPerLayer(a, d.Kv, tp) * a.MtpLayers * (a.Extras.MtpBlocks?.Attention ?? 1);
                return new SpeculationMemory(weights, kv, $"{a.MtpLayers.ToString(CultureInfo.InvariantCulture)} MTP block(s) in {d.Weights.Name} over TP={tp.ToString(CultureInfo.InvariantCulture)}, each with one attention layer's KV");
            }
            default:
            {
                var p = ParameterCount.Of(a);
                var mlp = p.DenseMlpPerLayer > 0 ? p.DenseMlpPerLayer : p.ActiveMoePerLayer;
                var head = p.AttentionPerLayer + mlp + p.NormsPerLayer + EagleFeatureInputs * a.HiddenSize * (double)a.HiddenSize;
                var weights = Bytes.FromBytes(head * d.Weights.Rest.BytesPerValue / tp);
                var kv = MemoryModel.KvBytesPerTokenPerLayer(a, d.Kv, tp);
                return new SpeculationMemory(weights, kv, $"an EAGLE head of one decoder layer of {d.Model.Id} in {d.Weights.Name} over TP={tp.ToString(CultureInfo.InvariantCulture)}, with one attention layer's KV");
            }
        }
    }

    /// <summary>EAGLE's input projection maps the concatenated token embedding and target feature (2 x hidden) to hidden (Li et al., arXiv:2401.15077, section 4.1).</summary>
    public const double EagleFeatureInputs = 2;

    /// <summary>The layout a draft model runs on: the widest valid tensor parallelism on the target's devices, or one device.</summary>
    public static Layout DraftLayout(ModelEntry draft, int devices)
    {
        var layouts = Layouts.On(draft.Architecture, devices);
        return layouts.Count > 0 ? layouts[0] : Layouts.Validate(draft.Architecture, 1, 1, draft.Id);
    }

    /// <summary>
    /// One speculative decode step of <paramref name="batch"/> sequences at mean context <paramref name="context"/>:
    /// the target verifies k + 1 tokens per sequence (same weight reads, k + 1 times the arithmetic) after k draft passes.
    /// </summary>
    public static SpeculativeStep Decode(IStepTimeModel model, Deployment deployment, Speculation s, int batch, double context)
    {
        var verify = model.Estimate(deployment, new StepShape(0, 0, batch, context, s.Tokens + 1)).Time;
        var draftPass = DraftPass(model, deployment, s, batch, context);
        var draft = Duration.FromSeconds(draftPass.Value * s.Tokens);
        var step = verify + draft;
        return new SpeculativeStep(verify, draft, step, s.ExpectedTokensPerStep, Duration.FromSeconds(step.Value / s.ExpectedTokensPerStep));
    }

    /// <summary>
    /// Time of one draft pass proposing one token per sequence. Draft model: its own decode step on the target's
    /// devices (widest valid tensor parallelism on them). MTP or EAGLE head: one layer of the target (the per-layer share of
    /// every layer operator, the communication and the per-layer overhead) plus the shared LM head; not the fixed step
    /// overhead, which the verify step already carries (the head runs in the same engine iteration).
    /// </summary>
    public static Duration DraftPass(IStepTimeModel model, Deployment deployment, Speculation s, int batch, double context)
    {
        if (s.Kind == SpeculationKind.DraftModel)
        {
            var draft = s.Draft!;
            var d = deployment with { Model = draft, Layout = DraftLayout(draft, deployment.Layout.Devices) };
            return model.Time(d, StepShape.Decode(batch, context));
        }
        if (model is not CalibratedStepTimeModel cm)
        {
            // Without operator detail: one layer's share of a decode step.
            var whole = model.Time(deployment, StepShape.Decode(batch, context));
            return Duration.FromSeconds(whole.Value / deployment.Model.Architecture.Layers);
        }
        var prepared = cm.Prepare(deployment);
        var shape = StepShape.Decode(batch, context);
        var estimate = prepared.Estimate(shape);
        var a = deployment.Model.Architecture;
        var layerKind = a.Moe is not null ? OperatorKind.Experts : OperatorKind.Mlp;
        var seconds = 0.0;
        foreach (var op in prepared.Operators(shape))
        {
            seconds += op.Kind switch
            {
                OperatorKind.LmHead => op.Time.Value,
                OperatorKind.Embedding => op.Time.Value,
                OperatorKind.Mlp or OperatorKind.Experts => op.Kind == layerKind ? op.Time.Value / Math.Max(1, op.Layers) : 0,
                _ => op.Time.Value / Math.Max(1, op.Layers),
            };
        }
        seconds += estimate.Communication.Value / a.Layers;
        // The fixed per-step overhead (scheduling, sampling, the graph launch) is the verify step's: engines run an MTP or
        // EAGLE head's passes inside the same iteration, TensorRT-LLM in the same model forward and CUDA graph as the
        // verify (NVIDIA/TensorRT-LLM docs/source/blogs/tech_blog/blog2_DeepSeek_R1_MTP_Implementation_and_Optimization.md,
        // "Basic Implementation"), so a head's pass adds its layer's launch overhead only.
        seconds += prepared.Parameters.LayerOverhead.Value;
        return Duration.FromSeconds(seconds);
    }
}

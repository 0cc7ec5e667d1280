using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The shape the per-model tests share (MistralLarge3Tests, NemotronUltraTests, NemotronSuperTests, DeepSeekV4Tests):
/// a catalog model by id, its BF16 KV bytes per token, and one operator of a decode step (batch 1 at 8,192 tokens of
/// context, one device, the ideal step parameters), so each test states only its hand count.
/// </summary>
internal static class ModelShapeChecks
{
    /// <summary>The embedded catalog the model tests read.</summary>
    public static SuanliCatalog Catalog { get; } = CatalogFiles.Embedded;

    /// <summary>The catalog model <paramref name="id"/>.</summary>
    public static ModelEntry Model(string id) => Catalog.Model(id);

    /// <summary>The catalog device <paramref name="id"/> (an id or a name users type).</summary>
    public static Device Device(string id) => Catalog.Device(id);

    /// <summary>The architecture of the catalog model <paramref name="id"/>.</summary>
    public static ModelArchitecture Architecture(string id) => Catalog.Model(id).Architecture;

    /// <summary>KV cache bytes a token of the model's context holds in BF16 (all layers).</summary>
    public static double KvBytesPerTokenBf16(string id) => MemoryModel.KvBytesPerToken(Architecture(id), NumberFormat.Bf16).Value;

    /// <summary>
    /// One operator of a decode step of one sequence at 8,192 tokens of context on one <paramref name="device"/> (TP 1,
    /// PP 1, vLLM, BF16 KV cache, <see cref="StepTimeParameters.Ideal"/>), weights in <paramref name="weights"/>.
    /// </summary>
    public static OperatorCost DecodeOperator(string id, string device, NumberFormat weights, OperatorKind kind)
    {
        var m = Catalog.Model(id);
        var deployment = new Deployment(m, Catalog.Device(device), Layouts.Make(m.Architecture, 1, 1), weights, NumberFormat.Bf16, Engine.Vllm);
        return new PreparedStep(deployment, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, 8_192)).Single(o => o.Kind == kind);
    }

    /// <summary>
    /// The expert operator of an FP8 decode token on one H200: <paramref name="layers"/> expert layers each running
    /// <paramref name="activePerLayer"/> parameters do 2 FLOP a parameter and read each parameter's one byte once.
    /// Returns the operator for further checks.
    /// </summary>
    public static OperatorCost AssertFp8DecodeExperts(string id, int layers, double activePerLayer)
    {
        var experts = DecodeOperator(id, "nvidia-h200-sxm-141gb", NumberFormat.Fp8, OperatorKind.Experts);
        Assert.Equal(layers * 2 * activePerLayer, experts.Flop.Value, 1);
        Assert.Equal(layers * activePerLayer, experts.WeightBytes.Value, 1);
        return experts;
    }
}

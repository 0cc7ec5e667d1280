using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The expert-GEMM efficiency of the calibration (docs/methodology-serving.md, "Expert GEMMs: fit tried"): read from the
/// file, range-checked, and applied to the MoE operator's arithmetic only.
/// </summary>
public sealed class ExpertEfficiencyTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static Deployment Deploy(string model) =>
        new(Catalog.Model(model), Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(Catalog.Model(model).Architecture, 1, 1),
            NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);

    [Fact]
    public void The_committed_calibration_carries_an_expert_efficiency_in_range_and_a_written_value_reads_back()
    {
        Assert.All(CalibrationFiles.Embedded.Groups, g => Assert.InRange(g.Parameters.ExpertEfficiency, 1e-4, 1.0));
        var text = CalibrationFiles.Write(CalibrationFiles.Embedded, "test");
        const string Key = "expert_efficiency: ";
        var first = text.IndexOf(Key, StringComparison.Ordinal);
        Assert.True(first > 0);
        var end = text.IndexOf('\n', first);
        string With(string value) => text[..first] + Key + value + text[end..];
        Assert.Equal(0.8, CalibrationFiles.Parse(With("0.8"), "steptime.yaml").Groups[0].Parameters.ExpertEfficiency);
        var bad = With("1.5");
        var ex = Assert.Throws<InputException>(() => CalibrationFiles.Parse(bad, "steptime.yaml"));
        Assert.Contains("expert_efficiency", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_the_expert_efficiency_doubles_the_expert_arithmetic_and_leaves_dense_operators_alone()
    {
        var shape = new StepShape(0, 0, 256, 1024);
        var ideal = new PreparedStep(Deploy("mixtral-8x7b"), StepTimeParameters.Ideal).Operators(shape);
        var slow = new PreparedStep(Deploy("mixtral-8x7b"), StepTimeParameters.Ideal with { ExpertEfficiency = 0.5 }).Operators(shape);
        var e0 = ideal.Single(o => o.Kind == OperatorKind.Experts);
        var e1 = slow.Single(o => o.Kind == OperatorKind.Experts);
        Assert.Equal(2 * e0.ComputeTime.Value, e1.ComputeTime.Value, 9);
        Assert.Equal(e0.MemoryTime.Value, e1.MemoryTime.Value, 12);
        var q0 = ideal.Single(o => o.Kind == OperatorKind.QkvProjection);
        var q1 = slow.Single(o => o.Kind == OperatorKind.QkvProjection);
        Assert.Equal(q0.ComputeTime.Value, q1.ComputeTime.Value);
    }
}

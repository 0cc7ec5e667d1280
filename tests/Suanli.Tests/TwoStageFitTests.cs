using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The calibration's two stages (docs/methodology-serving.md, "Expert GEMMs: two-stage fit"): dense parameters on the
/// dense-model rows, then the expert efficiency alone on the MoE rows with them held. Checked on a synthetic set whose
/// "measurements" are the step model's own predictions at known parameters, so the fit has a known answer.
/// </summary>
public sealed class TwoStageFitTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // The cited starting values with both efficiencies moved (to near the committed serving/gpu fit): the size and overhead
    // terms trade off against each other on any finite set of rows, so they are kept where the prior holds them, and the
    // efficiencies, which the rows do pin, are what the first stage has to find.
    private static readonly StepTimeParameters Truth = Calibrator.Start(EngineClass.Serving) with { ComputeEfficiency = 0.56, MemoryEfficiency = 0.75 };

    private const double TrueExpertEfficiency = 0.7;

    private static ResolvedInferenceRow Row(string id, string model, int devices, string metric, int batch, int input, int output, StepTimeParameters truth)
    {
        var entry = Catalog.Model(model);
        var deployment = new Deployment(entry, Catalog.Device("nvidia-h100-sxm5-80gb"), Footprint.Layouts.Make(entry.Architecture, devices, 1),
            NumberFormat.Fp8, NumberFormat.Fp8, Engine.TrtLlm);
        var m = new InferenceMeasurement(id, model, "nvidia-h100-sxm5-80gb", devices, "fp8", "fp8", "trtllm", "batch", batch, null, input, output,
            metric, 1, "synthetic", "", new SourceLocation("synthetic.csv", 2));
        var unmeasured = new ResolvedInferenceRow(m, deployment, batch, input, output, 8192, "");
        var value = InferencePredictor.Evaluate(unmeasured, new FixedParameterModel(truth), out _);
        return unmeasured with { Row = m with { Value = value } };
    }

    private static List<ResolvedInferenceRow> Rows(IEnumerable<string> models, StepTimeParameters truth, string prefix)
    {
        var rows = new List<ResolvedInferenceRow>();
        foreach (var model in models)
        {
            foreach (var (devices, batch) in new[] { (1, 1), (1, 16), (1, 128), (2, 512), (1, 1024), (2, 64) })
            {
                rows.Add(Row($"{prefix}-{rows.Count}", model, devices, "output_tokens_per_s", batch, 1024, 256, truth));
            }
            rows.Add(Row($"{prefix}-{rows.Count}", model, 1, "prefill_tokens_per_s", 1, 4096, 1, truth));
        }
        return rows;
    }

    [Fact]
    public void The_second_stage_recovers_the_expert_efficiency_and_leaves_the_dense_parameters_as_the_dense_only_fit_gives_them()
    {
        var dense = Rows(["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-70B"], Truth, "dense");
        var moe = Rows(["mistralai/Mixtral-8x7B-v0.1", "Qwen/Qwen3-30B-A3B"], Truth with { ExpertEfficiency = TrueExpertEfficiency }, "moe");
        var start = Calibrator.Start(EngineClass.Serving);
        var fit = TwoStageFit.Of([.. moe.Take(3), .. dense, .. moe.Skip(3)], start, Catalog, CalibrationFiles.Embedded, FirstStageRows.Dense);

        Assert.Equal(dense.Count, fit.First.Count);
        Assert.Equal(moe.Count, fit.Moe.Count);
        var (denseOnly, _) = Calibrator.FitGroupThroughSimulator(dense, start, Catalog, CalibrationFiles.Embedded);
        Assert.Equal(denseOnly with { ExpertEfficiency = fit.ExpertEfficiency }, fit.Shared);
        // The prior's pull toward 1 is weak against 14 exact rows: the known value comes back within 0.02.
        Assert.InRange(fit.ExpertEfficiency, TrueExpertEfficiency - 0.02, TrueExpertEfficiency + 0.02);
        foreach (var r in moe)
        {
            var predicted = InferencePredictor.Evaluate(r, new FixedParameterModel(fit.Shared), out _);
            Assert.InRange(predicted / r.Row.Value, 0.9, 1.1);
        }

        // Fitted in one stage with the expert efficiency at 1, the MoE rows drag the dense parameters away from the dense-only fit.
        var joint = Calibrator.FitGroup([.. dense, .. moe], start);
        Assert.True(Math.Abs(joint.ComputeEfficiency - denseOnly.ComputeEfficiency) + Math.Abs(joint.MemoryEfficiency - denseOnly.MemoryEfficiency) > 0.01,
            $"joint {joint.ComputeEfficiency}/{joint.MemoryEfficiency} vs dense-only {denseOnly.ComputeEfficiency}/{denseOnly.MemoryEfficiency}");
    }

    [Fact]
    public void Without_moe_rows_the_expert_efficiency_stays_1_and_without_dense_rows_one_stage_fits_everything()
    {
        var dense = Rows(["meta-llama/Llama-3.1-8B"], Truth, "dense");
        var moe = Rows(["mistralai/Mixtral-8x7B-v0.1"], Truth with { ExpertEfficiency = TrueExpertEfficiency }, "moe");
        var start = Calibrator.Start(EngineClass.Serving);
        Assert.Equal(1.0, TwoStageFit.Of(dense, start, Catalog, CalibrationFiles.Embedded, FirstStageRows.Dense).ExpertEfficiency);
        var onlyMoe = TwoStageFit.Of(moe, start, Catalog, CalibrationFiles.Embedded, FirstStageRows.Dense);
        Assert.Equal(1.0, onlyMoe.ExpertEfficiency);
        Assert.Equal(moe.Count, onlyMoe.First.Count);
        Assert.Empty(onlyMoe.Moe);
        Assert.Equal(1.0, TwoStageFit.Fit([], []));
    }

    [Fact]
    public void With_every_row_in_the_first_stage_the_shared_parameters_are_the_one_stage_fits_and_the_expert_efficiency_takes_what_the_moe_rows_still_miss()
    {
        var dense = Rows(["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-70B"], Truth, "dense");
        var moe = Rows(["mistralai/Mixtral-8x7B-v0.1", "Qwen/Qwen3-30B-A3B"], Truth with { ExpertEfficiency = TrueExpertEfficiency }, "moe");
        var start = Calibrator.Start(EngineClass.Serving);
        List<ResolvedInferenceRow> all = [.. dense, .. moe];
        var fit = TwoStageFit.Of(all, start, Catalog, CalibrationFiles.Embedded, FirstStageRows.All);
        var (oneStage, _) = Calibrator.FitGroupThroughSimulator(all, start, Catalog, CalibrationFiles.Embedded);
        Assert.Equal(oneStage with { ExpertEfficiency = fit.ExpertEfficiency }, fit.Shared);
        Assert.Equal(all.Count, fit.First.Count);
        Assert.Equal(moe.Count, fit.Moe.Count);
        // The one-stage fit absorbs part of the slower experts in the shared parameters; the rest is what the second stage
        // finds, so the expert efficiency lies between the truth and 1, and the MoE rows' squared log error falls.
        Assert.InRange(fit.ExpertEfficiency, TrueExpertEfficiency - 0.02, 0.95);
        double Error(StepTimeParameters p) => moe.Sum(r => Math.Pow(Math.Log(InferencePredictor.Evaluate(r, new FixedParameterModel(p), out _) / r.Row.Value), 2));
        Assert.True(Error(fit.Shared) < 0.5 * Error(oneStage), $"{Error(fit.Shared)} vs {Error(oneStage)}");
    }
}

using Suanli.Catalog;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>Which rows the first stage of <see cref="TwoStageFit"/> fits the shared parameters on.</summary>
public enum FirstStageRows
{
    /// <summary>Only the rows of dense models; the MoE rows speak to the expert efficiency alone.</summary>
    Dense,
    /// <summary>Every row, the expert efficiency held at 1, as the one-stage fit does; the second stage then fits what the MoE rows still miss.</summary>
    All,
}

/// <summary>
/// A group's fit in two stages (docs/methodology-serving.md, "Expert GEMMs: two-stage fit"): the shared parameters (and
/// the subgroups' efficiencies) first, on the rows <see cref="FirstStageRows"/> names, with the expert efficiency at 1;
/// then the expert-GEMM efficiency alone on the rows of MoE models with those parameters held. Fitted jointly, the MoE
/// rows answered their own over-prediction by lowering the shared memory efficiency, which moved the dense rows. A group
/// without dense rows fits every row in the first stage; a group without MoE rows keeps an expert efficiency of 1.
/// </summary>
/// <param name="Shared">The group's shared parameters, expert efficiency included.</param>
/// <param name="Subgroups">Engine/architecture subgroups fitted on their first-stage rows: name, rows, parameters (expert efficiency included).</param>
/// <param name="First">The rows of the first stage.</param>
/// <param name="FirstFactors">Per row of <paramref name="First"/>, its simulated / steady-state ratio of the last correction round.</param>
/// <param name="Moe">The rows of the second stage.</param>
/// <param name="MoeFactors">Per row of <paramref name="Moe"/>, its simulated / steady-state ratio of the last correction round.</param>
public sealed record TwoStageFit(StepTimeParameters Shared, IReadOnlyList<(string Name, int Rows, StepTimeParameters Parameters)> Subgroups,
    IReadOnlyList<ResolvedInferenceRow> First, IReadOnlyList<double> FirstFactors, IReadOnlyList<ResolvedInferenceRow> Moe, IReadOnlyList<double> MoeFactors)
{
    /// <summary>The fitted expert-GEMM efficiency, (0, 1]; 1 when the group has no MoE row in its second stage.</summary>
    public double ExpertEfficiency => Shared.ExpertEfficiency;

    /// <summary>True for a row of a mixture-of-experts model (the only rows the expert efficiency changes).</summary>
    public static bool IsMoe(ResolvedInferenceRow r) => r.Deployment.Model.Architecture.Moe is not null;

    /// <summary>Fits a group's rows in the two stages, each through the serving simulator's correction rounds.</summary>
    /// <param name="rows">The group's rows.</param>
    /// <param name="start">The cited starting values, also the prior.</param>
    /// <param name="catalog">Catalog for the simulations.</param>
    /// <param name="calibration">Calibration whose engine defaults the simulations use.</param>
    /// <param name="firstStage">The rows of the first stage.</param>
    public static TwoStageFit Of(IReadOnlyList<ResolvedInferenceRow> rows, StepTimeParameters start, SuanliCatalog catalog, Calibration calibration,
        FirstStageRows firstStage)
    {
        List<ResolvedInferenceRow> first = [.. rows.Where(r => firstStage == FirstStageRows.All || !IsMoe(r))];
        List<ResolvedInferenceRow> moe = [.. rows.Where(IsMoe)];
        if (first.Count == 0)
        {
            (first, moe) = (moe, []);
        }
        var (p, firstFactors) = Calibrator.FitGroupThroughSimulator(first, start, catalog, calibration);
        var subgroups = FitSubgroups(first, p, firstFactors);
        var held = HeldParameters(moe, p, subgroups);
        var (expert, moeFactors) = FitThroughSimulator(moe, held, catalog, calibration);
        return new TwoStageFit(p with { ExpertEfficiency = expert },
            [.. subgroups.Select(s => (s.Name, s.Rows, s.Parameters with { ExpertEfficiency = expert }))], first, firstFactors, moe, moeFactors);
    }

    /// <summary>
    /// The first stage's subgroups (<see cref="Calibrator.FitSubgroup"/>) from the shared parameters <paramref name="shared"/>;
    /// with <paramref name="only"/>, that subgroup alone.
    /// </summary>
    public static List<(string Name, int Rows, StepTimeParameters Parameters)> FitSubgroups(IReadOnlyList<ResolvedInferenceRow> first,
        StepTimeParameters shared, IReadOnlyList<double> factors, string? only = null) =>
        [.. Calibrator.Subgroups(first)
            .Where(s => s.Indices.Count >= Calibrator.MinSubgroupRows && (only is null || s.Name == only))
            .Select(s => (s.Name, s.Indices.Count, Calibrator.FitSubgroup([.. s.Indices.Select(i => first[i])], shared, [.. s.Indices.Select(i => factors[i])])))];

    /// <summary>The parameters each MoE row is predicted with in the second stage: its subgroup's when fitted, else the shared ones.</summary>
    public IReadOnlyList<StepTimeParameters> HeldParameters() => HeldParameters(Moe, Shared, Subgroups);

    /// <summary>The parameters each row is predicted with: its subgroup's when fitted, else <paramref name="shared"/>.</summary>
    public static List<StepTimeParameters> HeldParameters(IReadOnlyList<ResolvedInferenceRow> rows, StepTimeParameters shared,
        IReadOnlyList<(string Name, int Rows, StepTimeParameters Parameters)> subgroups) =>
        [.. rows.Select(r =>
        {
            var sub = CalibrationKeys.SubgroupOf(r.Deployment.Engine, r.Deployment.Device);
            var own = subgroups.Where(s => sub.Length > 0 && s.Name == sub).Select(s => s.Parameters).ToList();
            return own.Count > 0 ? own[0] : shared;
        })];

    /// <summary>
    /// The expert efficiency through the simulator: a steady-state fit, then <see cref="Calibrator.CorrectionRounds"/>
    /// rounds that hold each row's simulated / steady-state ratio at the current value and refit (as the first stage).
    /// </summary>
    public static (double Efficiency, IReadOnlyList<double> Factors) FitThroughSimulator(IReadOnlyList<ResolvedInferenceRow> rows,
        IReadOnlyList<StepTimeParameters> held, SuanliCatalog catalog, Calibration calibration)
    {
        var e = Fit(rows, held);
        IReadOnlyList<double> factors = [.. rows.Select(_ => 1.0)];
        for (var round = 0; round < Calibrator.CorrectionRounds && rows.Count > 0; round++)
        {
            factors = [.. rows.Select((r, k) => Calibrator.SimulatorFactor(r, new FixedParameterModel(held[k] with { ExpertEfficiency = e }), catalog, calibration))];
            e = Fit(rows, held, factors);
        }
        return (e, factors);
    }

    /// <summary>
    /// The expert efficiency alone, every other parameter held at <paramref name="held"/> (per row), by the squared log
    /// error of the steady state times <paramref name="factors"/>, with the fit's prior pull toward 1. Encoded as
    /// exp(-t^2) so that it stays in (0, 1] and the prior, <see cref="Calibrator.PriorWeight"/> t^2, pulls it to 1
    /// where no row speaks. No rows: 1.
    /// </summary>
    public static double Fit(IReadOnlyList<ResolvedInferenceRow> rows, IReadOnlyList<StepTimeParameters> held, IReadOnlyList<double>? factors = null)
    {
        if (rows.Count == 0)
        {
            return 1.0;
        }
        double Objective(double[] x)
        {
            var e = Decode(x[0]);
            var sum = Calibrator.PriorWeight * x[0] * x[0];
            for (var k = 0; k < rows.Count; k++)
            {
                var predicted = InferencePredictor.Evaluate(rows[k], new FixedParameterModel(held[k] with { ExpertEfficiency = e }), out _)
                    * (factors is null ? 1 : factors[k]);
                var err = Math.Log(Math.Max(predicted, 1e-300) / rows[k].Row.Value);
                sum += err * err;
            }
            return sum;
        }
        return Decode(Calibrator.NelderMead(Objective, [0.0], 0.5, Calibrator.MaxEvaluations / 4)[0]);
    }

    // Floored at the range check's lower end so that a row the experts cannot explain never asks for a zero efficiency.
    private static double Decode(double t) => Math.Max(Math.Exp(-t * t), 1e-4);
}

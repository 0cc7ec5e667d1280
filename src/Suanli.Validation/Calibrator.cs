using Suanli.Catalog;
using Suanli.Runs;
using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>A step-time model with one parameter set for every deployment (used while fitting).</summary>
/// <param name="parameters">The curves.</param>
public sealed class FixedParameterModel(StepTimeParameters parameters) : IStepTimeModel
{
    private readonly Dictionary<Deployment, PreparedStep> _cache = [];

    /// <summary>The curves.</summary>
    public StepTimeParameters Parameters { get; } = parameters;

    /// <inheritdoc />
    public StepEstimate Estimate(Deployment deployment, StepShape shape)
    {
        if (!_cache.TryGetValue(deployment, out var p))
        {
            p = new PreparedStep(deployment, Parameters);
            _cache[deployment] = p;
        }
        return p.Estimate(shape);
    }
}

/// <summary>A row's leave-one-out prediction: fitted without the row, then predicted.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Metric">Metric.</param>
/// <param name="Measured">Published value.</param>
/// <param name="Predicted">Prediction of the fit that did not see the row.</param>
public sealed record HeldOutPrediction(string Id, string Metric, double Measured, double Predicted)
{
    /// <summary>Signed error in percent.</summary>
    public double ErrorPct => (Predicted - Measured) / Measured * 100;
}

/// <summary>
/// Fits the step-time parameters per engine class and hardware family by minimising the squared log error of the
/// predictions, with a weak pull toward the cited starting values so that parameters the data cannot see stay
/// physical (docs/methodology-steptime.md, "Calibration"). Deterministic: Nelder-Mead from fixed starting points.
/// </summary>
public static class Calibrator
{
    /// <summary>Weight of the pull toward the starting values, per transformed parameter.</summary>
    public const double PriorWeight = 0.02;

    /// <summary>Most objective evaluations per fit.</summary>
    public const int MaxEvaluations = 4000;

    /// <summary>
    /// The starting values (and prior) per engine class, from engine documentation and microbenchmarks cited in
    /// docs/methodology-steptime.md: large GEMMs reach about 70% of the dense peak and streams about 80% of the memory
    /// bandwidth; NCCL all-reduce starts in about 10 us; CUDA-graph engines pay a few microseconds per layer, eager ones tens.
    /// </summary>
    public static StepTimeParameters Start(EngineClass c) => c switch
    {
        EngineClass.LlamaCpp => new(0.5, 64, 0.7, Bytes.FromMegabytes(1), Duration.FromMilliseconds(1), Duration.FromMicroseconds(40), Duration.FromMicroseconds(20), 0.5),
        EngineClass.Transformers => new(0.6, 64, 0.7, Bytes.FromMegabytes(1), Duration.FromMilliseconds(5), Duration.FromMicroseconds(100), Duration.FromMicroseconds(20), 0.5),
        _ => new(0.7, 64, 0.8, Bytes.FromMegabytes(1), Duration.FromMilliseconds(1), Duration.FromMicroseconds(5), Duration.FromMicroseconds(10), 0.7),
    };

    /// <summary>
    /// Rows the fit uses: predictable, not a percentile and not a capacity row (the steady state has neither a
    /// distribution nor targets), not an offline TTFT (a queueing quantity the steady state does not model), and not a
    /// row with speculative decoding (the steady state decodes one token per step; such rows are validated, not fitted).
    /// </summary>
    public static bool UsedForFit(ResolvedInferenceRow r) =>
        r.BaseMetric == r.Row.Metric && r.Row.Scenario != "capacity" && !(r.Row.Metric == "ttft_ms" && r.Row.Scenario == "offline")
        && r.Speculation is null;

    /// <summary>Resolves the rows a calibration can use, with their group keys.</summary>
    /// <param name="rows">The measurement rows.</param>
    /// <param name="catalog">Models and devices the rows name.</param>
    /// <param name="defaults">The calibration that chooses a capacity row's split.</param>
    /// <param name="cancel">Stops a capacity row's search of its splits (<see cref="CapacityLayouts.For"/>), minutes of simulation per row.</param>
    public static IReadOnlyList<(EngineClass Engine, HardwareFamily Hardware, ResolvedInferenceRow Row)> Resolve(
        IEnumerable<MeasurementRow> rows, SuanliCatalog catalog, Calibration defaults, CancellationToken cancel = default)
    {
        var predictor = new InferencePredictor(catalog, new FixedParameterModel(StepTimeParameters.Ideal), defaults);
        var list = new List<(EngineClass, HardwareFamily, ResolvedInferenceRow)>();
        foreach (var row in rows.OfType<InferenceMeasurement>())
        {
            if (predictor.Resolve(row, out _, cancel) is { } r && UsedForFit(r))
            {
                list.Add((CalibrationKeys.ClassOf(r.Deployment.Engine), CalibrationKeys.FamilyOf(r.Deployment.Device), r));
            }
        }
        return list;
    }

    /// <summary>Fits every group that has rows; groups without rows keep their parameters from <paramref name="baseline"/> (or the starting values).</summary>
    /// <param name="rows">The measurement rows.</param>
    /// <param name="catalog">Models and devices the rows name.</param>
    /// <param name="baseline">The calibration whose groups without rows are kept.</param>
    /// <param name="fitted">The date the fit is stamped with.</param>
    /// <param name="data">The files fitted to, as the calibration's data line names them.</param>
    /// <param name="cancel">Stops the fit (an <see cref="OperationCanceledException"/>) between groups: each group fits through the serving simulator for seconds to minutes.</param>
    public static Calibration Fit(IEnumerable<MeasurementRow> rows, SuanliCatalog catalog, Calibration baseline, DateOnly fitted, string data, CancellationToken cancel = default)
    {
        var resolved = Resolve(rows, catalog, baseline, cancel);
        var groups = new List<CalibrationGroup>();
        foreach (var g in resolved.GroupBy(x => (x.Engine, x.Hardware)).OrderBy(g => g.Key.Engine).ThenBy(g => g.Key.Hardware))
        {
            cancel.ThrowIfCancellationRequested();
            var list = g.Select(x => x.Row).ToList();
            var fit = TwoStageFit.Of(list, Start(g.Key.Engine), catalog, baseline, FirstStage);
            groups.Add(new CalibrationGroup(g.Key.Engine, g.Key.Hardware, fit.Shared, list.Count,
                $"fitted to {list.Count} rows of {data} through the validation path (steady state corrected to the serving simulator, {CorrectionRounds} rounds){StagesNote(fit)}"));
            foreach (var sub in fit.Subgroups)
            {
                groups.Add(new CalibrationGroup(g.Key.Engine, g.Key.Hardware, sub.Parameters, sub.Rows,
                    $"efficiencies refitted to the {sub.Rows} {(FirstStage == FirstStageRows.All ? "" : "dense-model ")}rows of {sub.Name} in {data}, shrunk toward the shared group (weight {Show.N(SubgroupShrinkWeight, 1)}); other parameters shared")
                {
                    Subgroup = sub.Name,
                });
            }
        }
        foreach (var old in baseline.Groups.Where(o => !groups.Any(n => n.Engine == o.Engine && n.Hardware == o.Hardware)))
        {
            groups.Add(old with { Rows = 0 });
        }
        foreach (var c in Enum.GetValues<EngineClass>().Where(c => !groups.Any(g => g.Engine == c)))
        {
            groups.Add(new CalibrationGroup(c, HardwareFamily.Gpu, Start(c), 0, "not fitted: no measurement of this engine class in the calibration set; the cited starting values"));
        }
        return new Calibration(fitted, data, groups);
    }

    /// <summary>
    /// Leave-one-out: each fitted row is predicted by a fit of its group without it, through the same path as validation
    /// (the serving simulator for offline, concurrency and rate rows; the step time for batch rows).
    /// </summary>
    /// <param name="rows">The measurement rows.</param>
    /// <param name="catalog">Models and devices the rows name.</param>
    /// <param name="baseline">The calibration the fits start from.</param>
    /// <param name="cancel">Stops the refits (an <see cref="OperationCanceledException"/>) between rows and inside each held-out row's simulation.</param>
    public static IReadOnlyList<HeldOutPrediction> LeaveOneOut(IEnumerable<MeasurementRow> rows, SuanliCatalog catalog, Calibration baseline, CancellationToken cancel = default)
    {
        var resolved = Resolve(rows, catalog, baseline, cancel);
        var result = new List<HeldOutPrediction>();
        foreach (var g in resolved.GroupBy(x => (x.Engine, x.Hardware)))
        {
            cancel.ThrowIfCancellationRequested();
            var fit = TwoStageFit.Of([.. g.Select(x => x.Row)], Start(g.Key.Engine), catalog, baseline, FirstStage);
            var first = fit.First;
            foreach (var row in first.Concat(fit.Moe.Where(r => !first.Contains(r))))
            {
                cancel.ThrowIfCancellationRequested();
                var i = IndexOf(first, row);
                var (shared, subgroups) = (fit.Shared, fit.Subgroups);
                if (i >= 0)
                {
                    // The first stage without the row. A dense row's prediction needs only its own subgroup; a MoE row's
                    // second stage holds every subgroup's parameters, so all are refitted.
                    List<ResolvedInferenceRow> others = [.. first.Where((_, j) => j != i)];
                    List<double> otherFactors = [.. fit.FirstFactors.Where((_, j) => j != i)];
                    shared = FitGroup(others, Start(g.Key.Engine), fit.Shared, MaxEvaluations / 2, otherFactors);
                    subgroups = TwoStageFit.FitSubgroups(others, shared, otherFactors,
                        TwoStageFit.IsMoe(row) ? null : CalibrationKeys.SubgroupOf(row.Deployment.Engine, row.Deployment.Device));
                }
                var p = TwoStageFit.HeldParameters([row], shared, subgroups)[0];
                var k = IndexOf(fit.Moe, row);
                if (k >= 0)
                {
                    // The second stage without the row, the other MoE rows held at this first stage's parameters.
                    var held = TwoStageFit.HeldParameters(fit.Moe, shared, subgroups);
                    p = p with
                    {
                        ExpertEfficiency = TwoStageFit.Fit([.. fit.Moe.Where((_, j) => j != k)], [.. held.Where((_, j) => j != k)], [.. fit.MoeFactors.Where((_, j) => j != k)]),
                    };
                }
                Add(result, row, p, catalog, baseline, cancel);
            }
        }
        return result;
    }

    private static void Add(List<HeldOutPrediction> result, ResolvedInferenceRow row, StepTimeParameters p, SuanliCatalog catalog, Calibration baseline, CancellationToken cancel)
    {
        if (new InferencePredictor(catalog, new FixedParameterModel(p), baseline).PredictValue(row, cancel) is { } v)
        {
            result.Add(new HeldOutPrediction(row.Row.Id, row.Row.Metric, row.Row.Value, v));
        }
    }

    private static int IndexOf(IReadOnlyList<ResolvedInferenceRow> rows, ResolvedInferenceRow row)
    {
        for (var j = 0; j < rows.Count; j++)
        {
            if (ReferenceEquals(rows[j], row))
            {
                return j;
            }
        }
        return -1;
    }

    /// <summary>
    /// The rows of the first stage of the committed fit (docs/methodology-serving.md, "Expert GEMMs: two-stage fit").
    /// </summary>
    public const FirstStageRows FirstStage = FirstStageRows.All;

    private static string StagesNote(TwoStageFit fit) => fit.Moe.Count == 0 ? "" :
        $"; then expert_efficiency alone on the {fit.Moe.Count} MoE rows with the other parameters held ({(FirstStage == FirstStageRows.All ? "fitted on every row with it at 1" : $"fitted on the {fit.First.Count} dense-model rows")})";

    /// <summary>Fewest fitted rows for an engine/architecture subgroup to get efficiencies of its own; fewer use the shared group.</summary>
    public const int MinSubgroupRows = 1;

    /// <summary>
    /// Weight of the pull of a subgroup's efficiencies toward the shared group's, per logit unit squared: one row with
    /// a 30% error (0.07 in squared log error) moves them about a tenth of a logit, so thin groups stay near the shared
    /// fit and only consistent evidence from several rows moves them far (empirical-Bayes shrinkage).
    /// </summary>
    public const double SubgroupShrinkWeight = 0.2;

    /// <summary>The engine/architecture subgroups of a group's rows, by name, with the rows' indices.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<int> Indices)> Subgroups(IReadOnlyList<ResolvedInferenceRow> rows) =>
        [.. Enumerable.Range(0, rows.Count)
            .GroupBy(i => CalibrationKeys.SubgroupOf(rows[i].Deployment.Engine, rows[i].Deployment.Device))
            .Where(g => g.Key.Length > 0)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<int>)[.. g]))];

    /// <summary>
    /// Refits the compute and memory efficiencies of a subgroup, every other parameter held at the shared group's,
    /// with a pull of <see cref="SubgroupShrinkWeight"/> toward the shared values.
    /// </summary>
    public static StepTimeParameters FitSubgroup(IReadOnlyList<ResolvedInferenceRow> rows, StepTimeParameters shared, IReadOnlyList<double> factors)
    {
        var baseTheta = Encode(shared);
        StepTimeParameters Make(double[] x)
        {
            var t = (double[])baseTheta.Clone();
            t[0] = x[0];
            t[2] = x[1];
            return Decode(t);
        }
        double Objective(double[] x)
        {
            var model = new FixedParameterModel(Make(x));
            var sum = SubgroupShrinkWeight * ((x[0] - baseTheta[0]) * (x[0] - baseTheta[0]) + (x[1] - baseTheta[2]) * (x[1] - baseTheta[2]));
            for (var k = 0; k < rows.Count; k++)
            {
                var predicted = InferencePredictor.Evaluate(rows[k], model, out _) * factors[k];
                var e = Math.Log(Math.Max(predicted, 1e-300) / rows[k].Row.Value);
                sum += e * e;
            }
            return sum;
        }
        return Make(NelderMead(Objective, [baseTheta[0], baseTheta[2]], 0.3, MaxEvaluations / 4));
    }

    /// <summary>Rounds of simulator correction in <see cref="FitGroupThroughSimulator"/>.</summary>
    public const int CorrectionRounds = 2;

    /// <summary>
    /// Fits a group so that the validation path (the serving simulator for offline, concurrency and rate rows) matches
    /// the data, at the cost of a few simulations per row instead of one per objective evaluation: first a steady-state
    /// fit; then, <see cref="CorrectionRounds"/> times, each row's ratio simulated / steady state is computed at the
    /// current parameters and held fixed while the steady state, multiplied by it, is refitted (output space mapping).
    /// No parameter is added. Returns the parameters and the ratios of the last round.
    /// </summary>
    public static (StepTimeParameters Parameters, IReadOnlyList<double> Factors) FitGroupThroughSimulator(
        IReadOnlyList<ResolvedInferenceRow> rows, StepTimeParameters start, SuanliCatalog catalog, Calibration calibration)
    {
        var p = FitGroup(rows, start);
        IReadOnlyList<double> factors = [.. rows.Select(_ => 1.0)];
        for (var round = 0; round < CorrectionRounds; round++)
        {
            var model = new FixedParameterModel(p);
            factors = [.. rows.Select(r => SimulatorFactor(r, model, catalog, calibration))];
            p = FitGroup(rows, start, p, MaxEvaluations, factors);
        }
        return (p, factors);
    }

    /// <summary>
    /// A row's simulated / steady-state prediction at a model (1 for rows predicted from one step time, or when the
    /// simulation gives nothing): the fixed factor of the next correction round.
    /// </summary>
    public static double SimulatorFactor(ResolvedInferenceRow r, IStepTimeModel model, SuanliCatalog catalog, Calibration calibration) =>
        r.ByStepTime ? 1.0
        : new InferencePredictor(catalog, model, calibration).PredictValue(r) is { } simulated && simulated > 0
            ? simulated / InferencePredictor.Evaluate(r, model, out _) : 1.0;

    /// <summary>Fits one group's parameters.</summary>
    /// <param name="rows">The group's rows.</param>
    /// <param name="start">The cited starting values, also the prior the fit is pulled toward.</param>
    /// <param name="from">Where the simplex starts (default: <paramref name="start"/>).</param>
    /// <param name="maxEvaluations">Most objective evaluations.</param>
    /// <param name="factors">Per row, a fixed factor multiplying the steady-state prediction (default 1).</param>
    public static StepTimeParameters FitGroup(IReadOnlyList<ResolvedInferenceRow> rows, StepTimeParameters start, StepTimeParameters? from = null,
        int maxEvaluations = MaxEvaluations, IReadOnlyList<double>? factors = null)
    {
        var prior = Encode(start);
        double Objective(double[] theta)
        {
            var model = new FixedParameterModel(Decode(theta));
            var sum = 0.0;
            for (var k = 0; k < rows.Count; k++)
            {
                var r = rows[k];
                var predicted = InferencePredictor.Evaluate(r, model, out _) * (factors is null ? 1 : factors[k]);
                var e = Math.Log(Math.Max(predicted, 1e-300) / r.Row.Value);
                sum += e * e;
            }
            for (var i = 0; i < theta.Length; i++)
            {
                sum += PriorWeight * (theta[i] - prior[i]) * (theta[i] - prior[i]);
            }
            return sum;
        }
        var best = NelderMead(Objective, Encode(from ?? start), 0.5, maxEvaluations);
        return Decode(best);
    }

    private static double[] Encode(StepTimeParameters p) =>
    [
        Logit(p.ComputeEfficiency), Math.Log(Math.Max(p.ComputeHalfRows, 1e-3)), Logit(p.MemoryEfficiency),
        Math.Log(Math.Max(p.MemoryHalfBytes.Value, 1)), Math.Log(Math.Max(p.StepOverhead.Value, 1e-9)),
        Math.Log(Math.Max(p.LayerOverhead.Value, 1e-10)), Math.Log(Math.Max(p.CollectiveLatency.Value, 1e-9)), Logit(p.InterconnectEfficiency),
    ];

    private static StepTimeParameters Decode(double[] t) => new(
        Sigmoid(t[0]), Math.Exp(t[1]), Sigmoid(t[2]), Bytes.FromBytes(Math.Exp(t[3])), Duration.FromSeconds(Math.Exp(t[4])),
        Duration.FromSeconds(Math.Exp(t[5])), Duration.FromSeconds(Math.Exp(t[6])), Sigmoid(t[7]));

    private static double Logit(double p)
    {
        var q = Math.Clamp(p, 1e-4, 1 - 1e-4);
        return Math.Log(q / (1 - q));
    }

    // Capped just below 1 so a fitted efficiency never claims more than the datasheet.
    private static double Sigmoid(double x) => Math.Clamp(1 / (1 + Math.Exp(-x)), 1e-4, 1.0);

    /// <summary>Nelder-Mead simplex minimisation (standard coefficients 1, 2, 0.5, 0.5), deterministic.</summary>
    public static double[] NelderMead(Func<double[], double> f, double[] start, double step, int maxEvaluations, double tolerance = 1e-9)
    {
        var n = start.Length;
        var points = new double[n + 1][];
        var values = new double[n + 1];
        points[0] = (double[])start.Clone();
        values[0] = f(points[0]);
        for (var i = 0; i < n; i++)
        {
            var p = (double[])start.Clone();
            p[i] += step;
            points[i + 1] = p;
            values[i + 1] = f(p);
        }
        var evaluations = n + 1;
        while (evaluations < maxEvaluations)
        {
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            points = [.. order.Select(i => points[i])];
            values = [.. order.Select(i => values[i])];
            if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + tolerance))
            {
                break;
            }
            var centroid = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    centroid[j] += points[i][j] / n;
                }
            }
            double[] Along(double k) => [.. centroid.Select((c, j) => c + k * (points[n][j] - c))];
            var reflected = Along(-1);
            var fr = f(reflected);
            evaluations++;
            if (fr < values[0])
            {
                var expanded = Along(-2);
                var fe = f(expanded);
                evaluations++;
                (points[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < values[n - 1])
            {
                (points[n], values[n]) = (reflected, fr);
            }
            else
            {
                var contracted = fr < values[n] ? Along(-0.5) : Along(0.5);
                var fc = f(contracted);
                evaluations++;
                if (fc < Math.Min(fr, values[n]))
                {
                    (points[n], values[n]) = (contracted, fc);
                }
                else
                {
                    for (var i = 1; i <= n; i++)
                    {
                        points[i] = [.. points[i].Select((x, j) => points[0][j] + 0.5 * (x - points[0][j]))];
                        values[i] = f(points[i]);
                        evaluations++;
                    }
                }
            }
        }
        var best = 0;
        for (var i = 1; i <= n; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }
        return points[best];
    }
}

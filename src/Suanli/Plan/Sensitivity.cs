using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>
/// One assumption moved down and up by a stated amount, and the plan's peak devices and monthly cost at each end; an end
/// at which the plan cannot be served has no devices or cost, and says why (<see cref="UnservedDown"/>, <see cref="UnservedUp"/>).
/// </summary>
/// <param name="Name">What was moved (peak load, prompt length, ...), in the reader's language.</param>
/// <param name="Moved">The stated amount, in words ("x0.75 / x1.25"), in the reader's language.</param>
/// <param name="DevicesDown">Peak devices with the assumption moved down; null when the plan cannot be served there.</param>
/// <param name="DevicesUp">Peak devices with the assumption moved up; null when the plan cannot be served there.</param>
/// <param name="CostDown">Cost per month (the expected plan's basis) moved down; null without a price or when not served.</param>
/// <param name="CostUp">Cost per month moved up; null without a price or when not served.</param>
public sealed record SensitivityLine(Phrase Name, Phrase Moved, int? DevicesDown, int? DevicesUp, Money? CostDown, Money? CostUp)
{
    /// <summary>Why the plan cannot be served with the assumption moved down (an application the plan serves would not be); null when it can.</summary>
    public Phrase? UnservedDown { get; init; }

    /// <summary>Why the plan cannot be served with the assumption moved up; null when it can.</summary>
    public Phrase? UnservedUp { get; init; }

    /// <summary>True when either end cannot be served.</summary>
    public bool Unserved => UnservedDown is not null || UnservedUp is not null;

    /// <summary>What was moved, in English (plan.json's <c>assumption</c>).</summary>
    public string Assumption => Name.English;

    /// <summary>The stated amount, in English (plan.json's <c>move</c>).</summary>
    public string Move => Moved.English;

    /// <summary>How far the cost swings between the two ends (absolute, plan currency); zero without prices or when an end is not served.</summary>
    public decimal CostSwing => CostDown is { } d && CostUp is { } u ? Math.Abs(u.Amount - d.Amount) : 0;

    /// <summary>How far the device count swings between the two ends; zero when an end is not served.</summary>
    public int DeviceSwing => DevicesDown is { } d && DevicesUp is { } u ? Math.Abs(u - d) : 0;
}

/// <summary>A plan's sensitivity: the expected devices and cost, and each assumption's effect, largest swing first.</summary>
/// <param name="Devices">Peak devices of the expected plan.</param>
/// <param name="Cost">Cost per month of the expected plan on <paramref name="Basis"/>; null without a price.</param>
/// <param name="Basis">Which cost: the recommended strategy owned, or rented where no purchase price exists.</param>
/// <param name="Lines">Each assumption, ranked by cost swing then device swing; those with an end that cannot be served last.</param>
public sealed record SensitivityResult(int Devices, Money? Cost, string Basis, IReadOnlyList<SensitivityLine> Lines)
{
    /// <summary>
    /// One warning per end of a move at which the plan cannot be served (<c>sensitivity-move-unserved</c>): the assumption,
    /// the move, and the replan's reason. The plan as asked stands; the other lines are shown.
    /// </summary>
    public IReadOnlyList<Finding> Findings => [.. Lines.SelectMany(l => new[] { (End: Sensitivity.Down, Why: l.UnservedDown), (End: Sensitivity.Up, Why: l.UnservedUp) }
        .Where(e => e.Why is not null)
        .Select(e => Finding.Warn("sensitivity-move-unserved", "Sensitivity: with '{assumption}' moved {end} ({move}) the plan cannot be served at this move; the plan as asked stands. {reason}",
            ("assumption", l.Name), ("end", e.End), ("move", l.Moved), ("reason", e.Why!))))];
}

/// <summary>
/// Moves each main assumption of a plan by a stated amount and replans (docs/methodology-intervals.md,
/// "Sensitivity"): peak load, prompt and output length, latency targets, headroom, device price, rent, electricity,
/// PUE, and the step-time interval. Applications keep their chosen model and replica layout (<see cref="Planner.WithChoices"/>), so
/// the table shows how the chosen deployment's fleet and cost respond rather than a new model choice.
/// </summary>
public static class Sensitivity
{
    /// <summary>Factor each demand and length assumption is moved by, down and up.</summary>
    public const double DemandFactor = 0.25;

    /// <summary>Factor each price is moved by, down and up.</summary>
    public const double PriceFactor = 0.2;

    /// <summary>Points the fleet headroom is moved by, down and up.</summary>
    public const double HeadroomPoints = 0.1;

    /// <summary>PUE moved by this much, down (not below 1) and up.</summary>
    public const double PueStep = 0.2;

    /// <summary>
    /// The sensitivity of <paramref name="expected"/>. <paramref name="capacity"/> should be the memoized provider the
    /// expected plan used, and must be safe to call from several threads (<see cref="PlanRanges.Memoized"/> is);
    /// <paramref name="range"/> (when given) supplies the step-time interval's line.
    /// </summary>
    public static SensitivityResult Of(PlanResult expected, PlanPricing pricing, CapacityProvider capacity, PlanRange? range = null)
    {
        var scenario = Pinned(expected);
        var strategy = expected.Fleet.Recommended;
        var basis = pricing.DevicePrice is not null ? "own" : pricing.Rents.Count > 0 ? "rent" : "none";
        Money? CostOf(PlanResult p, PlanPricing pr)
        {
            var c = PlanCosts.Of(p, pr).FirstOrDefault(x => x.Strategy == strategy);
            return basis == "own" ? c?.Own?.PerMonth.Round() : basis == "rent" ? c?.Rent?.PerMonth.Round() : null;
        }
        int Devices(PlanResult p) => p.Fleet.Hardware.Sum(h => h.Devices);
        // Each line is computed independently (the replans in parallel: their capacity searches are the slow part).
        var work = new List<Func<SensitivityLine>>();
        void Replan(Phrase name, Phrase move, Func<Scenario, Scenario> down, Func<Scenario, Scenario> up,
            Func<PlanPricing, PlanPricing>? priceDown = null, Func<PlanPricing, PlanPricing>? priceUp = null) => work.Add(() =>
        {
            var (d, whyDown) = Moved(expected, down(scenario), capacity);
            var (u, whyUp) = Moved(expected, up(scenario), capacity);
            return new SensitivityLine(name, move, d is null ? null : Devices(d), u is null ? null : Devices(u),
                d is null ? null : CostOf(d, priceDown?.Invoke(pricing) ?? pricing), u is null ? null : CostOf(u, priceUp?.Invoke(pricing) ?? pricing))
            { UnservedDown = whyDown, UnservedUp = whyUp };
        });
        void Reprice(Phrase name, Phrase move, Func<PlanPricing, PlanPricing> down, Func<PlanPricing, PlanPricing> up) =>
            work.Add(() => new SensitivityLine(name, move, Devices(expected), Devices(expected), CostOf(expected, down(pricing)), CostOf(expected, up(pricing))));

        var lo = 1 - DemandFactor;
        var hi = 1 + DemandFactor;
        var demandMove = Factors(lo, hi);
        Replan(Phrase.Of("sensitivity.peak-load", "Peak load"), demandMove, s => Apps(s, a => a with { Peak = Math.Max(ScenarioApplication.MinPeak, a.Peak * lo) }), s => Apps(s, a => a with { Peak = a.Peak * hi }));
        Replan(Phrase.Of("sensitivity.prompt-length", "Prompt length"), demandMove, s => Apps(s, a => Input(a, lo)), s => Apps(s, a => Input(a, hi)));
        Replan(Phrase.Of("sensitivity.output-length", "Output length"), demandMove, s => Apps(s, a => Output(a, lo)), s => Apps(s, a => Output(a, hi)));
        Replan(Phrase.Of("sensitivity.latency-targets", "Latency targets"), Phrase.Of("sensitivity-move.targets", "tighter x{down} / looser x{up}", ("down", Fmt.I($"{lo:0.##}")), ("up", Fmt.I($"{hi:0.##}"))),
            s => Apps(s, a => Targets(a, lo)), s => Apps(s, a => Targets(a, hi)));
        var h = scenario.Policy.Headroom;
        Replan(Phrase.Of("sensitivity.headroom", "Headroom (utilisation target)"), Now(Fmt.I($"{Math.Max(0, h - HeadroomPoints) * 100:0}%"), Fmt.I($"{(h + HeadroomPoints) * 100:0}%"), Fmt.I($"{h * 100:0}%")),
            s => s with { Policy = s.Policy with { Headroom = Math.Max(0, h - HeadroomPoints) } },
            s => s with { Policy = s.Policy with { Headroom = h + HeadroomPoints } });
        var pmove = Factors(1 - PriceFactor, 1 + PriceFactor);
        if (pricing.DevicePrice is { } price)
        {
            Reprice(Phrase.Of("sensitivity.device-price", "Device price"), pmove, p => p with { DevicePrice = price * (decimal)(1 - PriceFactor) }, p => p with { DevicePrice = price * (decimal)(1 + PriceFactor) });
        }
        if (basis == "rent")
        {
            Reprice(Phrase.Of("sensitivity.rent", "Rent per device-hour"), pmove, p => p.WithRentsScaled((decimal)(1 - PriceFactor)), p => p.WithRentsScaled((decimal)(1 + PriceFactor)));
        }
        Reprice(Phrase.Of("sensitivity.tariff", "Electricity tariff"), pmove, p => p with { Tariff = pricing.Tariff * (decimal)(1 - PriceFactor) }, p => p with { Tariff = pricing.Tariff * (decimal)(1 + PriceFactor) });
        // PUE enters the fleet's facility power (racks, energy) and the cost model together, so both move.
        var pueDown = Math.Max(1, pricing.Pue - PueStep);
        var pueUp = pricing.Pue + PueStep;
        Replan(Phrase.Of("sensitivity.pue", "PUE"), Now(Fmt.I($"{pueDown:0.0#}"), Fmt.I($"{pueUp:0.0#}"), Fmt.I($"{pricing.Pue:0.0#}")),
            s => s with { Rack = s.Rack with { Pue = pueDown } }, s => s with { Rack = s.Rack with { Pue = pueUp } },
            p => p with { Pue = pueDown }, p => p with { Pue = pueUp });
        if (range is not null)
        {
            work.Add(() => new SensitivityLine(Phrase.Of("sensitivity.step-time", "Step-time model (80% capacity interval)"), Phrase.Of("sensitivity-move.interval", "capacity x high / x low ratio"),
                Devices(range.Optimistic), Devices(range.Pessimistic), CostOf(range.Optimistic, pricing), CostOf(range.Pessimistic, pricing)));
        }
        var lines = new SensitivityLine[work.Count];
        // Parallel.For would wrap what a replan threw in an AggregateException, which reached the web as an unknown
        // exception (HTTP 500) and the CLI as a defect; each failure is kept and thrown as the replan threw it: a
        // cancellation first, else the first line's in the table's order (not whichever thread failed first).
        var failures = new Exception?[work.Count];
        Parallel.For(0, work.Count, i =>
        {
            try
            {
                lines[i] = work[i]();
            }
            catch (Exception e)
            {
                failures[i] = e;
            }
        });
        if ((failures.FirstOrDefault(x => x is OperationCanceledException) ?? failures.FirstOrDefault(x => x is not null)) is { } failed)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
        return new SensitivityResult(Devices(expected), CostOf(expected, pricing), basis,
            [.. lines.OrderBy(l => l.Unserved).ThenByDescending(l => l.CostSwing).ThenByDescending(l => l.DeviceSwing)]);
    }

    /// <summary>The end of a move with the assumption moved down, in the reader's language.</summary>
    public static Phrase Down { get; } = Phrase.Of("sensitivity-end#down", "down");

    /// <summary>The end of a move with the assumption moved up, in the reader's language.</summary>
    public static Phrase Up { get; } = Phrase.Of("sensitivity-end#up", "up");

    /// <summary>
    /// The plan of a moved scenario, or null with the reason when the move leaves an application that
    /// <paramref name="expected"/> serves unservable (tighter targets below the prefill time, a longer prompt that no
    /// longer fits): the plan as asked stands, and only this end of this line cannot be shown. Bad input raised by the
    /// replan is such a reason too, since the expected plan read the same input; a cancellation or a defect propagates.
    /// </summary>
    private static (PlanResult? Plan, Phrase? Why) Moved(PlanResult expected, Scenario moved, CapacityProvider capacity)
    {
        PlanResult plan;
        try
        {
            plan = Planner.Plan(moved, capacity);
        }
        catch (InputException e)
        {
            return (null, e.Phrase);
        }
        if (plan.Applications.Count >= expected.Applications.Count)
        {
            return (plan, null);
        }
        // One application of several lost: the plan still answers, but its fleet no longer serves what the expected one does.
        var before = expected.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.Message).ToHashSet(StringComparer.Ordinal);
        var lost = plan.Findings.Where(f => f.Severity == Severity.Error && !before.Contains(f.Message)).Select(f => f.Phrase).ToList();
        return (null, lost.Count == 1 ? lost[0] : Phrase.Of("unserved", "{applications}", ("applications", new PhraseList(lost, "space"))));
    }

    /// <summary>
    /// The scenario with each application held to the model and layout it was planned with, and to its replica size when every
    /// application chose the same one (the layout search then re-runs only within it). A replica with data-parallel
    /// attention is not pinned: a pinned size tries only its tensor-parallel layout, which may not meet the targets the
    /// data-parallel one met (DeepSeek-V3.2 with 32k prompts on Ascend 910C: every line failed, so the whole
    /// sensitivity did).
    /// </summary>
    private static Scenario Pinned(PlanResult plan)
    {
        var sizes = plan.Applications.Any(a => a.Deployment.Layout.AttentionDp > 1) ? []
            : plan.Applications.Select(a => a.Deployment.Layout.Devices).Distinct().ToList();
        return Planner.WithChoices(plan) with { DevicesPerReplica = sizes.Count == 1 ? sizes[0] : plan.Scenario.DevicesPerReplica };
    }

    // The amounts an assumption is moved by, as phrases (the reader's language; plan.json keeps the English).
    private static Phrase Factors(double down, double up) =>
        Phrase.Of("sensitivity-move.factor", "x{down} / x{up}", ("down", Fmt.I($"{down:0.##}")), ("up", Fmt.I($"{up:0.##}")));

    private static Phrase Now(string down, string up, string now) =>
        Phrase.Of("sensitivity-move.now", "{down} / {up} (now {now})", ("down", down), ("up", up), ("now", now));

    private static Scenario Apps(Scenario s, Func<ScenarioApplication, ScenarioApplication> move) => s with { Applications = [.. s.Applications.Select(move)] };

    private static ScenarioApplication Input(ScenarioApplication a, double f)
    {
        var d = a.InputDistribution.Scaled(Within(a, f, a.InputTokens));
        return a with { InputDistribution = d, InputTokens = d.Mean };
    }

    private static ScenarioApplication Output(ScenarioApplication a, double f)
    {
        var d = a.OutputDistribution.Scaled(Within(a, f, a.OutputTokens));
        return a with { OutputDistribution = d, OutputTokens = d.Mean };
    }

    /// <summary>
    /// The factor <paramref name="f"/> for a length, lowered where the longer request would pass the longest context of
    /// the application's models (a planned request must fit one: <see cref="Planner.CheckContext"/>), so a scenario
    /// near its model's context still gets its sensitivity lines.
    /// </summary>
    private static double Within(ScenarioApplication a, double f, double part)
    {
        if (f <= 1 || a.Models.Count == 0 || a.Models.Any(m => m.Architecture.MaxContext <= 0) || part <= 0)
        {
            return f;
        }
        var room = a.Models.Max(m => m.Architecture.MaxContext) - (a.InputTokens + a.OutputTokens);
        // One token of margin for the rounding of a scaled distribution's mean.
        return Math.Max(1, Math.Min(f, 1 + (room - 1) / part));
    }

    private static ScenarioApplication Targets(ScenarioApplication a, double f) => a with
    {
        Targets = new ServingTargets(a.Targets.Ttft * f, a.Targets.Tpot * f, a.Targets.E2e * f),
    };
}

using Suanli.Cost;
using Suanli.StepTime;

namespace Suanli.Plan;

/// <summary>The plan at both ends of the capacity interval and what each strategy costs there.</summary>
/// <param name="Range">The plans at the interval's ends (<see cref="PlanRanges.Of"/>).</param>
/// <param name="Pessimistic">Each strategy's costs in the pessimistic plan (capacity at the interval's low end, more devices).</param>
/// <param name="Optimistic">Each strategy's costs in the optimistic plan (capacity at the interval's high end, fewer devices).</param>
public sealed record PricedRange(PlanRange Range, IReadOnlyList<StrategyCost> Pessimistic, IReadOnlyList<StrategyCost> Optimistic);

/// <summary>A scenario planned and priced: what <c>suanli plan</c> prints and <c>/api/plan</c> returns, before layout.</summary>
/// <param name="Plan">The expected plan (<see cref="Planner.Plan"/>).</param>
/// <param name="Pricing">The prices used, in the scenario's currency, with their findings (<see cref="PlanPricing.From"/>).</param>
/// <param name="Costs">Each sizing strategy's cost of owning and renting (<see cref="PlanCosts.Of"/>).</param>
/// <param name="Range">The plan and costs across the 80% capacity interval; null when no interval was asked for.</param>
/// <param name="Sensitivity">Each main assumption moved and the plan redone; null unless asked for.</param>
public sealed record PricedPlan(PlanResult Plan, PlanPricing Pricing, IReadOnlyList<StrategyCost> Costs, PricedRange? Range, SensitivityResult? Sensitivity);

/// <summary>The plan pipeline composed: plan, price, cost, and optionally the capacity interval's ends and the sensitivity.</summary>
public static class PricedPlanner
{
    /// <summary>
    /// Plans <paramref name="scenario"/> with <paramref name="capacity"/> (memoized, so the interval's ends and the
    /// sensitivity reuse the expected plan's capacity searches), prices it from <paramref name="prices"/> on
    /// <paramref name="today"/> (stale prices are judged against it) and costs each strategy.
    /// </summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="capacity">The replica capacity provider (a simulated search, or a test's).</param>
    /// <param name="prices">The price book.</param>
    /// <param name="today">The date prices are judged stale against, and the applications' time zone offsets are taken on (<see cref="ZoneShifts.Resolve"/>).</param>
    /// <param name="interval">Each deployment's 80% capacity interval; null: no range.</param>
    /// <param name="sensitivity">True: move each main assumption and redo the plan (<see cref="Sensitivity.Of"/>).</param>
    /// <param name="bound">An optimistic bound on <paramref name="capacity"/>, to skip layouts that cannot win (<see cref="Planner.Plan"/>); null: simulate every layout.</param>
    public static PricedPlan Run(Scenario scenario, CapacityProvider capacity, PriceBook prices, DateOnly today,
        Func<Deployment, IntervalLookup?>? interval = null, bool sensitivity = false, CapacityBound? bound = null)
    {
        var memo = PlanRanges.Memoized(capacity);
        var zoneFindings = new List<Finding>();
        scenario = ZoneShifts.Resolve(scenario, today, zoneFindings);
        var plan = Planner.Plan(scenario, memo, bound);
        if (zoneFindings.Count > 0)
        {
            plan = plan with { Findings = [.. plan.Findings, .. zoneFindings] };
        }
        var pricing = PlanPricing.From(scenario, prices, today);
        var costs = PlanCosts.Of(plan, pricing);
        var range = interval is null ? null : PlanRanges.Of(plan, memo, interval);
        var priced = range is null ? null : new PricedRange(range, PlanCosts.Of(range.Pessimistic, pricing), PlanCosts.Of(range.Optimistic, pricing));
        return new PricedPlan(plan, pricing, costs, priced, sensitivity ? Sensitivity.Of(plan, pricing, memo, range) : null);
    }
}

using Suanli.Cost;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// What a search prices and how thoroughly it looks, beside its candidates: the options <c>suanli optimize</c> takes
/// (<c>--cost</c>, <c>--rent-term</c>, <c>--purchase</c>, <c>--today</c>, <c>--exhaustive</c>) and the fields of
/// <c>/api/optimize</c> and the page's search of the same names, read by one rule so that both front ends answer the
/// same question the same way. A null field keeps the scenario's choice (its <c>candidates</c> section) or the default.
/// </summary>
public sealed record SearchChoices
{
    /// <summary>The cost minimised: <c>cheaper</c> (of own and rent, the default), <c>own</c> (also <c>buy</c>) or <c>rent</c>.</summary>
    public string? Cost { get; init; }
    /// <summary>The rent term pinned: <c>on-demand</c>, <c>reserved-1y</c>, <c>reserved-3y</c> or <c>spot</c>; null: each fleet chooses its mix (docs/methodology-cost.md, "Choosing the rent term").</summary>
    public string? RentTerm { get; init; }
    /// <summary>The purchase price used: <c>newest</c> (the default), <c>article-claim</c>, <c>street-estimate</c> or <c>list-price</c>.</summary>
    public string? Purchase { get; init; }
    /// <summary>The date prices are judged stale against, <c>yyyy-mm-dd</c>; null: today by the clock.</summary>
    public string? Today { get; init; }
    /// <summary>True: simulate every feasible candidate instead of pruning with the analytic bound (slow; checks the pruning).</summary>
    public bool Exhaustive { get; init; }

    /// <summary>The candidates' settings with the given choices put over the scenario's.</summary>
    public CandidateSettings Apply(CandidateSettings settings)
    {
        if (Cost is { } basis)
        {
            settings = settings with { Basis = ParseBasis(basis) };
        }
        if (RentTerm is { } term)
        {
            settings = settings with { RentTerm = RentTerms.Parse(term, FieldNames.RentTerm) };
        }
        if (Purchase is { } kind)
        {
            settings = settings with { PurchaseKind = PurchaseChoice.Parse(kind, FieldNames.Purchase) };
        }
        return settings;
    }

    /// <summary>The search's options with pruning off when <see cref="Exhaustive"/> is set.</summary>
    public ScenarioSearchOptions Apply(ScenarioSearchOptions options) => options with { Prune = options.Prune && !Exhaustive };

    /// <summary>The day prices are judged against: <see cref="Today"/>, else the clock's date.</summary>
    public DateOnly Day(TimeProvider clock) => CompareRun.Today(Today, clock);

    /// <summary>The cost basis a search minimises, from its name.</summary>
    public static CostBasis ParseBasis(string text) => CostBases.TryParse(text)
        ?? throw new InputException(FieldNames.Cost, Phrase.Of("cost-basis-unknown", "{cost} is cheaper, own or rent, got '{value}'.",
            ("cost", FieldNames.Cost), ("value", InputEcho.Clip(text))));
}

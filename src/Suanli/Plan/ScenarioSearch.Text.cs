namespace Suanli.Plan;

public static partial class ScenarioSearch
{
    // A plan's range at the ends of the capacity interval: replicas and cost at the optimistic and the pessimistic end.
    private static PlanChoiceRange RangeAt(PlanChoiceRange r, DeploymentCost optimistic, DeploymentCost pessimistic) =>
        r with { ReplicasLow = optimistic.ReplicasPeak, ReplicasHigh = pessimistic.ReplicasPeak, CostLow = optimistic.PerMonth, CostHigh = pessimistic.PerMonth };

    // A simulator message inside a sentence: its first letter lowered unless it starts an acronym (TTFT, KV).
    private static string LowerFirst(string s) => s.Length > 0 && char.IsUpper(s[0]) && (s.Length == 1 || !char.IsUpper(s[1])) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}

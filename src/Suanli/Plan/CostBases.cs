namespace Suanli.Plan;

/// <summary>The names of <see cref="CostBasis"/> as scenario files (<c>candidates.cost</c>), the CLI (<c>--cost</c>) and the API (<c>cost</c>) take them.</summary>
public static class CostBases
{
    /// <summary>The basis named <paramref name="text"/> (<c>cheaper</c>, <c>own</c> or <c>buy</c>, <c>rent</c>; any case), or null for any other name.</summary>
    public static CostBasis? TryParse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cheaper" => CostBasis.Cheaper,
        "own" or "buy" => CostBasis.Own,
        "rent" => CostBasis.Rent,
        _ => null,
    };
}

using System.Globalization;
using Suanli.Quantities;
using Suanli.Training;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>A sized run in JSON.</summary>
public sealed record SizedRunJson(string Name, double Parameters, double Tokens, double TokensPerParameter, double Flops, double Loss);

/// <summary>The JSON document of <c>suanli chinchilla</c>.</summary>
public sealed record ChinchillaJson : ReportDocument
{
    /// <summary>The FLOP budget.</summary>
    public required double Flops { get; init; }
    /// <summary>Loss-optimal size from the Chinchilla fit.</summary>
    public required SizedRunJson Optimal { get; init; }
    /// <summary>The 20-tokens-per-parameter rule.</summary>
    public required SizedRunJson Rule { get; init; }
    /// <summary>A user's (N, D) pair, when given.</summary>
    public SizedRunJson? Pair { get; init; }
    /// <summary>GPT-3 175B on 300B tokens and Chinchilla 70B on 1.4T.</summary>
    public required IReadOnlyList<SizedRunJson> Comparison { get; init; }
    /// <summary>Findings.</summary>
    public required IReadOnlyList<FindingJson> Findings { get; init; }
}

/// <summary>Builds the report of <c>suanli chinchilla</c>.</summary>
public static class ChinchillaReport
{
    /// <summary>Sizes a FLOP budget and compares the published runs.</summary>
    public static Report Build(Flop budget, double? parameters = null, Tokens? tokens = null)
    {
        var optimal = ComputeOptimal.Optimal(budget);
        var rule = ComputeOptimal.TwentyTokensPerParameter(budget);
        var gpt3 = ComputeOptimal.Run(175e9, Tokens.FromCount(300e9));
        var chinchilla = ComputeOptimal.Run(70e9, Tokens.FromCount(1.4e12));
        SizedRun? pair = null;
        if (parameters is { } n)
        {
            Guard.InRange(n, ComputeOptimal.MinParameters, ComputeOptimal.MaxParameters, FieldNames.Params);
            var d = tokens ?? Tokens.FromCount(budget.Value / (6 * n));
            if (tokens is null && d.Value < ComputeOptimal.MinTokens)
            {
                throw new InputException(FieldNames.Params, Phrase.Of("chinchilla-too-few-tokens",
                    "{flops} {budget} buys only {tokensCount} tokens for a model of {parameters} parameters (at 6ND), too few to predict a loss; give {tokens}, a larger {flops} or a smaller {params}.",
                    ("flops", FieldNames.Flops), ("budget", Sci(budget.Value, 3)), ("tokensCount", Sci(d.Value, 3)), ("parameters", Sci(n, 3)), ("tokens", FieldNames.Tokens), ("params", FieldNames.Params)));
            }
            ComputeOptimal.CheckRun(n, d);
            pair = ComputeOptimal.Run(n, d);
        }
        var findings = new List<Finding>
        {
            Finding.Info("chinchilla-fit", "Loss L(N, D) = 1.69 + 406.4/N^0.34 + 410.7/D^0.28 (Hoffmann et al. 2022, arXiv:2203.15556, approach 3); the optimum minimises it under C = 6ND."),
            Finding.Info("approaches-differ", "The fit's optimum ({tokensPerParameter} tokens per parameter here) and the rule of 20 differ: the paper's approaches 1 and 2 give about 20 tokens per parameter, approach 3 fewer parameters and more tokens.",
                ("tokensPerParameter", Show.N(optimal.TokensPerParameter, 0))),
            Finding.Info("gpt3-vs-chinchilla", "Chinchilla 70B on 1.4T tokens ({chinchillaFlops} FLOPs) is predicted to reach loss {chinchillaLoss}, below GPT-3 175B on 300B tokens ({gpt3Flops} FLOPs, loss {gpt3Loss}): GPT-3 had {gpt3TokensPerParameter} tokens per parameter.",
                ("chinchillaFlops", Sci(chinchilla.Flops.Value, 3)), ("chinchillaLoss", Show.N(chinchilla.Loss, 3)), ("gpt3Flops", Sci(gpt3.Flops.Value, 3)), ("gpt3Loss", Show.N(gpt3.Loss, 3)),
                ("gpt3TokensPerParameter", Show.N(gpt3.TokensPerParameter, 1))),
        };
        var runs = new List<(Phrase Name, SizedRun Run)>
        {
            (Phrase.Of("run.chinchilla-optimum", "Chinchilla fit optimum"), optimal), (Phrase.Of("run.twenty-tokens", "20 tokens per parameter"), rule),
        };
        if (pair is not null)
        {
            runs.Add((Phrase.Of("run.your-model", "Your model"), pair));
        }
        runs.Add((ReportCell.Unkeyed("GPT-3 175B / 300B"), gpt3));
        runs.Add((ReportCell.Unkeyed("Chinchilla 70B / 1.4T"), chinchilla));
        var json = new ChinchillaJson
        {
            Flops = budget.Value,
            Optimal = Json("optimal", optimal),
            Rule = Json("20-tokens-per-parameter", rule),
            Pair = pair is null ? null : Json("pair", pair),
            Comparison = [Json("gpt-3-175b", gpt3), Json("chinchilla-70b", chinchilla)],
            Findings = FindingJson.Of(findings),
        };
        var table = new ReportTable(Phrase.Of("table.compute-optimal", "Compute-optimal sizing for {flops} FLOPs", ("flops", Sci(budget.Value, 3))),
            [
                new(Phrase.Of("col.run", "Run")), new(Phrase.Of("col.parameters-b", "Parameters (B)"), CellKind.Number), new(Phrase.Of("col.tokens-b", "Tokens (B)"), CellKind.Number),
                new(Phrase.Of("col.tokens-per-param", "Tokens/param"), CellKind.Number), new(Phrase.Of("col.flops", "FLOPs")), new(Phrase.Of("col.predicted-loss", "Predicted loss"), CellKind.Number),
            ],
            [.. runs.Select(x => (IReadOnlyList<ReportCell>)[ReportCell.Words(x.Name), ReportCell.Number(x.Run.Parameters / 1e9, 1), ReportCell.Number(x.Run.Tokens.Value / 1e9, 0),
                ReportCell.Number(x.Run.TokensPerParameter, 1), ReportCell.Text(Sci(x.Run.Flops.Value, 3)), ReportCell.Number(x.Run.Loss, 3)])]);
        return new Report(Phrase.Of("report.chinchilla", "Chinchilla sizing of {flops} FLOPs ({pfDays} PF-days)",
            ("flops", Sci(budget.Value, 3)), ("pfDays", Show.N(budget.InPetaflopDays, 0))), json, [table], findings);
    }

    private static SizedRunJson Json(string name, SizedRun r) => new(name, r.Parameters, r.Tokens.Value, r.TokensPerParameter, r.Flops.Value, r.Loss);

    private static string Sci(double value, int figures = 3) =>
        value.ToString("0." + new string('#', Math.Max(1, figures - 1)) + "e+00", CultureInfo.InvariantCulture);
}

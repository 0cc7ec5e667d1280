using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Training;

/// <summary>A model size and token count with its training FLOPs (C = 6ND) and predicted loss.</summary>
/// <param name="Parameters">Parameters N.</param>
/// <param name="Tokens">Training tokens D.</param>
/// <param name="Flops">6 x N x D.</param>
/// <param name="Loss">Predicted final pretraining loss in nats per token (Chinchilla fit).</param>
public sealed record SizedRun(double Parameters, Tokens Tokens, Flop Flops, double Loss)
{
    /// <summary>Tokens per parameter, D / N.</summary>
    public double TokensPerParameter => Tokens.Value / Parameters;
}

/// <summary>
/// Compute-optimal sizing from Hoffmann et al. 2022 ("Chinchilla", arXiv:2203.15556), approach 3: the parametric
/// loss L(N, D) = E + A / N^alpha + B / D^beta fitted to 400+ runs, minimised under C = 6ND (the paper's equation 4).
/// The 20-tokens-per-parameter rule of thumb (the paper's Table 3 ratio, about 20 for every budget) is computed beside it.
/// </summary>
public static class ComputeOptimal
{
    /// <summary>Irreducible loss E (nats/token), Hoffmann et al. section 3.3.</summary>
    public const double E = 1.69;
    /// <summary>Parameter coefficient A.</summary>
    public const double A = 406.4;
    /// <summary>Data coefficient B.</summary>
    public const double B = 410.7;
    /// <summary>Parameter exponent alpha.</summary>
    public const double Alpha = 0.34;
    /// <summary>Data exponent beta.</summary>
    public const double Beta = 0.28;
    /// <summary>The rule of thumb: tokens per parameter at the optimum.</summary>
    public const double TokensPerParameterRule = 20.0;

    /// <summary>
    /// The smallest FLOP budget sized. The fit was made on runs from about 1e18 FLOPs (70M parameters on 5B tokens) to
    /// 5e22 (16B on 500B); far below it the formula gives absurd losses (a budget of 1e-300 FLOPs would predict 1e43 nats).
    /// </summary>
    public const double MinBudget = 1e18;

    /// <summary>The largest FLOP budget sized: ten thousand times the largest published runs, far beyond the fit's data.</summary>
    public const double MaxBudget = 1e30;

    /// <summary>The smallest and largest model sizes whose loss is predicted (the fit's runs span 7e7 to 1.6e10 parameters).</summary>
    public const double MinParameters = 1e6, MaxParameters = 1e15;

    /// <summary>The smallest and largest token counts whose loss is predicted (the fit's runs span 5e9 to 5e11 tokens).</summary>
    public const double MinTokens = 1e6, MaxTokens = 1e17;

    /// <summary>Checks a FLOP budget against <see cref="MinBudget"/> and <see cref="MaxBudget"/>.</summary>
    public static double Budget(double flops, FieldRef field = default)
    {
        field = field.Or(FieldNames.Flops);
        Guard.Finite(flops, field);
        if (flops < MinBudget || flops > MaxBudget)
        {
            throw field.Error(Phrase.Of("flops-budget-range",
                "{field} must be from 1e18 to 1e30 FLOPs, got {flops}: the Chinchilla fit was made on runs of about 1e18 to 5e22 FLOPs, and far outside that its sizes and losses mean nothing (GPT-3 used 3.1e23, Chinchilla 5.8e23).",
                ("field", field.Arg), ("flops", Fmt.Number(flops))));
        }
        return flops;
    }

    /// <summary>Checks a model size and a token count whose loss is predicted, naming the option at fault.</summary>
    public static void CheckRun(double parameters, Tokens tokens, FieldRef parametersField = default, FieldRef tokensField = default)
    {
        Guard.InRange(parameters, MinParameters, MaxParameters, parametersField.Or(FieldNames.Params));
        Guard.InRange(tokens.Value, MinTokens, MaxTokens, tokensField.Or(FieldNames.Tokens));
    }

    /// <summary>Predicted loss L(N, D) in nats per token.</summary>
    /// <param name="parameters">N, more than zero.</param>
    /// <param name="tokens">D, more than zero.</param>
    public static double Loss(double parameters, Tokens tokens)
    {
        Guard.Positive(parameters, FieldNames.Parameters);
        Guard.Positive(tokens.Value, FieldNames.Tokens);
        return E + A / Math.Pow(parameters, Alpha) + B / Math.Pow(tokens.Value, Beta);
    }

    /// <summary>A run of N parameters on D tokens with its 6ND FLOPs and predicted loss.</summary>
    public static SizedRun Run(double parameters, Tokens tokens) =>
        new(parameters, tokens, TrainingCompute.SixND(parameters, tokens), Loss(parameters, tokens));

    /// <summary>
    /// The loss-optimal N and D for a FLOP budget: N = G (C/6)^a, D = (C/6)^b / G with a = beta/(alpha+beta),
    /// b = alpha/(alpha+beta), G = (alpha A / (beta B))^(1/(alpha+beta)) (Hoffmann et al. equation 4).
    /// </summary>
    public static SizedRun Optimal(Flop budget)
    {
        var c = Budget(budget.Value);
        var g = Math.Pow(Alpha * A / (Beta * B), 1.0 / (Alpha + Beta));
        var n = g * Math.Pow(c / 6.0, Beta / (Alpha + Beta));
        var d = Math.Pow(c / 6.0, Alpha / (Alpha + Beta)) / g;
        return Run(n, Tokens.FromCount(d));
    }

    /// <summary>The rule of thumb: D = 20 N and C = 6ND, so N = sqrt(C / 120).</summary>
    public static SizedRun TwentyTokensPerParameter(Flop budget)
    {
        var c = Budget(budget.Value);
        var n = Math.Sqrt(c / (6.0 * TokensPerParameterRule));
        return Run(n, Tokens.FromCount(TokensPerParameterRule * n));
    }

    /// <summary>The 20-tokens rule for a fixed model size: D = 20 N, with the 6ND budget that implies and its predicted loss.</summary>
    public static SizedRun RuleForModel(double parameters) => Run(parameters, Tokens.FromCount(TokensPerParameterRule * Guard.Positive(parameters, FieldNames.Parameters)));
}

using System.CommandLine;
using Suanli.Runs;
using Suanli.Quantities;
using Suanli.Text;
using Suanli.Training;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli chinchilla</c>: the loss-optimal model size and tokens for a FLOP budget.</summary>
public static class ChinchillaCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var flops = new Option<string>("--flops") { Description = "FLOP budget, e.g. 5.76e23.", Required = true };
        var parameters = new Option<string?>("--params") { Description = "Also predict the loss of a model of this many parameters, e.g. 70B." };
        var tokens = new Option<string?>("--tokens") { Description = "Tokens for --params (default: what the budget buys at 6ND), e.g. 1.4T." };
        var format = CliOptions.Format();
        var command = new Command("chinchilla", "Compute-optimal sizing (Hoffmann et al. 2022): loss-optimal parameters and tokens for a FLOP budget, the 20-tokens-per-parameter rule, GPT-3 vs Chinchilla.")
        {
            flops, parameters, tokens, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            CliContext.RefuseUnreadableCatalog(parse);
            var budget = Flop.FromFlop(CountText.ParsePositive(parse.GetValue(flops)!, "--flops"));
            double? n = parse.GetValue(parameters) is { } p ? CountText.ParsePositive(p, "--params") : null;
            Tokens? d = parse.GetValue(tokens) is { } t ? Tokens.FromCount(CountText.ParsePositive(t, "--tokens")) : null;
            if (d is not null && n is null)
            {
                throw new InputException(FieldNames.Tokens, Phrase.Of("cli.tokens-needs-params", "{tokens} needs {params}: give the model size whose loss to predict, e.g. {params} 70B {tokens} 1.4T.",
                    ("tokens", FieldNames.Tokens), ("params", FieldNames.Params)));
            }
            c.Write(ChinchillaReport.Build(budget, n, d), parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}

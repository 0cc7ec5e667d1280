using System.CommandLine;
using Suanli.Runs;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli density</c>: interactive sessions per rack and per kW for models x servers (seed case C7).</summary>
public static class DensityCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var d = DensityInputs.Defaults;
        var models = new Option<string[]>("--model", "-m") { Description = "Models (repeat or comma-separate).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. d.Models] };
        var servers = new Option<string[]>("--server", "-s") { Description = "Servers from 'suanli catalog servers' (repeat or comma-separate).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. d.Servers] };
        var precision = new Option<string>("--precision", "-p") { Description = "Weight format.", DefaultValueFactory = _ => d.Precision };
        var floor = new Option<double>("--tokens-per-second") { Description = "Per-session floor (default 10: ~450 words/min, above reading speed).", DefaultValueFactory = _ => d.TokensPerSecond };
        var context = CliOptions.TokenCount("--context", "Tokens per session held in the KV cache.", d.ContextTokens, 1, 1_000_000);
        var input = CliOptions.TokenCount("--input", "Prompt tokens per session turn, read (prefill) before its first token, as plan does.", d.InputTokens, 1, 1_000_000);
        var output = CliOptions.TokenCount("--output", "Output tokens per session turn.", d.OutputTokens, 1, 1_000_000);
        var ttft = new Option<double>("--ttft-p90") { Description = "Seconds to first token a session must get (90th percentile), as a plan's target.", DefaultValueFactory = _ => d.TtftP90 };
        var power = new Option<double>("--rack-kw") { Description = "Rack power budget in kW.", DefaultValueFactory = _ => d.RackKw };
        var height = CliOptions.Count("--rack-u", "Rack height in U.", d.RackU, 1, 60);
        var format = CliOptions.Format();
        var command = new Command("density", "Sessions per rack and per kW at a tokens/s floor, per model and server, CPUs included (seed case C7).")
        {
            models, servers, precision, floor, context, input, output, ttft, power, height, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var inputs = new DensityInputs
            {
                Models = CliOptions.Split(parse, models),
                Servers = CliOptions.Split(parse, servers),
                Precision = parse.GetValue(precision)!,
                TokensPerSecond = parse.GetValue(floor),
                ContextTokens = parse.GetValue(context),
                InputTokens = parse.GetValue(input),
                OutputTokens = parse.GetValue(output),
                TtftP90 = parse.GetValue(ttft),
                RackKw = parse.GetValue(power),
                RackU = parse.GetValue(height),
            };
            c.Write(DensityRun.Run(inputs, catalog, CliContext.StepTimeModel, (n, field) => CliContext.Model(catalog, n, field), c.Cancel), parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}

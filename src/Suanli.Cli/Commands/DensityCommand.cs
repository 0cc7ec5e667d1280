using System.CommandLine;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Runs;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli density</c>: interactive sessions per rack and per kW for models x servers (seed case C7).</summary>
public static class DensityCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var models = new Option<string[]>("--model", "-m") { Description = "Models (repeat or comma-separate).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["llama-3.2-3b", "llama-3-8b", "llama-3-70b"] };
        var servers = new Option<string[]>("--server", "-s") { Description = "Servers from 'suanli catalog servers' (repeat or comma-separate).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["ampereone-2s", "xeon-8480plus-2s", "l40s-8gpu-4u", "dgx-h100"] };
        var precision = new Option<string>("--precision", "-p") { Description = "Weight format.", DefaultValueFactory = _ => "int8" };
        var floor = new Option<double>("--tokens-per-second") { Description = "Per-session floor (default 10: ~450 words/min, above reading speed).", DefaultValueFactory = _ => 10 };
        var context = CliOptions.TokenCount("--context", "Tokens per session held in the KV cache.", 4096, 1, 1_000_000);
        var input = CliOptions.TokenCount("--input", "Prompt tokens per session turn, read (prefill) before its first token, as plan does.", SessionSizing.DefaultInputTokens, 1, 1_000_000);
        var output = CliOptions.TokenCount("--output", "Output tokens per session turn.", SessionSizing.DefaultOutputTokens, 1, 1_000_000);
        var ttft = new Option<double>("--ttft-p90") { Description = "Seconds to first token a session must get (90th percentile), as a plan's target.", DefaultValueFactory = _ => SessionSizing.DefaultTtftSeconds };
        var power = new Option<double>("--rack-kw") { Description = "Rack power budget in kW.", DefaultValueFactory = _ => 12.5 };
        var height = CliOptions.Count("--rack-u", "Rack height in U.", 42, 1, 60);
        var format = CliOptions.Format();
        var command = new Command("density", "Sessions per rack and per kW at a tokens/s floor, per model and server, CPUs included (seed case C7).")
        {
            models, servers, precision, floor, context, input, output, ttft, power, height, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var weights = WeightPrecision.Parse(parse.GetValue(precision)!, "--precision");
            var rack = new Rack(Power.FromKilowatts(Guard.InRange(parse.GetValue(power), 0.1, 1000, FieldNames.RackKw)), parse.GetValue(height), 1.0);
            var perSecond = Guard.InRange(parse.GetValue(floor), 0.1, 10_000, FieldNames.TokensPerSecond);
            var sizing = new SessionSizing(CliContext.Capacity, parse.GetValue(input), parse.GetValue(output),
                Duration.FromSeconds(Guard.InRange(parse.GetValue(ttft), 0.001, 86_400, FieldNames.TtftP90)));
            var rows = new List<RackDensityRow>();
            foreach (var serverName in CliOptions.Split(parse.GetValue(servers)!))
            {
                var server = catalog.Server(serverName);
                var device = catalog.Device(server.DeviceId);
                var engine = device.Category is DeviceCategory.ServerCpu or DeviceCategory.SocUnifiedMemory or DeviceCategory.PhoneSoc ? Engine.LlamaCpp : Engine.Vllm;
                foreach (var modelName in CliOptions.Split(parse.GetValue(models)!))
                {
                    rows.Add(RackDensity.Compute(CliContext.StepTimeModel, CliContext.Model(catalog, modelName), server, device, weights, engine, rack,
                        TokenRate.FromTokensPerSecond(perSecond), parse.GetValue(context), sessions: sizing));
                }
            }
            c.Write(DensityReport.Build(rows, rack, perSecond), parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}

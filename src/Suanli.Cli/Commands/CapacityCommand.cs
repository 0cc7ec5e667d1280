using System.CommandLine;
using Suanli.IO.Reports;
using Suanli.Serving;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli capacity</c>: the largest load one replica carries with the latency targets met.</summary>
public static class CapacityCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var o = new ServingOptions();
        var mode = new Option<string>("--mode") { Description = "Vary the Poisson rate (rate) or the closed-loop concurrency (concurrency).", DefaultValueFactory = _ => "rate" };
        var command = new Command("capacity", "The largest request rate or concurrency one replica sustains with the targets met at their percentile, found by a bracketing search on the simulator; when no load meets them, why, and what would.");
        o.AddTo(command);
        command.Options.Add(mode);
        command.SetAction(parse => c.Guarded(() =>
        {
            var (deployment, catalog) = o.Deployment(parse);
            var engine = o.EngineConfig(parse, deployment);
            var modeName = parse.GetValue(mode)!.Trim().ToLowerInvariant();
            var m = modeName switch
            {
                "rate" => CapacityMode.Rate,
                "concurrency" => CapacityMode.Concurrency,
                _ => throw new InputException("--mode", $"Unknown --mode '{modeName}'. Use rate or concurrency."),
            };
            var workload = o.Workload(parse, loadRequired: false);
            var targets = o.Targets(parse);
            var result = CapacitySearch.Run(deployment, workload, engine, CliContext.StepTimeModel, targets, m, catalog.Models);
            c.Write(CapacityReport.Build(result, deployment, targets), parse.GetValue(o.Format));
            return 0;
        }));
        return command;
    }
}

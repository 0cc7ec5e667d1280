using System.CommandLine;
using Suanli.Runs;

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
        // The search varies the load itself, so its help lists no load; given anyway, the run refuses it by name.
        o.Load.Rate.Hidden = true;
        o.Load.Concurrency.Hidden = true;
        // A probe's window follows the benchmark rule (BenchmarkWindow.Probe), which the help says.
        o.Load.Duration.Description = "Seconds measured by each probe, after a warm-up of one answer of the 99th-percentile output length at the targets (the rule of validation's probes; 600 reproduces an MLPerf Server run). Without it each probe issues --requests requests and leaves the first 10% out as warm-up.";
        command.Options.Add(mode);
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            c.Write(ServingRun.Capacity(o.Inputs(parse), parse.GetValue(mode)!, catalog, CliContext.StepTimeModel, (n, field) => CliContext.Model(catalog, n, field), c.Cancel), parse.GetValue(o.Format));
            return 0;
        }));
        return command;
    }
}

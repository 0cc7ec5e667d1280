using System.CommandLine;
using Suanli.Runs;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli simulate</c>: what users of one replica feel under a load: TTFT, TPOT, end-to-end and queueing percentiles, throughput, goodput.</summary>
public static class SimulateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var o = new ServingOptions();
        var command = new Command("simulate", "Simulate one replica under a load with continuous batching: TTFT, TPOT, end-to-end and queueing percentiles, throughput, goodput, batch and KV use; the articles' one-copy-per-request estimate beside it.");
        o.AddTo(command);
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            c.Write(ServingRun.Simulate(o.Inputs(parse), catalog, CliContext.StepTimeModel, (n, field) => CliContext.Model(catalog, n, field), c.Cancel), parse.GetValue(o.Format));
            return 0;
        }));
        return command;
    }
}

using Suanli.Fleet;

namespace Suanli.IO.Reports;

/// <summary>Builds the report of <c>suanli density</c> (seed case C7).</summary>
public static class DensityReport
{
    /// <summary>Lays out the rows, densest rack first.</summary>
    public static Report Build(IReadOnlyList<RackDensityRow> rows, Rack rack, double floorTokensPerSecond)
    {
        var ordered = rows.OrderByDescending(r => r.SessionsPerRack).ToList();
        var json = new
        {
            Rack = new { PowerKw = rack.PowerBudget.InKilowatts, rack.HeightU },
            FloorTokensPerSecond = floorTokensPerSecond,
            Rows = ordered.Select(r => new
            {
                Model = r.Model.Id,
                Server = r.Server.Id,
                Device = r.Server.DeviceId,
                Layout = r.Layout is null ? null : new { r.Layout.Tp, r.Layout.Pp, r.Layout.Devices },
                r.SessionsPerReplica,
                StepTimeSeconds = r.StepTime.Value,
                r.ReplicasPerServer,
                r.ServersPerRack,
                r.SessionsPerRack,
                r.SessionsPerKw,
                r.Note,
            }).ToList(),
        };
        var table = new ReportTable($"Sessions at >= {floorTokensPerSecond:0.#} tokens/s in a {rack.PowerBudget.InKilowatts:0.#} kW, {rack.HeightU}U rack",
            ["Model", "Server", "Layout", "Sessions/replica", "Step (ms)", "Replicas/server", "Servers/rack", "Sessions/rack", "Sessions/kW", "Note"],
            [.. ordered.Select(r => (IReadOnlyList<string>)[
                r.Model.Id, r.Server.Id, r.Layout?.ToString() ?? "-", Show.N(r.SessionsPerReplica), r.SessionsPerReplica > 0 ? Show.Sig(r.StepTime.InMilliseconds) : "-",
                Show.N(r.ReplicasPerServer), Show.N(r.ServersPerRack), Show.N(r.SessionsPerRack), Show.N(r.SessionsPerKw, 1), r.Note])]);
        return new Report("Rack density (seed case C7)", json, [table], []);
    }
}

using Suanli.Fleet;

namespace Suanli.Runs;

/// <summary>The rack the density is computed for: its power budget in kW and its height in rack units.</summary>
public sealed record RackJson(double PowerKw, int HeightU);

/// <summary>A tensor x pipeline split of one replica and the devices it uses.</summary>
public sealed record DensityLayoutJson(int Tp, int Pp, int Devices);

/// <summary>
/// One model on one server: concurrent sessions one replica holds at the speed floor, the decode step time (seconds)
/// at that batch, replicas per server, servers per rack, sessions per rack and per kW, and a note on what limits it.
/// </summary>
public sealed record DensityRowJson(string Model, string Server, string Device, DensityLayoutJson? Layout, int SessionsPerReplica, double StepTimeSeconds,
    int ReplicasPerServer, int ServersPerRack, int SessionsPerRack, double SessionsPerKw, string Note);

/// <summary><c>suanli density --format json</c> and <c>GET /api/density</c>: rows densest first; the floor in output tokens/s per session.</summary>
public sealed record DensityJson(RackJson Rack, double FloorTokensPerSecond, IReadOnlyList<DensityRowJson> Rows) : ReportDocument;

/// <summary>Builds the report of <c>suanli density</c> (seed case C7).</summary>
public static class DensityReport
{
    /// <summary>Lays out the rows, densest rack first.</summary>
    public static Report Build(IReadOnlyList<RackDensityRow> rows, Rack rack, double floorTokensPerSecond)
    {
        var ordered = rows.OrderByDescending(r => r.SessionsPerRack).ToList();
        var json = new DensityJson(new RackJson(rack.PowerBudget.InKilowatts, rack.HeightU), floorTokensPerSecond,
            [.. ordered.Select(r => new DensityRowJson(r.Model.Id, r.Server.Id, r.Server.DeviceId,
                r.Layout is null ? null : new DensityLayoutJson(r.Layout.Tp, r.Layout.Pp, r.Layout.Devices),
                r.SessionsPerReplica, r.StepTime.Value, r.ReplicasPerServer, r.ServersPerRack, r.SessionsPerRack, r.SessionsPerKw, r.Note))]);
        var table = new ReportTable($"Sessions at >= {floorTokensPerSecond:0.#} tokens/s in a {rack.PowerBudget.InKilowatts:0.#} kW, {rack.HeightU}U rack",
            ["Model", "Server", "Layout", "Sessions/replica", "Step (ms)", "Replicas/server", "Servers/rack", "Sessions/rack", "Sessions/kW", "Note"],
            [.. ordered.Select(r => (IReadOnlyList<string>)[
                r.Model.Id, r.Server.Id, r.Layout?.ToString() ?? "-", Show.N(r.SessionsPerReplica), r.SessionsPerReplica > 0 ? Show.Sig(r.StepTime.InMilliseconds) : "-",
                Show.N(r.ReplicasPerServer), Show.N(r.ServersPerRack), Show.N(r.SessionsPerRack), Show.N(r.SessionsPerKw, 1), r.Note])]);
        return new Report("Rack density (seed case C7)", json, [table], []);
    }
}

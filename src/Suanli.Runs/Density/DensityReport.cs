using Suanli.Fleet;
using Suanli.Text;

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
                r.SessionsPerReplica, r.StepTime.Value, r.ReplicasPerServer, r.ServersPerRack, r.SessionsPerRack, r.SessionsPerKw, r.Note?.English ?? ""))]);
        var table = new ReportTable(Phrase.Of("table.density", "Sessions at >= {floor} tokens/s in a {power} kW, {height}U rack",
                ("floor", Fmt.I($"{floorTokensPerSecond:0.#}")), ("power", Fmt.I($"{rack.PowerBudget.InKilowatts:0.#}")), ("height", Fmt.I($"{rack.HeightU}"))),
            [
                new(Phrase.Of("col.model", "Model")), new(Phrase.Of("col.server", "Server")), new(Phrase.Of("col.layout", "Layout")),
                new(Phrase.Of("col.sessions-per-replica", "Sessions/replica"), CellKind.Count), new(Phrase.Of("col.step-ms", "Step (ms)")),
                new(Phrase.Of("col.replicas-per-server", "Replicas/server"), CellKind.Count), new(Phrase.Of("col.servers-per-rack", "Servers/rack"), CellKind.Count),
                new(Phrase.Of("col.sessions-per-rack", "Sessions/rack"), CellKind.Count), new(Phrase.Of("col.sessions-per-kw", "Sessions/kW"), CellKind.Number),
                new(Phrase.Of("col.note", "Note")),
            ],
            [.. ordered.Select(r => (IReadOnlyList<ReportCell>)[
                ReportCell.Text(r.Model.Id), ReportCell.Text(r.Server.Id), r.Layout is null ? ReportCell.None : ReportCell.Text(r.Layout.ToString()), ReportCell.Count(r.SessionsPerReplica),
                r.SessionsPerReplica > 0 ? ReportCell.Text(Show.Sig(r.StepTime.InMilliseconds)) : ReportCell.None,
                ReportCell.Count(r.ReplicasPerServer), ReportCell.Count(r.ServersPerRack), ReportCell.Count(r.SessionsPerRack), ReportCell.Number(r.SessionsPerKw, 1), r.Note is { } note ? ReportCell.Words(note) : ReportCell.Text("")])]);
        return new Report(Phrase.Of("report.density", "Rack density (seed case C7)"), json, [table], []);
    }
}

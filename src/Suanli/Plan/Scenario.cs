using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Plan;

/// <summary>
/// Demand stated as users (seed case C5) instead of a peak: requests a day = daily active users x requests per user
/// per day; the rate at the profile's full-load hour = requests a day / (86,400 s x the profile's mean multiplier), so
/// the day's hourly loads add up to the requests a day. Requests in flight then follow from Little's law (in flight =
/// arrival rate x time in the system; J. D. C. Little, Operations Research 9(3), 1961) in the serving simulation.
/// docs/methodology-fleet.md, "Demand from users".
/// </summary>
/// <param name="DailyActiveUsers">Users active on a day (given, or registered users x the daily active share).</param>
/// <param name="RequestsPerUserPerDay">Requests each active user sends a day.</param>
/// <param name="RegisteredUsers">Registered users when the demand was stated that way, else null.</param>
/// <param name="DailyActiveShare">Share of registered users active on a day (0-1], with <paramref name="RegisteredUsers"/>.</param>
/// <param name="ProfileMean">The traffic profile's mean multiplier (average load over the full-load hour).</param>
public sealed record UserDemand(double DailyActiveUsers, double RequestsPerUserPerDay, double? RegisteredUsers, double? DailyActiveShare, double ProfileMean)
{
    /// <summary>Seconds in a day.</summary>
    public const double SecondsPerDay = 86_400;

    /// <summary>Requests a day.</summary>
    public double RequestsPerDay => DailyActiveUsers * RequestsPerUserPerDay;

    /// <summary>Mean requests per second over the day.</summary>
    public double MeanRate => RequestsPerDay / SecondsPerDay;

    /// <summary>Requests per second at the profile's full-load hour (multiplier 1): the application's peak rate.</summary>
    public double PeakRate => MeanRate / ProfileMean;
}

/// <summary>One application of a scenario, resolved against the catalog.</summary>
public sealed record ScenarioApplication
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }
    /// <summary>Candidate models, first preferred.</summary>
    public required IReadOnlyList<ModelEntry> Models { get; init; }
    /// <summary>Weight formats (routed experts and the rest).</summary>
    public required WeightPrecision Precision { get; init; }
    /// <summary>KV-cache format.</summary>
    public required NumberFormat KvPrecision { get; init; }
    /// <summary>Engine class.</summary>
    public required Engine Engine { get; init; }
    /// <summary>How the peak is stated.</summary>
    public required DemandKind Kind { get; init; }
    /// <summary>Peak concurrency or requests per second.</summary>
    public required double Peak { get; init; }

    /// <summary>
    /// The smallest peak accepted (a millionth of a request per second is one request in about eleven days); below it
    /// costs per request and per token divide by amounts too small to represent.
    /// </summary>
    public const double MinPeak = 1e-6;

    /// <summary>The largest peak accepted (requests per second or in flight); beyond it input is treated as a mistake.</summary>
    public const double MaxPeak = 1e8;
    /// <summary>Mean prompt tokens per request.</summary>
    public required double InputTokens { get; init; }
    /// <summary>Mean output tokens per request.</summary>
    public required double OutputTokens { get; init; }
    /// <summary>Prompt length distribution (its mean is <see cref="InputTokens"/>).</summary>
    public required Serving.LengthDistribution InputDistribution { get; init; }
    /// <summary>Output length distribution (its mean is <see cref="OutputTokens"/>).</summary>
    public required Serving.LengthDistribution OutputDistribution { get; init; }
    /// <summary>Latency targets, each at the percentile its key states (p90 unless stated).</summary>
    public required ServingTargets Targets { get; init; }
    /// <summary>Hourly traffic shape, in the application's local hours (<see cref="TimeZone"/>).</summary>
    public required TrafficProfile Profile { get; init; }
    /// <summary>IANA time zone of the profile's hours; null: the scenario's (<see cref="Scenario.TimeZone"/>).</summary>
    public string? TimeZone { get; init; }
    /// <summary>The scheduler caps the scenario states (<c>max_num_seqs</c>, <c>max_batched_tokens</c>; a null cap is the engine's default for the device) and its prefix-cache hit rate (<c>prefix_hit_rate</c>).</summary>
    public StatedCaps Caps { get; init; } = StatedCaps.None;
    /// <summary>
    /// Hours the application's zone is ahead of the scenario's on the plan date (<see cref="ZoneShifts.Resolve"/>); the fleet
    /// reads the profile shifted by it (<see cref="TrafficProfile.Shifted"/>). 0 until resolved, and for the scenario's own zone.
    /// </summary>
    public double HourShift { get; init; }
    /// <summary>Quality floor on a published benchmark score, or null.</summary>
    public Cost.QualityFloor? QualityFloor { get; init; }
    /// <summary>The user counts the peak rate was derived from, or null when the peak was given.</summary>
    public UserDemand? Users { get; init; }
    /// <summary>
    /// The replica layout to keep, or null to choose one (<see cref="Planner.CandidateLayouts"/>): set by the replans of a
    /// plan (its capacity interval's ends and its sensitivity) to the layout the expected plan chose, used while it fits.
    /// </summary>
    public Footprint.Layout? PinnedLayout { get; init; }
    /// <summary>
    /// The replica layout the scenario pins (the application's <c>layout</c> key: <c>tp</c>, <c>pp</c>), or null to
    /// choose one. Used as given while weights and one request fit it, even when its tensor-parallel group spans
    /// servers (then with the finding <c>replica-crosses-servers</c>).
    /// </summary>
    public Footprint.Layout? StatedLayout { get; init; }
}

/// <summary>A planning scenario: applications, hardware, rack, policy, currency; defaults listed in <see cref="Assumptions"/>.</summary>
public sealed record Scenario
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }
    /// <summary>Where it came from (file path or "embedded").</summary>
    public required string Source { get; init; }
    /// <summary>Reporting currency.</summary>
    public required Currency Currency { get; init; }
    /// <summary>IANA time zone of the fleet's hours, and of each application's profile that names no zone of its own.</summary>
    public required string TimeZone { get; init; }
    /// <summary>Electricity tariff region from the prices catalog (or null: the currency's default region).</summary>
    public string? Tariff { get; init; }
    /// <summary>
    /// The rent term the plan is pinned to (scenario key <c>rent_term</c>): on-demand bills the device-hours served, a
    /// reserved term (1 or 3 years) every hour of the month for the peak fleet. Null (the default): the plan reserves
    /// the devices busy long enough for a reserved term to cost less and rents the rest on demand
    /// (<see cref="Suanli.Cost.RentChoice"/>).
    /// </summary>
    public Suanli.Cost.RentTerm? RentTerm { get; init; }
    /// <summary>Device type.</summary>
    public required Device Device { get; init; }
    /// <summary>Server holding the devices.</summary>
    public required Server Server { get; init; }
    /// <summary>Devices per replica fixed by the user, or null to let the planner choose the layout carrying the most load per device.</summary>
    public int? DevicesPerReplica { get; init; }
    /// <summary>Rack.</summary>
    public required Rack Rack { get; init; }
    /// <summary>Sizing policy.</summary>
    public required FleetPolicy Policy { get; init; }
    /// <summary>Applications (at most <see cref="MaxApplications"/>).</summary>
    public required IReadOnlyList<ScenarioApplication> Applications { get; init; }

    /// <summary>
    /// Most applications one scenario holds. The examples have one or two; a hundred covers an organisation's whole
    /// portfolio, and at about 0.1-0.2 s of capacity search per application (docs/timings.md) keeps a plan well inside the
    /// web server's 30 s time limit. Beyond it the input is treated as a mistake (or an attempt to keep the server busy).
    /// </summary>
    public const int MaxApplications = 100;
    /// <summary>Every default that was applied, as "key = value (why)" phrases (<see cref="Assumption"/>); printed with the plan in the reader's language.</summary>
    public required IReadOnlyList<Suanli.Text.Phrase> Assumptions { get; init; }

    /// <summary>
    /// Where each key of the scenario file is (<c>applications[0].input_tokens</c> to its file, line and column), so an
    /// error raised while planning names the key the user wrote; empty when the scenario did not come from a file.
    /// </summary>
    public IReadOnlyDictionary<string, SourceLocation> Marks { get; init; } = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);

    /// <summary>
    /// The server for a device: the scenario's own for its device, else <see cref="FleetPlanner.DefaultServer"/> (the
    /// catalog's largest that fits the scenario's rack, else a generic node; with no <paramref name="catalog"/>, the generic node).
    /// </summary>
    public Func<Device, Server> ServerFor(SuanliCatalog? catalog) => d =>
        string.Equals(d.Id, Device.Id, StringComparison.OrdinalIgnoreCase) ? Server : FleetPlanner.DefaultServer(catalog, d, Rack);
}

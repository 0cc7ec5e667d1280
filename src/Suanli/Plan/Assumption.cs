using Suanli.Text;

namespace Suanli.Plan;

/// <summary>
/// The assumptions a scenario records for every default it applies, as phrases of the form
/// <c>key = value (why)</c>: the key and ids stay as written, the value's words and the reason render in the
/// reader's language (<see cref="Scenario.Assumptions"/>).
/// </summary>
public static class Assumption
{
    /// <summary><c>key = value (why)</c>.</summary>
    /// <param name="key">The scenario key the default fills (<c>rack.pue</c>, <c>chat.engine</c>).</param>
    /// <param name="value">The value: an id or number as text, or a phrase when it is words.</param>
    /// <param name="why">Why this value (<see cref="Default"/> when it is the planner's default).</param>
    public static Phrase Of(string key, object value, Phrase why) =>
        Phrase.Of("assumption", "{key} = {value} ({why})", ("key", key), ("value", value), ("why", why));

    /// <summary><c>key = value</c>, for a value that says its own reason (a named profile and its description).</summary>
    public static Phrase Bare(string key, object value) =>
        Phrase.Of("assumption#bare", "{key} = {value}", ("key", key), ("value", value));

    /// <summary><c>key = value (default)</c>.</summary>
    public static Phrase Defaulted(string key, object value) => Of(key, value, Default);

    /// <summary>The planner's default.</summary>
    public static Phrase Default { get; } = Phrase.Of("assumption.why#default", "default");

    /// <summary>The planner's default, an illustrative one (the office-hours profile).</summary>
    public static Phrase DefaultIllustrative { get; } = Phrase.Of("assumption.why#default-illustrative", "default, illustrative");

    /// <summary>The scenario's name taken from its file's name.</summary>
    public static Phrase FileName { get; } = Phrase.Of("assumption.why#file-name", "file name");

    /// <summary>The scenario's device taken from its search candidates.</summary>
    public static Phrase FirstCandidateDevice { get; } = Phrase.Of("assumption.why#first-candidate-hardware", "the first of candidates.hardware");

    /// <summary>The default time zone, and what it governs.</summary>
    public static Phrase DefaultTimeZone { get; } = Phrase.Of("assumption.why#default-time-zone", "default; hourly profiles are read in this zone");

    /// <summary>The server the catalog lists for the device.</summary>
    public static Phrase CatalogServer { get; } = Phrase.Of("assumption.why#catalog-server", "catalog server for the device");

    /// <summary>No server in the catalog: a generic node (the nameplate rule of <see cref="Fleet.FleetPlanner.DefaultServer"/>).</summary>
    public static Phrase GenericServer { get; } = Phrase.Of("assumption.why#generic-server", "no catalog server for the device: generic node, nameplate 1.8 x device TDP");

    /// <summary>The default rack and the source of its figures.</summary>
    public static Phrase DefaultRack { get; } = Phrase.Of("assumption.why#default-rack", "default: seed case C7's rack; PUE per docs/methodology-fleet.md");

    /// <summary>The weight format the checkpoint was released in.</summary>
    public static Phrase ReleasedFormat { get; } = Phrase.Of("assumption.why#released-format", "the released checkpoint's format");

    /// <summary>Why a released precision applies, spelling out the two parts of a checkpoint that mixes formats.</summary>
    public static Phrase Released(Catalog.WeightPrecision precision) =>
        precision.IsUniform ? ReleasedFormat
            : Phrase.Of("assumption.why#released-mixed", "the released checkpoint's formats: routed experts {experts}, the rest {rest}",
                ("experts", precision.Experts.Name), ("rest", precision.Rest.Name));

    /// <summary>The default latency targets and their source.</summary>
    public static Phrase DefaultTargets { get; } = Phrase.Of("assumption.why#default-targets", "default: 10 tokens/s per stream, docs/methodology-fleet.md");

    /// <summary>Every catalog model taken as a candidate.</summary>
    public static Phrase CatalogCandidates { get; } = Phrase.Of("assumption.why#catalog-models", "candidates.models: catalog");

    /// <summary>The peak derived from user counts, and where the method is written.</summary>
    public static Phrase FromUsers { get; } = Phrase.Of("assumption.why#users", "users; docs/methodology-fleet.md, 'Demand from users'");

    /// <summary>Why a replica layout applies: the application's <c>layout</c> key pins it (docs/scenario.md).</summary>
    public static Phrase PinnedLayout { get; } = Phrase.Of("assumption.why#pinned-layout", "pinned by the application's layout key; it wins over devices_per_replica");

    /// <summary>The devices per replica when the scenario gives none.</summary>
    public static Phrase MostLoadPerDevice { get; } = Phrase.Of("assumption.value#most-per-device", "the layout that carries the most load per device, from the fewest devices that fit up to one server, or several when a replica fills one");

    /// <summary>The scheduler caps a scenario cannot state: each engine's own defaults for the device (<see cref="Serving.SchedulerDefaults"/>).</summary>
    public static Phrase EngineSchedulerCaps { get; } = Phrase.Of("assumption.value#scheduler-caps", "each engine's sequence and token caps for the device");

    /// <summary>The sequence cap a scenario leaves out when it states the token cap: the engine's default for the device.</summary>
    public static Phrase EngineSequenceCap { get; } = Phrase.Of("assumption.value#scheduler-seqs", "max_num_seqs: the engine's default for the device (max_batched_tokens as stated)");

    /// <summary>The token cap a scenario leaves out when it states the sequence cap: the engine's default for the device.</summary>
    public static Phrase EngineTokenCap { get; } = Phrase.Of("assumption.value#scheduler-tokens", "max_batched_tokens: the engine's default for the device (max_num_seqs as stated)");

    /// <summary>Why: the engines' documented defaults, tabled with sources in the serving methodology.</summary>
    public static Phrase EngineDefaults { get; } = Phrase.Of("assumption.why#engine-defaults", "the engines' documented defaults, docs/methodology-serving.md, 'Engine defaults'");

    /// <summary>A plan's llama.cpp caps: as many slots as the replica's KV memory holds (<see cref="Serving.EngineConfig.Planned"/>).</summary>
    public static Phrase LlamaCppSlotsToMemory { get; } = Phrase.Of("assumption.value#llamacpp-slots", "llama.cpp slots (-np) sized to the memory");

    /// <summary>Why: an operator sets llama-server's slot count to what the memory holds; its token budget stays the documented default.</summary>
    public static Phrase LlamaCppSlotsSized { get; } = Phrase.Of("assumption.why#llamacpp-slots",
        "an operator sets llama-server's slot count (with the context size = slots x the context per slot) to what the KV memory holds for the mean request, not its 4 default slots; n_batch is the documented default, docs/methodology-serving.md, 'Engine defaults'");

    /// <summary>The default fleet policy (<see cref="Fleet.FleetPolicy.Default"/>).</summary>
    public static Phrase DefaultPolicy { get; } = Phrase.Of("assumption.value#default-policy", "20% headroom, at least 1 replica, 10-minute scale-up");

    /// <summary>The default latency targets (<see cref="ApplicationDraft.DefaultTtft"/>, <see cref="ApplicationDraft.DefaultTpot"/>).</summary>
    public static Phrase DefaultTargetValues { get; } = Phrase.Of("assumption.value#default-targets", "TTFT p90 2 s, TPOT p90 100 ms");

    /// <summary>The catalog models taken as candidates, with the quality floor they meet when one was given.</summary>
    /// <param name="count">How many models.</param>
    /// <param name="floor">The floor they meet, as written (<c>MMLU&gt;=70</c>); null: none.</param>
    public static Phrase CatalogModels(int count, string? floor) => floor is null
        ? Phrase.Of("assumption.value#catalog-models", "{count} catalog models", ("count", count))
        : Phrase.Of("assumption.value#catalog-models-floor", "{count} catalog models meeting {floor}", ("count", count), ("floor", floor));
}

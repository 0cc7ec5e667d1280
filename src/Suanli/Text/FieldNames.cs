namespace Suanli.Text;

/// <summary>
/// A field of the input that a message names, by its logical id (<c>max-batched-tokens</c>). Each front end spells it
/// its own way: the CLI as an option (<c>--max-batched-tokens</c>), the web as the API parameter
/// (<c>maxBatchedTokens</c>), a scenario file as its key (<c>engine.max_batched_tokens</c>).
/// </summary>
/// <param name="Id">The logical id: lower-case words joined by dashes.</param>
/// <param name="Option">True when the command line has an option of this name; false for a part of a file (<c>applications</c>).</param>
public sealed record FieldName(string Id, bool Option = true)
{
    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>The fields the core's messages name, and the spellings of the front ends.</summary>
public static class FieldNames
{
    /// <summary>The number of tokens one engine step may batch.</summary>
    public static FieldName MaxBatchedTokens { get; } = new("max-batched-tokens");
    /// <summary>The number of sequences one engine step may batch.</summary>
    public static FieldName MaxNumSeqs { get; } = new("max-num-seqs");
    /// <summary>The number of devices.</summary>
    public static FieldName Devices { get; } = new("devices");
    /// <summary>The accelerator.</summary>
    public static FieldName Hardware { get; } = new("hardware");
    /// <summary>The tensor-parallel degree.</summary>
    public static FieldName Tp { get; } = new("tp");
    /// <summary>The pipeline-parallel degree.</summary>
    public static FieldName Pp { get; } = new("pp");
    /// <summary>The expert-parallel degree.</summary>
    public static FieldName Ep { get; } = new("ep");
    /// <summary>The ZeRO stage.</summary>
    public static FieldName Zero { get; } = new("zero");
    /// <summary>The largest number of candidates a search may evaluate.</summary>
    public static FieldName MaxCandidates { get; } = new("max-candidates");
    /// <summary>The training budget.</summary>
    public static FieldName Budget { get; } = new("budget-usd");
    /// <summary>The rent per device-hour.</summary>
    public static FieldName RentPerHour { get; } = new("rent-per-hour");
    /// <summary>The precision of the distillation teacher.</summary>
    public static FieldName TeacherPrecision { get; } = new("teacher-precision");
    /// <summary>An API model priced per token.</summary>
    public static FieldName Api { get; } = new("api");
    /// <summary>The model.</summary>
    public static FieldName Model { get; } = new("model");
    /// <summary>A custom cost option.</summary>
    public static FieldName Custom { get; } = new("custom");
    /// <summary>The devices of the distillation teacher.</summary>
    public static FieldName TeacherDevices { get; } = new("teacher-devices");
    /// <summary>The batch of the distillation teacher.</summary>
    public static FieldName TeacherBatch { get; } = new("teacher-batch");
    /// <summary>The TTFT p90 target.</summary>
    public static FieldName TtftP90 { get; } = new("ttft-p90");
    /// <summary>The TPOT p90 target.</summary>
    public static FieldName TpotP90 { get; } = new("tpot-p90");
    /// <summary>The end-to-end latency p90 target.</summary>
    public static FieldName E2eP90 { get; } = new("e2e-p90");
    /// <summary>The prompt length (tokens or a distribution).</summary>
    public static FieldName Input { get; } = new("input");
    /// <summary>The output length (tokens or a distribution).</summary>
    public static FieldName Output { get; } = new("output");
    /// <summary>A request trace.</summary>
    public static FieldName Trace { get; } = new("trace");
    /// <summary>The acceptance rate of speculative decoding.</summary>
    public static FieldName Accept { get; } = new("accept");
    /// <summary>The draft tokens per step of speculative decoding.</summary>
    public static FieldName DraftTokens { get; } = new("draft-tokens");
    /// <summary>The speculative-decoding method.</summary>
    public static FieldName Speculate { get; } = new("speculate");
    /// <summary>The options a comparison compares.</summary>
    public static FieldName Options { get; } = new("options", Option: false);
    /// <summary>The applications of a scenario (a part of the file, not an option).</summary>
    public static FieldName Applications { get; } = new("applications", Option: false);
    /// <summary>The currency of the answer.</summary>
    public static FieldName Currency { get; } = new("currency");
    /// <summary>A price list.</summary>
    public static FieldName Prices { get; } = new("prices");
    /// <summary>A device's purchase price given on the command line.</summary>
    public static FieldName DevicePrice { get; } = new("device-price");
    /// <summary>The electricity tariff.</summary>
    public static FieldName Tariff { get; } = new("tariff");

    /// <summary>
    /// The core's own spelling, used for the English <see cref="Exception.Message"/> and <see cref="Finding.Message"/>:
    /// the command-line option (<c>--id</c>), the reference front end whose messages the tests pin. Other front ends
    /// render the phrase with their own speller.
    /// </summary>
    public static string Core(FieldName field) => field.Option ? "--" + field.Id : field.Id;

    /// <summary>The web API's parameter: camelCase of the id (<c>max-batched-tokens</c> becomes <c>maxBatchedTokens</c>).</summary>
    public static string Web(FieldName field)
    {
        var parts = field.Id.Split('-', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>The key of the scenario file (docs/scenario.md) that holds the field, or the option spelling when the file has none.</summary>
    public static string Yaml(FieldName field) => field.Id switch
    {
        "ttft-p90" => "applications[].targets.ttft_p90_s",
        "tpot-p90" => "applications[].targets.tpot_p90_s",
        "e2e-p90" => "applications[].targets.e2e_p90_s",
        "currency" => "currency",
        "hardware" => "hardware",
        "devices" => "devices_per_replica",
        "tariff" => "candidates.tariff",
        _ => Core(field),
    };
}

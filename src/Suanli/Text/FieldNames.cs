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
    /// <summary>The TTFT target at the percentile <see cref="TtftPercentile"/> states.</summary>
    public static FieldName Ttft { get; } = new("ttft");
    /// <summary>The TPOT target at the percentile <see cref="TpotPercentile"/> states.</summary>
    public static FieldName Tpot { get; } = new("tpot");
    /// <summary>The end-to-end latency target at the percentile <see cref="E2ePercentile"/> states.</summary>
    public static FieldName E2e { get; } = new("e2e");
    /// <summary>The percentile the TTFT target is checked at.</summary>
    public static FieldName TtftPercentile { get; } = new("ttft-percentile");
    /// <summary>The percentile the TPOT target is checked at.</summary>
    public static FieldName TpotPercentile { get; } = new("tpot-percentile");
    /// <summary>The percentile the end-to-end latency target is checked at.</summary>
    public static FieldName E2ePercentile { get; } = new("e2e-percentile");
    /// <summary>The TPOT p99 target.</summary>
    public static FieldName TpotP99 { get; } = new("tpot-p99");
    /// <summary>The end-to-end latency p99 target.</summary>
    public static FieldName E2eP99 { get; } = new("e2e-p99");
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
    /// <summary>An exchange rate between two currencies.</summary>
    public static FieldName ExchangeRate { get; } = new("exchange-rate");
    /// <summary>A price list.</summary>
    public static FieldName Prices { get; } = new("prices");
    /// <summary>A device's purchase price given on the command line.</summary>
    public static FieldName DevicePrice { get; } = new("device-price");
    /// <summary>The electricity tariff.</summary>
    public static FieldName Tariff { get; } = new("tariff");

    /// <summary>The context length in tokens (prompt plus output).</summary>
    public static FieldName Context { get; } = new("context");
    /// <summary>The batch: sequences in one step.</summary>
    public static FieldName Batch { get; } = new("batch");
    /// <summary>The request rate, requests per second.</summary>
    public static FieldName Rate { get; } = new("rate");
    /// <summary>The requests in flight.</summary>
    public static FieldName Concurrency { get; } = new("concurrency");
    /// <summary>The pause between a client's requests, seconds.</summary>
    public static FieldName ThinkTime { get; } = new("think-time");
    /// <summary>When a closed loop's clients send their first requests (together or staggered).</summary>
    public static FieldName Start { get; } = new("start");
    /// <summary>The number of simulated requests.</summary>
    public static FieldName Requests { get; } = new("requests");
    /// <summary>The simulated duration, seconds.</summary>
    public static FieldName Duration { get; } = new("duration");
    /// <summary>The tokens per KV-cache block.</summary>
    public static FieldName BlockSize { get; } = new("block-size");
    /// <summary>The share of device memory the engine may use.</summary>
    public static FieldName GpuMemoryUtilization { get; } = new("gpu-memory-utilization");
    /// <summary>The share of prompt tokens served from the prefix cache.</summary>
    public static FieldName PrefixHitRate { get; } = new("prefix-hit-rate");
    /// <summary>The ratio of peak to mean load.</summary>
    public static FieldName PeakFactor { get; } = new("peak-factor");
    /// <summary>The training sequence length in tokens.</summary>
    public static FieldName SeqLen { get; } = new("seq-len");
    /// <summary>The model FLOP utilisation of training.</summary>
    public static FieldName Mfu { get; } = new("mfu");
    /// <summary>The training tokens.</summary>
    public static FieldName Tokens { get; } = new("tokens");
    /// <summary>The training compute budget, FLOP.</summary>
    public static FieldName Flops { get; } = new("flops");
    /// <summary>The training method (full, LoRA, QLoRA).</summary>
    public static FieldName Method { get; } = new("method");
    /// <summary>The LoRA rank.</summary>
    public static FieldName LoraRank { get; } = new("lora-rank");
    /// <summary>The sequences per micro-batch.</summary>
    public static FieldName MicroBatch { get; } = new("micro-batch");
    /// <summary>The tokens the distillation teacher generates.</summary>
    public static FieldName TeacherTokens { get; } = new("teacher-tokens");
    /// <summary>The prompt tokens per teacher request.</summary>
    public static FieldName TeacherPrompt { get; } = new("teacher-prompt");
    /// <summary>The output tokens per teacher request.</summary>
    public static FieldName TeacherOutput { get; } = new("teacher-output");
    /// <summary>The years bought hardware is amortised over.</summary>
    public static FieldName Years { get; } = new("years");
    /// <summary>The maintenance cost per year as a share of capex.</summary>
    public static FieldName Maintenance { get; } = new("maintenance");
    /// <summary>The share added to device capex for servers, network and storage.</summary>
    public static FieldName ServerOverhead { get; } = new("server-overhead");
    /// <summary>The months a fixed build cost is spread over.</summary>
    public static FieldName Months { get; } = new("months");
    /// <summary>The power usage effectiveness of the facility.</summary>
    public static FieldName Pue { get; } = new("pue");
    /// <summary>The grid's carbon intensity, kg CO2e per kWh.</summary>
    public static FieldName GridKgPerKwh { get; } = new("grid-kg-per-kwh");
    /// <summary>The model size in parameters.</summary>
    public static FieldName Params { get; } = new("params");
    /// <summary>The decode speed floor per stream, tokens per second.</summary>
    public static FieldName TokensPerSecond { get; } = new("tokens-per-second");
    /// <summary>The rack's power budget, kW.</summary>
    public static FieldName RackKw { get; } = new("rack-kw");
    /// <summary>The training deadline, days.</summary>
    public static FieldName Days { get; } = new("days");
    /// <summary>The rack of a scenario (its power and height; a part of the file, not an option).</summary>
    public static FieldName Rack { get; } = new("rack", Option: false);
    /// <summary>A server of the catalog.</summary>
    public static FieldName Server { get; } = new("server");
    /// <summary>The number format of the weights.</summary>
    public static FieldName Precision { get; } = new("precision");
    /// <summary>The number format of the KV cache.</summary>
    public static FieldName KvPrecision { get; } = new("kv-precision");
    /// <summary>The serving engine.</summary>
    public static FieldName Engine { get; } = new("engine");
    /// <summary>The quality floor, a published benchmark score.</summary>
    public static FieldName Quality { get; } = new("quality");
    /// <summary>A model's parameter count (the catalog's or a generic size's; a value, not an option).</summary>
    public static FieldName Parameters { get; } = new("parameters", Option: false);
    /// <summary>The latency targets of a scenario or a measurement row (a part of the input, not an option).</summary>
    public static FieldName Targets { get; } = new("targets", Option: false);
    /// <summary>The port the web server listens on.</summary>
    public static FieldName Port { get; } = new("port");
    /// <summary>The kind of purchase price to use (newest, article-claim, street-estimate, list-price).</summary>
    public static FieldName Purchase { get; } = new("purchase");
    /// <summary>The cost a search minimises (cheaper of own and rent, own, rent).</summary>
    public static FieldName Cost { get; } = new("cost");
    /// <summary>The rent term a search prices (on-demand, reserved-1y, reserved-3y, spot); none: chosen per fleet.</summary>
    public static FieldName RentTerm { get; } = new("rent-term");
    /// <summary>How self-hosting is paid for (buy, rent or both).</summary>
    public static FieldName SelfHost { get; } = new("self-host");
    /// <summary>The date that prices are judged stale against.</summary>
    public static FieldName Today { get; } = new("today");
    /// <summary>The range of monthly requests a comparison sweeps.</summary>
    public static FieldName Range { get; } = new("range");
    /// <summary>How many of the cheapest options a comparison shows.</summary>
    public static FieldName Top { get; } = new("top");
    /// <summary>The monthly request volume.</summary>
    public static FieldName RequestsPerMonth { get; } = new("requests-per-month");
    /// <summary>The monthly token volume.</summary>
    public static FieldName TokensPerMonth { get; } = new("tokens-per-month");
    /// <summary>The distillation teacher model.</summary>
    public static FieldName Teacher { get; } = new("teacher");
    /// <summary>The accelerator of the distillation teacher.</summary>
    public static FieldName TeacherHardware { get; } = new("teacher-hardware");
    /// <summary>The devices of the whole system, split into replicas.</summary>
    public static FieldName SystemDevices { get; } = new("system-devices");
    /// <summary>The number of replicas a system is split into.</summary>
    public static FieldName Replicas { get; } = new("replicas");
    /// <summary>The data-parallel degree of attention.</summary>
    public static FieldName DpAttention { get; } = new("dp-attention");
    /// <summary>The load mode of a simulation (rate or concurrency).</summary>
    public static FieldName Mode { get; } = new("mode");
    /// <summary>The TTFT p99 target.</summary>
    public static FieldName TtftP99 { get; } = new("ttft-p99");
    /// <summary>One seed case to run.</summary>
    public static FieldName Case { get; } = new("case");
    /// <summary>The directory that report files are written to.</summary>
    public static FieldName Out { get; } = new("out");
    /// <summary>A user catalog file or folder (devices, servers, models) added to the embedded catalog.</summary>
    public static FieldName Catalog { get; } = new("catalog");
    /// <summary>A step-time calibration file.</summary>
    public static FieldName Calibration { get; } = new("calibration");
    /// <summary>Permission to replace files that already exist.</summary>
    public static FieldName Force { get; } = new("force");

    /// <summary>
    /// The provenance of a value the user gave (a rent, an exchange rate, an MFU): "given with {field}", the field
    /// spelled by each front end. Documents shared by the front ends (JSON) carry <see cref="GivenWithId"/> instead.
    /// </summary>
    public static Phrase GivenWith(FieldName field) => Phrase.Of("given-with", "given with {field}", ("field", field));

    /// <summary>The provenance of a value the user gave, in words that spell no front end: "given with rent-per-hour" (the logical id).</summary>
    public static string GivenWithId(FieldName field) => "given with " + field.Id;

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
    public static string Yaml(FieldName field) => Yaml(field, null);

    /// <summary>
    /// The key of the scenario file (docs/scenario.md) that holds the field, with the application's index when known
    /// (<c>applications[0].input_tokens</c>; <c>applications[]</c> when not), or the option spelling when the file has
    /// no such key (<c>--max-candidates</c> of <c>suanli optimize</c>).
    /// </summary>
    /// <param name="field">The field.</param>
    /// <param name="application">The 0-based index of the application, when the field belongs to one.</param>
    public static string Yaml(FieldName field, int? application)
    {
        var app = application is { } i ? $"applications[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]" : "applications[]";
        return field.Id switch
        {
            "ttft-p90" => app + ".targets.ttft_p90_s",
            "tpot-p90" => app + ".targets.tpot_p90_s",
            "e2e-p90" => app + ".targets.e2e_p90_s",
            var id when TargetId(id) is { } key => app + ".targets." + key,
            "input" or "context" => app + ".input_tokens",
            "output" => app + ".output_tokens",
            "model" => app + ".model",
            "precision" => app + ".precision",
            "kv-precision" => app + ".kv_precision",
            "rate" => app + ".peak_rate",
            "concurrency" => app + ".peak_concurrency",
            "max-num-seqs" => app + ".max_num_seqs",
            "max-batched-tokens" => app + ".max_batched_tokens",
            "applications" => application is null ? "applications" : app,
            "currency" => "currency",
            "hardware" => "hardware",
            "server" => "server",
            "devices" => "devices_per_replica",
            "tariff" => "tariff",
            "pue" => "rack.pue",
            "rack" => "rack.power",
            _ => Core(field),
        };
    }

    // A target at a stated percentile (ttft-p99, tpot-p99.9) is the scenario key ttft_p99_s.
    private static string? TargetId(string id) =>
        System.Text.RegularExpressions.Regex.Match(id, "^(ttft|tpot|e2e)-(p[0-9.]+)$") is { Success: true } m ? $"{m.Groups[1].Value}_{m.Groups[2].Value}_s" : null;

    /// <summary>The speller of a scenario file's keys for errors raised while planning application <paramref name="application"/> (null: not one application's).</summary>
    public static Func<FieldName, string> Scenario(int? application) => field => Yaml(field, application);
}

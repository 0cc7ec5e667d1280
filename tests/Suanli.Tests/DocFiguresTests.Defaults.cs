using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Training;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table (<see cref="CommandFigureRows"/>) found by the audit of the pages no audit had covered
/// (the methodology pages, docs/performance.md, docs/web.md): the defaults and bounds they state (fleet policy, probe
/// size, bound slack, electricity and ownership defaults, the engines' scheduler caps, warm-up, reserve, prefill chunk,
/// search limits), each from the constant, catalog entry or help text that sets it, so a changed default fails here
/// instead of leaving a page that names the old one. Where two pages or two constants answer one question (the
/// footprint's and the training memory's reserve, the bound's chunk and vLLM's budget), a fact checks they agree.
/// </summary>
public sealed partial class DocFiguresTests
{
    private static Catalog.Device Device(string id) => CatalogFiles.Embedded.Device(id);

    /// <summary>A private constant of a source file, as the page quotes it (the web page's constants are read the same way).</summary>
    private static string SourceConstant(string pattern, params string[] path)
    {
        var m = Regex.Match(Read(path), pattern);
        Assert.True(m.Success, $"{string.Join('/', path)} no longer has '{pattern}'");
        return m.Groups[1].Value;
    }

    /// <summary>Bytes of KV cache per token and of fixed (linear-attention) state per sequence that <c>suanli memory</c> gives in BF16 at its default context.</summary>
    private static (double PerToken, double State) KvAndState(string model)
    {
        var m = Command("memory", "--model", model, "--kv-precision", "bf16");
        var perToken = m.GetProperty("kvCacheBytesPerToken").GetDouble();
        var context = int.Parse(Options("memory")["context"]!, Invariant);
        return (perToken, m.GetProperty("kvCacheBytes").GetDouble() - context * perToken);
    }

    private static string Price(string name) => name switch
    {
        "years" => F($"{PriceFiles.Embedded.AmortisationNamed("server-lifetime-default")!.Years}"),
        _ => F($"{PriceFiles.Embedded.AmortisationNamed("maintenance-share")!.FractionPerYear:0%}"),
    };

    private static IEnumerable<(string Page, Func<string> Says)> FleetAndCostDefaultRows()
    {
        const string fleet = "docs/methodology-fleet.md", cost = "docs/methodology-cost.md";
        var p = FleetPolicy.Default;
        yield return (fleet, () => F($"With headroom `r` (default {p.Headroom}: forecast error and failures), minimum replicas `m` (default {p.MinReplicas}) and a scale-up delay (default {p.ScaleUpDelay.InMinutes} minutes"));
        yield return ("docs/scenario.md", () => F($"policy: {{headroom: {p.Headroom}, min_replicas: {p.MinReplicas}, scale_up_delay_minutes: {p.ScaleUpDelay.InMinutes}}} # defaults as shown"));
        yield return (fleet, () => F($"vLLM-like engine defaults, and {SimulatedReplicaCapacity.RequestsPerProbe} simulated requests per probe"));
        yield return (fleet, () => F($"times its slack of {ScenarioSearchOptions.DefaultBoundSlack}, per device"));
        yield return (fleet, () => F($"or {ElectricityDefaults.IdleFraction:0%} of TDP where none is published"));
        yield return (fleet, () => F($"Facility power = IT power x PUE (default {ElectricityDefaults.Pue};"));
        yield return (fleet, () =>
        {
            // The rack rule's example: Ascend 910C in the default rack gets the largest catalog server that fits it.
            var d = Device("huawei-ascend-910c");
            var (fits, largest) = (FleetPlanner.CatalogServer(CatalogFiles.Embedded, d, Rack.Default)!, FleetPlanner.CatalogServer(CatalogFiles.Embedded, d)!);
            return F($"e.g. `{fits.Id}` rather than the {largest.HeightU / Rack.Default.HeightU}-rack `{largest.Id}` for `910c` in a {Rack.Default.PowerBudget.InKilowatts} kW rack");
        });
        yield return (fleet, () => $"amortised over the catalog's default server lifetime ({Price("years")} years)");
        yield return (fleet, () => $"the catalog's maintenance share of capex per year ({Price("share")}, a vendor");
        yield return (fleet, () => $"(default {Options("density")["tokens-per-second"]} tokens/s, seed case C7)");
        yield return (cost, () => $"amortisation {Price("years")} years (`server-lifetime-default`;");
        yield return (cost, () => $"maintenance {Price("share")} of capex per year (`maintenance-share`");
        yield return (cost, () => $"amortised over `server-lifetime-default` ({Price("years")} years), `maintenance-share` ({Price("share")} a year)");
        yield return (cost, () => F($"the tariff is the region for the currency, `{ElectricityDefaults.TariffRegion(Currency.Cny)}` for CNY, `{ElectricityDefaults.TariffRegion(Currency.Usd)}` for USD and `{ElectricityDefaults.TariffRegion(Currency.Eur)}` for EUR"));
        yield return (cost, () => F($"PUE {ElectricityDefaults.Pue} (China's ceiling for new large data centres"));
        yield return (cost, () => F($"a device without a measured idle power draws {ElectricityDefaults.IdleFraction:0%} of its TDP idle"));
        yield return (cost, () =>
        {
            // The path rule's example on the catalog's rates: the cross rates through CNY are newer than the direct EUR/USD.
            DateOnly Newest(Currency from, Currency to) => PriceFiles.Embedded.ExchangeRates.Where(x => x.From == from && x.To == to).Max(x => x.Date);
            var (eurCny, usdCny, eurUsd) = (Newest(Currency.Eur, Currency.Cny), Newest(Currency.Usd, Currency.Cny), Newest(Currency.Eur, Currency.Usd));
            return eurCny == usdCny && eurCny > eurUsd
                ? F($"EUR to USD therefore goes through EUR/CNY and USD/CNY of {eurCny:yyyy-MM-dd} rather than the direct EUR/USD of {eurUsd:yyyy-MM-dd}")
                : F($"the newest rates are now EUR/CNY {eurCny:yyyy-MM-dd}, USD/CNY {usdCny:yyyy-MM-dd}, EUR/USD {eurUsd:yyyy-MM-dd}");
        });
        yield return (cost, () => F($"`SearchOptions.MaxCandidates`, default {SearchOptions.DefaultLimit:N0}, raisable to {SearchOptions.HardestLimit:N0} (`HardestLimit`)"));
        yield return (cost, () => F($"`--max-candidates` (default {int.Parse(Options("optimize")["max-candidates"]!, Invariant):N0}) is refused"));
        var vllmSmall = SchedulerDefaults.For(Engine.Vllm, Device("nvidia-a100-sxm4-80gb"));
        yield return (cost, () => F($"the largest batch B ≤ min(KV room, {new SearchOptions().MaxBatch}) whose decode step"));
        yield return (cost, () => F($"{vllmSmall.MaxNumSeqs} is `SearchOptions.MaxBatch`, the library's default for a caller that names no engine cap: vLLM's default `max_num_seqs` on devices under {SchedulerDefaults.VllmLargeMemoryGib} GiB and on A100s"));
        yield return (cost, () => F($"logarithmic grid ({SourceConstant(@"int gridPoints = (\d+)", "src", "Suanli", "Cost", "BreakEven.cs")} points)"));
        yield return (cost, () => F($"({CompareRun.DefaultTop} unless given, 1 to {CompareRun.MaxTop})"));
        yield return (cost, () => F($"At most {CompareRun.MaxTop} are shown ({CompareRun.MaxTop * (CompareRun.MaxTop - 1) / 2:N0} pairs)"));
        yield return (cost, () => $"`--prefix-hit-rate H` (0 to 1, default {Options("compare")["prefix-hit-rate"]};");
        yield return (cost, () => $"Defaults `--tpot-p90 {Options("compare")["tpot-p90"]}` s and `--ttft-p90 {Options("compare")["ttft-p90"]}` s are planning assumptions");
        yield return (cost, () => F($"{SimulatedReplicaCapacity.RequestsPerProbe} requests per probe (the plan's, `SimulatedReplicaCapacity.RequestsPerProbe`"));
        yield return (cost, () => F($"of up to {AnalyticCapacityBound.BoundChunkTokens:N0} tokens (`BoundChunkTokens`, vLLM's default `max_num_batched_tokens` on large devices)"));
        yield return (cost, () => F($"(TensorRT-LLM's `max_batch_size` {SchedulerDefaults.For(Engine.TrtLlm, Device("nvidia-h100-sxm5-80gb")).MaxNumSeqs:N0}; llama.cpp's planned slots, up to its token budget), never less than {AnalyticCapacityBound.DefaultBatchLimit:N0}"));
        yield return (cost, () => F($"`ScenarioSearchOptions.DefaultBoundSlack` = **{ScenarioSearchOptions.DefaultBoundSlack}**"));
        yield return (cost, () => ReservedProviders("Reserved rent exists for four devices only (the H100: AWS's and Google Cloud's 1- and 3-year terms and a 1-year neocloud contract; the A100 40GB: Google Cloud's, and AWS China's and China Telecom Cloud's in CNY; the T4: AWS China's and China Telecom Cloud's; the Ascend 910B: China Telecom Cloud's)"));
        yield return (cost, () =>
        {
            var prices = Command("catalog", "prices");
            var rows = new[] { "purchase", "rent" }.Sum(t => prices.GetProperty(t).EnumerateArray().Count(r => (r.TryGetProperty("item", out var i) ? i : r.GetProperty("hardware")).GetString() == "kunlunxin-r200"));
            return rows == 0 ? "Kunlun R200 has no sourced purchase price or rent" : F($"Kunlun R200 now has {rows} purchase or rent rows");
        });
    }

    private static IEnumerable<(string Page, Func<string> Says)> ServingDefaultRows()
    {
        const string page = "docs/methodology-serving.md";
        var (h100, l40s, a100, cpu) = (Device("nvidia-h100-sxm5-80gb"), Device("nvidia-l40s"), Device("nvidia-a100-sxm4-80gb"), Device("intel-xeon-8480plus-spr"));
        SchedulerDefault Of(Engine e, Catalog.Device d, EntryPoint entry = EntryPoint.Server) => SchedulerDefaults.For(e, d, entry);
        yield return (page, () =>
        {
            var (server, offline) = (Of(Engine.Vllm, h100), Of(Engine.Vllm, h100, EntryPoint.Offline));
            return F($"| vLLM | {server.MaxNumSeqs:N0} | {server.MaxBatchedTokens:N0} (OpenAI server), {offline.MaxBatchedTokens:N0} (`LLM` class) | device memory of {SchedulerDefaults.VllmLargeMemoryGib} GiB or more and not an A100 |");
        });
        yield return (page, () =>
        {
            // The A100 80GB takes the small defaults although it has 80 GiB (vLLM PR #17885); the L40S by its memory.
            Assert.Equal(Of(Engine.Vllm, a100), Of(Engine.Vllm, l40s));
            var (server, offline) = (Of(Engine.Vllm, l40s), Of(Engine.Vllm, l40s, EntryPoint.Offline));
            return F($"| vLLM | {server.MaxNumSeqs} | {server.MaxBatchedTokens:N0} (server), {offline.MaxBatchedTokens:N0} (`LLM` class) | other GPUs |");
        });
        yield return (page, () =>
        {
            var (server, offline) = (Of(Engine.Vllm, cpu), Of(Engine.Vllm, cpu, EntryPoint.Offline));
            return F($"| vLLM | {server.MaxNumSeqs} (server), {offline.MaxNumSeqs} (`LLM` class) | {server.MaxBatchedTokens:N0} (server), {offline.MaxBatchedTokens:N0} (`LLM` class) | CPU backend, per rank");
        });
        yield return (page, () =>
        {
            var trt = Of(Engine.TrtLlm, h100);
            return F($"| TensorRT-LLM | {trt.MaxNumSeqs:N0} (`max_batch_size`) | {trt.MaxBatchedTokens:N0} (`max_num_tokens`, \"{trt.MaxBatchedTokens} by default since v0.11\") |");
        });
        yield return (page, () =>
        {
            int Chunk(double gib) => Of(Engine.Sglang, h100 with { Memory = Bytes.FromGibibytes(gib) }).MaxBatchedTokens;
            // Each step of the table at its lower edge and just below it.
            Assert.True(Chunk(20) > Chunk(19.99) && Chunk(60) > Chunk(59.99) && Chunk(160) > Chunk(159.99), "SGLang's chunk no longer steps at 20, 60 and 160 GiB");
            return F($"`chunked_prefill_size`: {Chunk(19.99):N0} under 20 GiB, {Chunk(59.99):N0} under 60 GiB, {Chunk(159.99):N0} under 160 GiB, {Chunk(160):N0} above");
        });
        var llama = Of(Engine.LlamaCpp, h100);
        yield return (page, () => F($"| llama.cpp | {llama.MaxNumSeqs} slots (`--parallel` -1 = auto) | {llama.MaxBatchedTokens:N0} (`-b`, logical; `-ub` 512 physical) |"));
        yield return (page, () => F($"| transformers | {Of(Engine.Transformers, h100).MaxNumSeqs} | vLLM's for the device"));
        yield return (page, () =>
        {
            var trt = Of(Engine.TrtLlm, h100);
            return F($"context tokens are added while `max_num_tokens` (default {trt.MaxBatchedTokens:N0}) and `max_batch_size` (default {trt.MaxNumSeqs:N0}) allow");
        });
        yield return (page, () => F($"| `n_batch` {llama.MaxBatchedTokens:N0} |"));
        yield return (page, () => F($"llama-server's {llama.MaxNumSeqs} default slots"));
        yield return (page, () => F($"at least 1 and at most `n_batch` ({llama.MaxBatchedTokens:N0}; `EngineConfig.Planned`)"));
        yield return (page, () => F($"A stated cap is a whole number (sequences 1 to {StatedCaps.MostSequences:N0}, tokens 1 to {StatedCaps.MostTokens:N0})"));
        var vllm = EngineConfig.Default(Engine.Vllm, h100);
        yield return (page, () => F($"| `block_size` | {vllm.BlockSize} tokens |"));
        yield return (page, () => F($"| `gpu_memory_utilization` | {vllm.GpuMemoryUtilization} of the device for vLLM, SGLang and TensorRT-LLM"));
        yield return (page, () => F($"{EngineConfig.ReserveFor(Engine.LlamaCpp).MemoryUtilization:0.0} for llama.cpp, which keeps no memory fraction"));
        yield return (page, () => F($"| watermark | {vllm.Watermark:0%} of blocks |"));
        yield return (page, () => F($"leaving a {vllm.Watermark:0%} watermark of blocks free (vLLM's block manager `watermark={vllm.Watermark}`)"));
        yield return (page, () => F($"When more than `MaxQueue` ({EngineConfig.DefaultMaxQueue:N0}) requests wait"));
        yield return (page, () => F($"Beyond {Quantiles.ExactLimit:N0} requests a log histogram"));
        var warmup = new Workload { Kind = ArrivalKind.Poisson }.WarmupFraction;
        yield return (page, () => F($"**Warm-up.** The first {warmup:0%} of requests (by arrival; with `simulate --duration`, those arriving in the first {warmup:0%} of the duration)"));
        yield return (page, () => F($"state after the warm-up (the first {warmup:0%} of requests or of the duration)"));
        yield return (page, () => F($"percentile their `--requests` (less the {warmup:0%} warm-up) cannot estimate"));
        yield return ("docs/cli.md", () => F($"`simulate --requests N --duration S` whose first {warmup:0%} of `S` (the warm-up)"));
        yield return (page, () => F($"The CLI's `capacity` keeps its {Workload.DefaultRequests:N0}-request default (the first {warmup:0%} of them warm-up)"));
        yield return (page, () => F($"it only if at least {Percentile.TailRequests} measured requests lie beyond it (`Percentile.TailRequests`)"));
        // The help of --*-percentile and --gpu-memory-utilization (en and zh) gives the same numbers as the page.
        const string help = "src/Suanli.Cli/help.yaml";
        yield return (help, () => F($"the window needs {Percentile.TailRequests} measured requests beyond it."));
        yield return (help, () => F($"模拟窗口在该百分位之外至少需要 {Percentile.TailRequests} 个计入统计的请求。"));
        yield return (help, () => F($"(default: the engine's, {vllm.GpuMemoryUtilization}; {EngineConfig.ReserveFor(Engine.LlamaCpp).MemoryUtilization:0.0} for llama.cpp, which keeps no memory fraction)"));
        yield return (help, () => F($"默认取引擎自身的值：{vllm.GpuMemoryUtilization}；llama.cpp 不预留显存比例，为 {EngineConfig.ReserveFor(Engine.LlamaCpp).MemoryUtilization:0.0}"));
        yield return (page, () => F($"`--requests N` (default {Workload.DefaultRequests:N0})"));
        yield return (page, () => $"S seconds (fixed, default {Options("simulate")["think-time"]}) after its last one completed");
        yield return (page, () => $"`--seed N` (default {Options("simulate")["seed"]})");
        yield return (page, () => F($"and the runtime context ({RuntimeReserve.Default.ContextPerDevice.InGibibytes:0} GiB)"));
        yield return (page, () => F($"(at most {SourceConstant(@"MaxBracketSteps = (\d+);", "src", "Suanli", "Serving", "CapacitySearch.cs")} times each)"));
        yield return (page, () => F($"within {(double.Parse(SourceConstant(@"Tolerance = ([\d.]+);", "src", "Suanli", "Serving", "CapacitySearch.cs"), Invariant) - 1) * 100:0}% (rate)"));
        yield return (page, () => F($"than {CapacitySearch.KeepUpFraction:0%} of the tokens the measured arrivals asked for"));
        // "Prediction API" and "Validation": the request counts of each kind of simulation, and the engine limits rows take.
        yield return (page, () => F($"| `Offline` | `concurrency` (default {ServingPrediction.DefaultOfflineRequests:N0}) requests all arriving at time 0"));
        yield return (page, () => F($"| `Concurrency` | closed loop of `concurrency` clients, max({Workload.DefaultRequests:N0}, 10 x concurrency) requests |"));
        yield return (page, () => F($"| `Rate` | Poisson at `rate`, {Workload.DefaultRequests:N0} requests |"));
        yield return (page, () => F($"else {Suanli.Validation.InferencePredictor.OfflineBatches} batches' worth of the KV-limited batch, {Suanli.Validation.InferencePredictor.MinOfflineRequests} to {Suanli.Validation.InferencePredictor.MaxOfflineRequests:N0} |"));
        yield return (page, () => F($"| concurrency | the stated count, else max({Suanli.Validation.InferencePredictor.MinClosedLoopRequests}, {Suanli.Validation.InferencePredictor.ClosedLoopRequestsPerClient} x clients) |"));
        yield return (page, () => F($"| rate | the stated count, else {Suanli.Validation.InferencePredictor.RateRequests} (the request count"));
        yield return (page, () => F($"| capacity | {Suanli.Validation.InferencePredictor.CapacityDuration.InSeconds:0} s of Poisson arrivals per probe"));
        yield return (page, () =>
        {
            var trt = Of(Engine.TrtLlm, h100);
            return F($"TensorRT-LLM `max_batch_size` {trt.MaxNumSeqs:N0} and `max_num_tokens` {trt.MaxBatchedTokens:N0}. Simulation sizes");
        });
        yield return (page, () => F($"up to {NumberWords[int.Parse(SourceConstant(@"\.Take\((\d+)\)\)", "src", "Suanli", "Serving", "CapacitySearch.cs"), Invariant)]} smaller catalog models"));
        yield return (page, () => F($"It holds at most {int.Parse(SourceConstant(@"MaxEntries = (\d+);", "src", "Suanli", "Serving", "CapacitySearchMemo.cs"), Invariant):N0} results per model"));
        // docs/catalog.md's bounds on a device file: the limits against the catalog's own extremes.
        var devices = CatalogFiles.Embedded.Devices;
        var fastest = devices.Max(d => d.Peak.Count == 0 ? 0 : d.Peak.Values.Max(r => r.Value));
        var slowestExp = devices.Where(d => d.ExpRate is not null).Min(d => d.ExpRate!.Rate.Value);
        yield return ("docs/catalog.md", () => F($"at most {Suanli.Catalog.Device.LargestPeak / 1e18:0} EFLOP/s (`Device.LargestPeak`), over {Math.Floor(Suanli.Catalog.Device.LargestPeak / fastest / 100) * 100:0} times the fastest catalog peak ({fastest / 1e15:0} PFLOP/s FP4"));
        yield return ("docs/catalog.md", () => F($"at least {ExponentialRate.SmallestRate / 1e9:0} Gexp/s (`ExponentialRate.SmallestRate`: one exponential a clock at 1 GHz, a thousandth of the slowest catalog device's {slowestExp / 1e12:0.000} Texp/s)"));
        var slowestPeak = devices.SelectMany(d => d.Peak.Values).Min(r => r.Value);
        var slowestMemory = devices.Min(d => d.MemoryBandwidth.Value);
        var slowestLink = devices.Where(d => d.Interconnect.Bandwidth is not null).Min(d => d.Interconnect.Bandwidth!.Value.Value);
        yield return ("docs/catalog.md", () => F($"1 GFLOP/s (`Device.SmallestPeak`: one operation a clock at 1 GHz, under a {Math.Floor(slowestPeak / Suanli.Catalog.Device.SmallestPeak / 10) * 10:0}th of the slowest catalog peak, {slowestPeak / 1e12:0.00} TFLOP/s FP32"));
        yield return ("docs/catalog.md", () => F($"under a {Math.Floor(slowestMemory / Suanli.Catalog.Device.SmallestMemoryBandwidth):0}th of the slowest catalog memory, the Snapdragon 8 Gen 3's {slowestMemory / 1e9:0.0} GB/s"));
        yield return ("docs/catalog.md", () => F($"a {slowestLink / Suanli.Catalog.Device.SmallestInterconnectBandwidth:0}nd of the slowest catalog link, NVIDIA T4's {slowestLink / 1e9:0} GB/s"));
    }

    private static IEnumerable<(string Page, Func<string> Says)> ModelAndPageDefaultRows()
    {
        var r = RuntimeReserve.Default;
        yield return ("docs/methodology.md", () => F($"Per device: {r.ContextPerDevice.InGibibytes:0} GiB for the CUDA context"));
        yield return ("docs/methodology.md", () => F($"of the device, {r.MemoryUtilization} by default (vLLM engine arguments); the remaining {1 - r.MemoryUtilization:0%} is reserve"));
        yield return ("docs/methodology.md", () => F($"without a device it takes {r.PrefillChunkTokens:N0} tokens (`RuntimeReserve.Default`)"));
        yield return ("docs/methodology.md", () => F($"`max_num_batched_tokens`: {EngineConfig.ReserveFor(Engine.Vllm, Device("nvidia-h100-sxm5-80gb")).PrefillChunkTokens:N0} for its server on an H100"));
        yield return ("docs/methodology.md", () => F($"(DeepSeek-V3: 61 x 576 x 2 = {KvAndState("deepseek-v3").PerToken:N0} B per token in BF16)"));
        yield return ("docs/methodology.md", () =>
        {
            var (perToken, state) = KvAndState("qwen3-next-80b-a3b");
            return F($"Qwen3-Next holds 36 x 1,097,728 B = {state / (1 << 20):0.0} MiB of state per sequence beside {perToken:N0} B per token on its 12 full layers");
        });
        yield return ("docs/methodology.md", () =>
        {
            var (perToken, state) = KvAndState("kimi-linear-48b-a3b");
            return F($"20 layers = {state / (1 << 20):0.0} MiB per sequence, beside 7 x 576 x 2 = {perToken:N0} B per token on its 7 MLA layers");
        });
        yield return ("docs/methodology.md", () =>
        {
            // Seed case C1: the fewest A100-80Gs that hold Qwen2-72B with a 32K context, and the fewest with tensor parallelism alone.
            var layouts = Command("memory", "--model", "qwen2-72b", "--context", "32k", "--hardware", "a100-80gb").GetProperty("layouts").EnumerateArray().ToList();
            var (fewest, tp) = (layouts.MinBy(l => l.GetProperty("devices").GetInt32()), layouts.Where(l => l.GetProperty("pp").GetInt32() == 1).MinBy(l => l.GetProperty("devices").GetInt32()));
            return F($"fits {fewest.GetProperty("devices").GetInt32()} x A100-80G only as PP={fewest.GetProperty("pp").GetInt32()} (64 heads do not divide over TP=3); TP needs {tp.GetProperty("devices").GetInt32()} devices");
        });
        yield return ("docs/methodology.md", () => F($"`moe:671b-a37b`; {GenericModel.MinParameters / 1e9:0.0}B to {GenericModel.MaxParameters / 1e12:0}T) build such a model"));
        yield return ("docs/methodology.md", () =>
            F($"the Llama 3 block: head width {GenericModel.HeadDim}, {GenericModel.KvHeads} KV heads (grouped-query attention), SwiGLU MLP of width {GenericModel.MlpRatio} x hidden")
            + F($" (Llama 3 8B 14,336 / 4,096; 70B 28,672 / 8,192), RMSNorm, a {GenericModel.Vocabulary:N0}-token vocabulary, untied embeddings, {GenericModel.Context:N0} tokens of context (Llama 3.1); - width about {GenericModel.AspectRatio} x depth"));
        const string steptime = "docs/methodology-steptime.md";
        yield return (steptime, () =>
        {
            // "Power-limited boards": the sustained share of each board below its die's flagship FLOP per joule.
            var (gh100, ga100) = (SustainedCompute.Dies[0], SustainedCompute.Dies[1]);
            var (pcie, nvl, a100Pcie) = (Device("nvidia-h100-pcie-80gb"), Device("nvidia-h100-nvl-94gb"), Device("nvidia-a100-pcie-80gb"));
            var pciePeak = pcie.PeakFor(ComputeType.Bf16)!.Value.InTeraflopPerSecond;
            return F($"{gh100.Name} (flagship H100 SXM5, {gh100.FlagshipWatts.InWatts:0} W, {gh100.FlagshipBf16.Value / 1e12:0} TFLOP/s BF16 dense: the H100 PCIe at {pcie.Tdp!.Value.InWatts:0} W sustains {pciePeak * SustainedCompute.Fraction(pcie):0.0} of its {pciePeak:0} TFLOP/s, {SustainedCompute.Fraction(pcie):0.0%}; ")
                + F($"the H100 NVL at {nvl.Tdp!.Value.InWatts:0} W {SustainedCompute.Fraction(nvl):0.0%};")
                + F($" H200, H800, GH200 and the 1,000 W H200 keep their peak) and {ga100.Name} (flagship A100 SXM4, {ga100.FlagshipWatts.InWatts:0} W, {ga100.FlagshipBf16.Value / 1e12:0} TFLOP/s: the A100 PCIe at {a100Pcie.Tdp!.Value.InWatts:0} W sustains {SustainedCompute.Fraction(a100Pcie):0%})");
        });
        yield return (steptime, () => F($"`sum (ln predicted - ln measured)^2 + {Suanli.Validation.Calibrator.PriorWeight} sum (theta - theta_0)^2` over the group's rows by Nelder-Mead (deterministic, at most {Suanli.Validation.Calibrator.MaxEvaluations:N0} evaluations)"));
        yield return (steptime, () => F($"with a pull of weight {Suanli.Validation.Calibrator.SubgroupShrinkWeight} per logit"));
        yield return (steptime, () =>
        {
            var (s, l, t) = (Suanli.Validation.Calibrator.Start(EngineClass.Serving), Suanli.Validation.Calibrator.Start(EngineClass.LlamaCpp), Suanli.Validation.Calibrator.Start(EngineClass.Transformers));
            // The sentence merges the values two classes share.
            Assert.Equal((l.MemoryEfficiency, l.CollectiveLatency, l.InterconnectEfficiency, s.StepOverhead), (t.MemoryEfficiency, t.CollectiveLatency, t.InterconnectEfficiency, l.StepOverhead));
            Assert.True(s.ComputeHalfRows == l.ComputeHalfRows && l.ComputeHalfRows == t.ComputeHalfRows && s.MemoryHalfBytes == l.MemoryHalfBytes && l.MemoryHalfBytes == t.MemoryHalfBytes);
            return F($"E_c {s.ComputeEfficiency} (serving), {l.ComputeEfficiency} (llama.cpp), {t.ComputeEfficiency} (transformers); E_m {s.MemoryEfficiency} / {l.MemoryEfficiency}; m_half {s.ComputeHalfRows} rows (one tensor-core tile of rows); b_half {s.MemoryHalfBytes.Value / 1e6:0} MB; ")
                + F($"step overhead {s.StepOverhead.InMilliseconds:0} ms (serving, llama.cpp), {t.StepOverhead.InMilliseconds:0} ms (transformers); layer overhead {s.LayerOverhead.InMicroseconds:0} us (CUDA graphs), {l.LayerOverhead.InMicroseconds:0} us (llama.cpp), {t.LayerOverhead.InMicroseconds:0} us (eager PyTorch); ")
                + F($"all-reduce latency {s.CollectiveLatency.InMicroseconds:0} us (serving), {l.CollectiveLatency.InMicroseconds:0} us; eta {s.InterconnectEfficiency} / {l.InterconnectEfficiency}.");
        });
        const string training = "docs/methodology-training.md";
        yield return (training, () => F($"Usable memory: {TrainingMemory.UsableFraction * 100:0} % of the device (the same reserve as the serving footprint) and {TrainingMemory.ContextPerDevice.InGibibytes:0} GiB of CUDA context."));
        yield return (training, () =>
        {
            string Kw(string id)
            {
                var server = Command("catalog", "servers").GetProperty("servers").EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);
                return F($"{server.GetProperty("powerWatts").GetDouble() / 1000:0.0} kW");
            }
            return $"DGX A100 {Kw("dgx-a100")}, DGX H100 {Kw("dgx-h100")} per 8 GPUs";
        });
        yield return (training, () => $"PUE default {Options("train")["pue"]}, the default of every command");
        yield return (training, () => F($"sizes budgets from {ComputeOptimal.MinBudget:0e0} to {ComputeOptimal.MaxBudget:0e0} FLOPs only"));
        yield return (training, () => F($"`--params` is taken from {ComputeOptimal.MinParameters:0e0} to {ComputeOptimal.MaxParameters:0e0} and `--tokens` from {ComputeOptimal.MinTokens:0e0} to {ComputeOptimal.MaxTokens:0e0}"));
        const string intervals = "docs/methodology-intervals.md";
        yield return (intervals, () => F($"The ends exist only from n = {PredictionIntervals.MinRows} (then the smallest and largest residual), so a class needs {PredictionIntervals.MinRows} rows"));
        yield return (intervals, () => F($"rows whose classes have only {PredictionIntervals.MinRows} rows cannot be checked this way ({PredictionIntervals.MinRows - 1} others are too few)"));
        yield return ("docs/performance.md", () => F($"Decode-only steps now index pages of {StepTimeCache.DecodePageContexts} consecutive mean contexts"));
        yield return ("docs/performance.md", () => F($"steps with prefill keep a table of {StepTimeCache.MaxPrefillEntries:N0} entries"));
        yield return ("docs/catalog.md", () =>
        {
            var tallest = CatalogFiles.Embedded.Servers.MaxBy(x => x.HeightU)!;
            return F($"A server's `height_u` is 1 to {Catalog.Server.MaxHeightU} rack units: {Catalog.Server.MaxHeightU / Rack.MaxHeightU} racks of {Rack.MaxHeightU}U, the tallest rack a scenario may set")
                + F($" (`rack.height_u`, docs/scenario.md; the industry-standard rack is {Rack.Default.HeightU}U, https://en.wikipedia.org/wiki/19-inch_rack). The tallest node in the catalog, `{tallest.Id}`, spans {tallest.HeightU / Rack.Default.HeightU} racks ({tallest.HeightU}U")
                + F($", catalog/hardware/servers.yaml). `devices_per_node` is 1 to {Catalog.Server.MaxDevicesPerNode:N0}.");
        });
        yield return ("docs/web.md", () =>
        {
            int Constant(string file, string name) => int.Parse(SourceConstant($@"export const {name} = (\d+);", "src", "Suanli.Web", "wwwroot", "js", file), Invariant);
            return $"frontier, at most {NumberWords[Constant("search.js", "TOP_SHOWN")]} in all ({NumberWords[Constant("search.js", "TOP_SHOWN_EACH")]} per application when the scenario has several)";
        });
        yield return ("docs/web.md", () => $"long operations (429) is asked again after its `Retry-After`, up to {NumberWords[int.Parse(SourceConstant(@"export const BUSY_RETRIES = (\d+);", "src", "Suanli.Web", "wwwroot", "js", "api.js"), Invariant)]} times");
        yield return ("docs/web.md", () =>
        {
            var sweep = SourceConstant(@"export const SWEEP = '([\d,]+)';", "src", "Suanli.Web", "wwwroot", "js", "state.js").Split(',');
            return $"`/api/perf`, batches {sweep[0]}–{sweep[^1]} plus the page's concurrent sequences";
        });
        yield return ("docs/web.md", () => $"text length ({SourceConstant(@"MaxTextLength = (\d+);", "src", "Suanli.Web", "Http", "Inputs.cs")} characters)");
        yield return ("docs/web.md", () => F($"list fields take at most {int.Parse(SourceConstant(@"MaxListLength = (\d+);", "src", "Suanli.Web", "Http", "Inputs.cs"), Invariant):N0} characters anyway"));
        yield return ("docs/web.md", () => F($"scenario nested more than {YamlMap.MaxDepth} deep (aliases counted as what they stand for), aliases expanding to over {YamlMap.MaxAliasValues:N0} values"));
        yield return ("docs/web.md", () => F($"nesting over {YamlMap.MaxDepth} levels"));
    }

    private static IEnumerable<(string Page, Func<string> Says)> DefaultRows() =>
        FleetAndCostDefaultRows().Concat(ServingDefaultRows()).Concat(ModelAndPageDefaultRows());

    /// <summary>
    /// Where the pages say two constants are one number (the bound's chunk is vLLM's budget, the training memory keeps the
    /// serving footprint's reserve, the bound's batch floor is vLLM's large-device cap), the constants agree.
    /// </summary>
    [Fact]
    public void The_constants_the_pages_call_one_number_agree()
    {
        var h100 = Device("nvidia-h100-sxm5-80gb");
        var vllm = SchedulerDefaults.For(Engine.Vllm, h100);
        Assert.Equal(AnalyticCapacityBound.BoundChunkTokens, vllm.MaxBatchedTokens);
        Assert.Equal(AnalyticCapacityBound.DefaultBatchLimit, vllm.MaxNumSeqs);
        Assert.Equal(SchedulerDefaults.For(Engine.Vllm, Device("nvidia-l40s")).MaxNumSeqs, new SearchOptions().MaxBatch);
        Assert.Equal(TrainingMemory.UsableFraction, RuntimeReserve.Default.MemoryUtilization);
        Assert.Equal(RuntimeReserve.Default.ContextPerDevice, TrainingMemory.ContextPerDevice);
        Assert.Equal(RuntimeReserve.Default.MemoryUtilization, EngineConfig.Default(Engine.Vllm, h100).GpuMemoryUtilization);
        Assert.Equal(SimulatedReplicaCapacity.RequestsPerProbe, ScenarioSearchOptions.DefaultRequestsPerProbe);
        Assert.Equal(ElectricityDefaults.Pue.ToString(Invariant), Options("train")["pue"]);
        Assert.Equal(EngineConfig.Default(Engine.Vllm, h100).BlockSize.ToString(Invariant), Options("simulate")["block-size"]);
        Assert.Equal(Workload.DefaultRequests, new Workload { Kind = ArrivalKind.Poisson }.Requests);
    }

    [GeneratedRegex(@"(\w+): '([^']*)'")]
    private static partial Regex PageDefault();

    /// <summary>docs/web.md's list of the page's defaults is state.js's <c>DEFAULTS</c>.</summary>
    [Fact]
    public void The_page_defaults_docs_web_md_lists_are_the_scripts()
    {
        var js = Read("src", "Suanli.Web", "wwwroot", "js", "state.js");
        var start = js.IndexOf("export const DEFAULTS = {", StringComparison.Ordinal);
        var d = PageDefault().Matches(js[start..js.IndexOf("};", start, StringComparison.Ordinal)]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var expected = F($"Inputs with defaults: model `{d["model"]}`, its released checkpoint's precision (bf16; fp8 for DeepSeek-V3), KV as the weights, {d["devices"]} × `{d["hardware"]}`, prompt {int.Parse(d["prompt"], Invariant):N0} + output {d["output"]} tokens, {d["batch"]} concurrent sequences; service over the day: {d["peak"]} concurrent requests at the peak, {d["profile"]} profile, TTFT p90 {d["ttft"]} s, TPOT p90 {d["tpot"]} s; cost and choice: API `{d["api"]}`, candidate models `{d["candidates"]}`");
        Assert.Contains(expected, Regex.Replace(Read("docs", "web.md"), @"\s+", " "), StringComparison.Ordinal);
    }
}

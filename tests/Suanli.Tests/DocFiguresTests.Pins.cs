using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table: the closed-loop prefill times of methodology-serving.md (the <c>simulate</c> command
/// the page names; the web test ClosedLoopWebTests checks <c>/api/simulate</c> answers the same), and worked examples of
/// the methodology pages that a library call produces (the exponentials of a long prompt's attention, the rent-term
/// example, the time-zone shifts, the generic shape rule's widths, MLA's cache per token).
/// </summary>
public sealed partial class DocFiguresTests
{
    /// <summary>The <c>simulate</c> arguments of the closed-loop example, DeepSeek-V3.2 on 8 x Ascend 910C as the example plans it.</summary>
    internal static string[] ClosedLoopArgs(int clients) =>
        ["simulate", "--model", "deepseek-v3.2", "--precision", "fp8", "--hardware", "huawei-ascend-910c", "--system-devices", "8", "--tp", "1", "--dp-attention", "8",
            "--input", "24576", "--output", "256", "--requests", "100", "--concurrency", clients.ToString(Invariant)];

    private static double ClosedLoopTtft(int clients) =>
        Command(ClosedLoopArgs(clients)).GetProperty("latency").GetProperty("ttft").GetProperty("p90").GetDouble();

    /// <summary>The attention operator of one step of a deployment under ideal curves (SoftmaxExponentialTests' setting).</summary>
    private static OperatorCost IdealAttention(string model, string device, int tp, NumberFormat weights, StepShape shape)
    {
        var m = CatalogFiles.Embedded.Model(model);
        var d = new Deployment(m, CatalogFiles.Embedded.Device(device), Layouts.Make(m.Architecture, tp, 1), weights, NumberFormat.Fp8, Engine.TrtLlm);
        return new PreparedStep(d, StepTimeParameters.Ideal).Operators(shape).Single(o => o.Kind == OperatorKind.Attention);
    }

    private static string ExponentialsOfALongPrompt()
    {
        // A 1,536-token chunk of Llama-3.1-405B over 8,192 cached tokens on 2 x B200, FP4 products.
        var a = IdealAttention("meta-llama/Llama-3.1-405B-Instruct", "nvidia-b200-sxm", 2, NumberFormat.Fp4, new StepShape(1536, 8192, 0, 0));
        var fp4 = CatalogFiles.Embedded.Device("nvidia-b200-sxm").PeakFor(ComputeType.Fp4)!.Value.Value;
        var m = CatalogFiles.Embedded.Model("meta-llama/Llama-3.1-405B-Instruct").Architecture;
        // Each of the chunk's tokens attends to the 8,192 cached entries and on average half the chunk.
        double scores = (double)m.Layers * (m.Heads / 2) * 1536 * (8192 + 1536 / 2);
        return F($"on 2 x B200 has {m.Layers} x {m.Heads / 2} x 1,536 x 8,960 = {scores:N0} scores per device, {a.ComputeTime.Value * 1e3:0.000} ms of exponentials against {a.Flop.Value / fp4 * 1e3:0.00} ms of FP4 products");
    }

    private static string RentTermExample()
    {
        var source = new Provenance("test", new DateOnly(2026, 12, 1));
        var onDemand = new RentPrice("A", "h100", new Money(2.00m, Currency.Usd), RentTerm.OnDemand, source);
        var oneYear = new RentPrice("B", "h100", new Money(1.20m, Currency.Usd), RentTerm.Reserved1Y, source);
        // 2 devices all day and 6 for 8 hours.
        const int PeakHours = 8;
        int[] fleet = [.. Enumerable.Repeat(2, 24 - PeakHours), .. Enumerable.Repeat(6, PeakHours)];
        decimal Month(params RentPrice[] prices) => RentChoice.Cheapest(fleet, prices)!.PerMonth.Amount;
        var mix = RentChoice.Cheapest(fleet, [onDemand, oneYear])!;
        var reserved = CostModel.Rent("mixed", mix, new MonthlyVolume(1_000_000, 500, 200)).Lines[0].PerMonth.Amount;
        var (od, oy) = (onDemand.PerDeviceHour.Amount, oneYear.PerDeviceHour.Amount);
        return F($"2 devices all day and 6 for {PeakHours} hours, on demand {od:0.00} and 1-year {oy:0.00} USD (break-even {RentChoice.BreakEvenHoursPerDay(oneYear, onDemand):0.#} h): all on demand {fleet.Sum()} device-hours a day x 365/12 x {od:0.00} = {Month(onDemand):N2} USD, all reserved {mix.PeakDevices} x {CostCalendar.HoursPerMonth:0} x {oy:0.00} = {Month(oneYear):N2}, {mix.ReservedDevices} reserved + the peak on demand {reserved:N2} + {fleet.Sum(d => d - mix.ReservedDevices)} x 365/12 x {od:0.00} = {mix.PerMonth.Amount:N2} (chosen)");
    }

    private static string ZoneShiftExample()
    {
        var (january, july) = (new DateOnly(2026, 1, 15), new DateOnly(2026, 7, 15));
        double Hours(string zone, DateOnly date) => ZoneShifts.Offset(zone, date)!.Value.TotalHours;
        double Shift(DateOnly date) => Hours("Europe/London", date) - Hours("Asia/Shanghai", date);
        return F($"Europe/London is {Hours("Europe/London", january):+0;-0;+0} in January and {Hours("Europe/London", july):+0;-0;+0} in July, and a London application on an Asia/Shanghai fleet is shifted by {Shift(january):+0;-0;+0} h in January and {Shift(july):+0;-0;+0} h in July");
    }

    private static string GenericShapeWidths()
    {
        ModelArchitecture A(string id) => CatalogFiles.Embedded.Model(id).Architecture;
        var (gpt3, l7, l13, l405) = (A("gpt-3-175b"), A("llama-2-7b"), A("llama-2-13b"), A("llama-3.1-405b"));
        return F($"width about 128 x depth: GPT-3 175B {gpt3.HiddenSize:N0} / {gpt3.Layers} = 128, Llama 2 7B {l7.HiddenSize:N0} / {l7.Layers} = 128, Llama 2 13B {l13.HiddenSize:N0} / {l13.Layers} = 128, Llama 3.1 405B {l405.HiddenSize:N0} / {l405.Layers} = 130");
    }

    private static string Gemma4FullLayers()
    {
        var a = CatalogFiles.Embedded.Model("gemma-4-31b").Architecture;
        return F($"Gemma 4 31B caches 2 x {a.KvHeads} x {a.HeadDim} x 2 B per token on its {a.CachedWindowLayers} windowed layers (for at most {a.Window!.Length:N0} tokens) and 2 x {a.FullKvHeads} x {a.FullHeadDim} x 2 B on its {a.CachedFullLayers} full layers, which attend with 4 x {a.Heads} x {a.FullHeadDim} FLOP per cached token");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"routed experts ([\d.]+) B x 4\.25 bits \(mxfp4\) \+ the other ([\d.]+) B parameters in bf16")]
    private static partial System.Text.RegularExpressions.Regex MixedWeightsParts();

    /// <summary>gpt-oss-120b's weights row as <c>suanli memory</c> splits it: routed experts in MXFP4, the rest in BF16.</summary>
    private static string MixedWeightsFigures()
    {
        var m = MixedWeightsParts().Match(MixedWeights());
        var (experts, rest) = (double.Parse(m.Groups[1].Value, Invariant), double.Parse(m.Groups[2].Value, Invariant));
        return F($"(\"routed experts {experts:0.00} B x 4.25 bits (mxfp4) + the other {rest:0.00} B parameters in bf16\")");
    }

    /// <summary>A catalog device's exponentials per second, in T/s.</summary>
    private static double ExpRate(string device) => CatalogFiles.Embedded.Device(device).ExpRate!.Rate.Value / 1e12;

    private static IEnumerable<(string Page, Func<string> Says)> PinRows()
    {
        yield return ("docs/methodology-fleet.md", () =>
            F($"`peak_rate` = requests a day / ({UserDemand.SecondsPerDay:N0} s x mean(profile)), so that the 24 hourly loads `peak_rate x profile[h] x {UserDemand.SecondsPerDay / 24:N0} s` add up to the requests a day"));
        yield return ("docs/methodology-fleet.md", () =>
        {
            var server = Command("catalog", "servers").GetProperty("servers").EnumerateArray().Single(x => x.GetProperty("id").GetString() == "hgx-h20-8gpu");
            var device = Command("catalog", "hardware").GetProperty("devices").EnumerateArray().Single(x => x.GetProperty("id").GetString() == server.GetProperty("device").GetString());
            return F($"whose weights fill more than one {server.GetProperty("devicesPerNode").GetInt32()} x {device.GetProperty("memoryBytes").GetDouble() / 1e9:0} GB HGX H20 server");
        });
        yield return ("docs/methodology-steptime.md", () =>
            F($"x 16 = {ExpRate("nvidia-h100-pcie-80gb"):0.000} T/s, the H100 NVL and H200 NVL 132 x 1.545 GHz x 16 = {ExpRate("nvidia-h100-nvl-94gb"):0.000}, the H800 and GH200 {ExpRate("nvidia-h800-sxm5-80gb"):0.000}."));
        yield return ("docs/methodology-steptime.md", () =>
        {
            var fp8 = CatalogFiles.Embedded.Device("nvidia-h20-96gb").PeakFor(ComputeType.Fp8)!.Value.Value / 1e12;
            // 4 x 128 FLOP per score: each score is one exponential.
            return F($"as the H100 SXM5's 1.83 GHz ({ExpRate("nvidia-h20-96gb"):0.000} T/s, confidence low); its {fp8:0} TFLOP/s FP8 products need {fp8 / (4 * 128):0.00} T exponentials per second");
        });
        yield return ("docs/methodology.md", () =>
            F($"= 5,316,608 B per Mamba layer, {MemoryModel.ConstantStatePerSequence(CatalogFiles.Embedded.Model("nemotron-nano-9b-v2").Architecture).InMebibytes:0.0} MiB per sequence, beside {KvKibPerToken("nemotron-nano-9b-v2"):0} KiB per token on its 4 attention layers"));
        yield return ("docs/methodology.md", Gemma4FullLayers);
        yield return ("docs/methodology.md", MixedWeightsFigures);
        yield return ("docs/methodology-serving.md", () => F($"Within {Planner.TieFactor - 1:0.##%} the earlier candidate wins, as in `plan`"));
        yield return ("docs/methodology-serving.md", () =>
            F($"prefills one prompt alone in {ClosedLoopTtft(1):0.00} s but two together in {ClosedLoopTtft(2):0.00} s (TTFT p90 of `suanli simulate"));
        yield return ("docs/methodology-serving.md", () =>
        {
            var run = Command(ClosedLoopArgs(2));
            var (inputs, layout) = (run.GetProperty("inputs"), run.GetProperty("system").GetProperty("layout"));
            return F($"DeepSeek-V3.2 on {inputs.GetProperty("devices").GetInt32()} x Ascend 910C (DP-attention {layout.GetProperty("attentionDp").GetInt32()} x EP {layout.GetProperty("ep").GetInt32()}, vLLM) with {int.Parse(inputs.GetProperty("input").GetString()!, Invariant):N0}-token prompts and {inputs.GetProperty("output").GetString()} out prefills");
        });
        yield return ("docs/methodology-serving.md", () => F($"so two clients started together saw a {ClosedLoopTtft(2):0.00} s TTFT on every request"));
        yield return ("docs/methodology-steptime.md", ExponentialsOfALongPrompt);
        yield return ("docs/methodology-steptime.md", () => F($"MI300X 0.6364 (catalog peak {CatalogFiles.Embedded.Device("amd-mi300x").PeakFor(ComputeType.Bf16)!.Value.Value / 1e12:N1})"));
        yield return ("docs/methodology-cost.md", RentTermExample);
        yield return ("docs/methodology-fleet.md", ZoneShiftExample);
        yield return ("docs/methodology.md", GenericShapeWidths);
        yield return ("docs/methodology.md", () =>
            F($"(DeepSeek-V3: {CatalogFiles.Embedded.Model("deepseek-v3").Architecture.Layers} x {CatalogFiles.Embedded.Model("deepseek-v3").Architecture.Mla!.KvLoraRank + CatalogFiles.Embedded.Model("deepseek-v3").Architecture.Mla!.QkRopeHeadDim} x 2 = {Command("memory", "--model", "deepseek-v3", "--kv-precision", "bf16").GetProperty("kvCacheBytesPerToken").GetDouble():N0} B per token in BF16)"));
        foreach (var row in RecomputedRows())
        {
            yield return row;
        }
    }
}

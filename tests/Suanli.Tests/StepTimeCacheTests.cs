using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class StepTimeCacheTests
{
    /// <summary>
    /// A step-time model whose time tells its shape apart: 1 s plus 52 bits of a mix of the five shape fields, so a value
    /// read from the wrong slot of a cache differs from the right one (two shapes share a time with odds of 2^-52).
    /// </summary>
    private sealed class ShapePrint : IStepTimeModel
    {
        public long Calls { get; private set; }

        public static double Seconds(StepShape s)
        {
            var h = 0x9E3779B97F4A7C15UL;
            foreach (var v in new[] { (ulong)s.PrefillTokens, (ulong)s.PrefillContext, (ulong)s.DecodeSequences, (ulong)s.DecodeContext, (ulong)s.DecodeQueryLength })
            {
                h = unchecked((h ^ v) * 0xBF58476D1CE4E5B9UL);
                h ^= h >> 31;
            }
            return 1 + (h >> 12) * Math.Pow(2, -52);
        }

        public StepEstimate Estimate(Deployment deployment, StepShape shape)
        {
            Calls++;
            var t = Duration.FromSeconds(Seconds(shape));
            return new StepEstimate(t, t, Duration.Zero, Duration.Zero, Duration.Zero, Bottleneck.Overhead, Flop.FromFlop(0), Bytes.Zero);
        }
    }

    [Fact]
    public void A_repeated_shape_is_served_without_calling_the_model_and_contexts_are_rounded_means()
    {
        var model = new ShapePrint();
        var cache = new StepTimeCache(ServingSimulatorTests.Replica(), model);
        // Decode-only: 4 sequences with contexts summing to 400, 401 (mean 100.25) and 402 (100.5, half to even) are one
        // shape at context 100; 406 (101.5) rounds to 102.
        Assert.Equal(ShapePrint.Seconds(StepShape.Decode(4, 100)), cache.Seconds(0, 0, 4, 400));
        Assert.Equal(ShapePrint.Seconds(StepShape.Decode(4, 100)), cache.Seconds(0, 0, 4, 401));
        Assert.Equal(ShapePrint.Seconds(StepShape.Decode(4, 100)), cache.Seconds(0, 0, 4, 402));
        Assert.Equal(1, cache.Misses);
        Assert.Equal(ShapePrint.Seconds(StepShape.Decode(4, 102)), cache.Seconds(0, 0, 4, 406));
        Assert.Equal(2, cache.Misses);
        // With prefill: 100 prompt tokens, 50 of them after 10 cached tokens (prefill context sum 500, mean 5).
        Assert.Equal(ShapePrint.Seconds(new StepShape(100, 5, 4, 100)), cache.Seconds(100, 500, 4, 400));
        Assert.Equal(ShapePrint.Seconds(new StepShape(100, 5, 4, 100)), cache.Seconds(100, 500, 4, 400));
        Assert.Equal(3, cache.Misses);
        Assert.Equal(3, model.Calls);
    }

    [Fact]
    public void Every_lookup_is_exactly_the_models_time_through_hits_misses_and_clears_of_both_tables()
    {
        var model = new ShapePrint();
        var cache = new StepTimeCache(ServingSimulatorTests.Replica(), model);
        var rng = new Random(11);
        var distinct = new HashSet<StepShape>();
        var wrong = 0;
        const int Lookups = 300_000;
        for (var i = 0; i < Lookups; i++)
        {
            // Half the lookups come from a small pool of shapes (hits), half from a range wide enough to fill both
            // tables past their bounds: decode counts to 2,048 at contexts to 10^6 (pages), prompts to 16,384 tokens.
            var pool = rng.Next(2) == 0;
            var withPrefill = rng.Next(3) == 0;
            var prefill = withPrefill ? (pool ? 512 : rng.Next(1, 16_385)) : 0;
            var prefillMean = withPrefill && !pool ? rng.Next(0, 100_000) : 0;
            var decodes = pool ? rng.Next(withPrefill ? 0 : 1, 9) : rng.Next(withPrefill ? 0 : 1, 2_049);
            var decodeMean = decodes == 0 ? 0 : pool ? rng.Next(1_000, withPrefill ? 1_004 : 1_100) : rng.Next(1, 1_000_001);
            // Sums whose means round to the drawn means (a remainder below half of the count).
            var prefillSum = (double)prefill * prefillMean + (prefill == 0 ? 0 : rng.Next(0, (prefill + 1) / 2));
            var decodeSum = (double)decodes * decodeMean + (decodes == 0 ? 0 : rng.Next(0, (decodes + 1) / 2));
            var shape = new StepShape(prefill, prefillMean, decodes, decodeMean);
            distinct.Add(shape);
            if (cache.Seconds(prefill, prefillSum, decodes, decodeSum) != ShapePrint.Seconds(shape))
            {
                wrong++;
            }
        }
        Assert.Equal(0, wrong);
        // Hits happened (fewer model calls than lookups), and so did clears (some shape was computed twice).
        Assert.True(cache.Misses < Lookups - 100_000, $"{cache.Misses} misses in {Lookups} lookups");
        Assert.True(cache.Misses > distinct.Count, $"{cache.Misses} misses for {distinct.Count} distinct shapes");
        Assert.Equal(cache.Misses, model.Calls);
    }

    [Fact]
    public void With_speculation_both_tables_hold_the_verify_step_plus_k_draft_passes()
    {
        var d = ServingSimulatorTests.Replica();
        var model = new ShapePrint();
        var spec = Speculation.Create(SpeculationKind.Eagle, 4, 0.7, d.Model);
        var cache = new StepTimeCache(d, model, spec);
        // 8 sequences at context 1,000 verify 5 query tokens each, after 4 EAGLE draft passes.
        var decodeOnly = ShapePrint.Seconds(new StepShape(0, 0, 8, 1000, 5)) + 4 * SpeculativeDecoding.DraftPass(model, d, spec, 8, 1000).Value;
        var mixed = ShapePrint.Seconds(new StepShape(256, 0, 8, 1000, 5)) + 4 * SpeculativeDecoding.DraftPass(model, d, spec, 8, 1000).Value;
        Assert.Equal(decodeOnly, cache.Seconds(0, 0, 8, 8000));
        Assert.Equal(mixed, cache.Seconds(256, 0, 8, 8000));
        Assert.Equal(decodeOnly, cache.Seconds(0, 0, 8, 8000));
        Assert.Equal(mixed, cache.Seconds(256, 0, 8, 8000));
        Assert.Equal(2, cache.Misses);
    }
}

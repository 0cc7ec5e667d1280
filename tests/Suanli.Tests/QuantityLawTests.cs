using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

public class QuantityLawTests
{
    [Fact]
    public void Decimal_and_binary_prefixes_are_different_units()
    {
        Assert.Equal(1e9, Bytes.FromGigabytes(1).Value);
        Assert.Equal(1073741824.0, Bytes.FromGibibytes(1).Value);
        Assert.Equal(85.899345920, Bytes.FromGibibytes(80).InGigabytes, 9);
    }

    [Property(MaxTest = 200)]
    public Property Bytes_round_trip_through_every_prefix() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 1_000_000)), n =>
        {
            var b = Bytes.FromBytes(n * 1000.0);
            return Math.Abs(Bytes.FromGibibytes(b.InGibibytes).Value - b.Value) < 1e-6 * Math.Max(1, b.Value)
                && Math.Abs(Bytes.FromGigabytes(b.InGigabytes).Value - b.Value) < 1e-6 * Math.Max(1, b.Value);
        });

    [Property(MaxTest = 200)]
    public Property Moving_data_at_a_rate_for_the_time_it_takes_gives_the_data_back() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 1_000_000)), Arb.From(Gen.Choose(1, 10_000)), (mb, gbps) =>
        {
            var data = Bytes.FromMegabytes(mb);
            var rate = ByteRate.FromGigabytesPerSecond(gbps);
            var back = rate * (data / rate);
            return Math.Abs(back.Value - data.Value) <= 1e-9 * data.Value;
        });

    [Property(MaxTest = 200)]
    public Property Arithmetic_at_a_rate_for_a_time_is_rate_times_time() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 100_000)), Arb.From(Gen.Choose(1, 3600)), (tflops, seconds) =>
        {
            var work = FlopRate.FromTeraflopPerSecond(tflops) * Duration.FromSeconds(seconds);
            return Math.Abs(work.InTeraflop - (double)tflops * seconds) < 1e-6 * tflops * seconds;
        });

    [Property(MaxTest = 100)]
    public Property Addition_of_bytes_is_commutative_and_monotone() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), Arb.From(Gen.Choose(0, int.MaxValue)), (a, b) =>
        {
            var x = Bytes.FromBytes(a);
            var y = Bytes.FromBytes(b);
            return x + y == y + x && x + y >= x;
        });

    [Fact]
    public void Energy_is_power_times_time_and_gpt3_compute_is_about_3640_petaflop_days()
    {
        Assert.Equal(1.0, (Power.FromKilowatts(1) * Duration.FromHours(1)).InKilowattHours, 12);
        var gpt3 = Flop.FromFlop(6 * 175e9 * 300e9);
        Assert.InRange(gpt3.InPetaflopDays, 3645, 3647);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.0)]
    public void Factories_reject_nan_infinity_and_negative_sizes(double bad)
    {
        var ex = Assert.Throws<InputException>(() => Bytes.FromGigabytes(bad));
        Assert.Contains("bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Money_refuses_to_mix_currencies_without_a_rate()
    {
        var usd = new Money(10m, Currency.Usd);
        var cny = new Money(72m, Currency.Cny);
        Assert.Throws<InvalidOperationException>(() => usd + cny);
        var rate = new ExchangeRate(Currency.Usd, Currency.Cny, 7.2m, new DateOnly(2025, 2, 1), "test");
        Assert.Equal(cny, rate.Convert(usd));
        Assert.Equal(usd, rate.Convert(cny));
    }

    [Fact]
    public void Money_sums_are_exact_decimals()
    {
        var sum = Money.Zero(Currency.Usd);
        for (var i = 0; i < 10; i++)
        {
            sum += new Money(0.1m, Currency.Usd);
        }
        Assert.Equal(1.0m, sum.Amount);
    }

    [Theory]
    [InlineData("80 GiB", 85899345920.0)]
    [InlineData("80 GB", 80e9)]
    [InlineData("512 MiB", 536870912.0)]
    public void Quantity_text_reads_the_unit_it_is_written_in(string text, double bytes) =>
        Assert.Equal(bytes, QuantityText.ParseBytes(text, "memory").Value);

    [Theory]
    [InlineData("80", "needs a number and a unit")]
    [InlineData("80 GX", "not bytes")]
    [InlineData("-5 GB", "negative")]
    public void Quantity_text_errors_name_the_field_and_the_fix(string text, string expected)
    {
        var ex = Assert.Throws<InputException>(() => QuantityText.ParseBytes(text, "memory"));
        Assert.Contains("memory", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rates_parse_decimal_prefixes_per_second()
    {
        Assert.Equal(3.35e12, QuantityText.ParseByteRate("3350 GB/s", "bw").Value);
        Assert.Equal(989e12, QuantityText.ParseFlopRate("989 TFLOP/s", "peak").Value);
        Assert.Equal(10200, QuantityText.ParsePower("10.2 kW", "power").Value, 9);
        Assert.Equal(new Money(0.65m, Currency.Cny), QuantityText.ParseTariff("0.65 CNY/kWh", "tariff"));
    }
}

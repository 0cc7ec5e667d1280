using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Cost;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <c>suanli compare</c> shows the cheapest <c>--top</c> options (10 unless given) and pairs only these for break-even:
/// before, every pair of every option was printed, tens of MB for every model on every device.
/// </summary>
public class CompareBoundTests
{
    // Option i costs 100 x (i + 1) USD a month plus (n - i) cents per request: the fixed costs rise as the per-request
    // prices fall, so every pair crosses once between 1 and 10^12 requests a month (at 10,000 requests a month).
    private static string[] Crossing(int n) => [.. Enumerable.Range(0, n).SelectMany(i => new[] { "--custom", $"option {i};monthly={100 * (i + 1)} USD;per-request={(n - i) / 100m} USD" })];

    private static string[] Compare(params string[] more) => ["compare", "--requests-per-month", "10000", "--range", "1:1e12", "--today", "2026-01-15", .. more];

    // What the command printed: JSON on stdout, tables on the console.
    private static string Run(params string[] args)
    {
        var (code, output, err, console) = CliTests.Run(args);
        Assert.True(code == 0, err);
        return output + console;
    }

    [Theory]
    [InlineData("json")]
    [InlineData("table")]
    public void The_compare_output_grows_at_most_linearly_with_the_options_named(string format)
    {
        var small = Run(Compare([.. Crossing(20), "--format", format])).Length;
        Assert.True(small > 5_000, $"{small} characters");
        var large = Run(Compare([.. Crossing(80), "--format", format])).Length;
        // Four times the options; every pair crosses, so an unbounded answer (190 pairs to 3,160) grew about sixteenfold.
        Assert.True(large <= 4 * small, $"{small} characters for 20 options, {large} for 80");
    }

    [Fact]
    public void Asking_for_every_option_with_top_shows_the_square_the_bound_keeps_out()
    {
        // The other side of the bound: with --top 100 the 45 pairs of 10 options become the 1,770 of 60, each crossing once.
        using var ten = JsonDocument.Parse(Run(Compare([.. Crossing(10), "--top", "100", "--format", "json"])));
        using var sixty = JsonDocument.Parse(Run(Compare([.. Crossing(60), "--top", "100", "--format", "json"])));
        Assert.Equal(45, ten.RootElement.GetProperty("breakEvenVolumes").GetArrayLength());
        Assert.Equal(60 * 59 / 2, sixty.RootElement.GetProperty("breakEvenVolumes").GetArrayLength());
        Assert.Equal(0, sixty.RootElement.GetProperty("optionsNotShown").GetInt32());
    }

    [Fact]
    public void Options_past_the_top_are_counted_in_the_json_and_a_note_names_top_in_each_language()
    {
        // At 10,000 requests a month option i costs 100 (i + 1) + 100 (80 - i) = 8,100 USD: all tie; the 10 kept are the first 10.
        // At 20,000 requests option i costs 100 (i + 1) + 200 (80 - i) = 16,100 - 100 i: the cheapest is option 79 at 8,200 USD.
        using var json = JsonDocument.Parse(Run(["compare", "--requests-per-month", "20000", "--today", "2026-01-15", .. Crossing(80), "--format", "json"]));
        var root = json.RootElement;
        Assert.Equal(70, root.GetProperty("optionsNotShown").GetInt32());
        var options = root.GetProperty("options").EnumerateArray().ToList();
        Assert.Equal(10, options.Count);
        Assert.Equal("option 79", options[0].GetProperty("option").GetString());
        Assert.Equal(8_200m, options[0].GetProperty("perMonth").GetDecimal());
        Assert.Equal("option 70", options[^1].GetProperty("option").GetString());
        // The pairs are among the ten shown: 45 of them, none naming an option left out.
        Assert.Equal(45, root.GetProperty("breakEvenVolumes").GetArrayLength() + root.GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("code").GetString() == "no-break-even"));
        Assert.All(root.GetProperty("breakEvenVolumes").EnumerateArray(), v => Assert.Matches("^option 7[0-9]$", v.GetProperty("cheaperAbove").GetString()!));
        var note = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "options-not-shown");
        Assert.Equal("70 more options not shown: the 10 cheapest of 80 at 20,000 requests per month are, with their break-even volumes and months; --top shows more (at most 100).",
            note.GetProperty("message").GetString());
        var table = Run(["compare", "--requests-per-month", "20000", "--today", "2026-01-15", .. Crossing(80), "--lang", "zh"]);
        Assert.Contains("另有 70 个选项未显示：只显示每月 20,000 个请求下 80 个选项中最便宜的 10 个及其盈亏平衡用量和月数；--top 可显示更多（至多 100 个）。", table.ReplaceLineEndings(""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "error: --top must be a whole number from 1 to 100, got 0. See 'suanli compare --help'.")]
    [InlineData("101", "error: --top must be a whole number from 1 to 100, got 101. See 'suanli compare --help'.")]
    [InlineData("1e400", "error: --top: '1e400' is not a number. See 'suanli compare --help'.")]
    public void A_top_outside_1_to_100_is_refused_naming_the_option(string top, string message)
    {
        var (code, output, err, _) = CliTests.Run(Compare([.. Crossing(2), "--top", top]));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(message, err.TrimEnd());
    }

    private static Money Usd(decimal amount) => new(amount, Currency.Usd);

    [Property(MaxTest = 40)]
    public Property The_cheapest_option_at_the_volume_is_never_left_out()
    {
        // Any number of options with any fixed and per-request prices, any number kept: the first breakdown is an option
        // whose cost F + c x 10,000 is the least of all of them, and kept plus left out is every option.
        var option = Gen.Choose(0, 100_000).Two();
        var gen = Gen.Choose(1, 60).SelectMany(n => option.ArrayOf(n), (n, prices) => prices).SelectMany(_ => Gen.Choose(1, 12), (prices, keep) => (prices, keep));
        return Prop.ForAll(Arb.From(gen), x =>
        {
            var (prices, keep) = x;
            var custom = prices.Select((p, i) => new CustomOption($"o{i}", Usd(0), Usd(p.Item1), Usd(p.Item2 / 1_000_000m), null)).ToList();
            var options = custom.Select(o => new CostOption(o.Name, "custom", w => CostModel.Custom(o, w, 36))).ToList();
            var r = Comparison.Run(options, new MonthlyVolume(10_000, 0, 0), 1, 1e9, cheapest: keep);
            var least = prices.Min(p => p.Item1 + p.Item2 / 100m);
            var first = prices[int.Parse(r.Breakdowns[0].Option[1..], System.Globalization.CultureInfo.InvariantCulture)];
            return first.Item1 + first.Item2 / 100m == least && r.Breakdowns.Count == Math.Min(keep, prices.Length)
                && r.Breakdowns.Count + r.LeftOut == prices.Length && r.Curves.Count == r.Breakdowns.Count;
        });
    }
}

using System.Text.Json;
using Suanli.Runs;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Review items of the tidy pass: the operator table names every operator kind and refuses one it has no name for;
/// the commands that use no catalog entry refuse an unreadable <c>--catalog</c> as <c>plan</c> does; <c>train</c>
/// without <c>--currency</c> says which currency its costs are in and that the language does not choose it.
/// </summary>
public sealed class ReviewFollowUpTests
{
    [Fact]
    public void Every_operator_kind_has_its_own_name_and_a_kind_without_one_is_an_internal_error()
    {
        // In English the table shows the kind's id: LmHead among them, no longer the fallback of any unnamed kind.
        foreach (var kind in Enum.GetValues<OperatorKind>())
        {
            Assert.Equal(kind.ToString(), PerfReport.OperatorName(kind).English);
        }
        Assert.Equal(8, Enum.GetValues<OperatorKind>().Select(k => PerfReport.OperatorName(k).English).Distinct(StringComparer.Ordinal).Count());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PerfReport.OperatorName((OperatorKind)99));
        Assert.Equal("kind", ex.ParamName);
    }

    [Fact]
    public void Schema_catalog_prices_and_chinchilla_refuse_an_unreadable_catalog_as_plan_does()
    {
        var folder = Directory.CreateTempSubdirectory("suanli-empty-catalog-").FullName;
        try
        {
            var plan = CliTests.Run("plan", "--catalog", folder);
            Assert.Equal(2, plan.Code);
            Assert.Contains($"Catalog folder '{folder}' holds no .yaml or .yml file", plan.Err, StringComparison.Ordinal);
            foreach (var args in new[] { new[] { "schema" }, ["catalog", "prices"], ["chinchilla", "--flops", "1e24"] })
            {
                var (code, output, err, console) = CliTests.Run([.. args, "--catalog", folder]);
                Assert.Equal(2, code);
                Assert.Equal("", output + console);
                Assert.Equal(plan.Err, err);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly string[] Train = ["train", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "64", "--tokens", "1T"];

    [Fact]
    public void Train_without_currency_says_its_costs_stay_in_their_sources_currency_whatever_the_language()
    {
        // The H100's rent (FPT Cloud), its price and the default US tariff are all in USD: the costs are in USD, under
        // --lang zh as under en; plan and compare never let the language choose either.
        var (code, output, err, _) = CliTests.Run([.. Train, "--format", "json"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var note = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("key").GetString() == "currency#train-sources");
        Assert.Equal("info", note.GetProperty("severity").GetString());
        Assert.StartsWith("Costs in USD: without --currency each price stays in the currency its source gives; the language never chooses the currency", note.GetProperty("message").GetString(), StringComparison.Ordinal);
        var zh = CliTests.Run([.. Train, "--lang", "zh", "--format", "json"]);
        Assert.True(zh.Code == 0, zh.Err);
        using var zhDoc = JsonDocument.Parse(zh.Out);
        var zhNote = Assert.Single(zhDoc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("key").GetString() == "currency#train-sources");
        Assert.StartsWith("成本以 USD 计：不给出 --currency 时，各价格保留其来源给出的货币；语言从不决定货币", zhNote.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Asked for a currency, the run converts into it and the note has nothing to say.
        var cny = CliTests.Run([.. Train, "--currency", "CNY", "--format", "json"]);
        Assert.True(cny.Code == 0, cny.Err);
        Assert.DoesNotContain("currency#train-sources", cny.Out, StringComparison.Ordinal);
        Assert.Contains("\"CNY\"", cny.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_with_prices_in_two_currencies_says_which_cost_is_in_which_in_both_languages()
    {
        // The H100's rent (FPT Cloud) and purchase price are in USD; a CNY tariff puts electricity in yuan. The note
        // names each cost's currency rather than listing "USD, CNY", and the costs keep those currencies.
        string[] mixed = [.. Train, "--tariff", "0.65 CNY/kWh", "--format", "json"];
        var (code, output, err, _) = CliTests.Run(mixed);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.DoesNotContain(findings, f => f.GetProperty("key").GetString() == "currency#train-sources");
        var note = Assert.Single(findings, f => f.GetProperty("key").GetString() == "currency#train-mixed");
        Assert.StartsWith("Costs in more than one currency, never added across currencies: rent and capex (devices) in USD; electricity in CNY. Without --currency each price stays in the currency its source gives;",
            note.GetProperty("message").GetString(), StringComparison.Ordinal);
        var costs = doc.RootElement.GetProperty("costs");
        Assert.Equal("USD", costs.GetProperty("rent").GetProperty("currency").GetString());
        Assert.Equal("CNY", costs.GetProperty("electricity").GetProperty("currency").GetString());
        Assert.Equal("USD", costs.GetProperty("capex").GetProperty("currency").GetString());
        var zh = CliTests.Run([.. mixed, "--lang", "zh"]);
        Assert.True(zh.Code == 0, zh.Err);
        using var zhDoc = JsonDocument.Parse(zh.Out);
        var zhNote = Assert.Single(zhDoc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("key").GetString() == "currency#train-mixed");
        Assert.StartsWith("成本涉及多种货币，不同货币的金额从不相加：租金和设备投资以 USD 计；电费以 CNY 计。不给出 --currency 时", zhNote.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

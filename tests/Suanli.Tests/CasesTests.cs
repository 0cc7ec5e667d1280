using System.Collections.Concurrent;
using Suanli.Files;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>The seed-case report: the articles' figures, their methods re-computed, and docs/cases.md kept equal to the command.</summary>
public class CasesTests
{
    private static CasesJson Json()
    {
        var (code, output, err, _) = CliTests.Run("cases", "--format", "json");
        Assert.True(code == 0, err);
        return System.Text.Json.JsonSerializer.Deserialize<CasesJson>(output, ReportText.JsonOptions)!;
    }

    private static CaseQuestionJson Question(CasesJson json, string id) => json.Cases.SelectMany(c => c.Questions).Single(q => q.Id == id);

    [Fact]
    public void Docs_cases_md_is_exactly_what_suanli_cases_prints()
    {
        var (code, output, err, _) = CliTests.Run("cases", "--format", "markdown");
        Assert.True(code == 0, err);
        var file = Path.Combine(PlanTests.RepoRoot(), "docs", "cases.md");
        Assert.True(File.ReadAllText(file) == output, "docs/cases.md differs from 'suanli cases --format markdown': regenerate it with 'dotnet run --project src/Suanli.Cli -- cases --format markdown > docs/cases.md'.");
    }

    [Fact]
    public void C3_article_arithmetic_is_recomputed_with_its_errors_named()
    {
        var json = Json();
        var flops = Question(json, "C3.1");
        Assert.Equal(1050 * 1280 * 96, flops.ArticleMethod.Value!.Value, 6); // 129,024,000
        Assert.InRange(flops.Suanli.Value!.Value / (2 * 175e9 * 1050), 0.99, 1.01); // 3.675e14
        var gpus = Question(json, "C3.2");
        Assert.Equal(0.387, gpus.ArticleFigure.Low);
        // 1.28e8 x 1.2e6 / 624e12 = 0.2462, x 1.2 = 0.2954: the article's own arithmetic gives 0.3, not 0.387.
        Assert.Equal(0.2954, gpus.ArticleMethod.Value!.Value, 4);
        Assert.Contains("not 0.387", gpus.ArticleMethod.Check, StringComparison.Ordinal);
        Assert.Equal(38_700, Question(json, "C3.3").ArticleMethod.Value!.Value, 6);
        Assert.Equal(0.387 * 624 / 256, Question(json, "C3.4").ArticleMethod.Value!.Value, 6); // 0.943 cards
        Assert.True(gpus.Suanli.Value > 1, "Suanli sizes the A100 fleet by bandwidth and latency: more than one card");
    }

    [Fact]
    public void Articles_figure_is_what_the_article_said_not_its_rule_on_the_example()
    {
        var json = Json();
        var c2 = Question(json, "C2.2");
        Assert.Equal((600.0, 900.0), (c2.ArticleFigure.Low!.Value, c2.ArticleFigure.High!.Value));
        var c5 = Question(json, "C5.1");
        Assert.Equal(30_000, c5.ArticleFigure.Low);
        Assert.Equal(800e6, Question(json, "C5.2").ArticleFigure.Low);
        Assert.Equal(50_000, Question(json, "C5.3").ArticleFigure.Low);
        var kb = Question(json, "C2.1");
        Assert.Equal(150, kb.ArticleMethod.Value); // 50 copies x 3 A100 by the 1.2 x rule
        Assert.Equal(665, Question(json, "C8.1").ArticleMethod.Value!.Value, 0); // 173 / 0.26, not 1,000
    }

    [Fact]
    public void C1_memory_answer_uses_plan_layout_rule()
    {
        // compare sizes its own workload with plan's function (PlanLayoutTests); the case names plan's answer for C2's.
        var json = Json();
        Assert.Equal(3, Question(json, "C1.1").ArticleMethod.Value); // ceil(172.8 / 80)
        var (pcode, pout, perr, _) = CliTests.Run("plan", Path.Combine(PlanTests.RepoRoot(), "examples", "c2-knowledge-base.yaml"), "--format", "json");
        Assert.True(pcode == 0, perr);
        var plan = System.Text.Json.JsonSerializer.Deserialize<PlanJson>(pout, ReportText.JsonOptions)!;
        var layout = plan.Applications[0].Layout;
        Assert.Contains($"plan (examples/c2-knowledge-base.yaml) takes {layout.Devices} (TP={layout.Tp} PP={layout.Pp})", Question(json, "C1.1").Suanli.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_case_is_one_located_error()
    {
        var (code, _, err, _) = CliTests.Run("cases", "--case", "C9");
        Assert.Equal(2, code);
        Assert.Contains("--case must be one of C1", err, StringComparison.Ordinal);
    }
}

/// <summary>
/// Each example planned once with <c>--format json --out</c> for the class: the JSON it prints is what
/// <c>plan --format json</c> prints, and the files it writes are read by the files test, so the two tests share one plan.
/// </summary>
public sealed class ExamplePlanRuns : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<(int Code, string Out, string Err, string Dir)>> _runs = new(StringComparer.Ordinal);

    public (int Code, string Out, string Err, string Dir) Of(string example) => _runs.GetOrAdd(example, e => new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"suanli-text-{Guid.NewGuid():N}");
        var (code, output, err, _) = CliTests.Run("plan", Path.Combine(PlanTests.RepoRoot(), "examples", e), "--format", "json", "--out", dir);
        return (code, output, err, dir);
    })).Value;

    public void Dispose()
    {
        foreach (var run in _runs.Values.Where(r => r.IsValueCreated && Directory.Exists(r.Value.Dir)))
        {
            Directory.Delete(run.Value.Dir, true);
        }
    }
}

/// <summary>No report shows program text: every example planned in every format, and the cases report.</summary>
public class ProgramTextTests(ExamplePlanRuns runs) : IClassFixture<ExamplePlanRuns>
{
    /// <summary>Text that only a program's own rendering of a record or collection produces.</summary>
    private static readonly string[] ProgramText = [" { ", "<>", "System.", "z__ReadOnly"];

    public static TheoryData<string> Examples() => [.. Directory.GetFiles(Path.Combine(PlanTests.RepoRoot(), "examples"), "*.yaml")
        .Select(Path.GetFileName).Where(n => n is not null && !n.Contains("optimize", StringComparison.Ordinal)).Select(n => n!)];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_of_every_example_shows_no_program_text_in_any_format(string example)
    {
        var path = Path.Combine(PlanTests.RepoRoot(), "examples", example);
        foreach (var format in new[] { "markdown", "csv", "table" })
        {
            var (code, output, err, console) = CliTests.Run("plan", path, "--format", format);
            Assert.True(code is 0 or 2, $"{example} {format}: {err}"); // a scenario whose targets no layout meets exits 2 with one line
            AssertClean($"{example} ({format})", output + console + err);
        }
        var json = runs.Of(example);
        Assert.True(json.Code is 0 or 2, $"{example} json: {json.Err}");
        AssertClean($"{example} (json)", json.Out + json.Err);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Plan_files_of_every_example_show_no_program_text_or_cut_sheet_names(string example)
    {
        var (code, _, err, dir) = runs.Of(example);
        Assert.True(code is 0 or 2, $"{example}: {err}");
        if (code == 2)
        {
            return;
        }
        foreach (var file in Directory.GetFiles(dir, "*.md").Concat(Directory.GetFiles(dir, "*.json")))
        {
            AssertClean($"{example} {Path.GetFileName(file)}", File.ReadAllText(file));
        }
        using var book = new ClosedXML.Excel.XLWorkbook(Directory.GetFiles(dir, "*.xlsx").Single());
        foreach (var sheet in book.Worksheets)
        {
            Assert.True(sheet.Name.Count(c => c == '(') == sheet.Name.Count(c => c == ')'), $"{example}: sheet name '{sheet.Name}' is cut inside a parenthesis");
            AssertClean($"{example} xlsx '{sheet.Name}'", string.Join("\n", sheet.CellsUsed().Select(c => c.GetString())));
        }
    }

    [Fact]
    public void Cases_report_shows_no_program_text_in_any_format()
    {
        foreach (var format in new[] { "markdown", "csv", "json", "table" })
        {
            var (code, output, err, console) = CliTests.Run("cases", "--format", format);
            Assert.True(code == 0, err);
            AssertClean($"cases ({format})", output + console);
        }
    }

    private static void AssertClean(string what, string text)
    {
        foreach (var bad in ProgramText)
        {
            var at = text.IndexOf(bad, StringComparison.Ordinal);
            Assert.True(at < 0, $"{what} shows program text '{bad}': ...{text[Math.Max(0, at - 80)..Math.Min(text.Length, at + 80)]}...");
        }
    }
}

/// <summary>Two commands asked the same question give the same answer.</summary>
public class SameAnswerTests
{
    [Fact]
    public void Density_counts_prefill_and_gives_plan_sessions_per_socket_for_the_C7_example()
    {
        // examples/c7-rack-8b-on-cpu.yaml: Llama 3 8B INT8 on AmpereOne, 512 in / 256 out, TTFT p90 5 s, 10 tokens/s.
        var (pcode, pout, perr, _) = CliTests.Run("plan", Path.Combine(PlanTests.RepoRoot(), "examples", "c7-rack-8b-on-cpu.yaml"), "--format", "json");
        Assert.True(pcode == 0, perr);
        var plan = System.Text.Json.JsonSerializer.Deserialize<PlanJson>(pout, ReportText.JsonOptions)!;
        var app = plan.Applications[0];
        var (code, output, err, _) = CliTests.Run("density", "--model", "llama-3-8b", "--server", "ampereone-2s", "--precision", "int8",
            "--input", "512", "--output", "256", "--ttft-p90", "5", "--format", "json");
        Assert.True(code == 0, err);
        var density = System.Text.Json.JsonSerializer.Deserialize<DensityJson>(output, ReportText.JsonOptions)!;
        var row = density.Rows.Single();
        // Both choose the same replica (sockets per replica) and the same sessions on it.
        Assert.Equal(app.Layout.Devices, row.Layout!.Devices);
        Assert.Equal(Math.Floor(app.Capacity.MaxConcurrency + 1e-9), row.SessionsPerReplica);
        Assert.True(row.SessionsPerReplica / (double)row.Layout!.Devices < 49, "the decode step alone allowed 49 per socket; the prompt's prefill must lower it");
    }

    [Fact]
    public void Density_says_why_a_server_fits_no_rack()
    {
        var (code, output, err, _) = CliTests.Run("density", "--model", "llama-3-8b", "--server", "dgx-b200", "--format", "json");
        Assert.True(code == 0, err);
        var row = System.Text.Json.JsonSerializer.Deserialize<DensityJson>(output, ReportText.JsonOptions)!.Rows.Single();
        Assert.Equal(0, row.SessionsPerRack);
        Assert.Contains("more than the rack's 12.5 kW", row.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_rents_a_device_at_the_price_plan_and_compare_use()
    {
        var (code, output, err, _) = CliTests.Run("train", "--model", "llama-3.1-8b", "--tokens", "1B", "--hardware", "nvidia-h100-sxm5-80gb", "--devices", "8", "--format", "json");
        Assert.True(code == 0, err);
        var (ccode, cout, cerr, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--model", "llama-3.1-8b", "--hardware", "nvidia-h100-sxm5-80gb", "--self-host", "rent", "--format", "json");
        Assert.True(ccode == 0, cerr);
        var compare = System.Text.Json.JsonSerializer.Deserialize<CompareJson>(cout, ReportText.JsonOptions)!;
        // The on-demand option: compare also lists the H100's 1- and 3-year reserved rents as options of their own.
        var rentLine = compare.Options.Single(o => !o.Option.Contains("reserved-", StringComparison.Ordinal)).Parts.Single(p => p.Part == "rent").Formula;
        Assert.Contains("x 2.31 USD", rentLine, StringComparison.Ordinal); // FPT Cloud on-demand, catalog/prices
        Assert.Contains("x 2.31 USD/h (FPT Cloud", output, StringComparison.Ordinal);
    }
}

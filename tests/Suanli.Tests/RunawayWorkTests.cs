using System.Text;
using System.Text.Json;
using Spectre.Console.Testing;
using Suanli.Catalog;
using Suanli.Cli;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Plan;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Work a request can start is bounded before it starts and stops when cancelled; numbers a saturated or impossible
/// run gives are flagged, never shown as if they held.
/// </summary>
public class RunawayWorkTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static IStepTimeModel Model => CalibrationFiles.Default;

    private static ServingInputs Load(int requests) => new()
    {
        Model = "qwen2.5-0.5b", Hardware = "h100", Rate = 10, Input = "512", Output = "64", Requests = requests,
    };

    [Fact]
    public void A_cancelled_token_stops_a_million_request_simulation()
    {
        // Uncancelled, this run takes about 9 s on an idle 2-core machine (with 64-token outputs about 1 s, which a
        // fast machine could finish before the token fires); the token is checked every 1,024 events.
        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ServingRun.Simulate(Load(Workload.MaxRequests) with { Output = "1024" }, Catalog, Model, cancel: cancel.Token));
    }

    [Fact]
    public void A_cancelled_token_stops_the_capacity_search_and_the_plan_provider()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ServingRun.Capacity(Load(1000) with { Rate = null, Targets = new() { TtftP90 = 2 } }, "rate", Catalog, Model, cancel: cancel.Token));
        var scenario = ScenarioFile.Parse("hardware: h100\napplications:\n  - name: a\n    model: qwen2.5-0.5b\n    peak_rate: 5\n    input_tokens: 512\n    output_tokens: 64\n", "s.yaml", Catalog);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            PlanReport.Run(scenario, SimulatedReplicaCapacity.Provider(Model, cancel: cancel.Token), PriceFiles.Embedded, new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void Ctrl_c_ends_a_command_with_exit_130_and_one_line()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = SuanliCli.Run(["simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--rate", "10", "--input", "512", "--output", "64", "--format", "json"],
            new TestConsole(), output, error, TimeProvider.System, cancel: cancel.Token);
        Assert.Equal(SuanliCli.Interrupted, code);
        Assert.Equal(130, code);
        Assert.Equal("", output.ToString());
        var line = Assert.Single(error.ToString().TrimEnd().Split('\n'));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("interrupted", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal(130, doc.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
    }

    [Theory]
    [InlineData("--requests", "1000001", "--requests must be a whole number from 1 to 1,000,000, got 1000001. See 'suanli simulate --help'.")]
    [InlineData("--duration", "1e308", "--duration must be between 0 and 2,592,000, got 1e308.")]
    [InlineData("--duration", "2600000", "--duration must be between 0 and 2,592,000, got 2,600,000.")]
    [InlineData("--rate", "1e308", "--rate must be between 0.000001 and 10,000,000, got 1e308.")]
    public void Simulate_work_is_bounded_before_it_starts(string option, string value, string message)
    {
        string[] load = option == "--rate" ? [] : ["--rate", "10"];
        var (code, output, err, _) = CliTests.Run(["simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "512", "--output", "64", option, value, .. load]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {message}", err.TrimEnd());
    }

    [Fact]
    public void A_scenario_with_101_applications_is_refused_with_its_line()
    {
        var yaml = new StringBuilder("hardware: h100\napplications:\n");
        for (var i = 0; i <= Scenario.MaxApplications; i++)
        {
            yaml.Append($"  - name: a{i}\n    model: qwen2.5-0.5b\n    peak_rate: 1\n    input_tokens: 512\n    output_tokens: 64\n");
        }
        var ex = Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(yaml.ToString(), "s.yaml", Catalog));
        Assert.Equal("s.yaml", ex.Location?.File);
        Assert.Contains("101 applications, over the limit of 100", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_served_a_fraction_of_what_is_offered_is_saturated_with_a_finding()
    {
        // qwen2.5-7b on one H100 serves about 9 requests/s of 2,000 in / 500 out; 20 are offered.
        var inputs = new ServingInputs { Model = "qwen2.5-7b", Hardware = "h100", Rate = 20, Input = "2000", Output = "500", Requests = 1000 };
        var json = JsonDocument.Parse(ReportText.Json(ServingRun.Simulate(inputs, Catalog, Model))).RootElement;
        Assert.True(json.GetProperty("work").GetProperty("saturated").GetBoolean());
        Assert.True(json.GetProperty("throughput").GetProperty("requestsPerSecond").GetDouble() < 0.6 * 20);
        var finding = json.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "saturated");
        Assert.Contains("of the work the measured requests asked for", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("throughput").GetProperty("totalTokensPerSecond").GetDouble() >= json.GetProperty("throughput").GetProperty("outputTokensPerSecond").GetDouble());

        // At 5 requests/s it keeps up: not saturated.
        var light = JsonDocument.Parse(ReportText.Json(ServingRun.Simulate(inputs with { Rate = 5 }, Catalog, Model))).RootElement;
        Assert.False(light.GetProperty("work").GetProperty("saturated").GetBoolean());
    }

    [Fact]
    public void Perf_says_once_that_a_model_does_not_fit_and_states_the_shortfall()
    {
        var (code, output, _, _) = CliTests.Run("perf", "--model", "llama-3.1-405b", "--hardware", "h100", "--batch", "1,8,64,256", "--format", "json");
        Assert.Equal(0, code);
        var findings = JsonDocument.Parse(output).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var fit = Assert.Single(findings, f => f.GetProperty("code").GetString() is "does-not-fit" or "batch-does-not-fit");
        var message = fit.GetProperty("message").GetString()!;
        Assert.Contains("more than its", message, StringComparison.Ordinal);
        Assert.DoesNotMatch(@" -\d", message);
    }

    [Fact]
    public void A_distillation_teacher_that_does_not_fit_is_an_error_naming_the_teacher_devices()
    {
        // Llama 3.1 405B in BF16 is 810 GB of weights; one 80 GB device cannot hold it.
        var (code, _, err, _) = CliTests.Run("train", "--model", "llama-3.1-8b", "--hardware", "h100", "--tokens", "10B",
            "--teacher", "llama-3.1-405b", "--teacher-devices", "1", "--format", "json");
        Assert.Equal(2, code);
        var e = JsonDocument.Parse(err).RootElement.GetProperty("error");
        Assert.Equal("--teacher-devices", e.GetProperty("field").GetString());
        Assert.StartsWith("The teacher llama-3.1-405b in bf16 does not fit 1 x ", e.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>A command's output files land together or not at all, and an existing one is replaced only with --force.</summary>
public class OutputFilesTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("suanli-out-").FullName;

    [Fact]
    public void Plan_out_refuses_an_existing_report_without_force_and_changes_nothing()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "plan.json"), "old");
        var (code, output, err, _) = CliTests.Run("plan", "--out", dir);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {Path.Combine(dir, "plan.json")} already exists; give --force to replace it, or choose another --out. Nothing was written.", err.TrimEnd());
        Assert.Equal(["plan.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir, "plan.json")));

        Assert.Equal(0, CliTests.Run("plan", "--out", dir, "--force").Code);
        Assert.StartsWith("{", File.ReadAllText(Path.Combine(dir, "plan.json")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, ".tmp-*"));
        Assert.Empty(Directory.GetFiles(dir, ".old-*"));
    }

    [Fact]
    public void A_set_that_fails_part_way_leaves_no_file_behind()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "a.txt"), "old a");
        using (var files = new OutputFiles(force: true))
        {
            files.Stage(Path.Combine(dir, "a.txt"), "--out", p => File.WriteAllText(p, "new a"));
            Assert.Throws<InvalidOperationException>(() => files.Stage(Path.Combine(dir, "b.txt"), "--out", _ => throw new InvalidOperationException("disk full")));
        }
        Assert.Equal("old a", File.ReadAllText(Path.Combine(dir, "a.txt")));
        Assert.Equal(["a.txt"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Compare_and_optimize_charts_need_force_to_replace_an_existing_one()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "break-even.png"), "old");
        var (code, _, err, _) = CliTests.Run("compare", "--model", "qwen2.5-7b", "--hardware", "h100", "--requests-per-month", "1M", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("break-even.png already exists; give --force", err, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir, "break-even.png")));
        var forced = CliTests.Run("compare", "--model", "qwen2.5-7b", "--hardware", "h100", "--requests-per-month", "1M", "--out", dir, "--force");
        Assert.True(forced.Code == 0, forced.Err);
        Assert.Equal((byte)0x89, File.ReadAllBytes(Path.Combine(dir, "break-even.png"))[0]);
    }

    [Fact]
    public void Optimize_out_refuses_an_existing_chart_without_force_and_replaces_it_with()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "frontier.png"), "old");
        string[] run = ["optimize", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--rate", "1", "--input", "512", "--output", "64", "--max-candidates", "20", "--out", dir];
        var (code, output, err, _) = CliTests.Run(run);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {Path.Combine(dir, "frontier.png")} already exists; give --force to replace it, or choose another --out. Nothing was written.", err.TrimEnd());
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir, "frontier.png")));

        var forced = CliTests.Run([.. run, "--force"]);
        Assert.True(forced.Code == 0, forced.Err);
        Assert.Equal((byte)0x89, File.ReadAllBytes(Path.Combine(dir, "frontier.png"))[0]);
        Assert.Equal(["frontier.png"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Validate_writes_report_plot_and_fit_together_or_none_of_them()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "rows.csv");
        File.WriteAllLines(data, File.ReadAllLines("data/inference.csv").Take(3));
        var (report, plot, fit) = (Path.Combine(dir, "validation.md"), Path.Combine(dir, "scatter.png"), Path.Combine(dir, "fit.yaml"));
        File.WriteAllText(report, "old report");
        string[] run = ["validate", data, "--report", report, "--plot", plot, "--fit", fit];

        // The report exists: the fit, staged first, and the plot are not written either.
        var (code, _, err, _) = CliTests.Run(run);
        Assert.Equal(2, code);
        Assert.Equal($"error: {report} already exists; give --force to replace it, or choose another --report. Nothing was written.", err.TrimEnd());
        Assert.Equal("old report", File.ReadAllText(report));
        Assert.False(File.Exists(plot));
        Assert.False(File.Exists(fit));
        Assert.Empty(Directory.GetFiles(dir, ".tmp-*"));

        var forced = CliTests.Run([.. run, "--force"]);
        Assert.True(forced.Code == 0, forced.Err);
        Assert.StartsWith("# Validation", File.ReadAllText(report), StringComparison.Ordinal);
        Assert.Equal((byte)0x89, File.ReadAllBytes(plot)[0]);
        Assert.Contains("Do not edit by hand", File.ReadAllText(fit), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, ".tmp-*"));
        Assert.Empty(Directory.GetFiles(dir, ".old-*"));
    }
}

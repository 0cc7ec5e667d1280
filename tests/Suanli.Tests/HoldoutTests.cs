using Suanli.Files;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The held-out MLPerf rows (validation/holdout): every row readable and predicted, never among the calibration's fit
/// inputs, every miss beyond a factor of two explained, and docs/holdout.md equal to the command that writes it.
/// </summary>
public class HoldoutTests
{
    private static string HoldoutFile => Path.Combine(PlanTests.RepoRoot(), "validation", "holdout", "mlperf-v5-v6-inference.csv");

    // One validation shared by the tests that only read it (minutes of CPU: each Server row searches the capacity of its
    // splits; Validator.Run predicts the runs on every core).
    private static readonly Lazy<ValidationResult> Result = new(() =>
        new Validator(new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded), new TrainingRowPredictor(CatalogFiles.Embedded))
            .Run([HoldoutFile]));

    /// <summary>
    /// Starts the shared validation on the thread pool without waiting for it (<see cref="LongestFirst"/> calls it when the
    /// run includes this class): it is the longest work of the core tests, so it starts before any test. A failure stays in
    /// the <see cref="Lazy{T}"/> and is thrown to each test that reads <see cref="Result"/>, as without the early start.
    /// </summary>
    internal static void StartValidation() => ThreadPool.QueueUserWorkItem(_ =>
    {
        try
        {
            _ = Result.Value;
        }
        catch (Exception)
        {
            // Kept by the Lazy (ExecutionAndPublication caches the exception) and thrown again to every test that reads it.
        }
    });

    [Fact]
    public void Every_holdout_row_is_read_and_predicted_and_cites_the_log_it_was_copied_from()
    {
        var result = Result.Value;
        Assert.Empty(result.Problems);
        Assert.Equal(32, result.Rows.Count);
        Assert.All(result.Rows, r =>
        {
            Assert.Null(r.Prediction.Skipped);
            Assert.True(r.Prediction.Predicted is > 0 && double.IsFinite(r.Prediction.Predicted.Value), $"{r.Row.Id} has no finite prediction");
            // owner/repo@40-hex-commit path/to/mlperf_log_summary.txt
            Assert.Matches(@"^[\w.-]+/[\w.-]+@[0-9a-f]{40} closed/[\w-]+/results/.+/performance/run_1/mlperf_log_summary\.txt$", r.Row.Source);
            Assert.StartsWith($"raw {r.Row.Id};", ((InferenceMeasurement)r.Row).Note, StringComparison.Ordinal);
        });
        // Several vendors, engines and scenarios, as the README says.
        Assert.True(result.Rows.Select(r => r.Row.Hardware).Distinct().Count() >= 5);
        Assert.Equal(["trtllm", "vllm"], result.Rows.Select(r => ((InferenceMeasurement)r.Row).Framework).Distinct().Order());
        Assert.Equal(["capacity", "offline"], result.Rows.Select(r => ((InferenceMeasurement)r.Row).Scenario).Distinct().Order());
    }

    [Fact]
    public void Holdout_rows_are_not_among_the_committed_calibrations_fit_inputs()
    {
        var root = PlanTests.RepoRoot();
        Assert.DoesNotContain("holdout", CalibrationFiles.Embedded.Data, StringComparison.OrdinalIgnoreCase);
        var calibration = File.ReadAllLines(Path.Combine(root, "catalog", "calibration", "steptime.yaml"));
        var fitLines = calibration.Where(l => l.StartsWith("# Written by:", StringComparison.Ordinal) || l.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fitLines.Count);
        Assert.All(fitLines, l => Assert.DoesNotContain("validation/holdout", l, StringComparison.Ordinal));
        // The documented commands that refit or validate the calibration set name their files, and not these.
        Assert.DoesNotContain("validation/holdout", File.ReadAllLines(Path.Combine(root, "docs", "validation.md"))[2], StringComparison.Ordinal);
        var refit = File.ReadAllLines(Path.Combine(root, "docs", "methodology-steptime.md")).Where(l => l.Contains("--fit catalog/calibration/steptime.yaml", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(refit);
        Assert.All(refit, l => Assert.DoesNotContain("validation/holdout", l, StringComparison.Ordinal));
        var intervals = File.ReadAllLines(Path.Combine(root, "catalog", "calibration", "intervals.yaml")).Where(l => l.StartsWith("data:", StringComparison.Ordinal));
        Assert.All(intervals, l => Assert.DoesNotContain("validation/holdout", l, StringComparison.Ordinal));
        // Ids stay apart from the calibration set's, so a reason or a row can never be confused between them.
        Assert.All(Result.Value.Rows, r => Assert.StartsWith("ho-", r.Row.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_holdout_row_more_than_twice_off_has_a_written_reason()
    {
        var far = Result.Value.Rows.Where(r => r.Prediction.Predicted is { } p && (p / r.Row.Value > 2 || p / r.Row.Value < 0.5)).Select(r => r.Row.Id).ToList();
        Assert.NotEmpty(far);
        Assert.All(far, id => Assert.True(ValidationReport.KnownMisses.ContainsKey(id), $"{id} is more than 2x off and has no reason in ValidationReport.KnownMisses"));
    }

    [Fact]
    public void Docs_holdout_md_is_exactly_what_validate_holdout_writes()
    {
        // The page the command writes, built from the shared run: `validate --holdout` is this validation, this report and
        // this header (ValidateCommand), and a second run of the held-out file would double this class's minutes.
        var root = PlanTests.RepoRoot();
        var built = ValidationReport.Build(Result.Value, CalibrationFiles.Embedded, null, CatalogFiles.Embedded, true);
        var written = Suanli.Cli.Commands.ValidateCommand.HoldoutMarkdown(built, ["validation/holdout/mlperf-v5-v6-inference.csv"]);
        var page = File.ReadAllText(Path.Combine(root, "docs", "holdout.md"));
        Assert.StartsWith("Generated by `suanli validate validation/holdout/mlperf-v5-v6-inference.csv --holdout", page.Split('\n')[2], StringComparison.Ordinal);
        Assert.True(page == written, "docs/holdout.md differs from its command: regenerate it with 'suanli validate validation/holdout/mlperf-v5-v6-inference.csv --holdout --format markdown --report docs/holdout.md --force'.");
    }

    [Fact]
    public void Holdout_with_fit_is_refused_naming_the_option()
    {
        var (code, _, err, _) = CliTests.Run("validate", HoldoutFile, "--holdout", "--fit", Path.Combine(Path.GetTempPath(), "never-written.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("--holdout", err, StringComparison.Ordinal);
        Assert.Contains("--fit", err, StringComparison.Ordinal);
    }
}

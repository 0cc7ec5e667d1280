using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The checks the device tests share (DeviceCatalogTests, NextGenerationDeviceTests, HyperscalerDeviceTests) for a device whose
/// architecture has no measurement: perf names the calibration it borrows with a widened interval, and a plan on it runs
/// end to end with the family's fallback finding and no NaN or Infinity.
/// </summary>
internal static class DeviceFallbackChecks
{
    /// <summary>
    /// Asserts that <c>perf</c> at batch 1 on <paramref name="device"/> (with <paramref name="extra"/> arguments) says it
    /// borrows the calibration of <paramref name="architecture"/>, and that its throughput interval is widened.
    /// </summary>
    public static void AssertPerfBorrows(SuanliCatalog catalog, string device, string architecture, params string[] extra)
    {
        var (code, output, err, _) = CliTests.Run(["perf", "--model", "qwen2.5-7b", "--hardware", device, "--batch", "1", .. extra, "--format", "json"]);
        Assert.True(code == 0, err);
        Assert.Contains("calibration-fallback", output, StringComparison.Ordinal);
        Assert.Contains($"architecture {architecture}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
        var interval = IntervalFiles.Find(IntervalFiles.Embedded, PredictionKind.Throughput, Engine.Vllm, catalog.Device(device))!;
        Assert.True(interval.Widened, device);
    }

    /// <summary>
    /// Plans qwen3-8b (4 concurrent, 512 / 128 tokens) on <paramref name="d"/> from the scenario lines
    /// <paramref name="scenarioHead"/> (the hardware and rack) and <paramref name="applicationExtra"/> (lines of the
    /// application, indented), asserts the plan carries the family's calibration-fallback finding, and returns its JSON
    /// (checked free of NaN and Infinity) for further checks.
    /// </summary>
    public static string AssertPlanBorrows(SuanliCatalog catalog, Device d, string scenarioHead, string applicationExtra = "")
    {
        var expected = CalibrationFiles.Embedded.FallbackFinding(Engine.Vllm, d);
        Assert.NotNull(expected);
        var yaml = $"{scenarioHead}applications:\n  - name: chat\n    model: qwen3-8b\n{applicationExtra}    peak_concurrency: 4\n    input_tokens: 512\n    output_tokens: 128\n";
        var scenario = ScenarioFile.Parse(yaml, "test.yaml", catalog);
        var (plan, report) = Suanli.Runs.PlanReport.Run(scenario, Suanli.Plan.SimulatedReplicaCapacity.Provider(CalibrationFiles.Default, 200),
            PriceFiles.Embedded, new DateOnly(2026, 12, 7), IntervalFiles.Embedded);
        Assert.Contains(plan.Findings, f => f.Code == "calibration-fallback" && f.Message.Contains(expected!.Message, StringComparison.Ordinal));
        var json = Suanli.Runs.ReportText.Json(report);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        return json;
    }
}

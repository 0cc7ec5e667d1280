using BenchmarkDotNet.Attributes;
using Suanli.Files;
using Suanli.Plan;
using Suanli.StepTime;

namespace Suanli.Bench;

/// <summary>
/// <c>suanli plan</c> on the web page's default inputs (issue 11's target: under 1 s): qwen2.5-7b-instruct on H100s,
/// 50 concurrent users at peak with office-hours traffic, 1,024-token prompts and 256-token answers, TTFT p90 2 s and
/// TPOT p90 0.1 s; every layout that fits one H100 server considered, each one's closed-loop capacity search run.
/// </summary>
[MemoryDiagnoser]
public class PlanBench
{
    // The page's defaults (its form's initial values), as the scenario file the page posts would state them.
    private const string WebDefault = """
        name: web default
        currency: CNY
        hardware: nvidia-h100-sxm5-80gb
        applications:
          - name: assistant
            model: qwen2.5-7b-instruct
            peak_concurrency: 50
            input_tokens: 1024
            output_tokens: 256
            targets: {ttft_p90_s: 2, tpot_p90_s: 0.1}
            profile: office-hours
        """;

    private Scenario _scenario = null!;
    private Calibration _calibration = null!;
    private CalibratedStepTimeModel _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = ScenarioFile.Parse(WebDefault, "web-default.yaml", CatalogFiles.Embedded);
        _calibration = CalibrationFiles.Embedded;
        _warm = new CalibratedStepTimeModel(_calibration);
        _ = Plan(_warm);
    }

    private PlanResult Plan(IStepTimeModel model) =>
        Planner.Plan(_scenario, SimulatedReplicaCapacity.Provider(model), SimulatedReplicaCapacity.Bound(model));

    /// <summary>A fresh step-time model each time, so neither its step cache nor the capacity searches it remembers help: a command's first plan.</summary>
    [Benchmark(Baseline = true)]
    public int WebDefaultCold() => Plan(new CalibratedStepTimeModel(_calibration)).Applications.Count;

    /// <summary>The same plan again on one model, as the page's other panels ask it: every capacity search remembered.</summary>
    [Benchmark]
    public int WebDefaultWarm() => Plan(_warm).Applications.Count;
}

using BenchmarkDotNet.Attributes;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Training;

namespace Suanli.Bench;

/// <summary>The step-time model: one evaluation (target under 20 us, issue 3) and a 64-point batch sweep for every catalog model (target under 1 s).</summary>
[MemoryDiagnoser]
public class StepTimeBench
{
    private CalibratedStepTimeModel _model = null!;
    private Deployment _deployment = null!;
    private PreparedStep _prepared = null!;
    private Deployment[] _all = [];

    [GlobalSetup]
    public void Setup()
    {
        var catalog = CatalogFiles.Embedded;
        _model = CalibrationFiles.Default;
        var h100 = catalog.Device("nvidia-h100-sxm5-80gb");
        _deployment = Deploy(catalog.Model("llama-3.1-70b"), h100);
        _prepared = _model.Prepare(_deployment);
        _all = [.. catalog.Models.Select(m => Deploy(m, h100))];
    }

    private static Deployment Deploy(ModelEntry m, Device d) =>
        new(m, d, Layout.Single, NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);

    /// <summary>IStepTimeModel.Estimate through the per-deployment cache.</summary>
    [Benchmark(Baseline = true)]
    public double EstimateCached() => _model.Estimate(_deployment, new StepShape(256, 1024, 64, 2048)).Time.Value;

    /// <summary>The prepared evaluator the serving simulator holds.</summary>
    [Benchmark]
    public double EstimatePrepared() => _prepared.Estimate(new StepShape(256, 1024, 64, 2048)).Time.Value;

    /// <summary>Steady state at batch 1..64 for every catalog model on one H100 (prefill included).</summary>
    [Benchmark]
    public double SweepEveryModel64Batches()
    {
        var sum = 0.0;
        foreach (var d in _all)
        {
            for (var b = 1; b <= 64; b++)
            {
                sum += SteadyState.At(_model, d, 1024, 256, b, 2048).TimePerOutputToken.Value;
            }
        }
        return sum;
    }
}

/// <summary>Loading the embedded catalog: every device, server and model parsed and validated (target under 100 ms, issue 14).</summary>
[MemoryDiagnoser]
public class CatalogBench
{
    /// <summary>CatalogFiles.LoadEmbeddedAgain: devices.yaml, servers.yaml, models.yaml and every model's config read, checked and counted.</summary>
    [Benchmark]
    public int LoadEmbeddedCatalog() => CatalogFiles.LoadEmbeddedAgain().Models.Count;
}

/// <summary>MemoryModel.Fit for every catalog model on every catalog device (asked for by the memory issue).</summary>
[MemoryDiagnoser]
public class MemoryFitBench
{
    private FootprintRequest[] _requests = [];
    private Device[] _devices = [];

    [GlobalSetup]
    public void Setup()
    {
        var catalog = CatalogFiles.Embedded;
        _requests = [.. catalog.Models.Select(m => new FootprintRequest(m, NumberFormat.Bf16, NumberFormat.Bf16, 4096, 1, RuntimeReserve.Default))];
        _devices = [.. catalog.Devices];
    }

    /// <summary>MemoryModel.Fit (BF16 weights and KV, 4,096 tokens, batch 1) for every catalog model on every catalog device.</summary>
    [Benchmark]
    public int FitEveryModelOnEveryDevice()
    {
        var fits = 0;
        foreach (var r in _requests)
        {
            foreach (var d in _devices)
            {
                fits += MemoryModel.Fit(r, d).MinDevices ?? 0;
            }
        }
        return fits;
    }
}

/// <summary>The training predictor and planner (docs/methodology-training.md, "Speed"): GPT-3 175B on A100s.</summary>
[MemoryDiagnoser]
public class TrainingBench
{
    /// <summary>Cluster sizes of the sweep: 8 to 32,768 devices, doubling (13 sizes).</summary>
    private static readonly int[] Sizes = [.. Enumerable.Range(3, 13).Select(p => 1 << p)];

    private ModelEntry _model = null!;
    private Device _device = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = CatalogFiles.Embedded;
        _model = catalog.Model("gpt-3-175b");
        _device = catalog.Device("nvidia-a100-sxm4-80gb");
    }

    private TrainingRequest Request(int devices) => new()
    {
        Model = _model,
        Device = _device,
        Devices = devices,
        Tokens = Tokens.FromCount(300e9),
        SeqLen = 2048,
    };

    /// <summary>TrainingPredictor.Predict of the training days of one row (1,024 devices, 300B tokens).</summary>
    [Benchmark]
    public TrainingPrediction Predict() => TrainingPredictor.Predict(_model, _device, 1024, NumberFormat.Bf16, 300e9, 2048, "train_days");

    /// <summary>TrainingPlanner.Estimate with the layout choice and the smallest-cluster search (1,024 devices).</summary>
    [Benchmark]
    public TrainingEstimate PlanEstimate() => TrainingPlanner.Estimate(Request(1024));

    /// <summary>TrainingPlanner.Estimate at 13 cluster sizes, 8 to 32,768 devices.</summary>
    [Benchmark]
    public double SweepClusterSizes()
    {
        var days = 0.0;
        foreach (var n in Sizes)
        {
            days += TrainingPlanner.Estimate(Request(n)).WallClock.Value;
        }
        return days;
    }
}

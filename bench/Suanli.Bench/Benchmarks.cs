using BenchmarkDotNet.Attributes;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.StepTime;

namespace Suanli.Bench;

/// <summary>The step-time model: one evaluation (target under 20 us) and a 64-point batch sweep for every catalog model (target under 1 s).</summary>
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

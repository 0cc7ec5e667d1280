using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>A capacity search asked again with the same inputs is the remembered result, which is the one a new run gives.</summary>
public class CapacitySearchMemoTests
{
    private static Deployment Replica() =>
        new(CatalogFiles.Embedded.Model("qwen2.5-0.5b"), CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb"), Layout.Single, NumberFormat.Bf16, NumberFormat.Bf16, StepTime.Engine.Vllm);

    // Each call parses its own distributions, as two applications of one scenario do.
    private static RequestMix Mix() => new(LengthDistribution.Fixed(512, FieldNames.Input), LengthDistribution.Fixed(64, FieldNames.Output), DemandKind.Concurrency);

    private static readonly ServingTargets Targets = new(Duration.FromSeconds(1), Duration.FromSeconds(0.05), null);

    [Fact]
    public void Two_applications_with_the_same_requests_on_one_replica_share_one_search()
    {
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var first = SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets);
        var again = SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets);
        Assert.Same(first, again);
        Assert.True(first.MaxConcurrency > 1);
    }

    [Fact]
    public void The_remembered_search_is_the_one_a_fresh_model_runs()
    {
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var remembered = SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets);
        _ = SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets);
        var fresh = SimulatedReplicaCapacity.Run(new CalibratedStepTimeModel(CalibrationFiles.Embedded), Replica(), Mix(), Targets);
        Assert.NotSame(remembered, fresh);
        Assert.Equal(fresh.MaxConcurrency, remembered.MaxConcurrency);
        Assert.Equal(fresh.MaxRequestsPerSecond, remembered.MaxRequestsPerSecond);
        Assert.Equal(fresh.Probes.Select(p => (p.Load, p.Meets, p.Result.E2e.Mean)), remembered.Probes.Select(p => (p.Load, p.Meets, p.Result.E2e.Mean)));
    }

    [Fact]
    public void Other_targets_or_lengths_are_searched_anew()
    {
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var first = SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets);
        var tighter = SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets with { Ttft = Duration.FromSeconds(0.5) });
        var longer = SimulatedReplicaCapacity.Run(model, Replica(), Mix() with { Output = LengthDistribution.Fixed(128, FieldNames.Output) }, Targets);
        Assert.NotSame(first, tighter);
        Assert.NotSame(first, longer);
        Assert.True(longer.LoneE2e > first.LoneE2e);
    }

    [Fact]
    public void A_cancelled_token_stops_even_a_remembered_search()
    {
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        _ = SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SimulatedReplicaCapacity.Run(model, Replica(), Mix(), Targets, cancel: cancel.Token));
    }
}

using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO;
using Suanli.IO.Measurements;
using Suanli.IO.Validation;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class WholeSystemTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static Deployment Llama8BOnH100() =>
        new(Catalog.Model("meta-llama/Llama-3.1-8B"), Catalog.Device("nvidia-h100-sxm5-80gb"), Layout.Single, NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);

    [Fact]
    public void A_prefill_chunk_reads_the_cached_kv_once_per_128_query_rows()
    {
        // Llama-3.1-8B BF16: 32 layers, 8 KV heads of 128 -> 2 x 8 x 128 x 2 = 4,096 bytes per token per layer.
        // A 4,000-token chunk over 16,384 cached tokens: ceil(4000 / 128) = 32 tiles read the cache, and the chunk's
        // own 4,000 tokens are written: 4,096 x 32 x (32 x 16,384 + 4,000) = 69,243,027,456 bytes.
        var step = new CalibratedStepTimeModel(CalibrationFiles.Embedded).Prepare(Llama8BOnH100());
        var attention = step.Operators(new StepShape(4000, 16384, 0, 0)).Single(o => o.Kind == OperatorKind.Attention);
        Assert.InRange(attention.KvBytes.Value / 69_243_027_456, 0.9999, 1.0001);
    }

    [Fact]
    public void Prefill_time_per_token_grows_smoothly_across_the_chunk_boundary()
    {
        // Before tiling was modelled, 16,384 tokens took 16x and 20,000 tokens 29x the time of 8,192 (each token of a
        // later chunk re-read the whole cache). Attention grows linearly with the context, so time per token may rise
        // past one chunk, but only by the attention share.
        var model = CalibrationFiles.Default;
        var d = Llama8BOnH100();
        double PerToken(int n) => SteadyState.Prefill(model, d, n, 8192).Value / n;
        var at8k = PerToken(8192);
        var at16k = PerToken(16384);
        var at20k = PerToken(20000);
        Assert.True(at16k >= at8k && at20k >= at16k, $"{at8k} {at16k} {at20k}");
        Assert.InRange(at20k / at8k, 1.0, 1.6);
    }

    [Fact]
    public void A_whole_system_splits_into_equal_replicas_with_tensor_parallelism_inside_a_node()
    {
        var model = Catalog.Model("meta-llama/Llama-2-70b-hf");
        var candidates = SystemLayouts.Candidates(model.Architecture, 32, 8, _ => true);
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.Equal(32, c.Devices));
        Assert.All(candidates, c => Assert.InRange(c.Replica.Tp, 1, 8));
        Assert.Contains(candidates, c => c.Replicas == 16 && c.Replica.Tp == 2);
        Assert.DoesNotContain(candidates, c => c.Replica.Tp == 16);
    }

    [Fact]
    public void A_pinned_split_that_does_not_divide_the_system_lists_the_valid_splits()
    {
        var model = Catalog.Model("meta-llama/Llama-2-70b-hf");
        var ex = Assert.Throws<InputException>(() => SystemLayouts.Validate(model.Architecture, 8, 3, 1, null, model.Id));
        Assert.Contains("valid splits of 8 devices", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SystemLayout(Layouts.Make(model.Architecture, 2, 1), 4), SystemLayouts.Validate(model.Architecture, 8, 2, 1, null, model.Id));
    }

    [Fact]
    public void Measurement_rows_accept_fractional_means_a_pinned_layout_and_a_length_dataset()
    {
        const string header = MeasurementFiles.InferenceHeader + ",tp,pp,replicas,lengths";
        var text = header + "\n"
            + "r1,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,offline,,,222.3,290.3,,,output_tokens_per_s,24524.9,src,n,2,1,4,mlperf-llama2-70b-99\n"
            + "r2,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,offline,,,222.3,290.3,,,output_tokens_per_s,24524.9,src,n,3,1,,\n";
        var file = MeasurementFiles.Parse(text, "rows.csv");
        var row = Assert.IsType<InferenceMeasurement>(Assert.Single(file.Rows));
        Assert.Equal(222.3, row.InputTokens);
        Assert.Equal(new PinnedLayout(2, 1, null, 4), row.Layout);
        Assert.Equal("mlperf-llama2-70b-99", row.Lengths);
        var problem = Assert.Single(file.Problems);
        Assert.Equal(3, problem.Location!.Line);
        Assert.Contains("3 devices per replica does not divide the row's 8 devices", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mlperf_row_is_predicted_per_replica_with_the_dataset_lengths_and_says_so()
    {
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var row = MeasurementFiles.Read("data/mlperf-v4.1-inference.csv").Rows.OfType<InferenceMeasurement>().Single(r => r.Id == "inf-001");
        var resolved = predictor.Resolve(row, out var skip);
        Assert.Null(skip);
        Assert.Equal(4, resolved!.Replicas);
        Assert.Equal(2, resolved.Deployment.Layout.Tp);
        Assert.Equal(222.3, resolved.InputLengths!.Mean, 1);
        Assert.Equal(290.3, resolved.OutputLengths!.Mean, 0);
        Assert.Contains("4 replicas x (TP=2 PP=1) (stated by the source)", resolved.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_length_dataset_is_an_error_listing_the_known_ones()
    {
        var ex = Assert.Throws<InputException>(() => ServingText.ParseLength("dataset:openorca", "--input"));
        Assert.Contains("mlperf-llama2-70b-99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_with_long_tailed_lengths_is_not_cut_short_by_the_drain_of_the_longest_requests()
    {
        // A replica that keeps up computes about all the work its arrivals bring, whatever the tail of the lengths.
        var d = new Deployment(Catalog.Model("meta-llama/Llama-2-70b-chat-hf"), Catalog.Device("nvidia-h200-sxm-141gb"), Layout.Single,
            NumberFormat.Fp8, NumberFormat.Fp8, Engine.TrtLlm);
        var input = LengthDatasets.Input("mlperf-llama2-70b-99", "input");
        var output = LengthDatasets.OutputWithMean("mlperf-llama2-70b-99", 291.3, "output");
        var r = ServingSimulator.Run(d, Workload.Poisson(6, input, output, 1, 2000), EngineConfig.Default(Engine.TrtLlm, d.Device) with { MaxNumSeqs = 2048 },
            CalibrationFiles.Default);
        Assert.InRange(r.ServedFraction, 0.95, 1.0);
    }
}

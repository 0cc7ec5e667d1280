using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Validation;
using Suanli.Quantities;
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
        // A replica larger than the system has no replica count to show (it was printed as "0 replicas").
        var tooWide = Assert.Throws<InputException>(() => SystemLayouts.Validate(model.Architecture, 8, 8, 2, null, model.Id));
        Assert.StartsWith($"Layout TP=8 PP=2 is invalid for {model.Id}: a replica of TP=8 x PP=2 = 16 devices does not divide 8 devices; valid splits of 8 devices: ", tooWide.Message, StringComparison.Ordinal);
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
    public void A_row_pinning_ep_8_over_tp_1_reads_as_one_data_parallel_attention_replica_of_8_devices()
    {
        // tp 1, ep 8 on 8 devices is TensorRT-LLM's tensor_parallel_size 8 with enable_attention_dp (inf-135, inf-138): one
        // replica of 8 attention ranks, not 8 replicas of one device; the replica count given or left out reads the same.
        const string header = MeasurementFiles.InferenceHeader + ",tp,pp,ep,replicas";
        const string row = "r{0},Qwen/Qwen3-235B-A22B,nvidia-h200-sxm-141gb,8,fp8,,trtllm,offline,,,1000,1000,,,output_tokens_per_s,23789,src,n,{1}\n";
        var file = MeasurementFiles.Parse(header + "\n" + string.Format(CultureInfo.InvariantCulture, row, 1, "1,1,8,1") + string.Format(CultureInfo.InvariantCulture, row, 2, "1,1,8,")
            + string.Format(CultureInfo.InvariantCulture, row, 3, "1,1,8,2"), "rows.csv");
        var rows = file.Rows.OfType<InferenceMeasurement>().ToList();
        Assert.Equal([new PinnedLayout(1, 1, 8, 1), new PinnedLayout(1, 1, 8, 1)], rows.Select(r => r.Layout));
        var problem = Assert.Single(file.Problems);
        Assert.Equal(4, problem.Location!.Line);
        Assert.Contains("2 replicas x EP=8 (TP=1 x 8 data-parallel attention ranks) x PP=1 uses 16 devices, not the row's 8", problem.Message, StringComparison.Ordinal);

        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var resolved = predictor.Resolve(rows[0], out var skip);
        Assert.Null(skip);
        Assert.Equal((1, 8, 8, 1), (resolved!.Deployment.Layout.Tp, resolved.Deployment.Layout.AttentionDp, resolved.Deployment.Layout.Ep, resolved.Replicas));
        Assert.Contains("DP-attention 8 x EP 8 (stated by the source)", resolved.Note, StringComparison.Ordinal);
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
    public void A_row_whose_pinned_layout_or_dataset_is_wrong_is_an_error_at_its_line_listing_what_is_valid()
    {
        const string header = MeasurementFiles.InferenceHeader + ",tp,pp,replicas,lengths";
        const string row = "meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,offline,,,222.3,290.3,,,output_tokens_per_s,24524.9,src,n,";
        var file = MeasurementFiles.Parse(header + "\n" + "r1," + row + "2,1,3,\n" + "r2," + row + ",,,openorca\n", "rows.csv");
        Assert.Empty(file.Rows);
        var replicas = file.Problems.Single(p => p.Location!.Line == 2);
        Assert.Equal("replicas", replicas.Field);
        // The divisors of 8: 8 x 1, 4 x 2, 2 x 4, 1 x 8.
        Assert.Contains("Splits of 8 devices, replicas x (TP x PP): 8 x 1, 4 x 2, 2 x 4, 1 x 8.", replicas.Message, StringComparison.Ordinal);
        var lengths = file.Problems.Single(p => p.Location!.Line == 3);
        Assert.Equal("lengths", lengths.Field);
        Assert.Contains("'openorca'. Known datasets: mlperf-deepseek-r1, mlperf-llama2-70b-99,", lengths.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stated_layout_whose_tensor_parallel_crosses_nodes_is_predicted_and_its_note_says_so()
    {
        const string header = MeasurementFiles.InferenceHeader + ",tp,pp,replicas,lengths";
        var text = header + "\nr1,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,16,fp8,fp8,trtllm,offline,,,222.3,290.3,,,output_tokens_per_s,24524.9,src,n,16,1,1,\n"
            + "r2,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,16,fp8,fp8,trtllm,offline,,,222.3,290.3,,,output_tokens_per_s,24524.9,src,n,8,1,2,\n";
        var rows = MeasurementFiles.Parse(text, "rows.csv").Rows.OfType<InferenceMeasurement>().ToList();
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var crossing = predictor.Resolve(rows[0], out var skip);
        Assert.Null(skip);
        Assert.Equal(16, crossing!.Deployment.Layout.Tp);
        Assert.Contains("tensor-parallel group of 16 devices crosses nodes of 8", crossing.Note, StringComparison.Ordinal);
        Assert.DoesNotContain("crosses nodes", predictor.Resolve(rows[1], out _)!.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_llama_cpp_row_splits_layers_unless_the_source_states_a_tensor_split()
    {
        const string header = MeasurementFiles.InferenceHeader + ",tp,pp,replicas";
        const string row = "meta-llama/Meta-Llama-3-8B,nvidia-rtx-4090,2,q4_k_m,,llamacpp,batch,1,,,512,,,output_tokens_per_s,100,src,n,";
        var rows = MeasurementFiles.Parse(header + "\nr1," + row + ",,\nr2," + row + "2,1,1\n", "rows.csv").Rows.OfType<InferenceMeasurement>().ToList();
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var layers = predictor.Resolve(rows[0], out _)!;
        Assert.Equal((1, 2), (layers.Deployment.Layout.Tp, layers.Deployment.Layout.Pp));
        // llama.cpp --split-mode row splits tensors; a source that says so is followed, not replaced by the layer split.
        var stated = predictor.Resolve(rows[1], out _)!;
        Assert.Equal((2, 1), (stated.Deployment.Layout.Tp, stated.Deployment.Layout.Pp));
        Assert.Contains("TP=2 PP=1 (stated by the source)", stated.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_length_dataset_is_an_error_listing_the_known_ones()
    {
        var ex = Assert.Throws<InputException>(() => ServingText.ParseLength("dataset:openorca", Suanli.Text.FieldNames.Input));
        Assert.Contains("mlperf-llama2-70b-99", ex.Message, StringComparison.Ordinal);
        // The command line names the option, as every other length error does.
        var (code, _, err, _) = CliTests.Run("simulate", "--model", "llama-3.1-8b", "--hardware", "h100", "--rate", "1", "--input", "dataset:openorca", "--output", "64");
        Assert.Equal(2, code);
        Assert.Contains("--input: unknown length dataset 'openorca'. Known datasets: mlperf-deepseek-r1, mlperf-llama2-70b-99,", err, StringComparison.Ordinal);
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
        Assert.InRange(r.Throughput.ServedFraction, 0.95, 1.0);
    }

    private static Deployment Llama70BOnH200() => new(Catalog.Model("meta-llama/Llama-2-70b-chat-hf"), Catalog.Device("nvidia-h200-sxm-141gb"), Layout.Single,
        NumberFormat.Fp8, NumberFormat.Fp8, Engine.TrtLlm);

    private static CapacityResult MlperfServerCapacity(Workload w)
    {
        var d = Llama70BOnH200();
        var targets = ServingTargets.FromSeconds(2, 0.2, null, Percentile.P99);
        return CapacitySearch.Run(d, w, EngineConfig.Default(Engine.TrtLlm, d.Device) with { MaxNumSeqs = 2048, MaxBatchedTokens = 8192 }, CalibrationFiles.Default, targets);
    }

    [Fact]
    public void An_mlperf_server_capacity_run_of_600_seconds_stops_at_a_latency_target_with_both_p99s_within_their_limits()
    {
        // MLPerf v4.1 llama2-70b Server on one H200 (TP=1, FP8): the published run is TPOT-bound (p99 TPOT 146 ms against
        // 200 ms, p99 TTFT 453 ms against 2 s). A probe of 2,000 requests lasts about two request lifetimes at the
        // OpenOrca lengths, so the batch is still filling when arrivals stop and the keep-up test ends the search at a
        // p99 TPOT near 120 ms; over MLPerf's 600 s minimum run the search reaches a latency limit instead.
        var input = LengthDatasets.Input("mlperf-llama2-70b-99", "input");
        var output = LengthDatasets.OutputWithMean("mlperf-llama2-70b-99", 291.3, "output");
        var longRun = MlperfServerCapacity(Workload.Poisson(1, input, output, 1, Workload.MaxRequests, Duration.FromSeconds(600)));
        var shortRun = MlperfServerCapacity(Workload.Poisson(1, input, output, 1, 2000));
        Assert.Equal("throughput", shortRun.LimitingTarget);
        Assert.Contains(longRun.LimitingTarget, new[] { "tpot", "ttft" });
        Assert.True(longRun.AtMax!.Tpot.P99.Value <= 0.2, $"TPOT p99 {longRun.AtMax.Tpot.P99.Value}");
        Assert.True(longRun.AtMax.Ttft.P99.Value <= 2, $"TTFT p99 {longRun.AtMax.Ttft.P99.Value}");
        Assert.True(longRun.MaxRequestsPerSecond > shortRun.MaxRequestsPerSecond);
        // Near the limit the step time, not the queue, sets the TPOT: p99 TPOT above half its limit.
        Assert.True(longRun.AtMax.Tpot.P99.Value > 0.1, $"TPOT p99 {longRun.AtMax.Tpot.P99.Value}");
    }

    [Fact]
    public void Validation_predicts_capacity_rows_over_mlperfs_600_second_run_after_a_warm_up_of_one_long_request()
    {
        Assert.Equal(600, InferencePredictor.CapacityDuration.Value);
        var m = (InferenceMeasurement)MeasurementFiles.Read("data/mlperf-v4.1-inference.csv").Rows.Single(x => x.Id == "inf-008");
        var p = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded).Predict(m);
        // The dataset's answers scaled to the row's mean 291.3 tokens have a p99 of 1,037: 2 s + 1,036 x 0.2 s = 209.2 s of
        // warm-up at the 2 s TTFT and 200 ms TPOT targets, then MLPerf's 600 s: 809.2 s.
        Assert.Equal(1_037, LengthDatasets.OutputWithMean("mlperf-llama2-70b-99", 291.3, "lengths").P99);
        Assert.Contains("809 s of Poisson arrivals (the first 209 s warm-up", p.Note, StringComparison.Ordinal);
        Assert.InRange(p.Predicted!.Value, 0, 200);
    }

    [Fact]
    public void Whole_system_capacity_never_falls_when_a_device_is_added()
    {
        // Replicas add up: one more device never lowers what the system carries at the same targets.
        var header = MeasurementFiles.InferenceHeader;
        var rows = string.Join("\n", Enumerable.Range(1, 3).Select(n =>
            $"c-{n},meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,{n},bf16,,trtllm,capacity,,,256,64,0.5,0.05,output_tokens_per_s,1000,src,raw c-{n}"));
        var r = new Validator(new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded), new SkipPredictor("-"))
            .Run([MeasurementFiles.Parse(header + "\n" + rows + "\n", "mem.csv")]).Rows;
        var values = r.Select(x => x.Prediction.Predicted!.Value).ToList();
        for (var i = 1; i < values.Count; i++)
        {
            Assert.True(values[i] >= values[i - 1], $"{i + 1} devices: {values[i]} below {values[i - 1]}");
        }
    }
}

using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>The speculation columns of measurement files (validation/measurements/README.md, "Speculative decoding") and their predictions.</summary>
public class SpeculationMeasurementTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private const string Header = MeasurementFiles.InferenceHeader + ",speculation,draft_tokens,acceptance_length";

    private static string Row(string id, string speculation, string k, string length, string model = "meta-llama/Llama-3.1-8B-Instruct", string metric = "tpot_ms", string scenario = "batch") =>
        $"{id},{model},nvidia-h100-sxm5-80gb,1,bf16,bf16,vllm,{scenario},1,,128,64,,,{metric},5,src,n,{speculation},{k},{length}\n";

    [Fact]
    public void Speculation_columns_parse_kind_proposed_tokens_and_acceptance_length()
    {
        var text = Header + "\n"
            + Row("a", "mtp", "", "1.92", "deepseek-ai/DeepSeek-R1")
            + Row("b", "EAGLE", "3", "2.952")
            + Row("c", "draft:llama-3.2-1b", "", "2.5")
            + Row("d", "none", "", "")
            + Row("e", "", "", "");
        var file = MeasurementFiles.Parse(text, "rows.csv");
        Assert.Empty(file.Problems);
        var rows = file.Rows.Cast<InferenceMeasurement>().ToDictionary(r => r.Id);
        // MTP defaults to one proposed token (as --draft-tokens); a = L - 1 for k = 1: 1.92 -> 0.92.
        Assert.Equal(new StatedSpeculation("mtp", "", 1, 1.92), rows["a"].Speculation);
        Assert.Equal(0.92, rows["a"].Speculation!.Acceptance, 9);
        // k = 3, L = 2.952 is a = 0.8: (1 - 0.8^4) / 0.2 = 2.952.
        Assert.Equal(new StatedSpeculation("eagle", "", 3, 2.952), rows["b"].Speculation);
        Assert.Equal(0.8, rows["b"].Speculation!.Acceptance, 9);
        // Draft models default to four proposed tokens.
        Assert.Equal(new StatedSpeculation("draft", "llama-3.2-1b", 4, 2.5), rows["c"].Speculation);
        Assert.Null(rows["d"].Speculation);
        Assert.Null(rows["e"].Speculation);
    }

    [Theory]
    [InlineData("medusa", "", "2", "speculation", "must be none, mtp, eagle or draft:MODEL")]
    [InlineData("draft:", "", "2", "speculation", "must be none, mtp, eagle or draft:MODEL")]
    [InlineData("eagle", "3", "0.8", "acceptance_length", "more than 1 and less than draft_tokens + 1 = 4")]
    [InlineData("eagle", "3", "4", "acceptance_length", "more than 1 and less than draft_tokens + 1 = 4")]
    [InlineData("mtp", "", "2", "acceptance_length", "less than draft_tokens + 1 = 2")]
    [InlineData("eagle", "3", "", "acceptance_length", "is empty while 'speculation' is given")]
    [InlineData("eagle", "0", "1.5", "draft_tokens", "whole number from 1 to 16")]
    [InlineData("eagle", "17", "1.5", "draft_tokens", "whole number from 1 to 16")]
    [InlineData("", "3", "", "draft_tokens", "but 'speculation' is empty")]
    [InlineData("none", "", "2", "acceptance_length", "but 'speculation' is none")]
    public void Bad_speculation_values_are_refused_with_the_line_column_and_fix(string speculation, string k, string length, string field, string message)
    {
        var file = MeasurementFiles.Parse(Header + "\n" + Row("r", speculation, k, length), "rows.csv");
        Assert.Empty(file.Rows);
        var problem = Assert.Single(file.Problems);
        Assert.Equal(field, problem.Field);
        Assert.Equal(2, problem.Location!.Line);
        Assert.True(problem.Location.Column > 1);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_draft_model_skips_the_row_and_lists_the_catalog_models_that_can_draft()
    {
        var row = (InferenceMeasurement)MeasurementFiles.Parse(Header + "\n" + Row("r", "draft:llama-0.1b", "4", "2"), "rows.csv").Rows.Single();
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var p = predictor.Predict(row);
        Assert.Null(p.Predicted);
        Assert.Contains("draft model 'llama-0.1b' is not in the catalog", p.Skipped, StringComparison.Ordinal);
        // llama-3.2-1b shares Llama 3.1 8B's 128,256-token vocabulary and is smaller; the target itself is not listed.
        Assert.Contains("llama-3.2-1b", p.Skipped, StringComparison.Ordinal);
        Assert.DoesNotContain("llama-3.1-8b,", p.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void Mtp_on_a_model_without_mtp_layers_skips_the_row_saying_why()
    {
        var row = (InferenceMeasurement)MeasurementFiles.Parse(Header + "\n" + Row("r", "mtp", "1", "1.8"), "rows.csv").Rows.Single();
        var p = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded).Predict(row);
        Assert.Null(p.Predicted);
        Assert.Contains("no multi-token-prediction layers", p.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_row_with_speculation_predicts_the_tpot_of_the_formula_by_hand()
    {
        // Target llama-3.1-8b, draft llama-3.2-1b, k = 3, acceptance length 2.952 (a = 0.8). Verify (4 query tokens) =
        // 10 + 3 = 13 ms; draft = 3 x 2 ms = 6 ms; step = 19 ms; TPOT = 19 / 2.952 = 6.43631 ms (10 ms without speculation).
        var text = Header + "\n" + Row("spec", "draft:llama-3.2-1b", "3", "2.952") + Row("plain", "", "", "");
        var rows = MeasurementFiles.Parse(text, "rows.csv").Rows.Cast<InferenceMeasurement>().ToDictionary(r => r.Id);
        var predictor = new InferencePredictor(Catalog, new SpeculationTests.RoundNumbers("llama-3.1-8b"), CalibrationFiles.Embedded);
        var spec = predictor.Predict(rows["spec"]);
        Assert.Null(spec.Skipped);
        Assert.Equal(19.0 / 2.952, spec.Predicted!.Value, 9);
        Assert.Contains("speculative decoding draft:llama-3.2-1b k=3, acceptance length 2.952", spec.Note, StringComparison.Ordinal);
        Assert.Equal(10.0, predictor.Predict(rows["plain"]).Predicted!.Value, 9);
    }

    [Fact]
    public void A_simulated_row_carries_its_speculation_into_the_serving_simulator()
    {
        // Closed loop of one client: each sequence emits 2.952 tokens per 19 ms step instead of 1 per 10 ms, so the
        // simulated mean TPOT falls to about 19 / 2.952 = 6.4 ms (whole tokens per step, carried as a running fraction).
        var text = Header + "\n" + Row("spec", "draft:llama-3.2-1b", "3", "2.952", scenario: "concurrency") + Row("plain", "", "", "", scenario: "concurrency");
        var rows = MeasurementFiles.Parse(text, "rows.csv").Rows.Cast<InferenceMeasurement>().ToDictionary(r => r.Id);
        var predictor = new InferencePredictor(Catalog, new SpeculationTests.RoundNumbers("llama-3.1-8b"), CalibrationFiles.Embedded);
        var spec = predictor.Predict(rows["spec"]);
        var plain = predictor.Predict(rows["plain"]);
        Assert.Null(spec.Skipped);
        Assert.Contains("speculative decoding", spec.Note, StringComparison.Ordinal);
        Assert.InRange(plain.Predicted!.Value, 9.9, 10.1);
        Assert.InRange(spec.Predicted!.Value, 19.0 / 2.952 * 0.9, 19.0 / 2.952 * 1.1);
    }

    [Fact]
    public void Rows_with_speculation_are_never_in_the_calibration_fit()
    {
        var text = Header + "\n" + Row("spec", "eagle", "3", "2.952") + Row("plain", "", "", "");
        var rows = MeasurementFiles.Parse(text, "rows.csv").Rows.Cast<InferenceMeasurement>().ToDictionary(r => r.Id);
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        Assert.False(Calibrator.UsedForFit(predictor.Resolve(rows["spec"], out _)!));
        Assert.True(Calibrator.UsedForFit(predictor.Resolve(rows["plain"], out _)!));
    }

    [Fact]
    public void The_published_speculation_rows_parse_resolve_and_predict_the_step_time_models_speedup()
    {
        // validation/measurements/speculation.csv: TensorRT-LLM's DeepSeek-R1 MTP table on 8 x B200 (batch 1, 1K / 2K).
        var file = MeasurementFiles.Read("data/speculation.csv");
        Assert.Empty(file.Problems);
        var rows = file.Rows.Cast<InferenceMeasurement>().ToDictionary(r => r.Id);
        Assert.Equal(6, rows.Count);
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var plain = predictor.Predict(rows["spec-001"]);
        Assert.Null(plain.Skipped);
        var m = Catalog.Model("deepseek-r1");
        var d = new Deployment(m, Catalog.Device("nvidia-b200-sxm"), Layouts.Make(m.Architecture, 8, 1), NumberFormat.Fp4, NumberFormat.Bf16, Engine.TrtLlm);
        foreach (var id in new[] { "spec-002", "spec-003", "spec-004", "spec-005", "spec-006" })
        {
            var row = rows[id];
            var p = predictor.Predict(row);
            Assert.Null(p.Skipped);
            var s = Speculation.Create(SpeculationKind.Mtp, row.Speculation!.DraftTokens, row.Speculation.Acceptance, m);
            Assert.Equal(row.Speculation.AcceptanceLength, s.ExpectedTokensPerStep, 9);
            // Batch 1 at the mean context 1,024 + 2,048 / 2 = 2,048: tokens/s = 1 / TPOT of the speculative step.
            var tpot = SpeculativeDecoding.Decode(CalibrationFiles.Default, d, s, 1, 2048).TimePerOutputToken.Value;
            Assert.Equal(1 / tpot, p.Predicted!.Value, 6);
            if (row.Speculation.DraftTokens <= 3)
            {
                // Up to the blog's best k = 3 the model predicts a gain (docs/methodology-steptime.md, "Speculative decoding").
                Assert.True(p.Predicted > plain.Predicted, $"{id}: speculation predicts no gain");
            }
        }
    }
}

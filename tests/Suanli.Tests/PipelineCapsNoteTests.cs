using System.Text.Json;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The layout note of a pipeline-parallel replica says how the engine's scheduler caps apply (docs/methodology-steptime.md,
/// "Pipeline micro-batches"): vLLM V1's micro-batches share one scheduler, so <c>max_num_seqs</c> caps the whole replica
/// while the token budget applies per micro-batch; TensorRT-LLM schedules each micro-batch within both caps. The same
/// finding comes from simulate, capacity and perf (the web endpoints return these documents: EndpointTests).
/// </summary>
public class PipelineCapsNoteTests
{
    private static JsonElement Finding(string key, params string[] args)
    {
        var (code, output, err, _) = CliTests.Run([.. args, "--format", "json"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var found = doc.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("key").GetString() == key).ToList();
        return Assert.Single(found).Clone();
    }

    // Llama-3.1-8B on 16 H100s: TP=8 within a node of 8, PP=2 over two nodes (ReplicaLayouts.Default); caps given, so
    // the round's totals are hand-known.
    private static string[] Simulate(string engine, params string[] more) =>
        ["simulate", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "16", "--engine", engine, "--rate", "1", "--input", "512", "--output", "32",
            "--requests", "40", "--max-num-seqs", "256", "--max-batched-tokens", "4096", .. more];

    [Fact]
    public void A_vllm_pp2_replica_runs_one_sequence_cap_and_a_token_budget_per_micro_batch()
    {
        // One scheduler: 256 sequences for the replica; two micro-batches of 4,096 tokens each: 8,192 a round.
        var message = Finding("pipeline-caps#vllm", Simulate("vllm")).GetProperty("message").GetString()!;
        Assert.Contains("PP=2 on vLLM: the replica's 2 pipeline micro-batches share one scheduler (vLLM V1), so max_num_seqs (--max-num-seqs 256) caps the sequences of the whole replica", message, StringComparison.Ordinal);
        Assert.Contains("the token budget (--max-batched-tokens 4,096) applies to each micro-batch: up to 256 sequences and 8,192 tokens a round", message, StringComparison.Ordinal);
        Assert.Contains("TensorRT-LLM's cap applies to each micro-batch instead", message, StringComparison.Ordinal);
        var zh = Finding("pipeline-caps#vllm", Simulate("vllm", "--lang", "zh")).GetProperty("message").GetString()!;
        Assert.Contains("max_num_seqs（--max-num-seqs 256）限制的是整个副本的序列数", zh, StringComparison.Ordinal);
        Assert.Contains("每轮至多 256 条序列、8,192 个词元", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trtllm_pp2_replica_runs_both_caps_on_each_micro_batch()
    {
        // Each of two micro-batches within 256 sequences and 4,096 tokens: 512 sequences and 8,192 tokens a round.
        var message = Finding("pipeline-caps#trtllm", Simulate("trtllm")).GetProperty("message").GetString()!;
        Assert.Contains("each of the replica's 2 pipeline micro-batches is scheduled within max_batch_size (--max-num-seqs 256) and max_num_tokens (--max-batched-tokens 4,096): up to 512 sequences and 8,192 tokens a round", message, StringComparison.Ordinal);
        var zh = Finding("pipeline-caps#trtllm", Simulate("trtllm", "--lang", "zh")).GetProperty("message").GetString()!;
        Assert.Contains("每轮至多 512 条序列、8,192 个词元。vLLM V1 的 max_num_seqs 则限制整个副本", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_and_capacity_give_the_note_and_a_replica_without_stages_has_none()
    {
        Assert.Equal("info", Finding("pipeline-caps#vllm", "perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "16", "--batch", "1").GetProperty("severity").GetString());
        Finding("pipeline-caps#vllm", "capacity", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "16", "--input", "512", "--output", "32", "--requests", "200", "--tpot-p90", "0.05");
        var (code, output, err, _) = CliTests.Run("simulate", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "8", "--rate", "1", "--input", "512", "--output", "32", "--requests", "40", "--format", "json");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("pipeline-caps", output, StringComparison.Ordinal);
    }
}

using Suanli.Text;
namespace Suanli.Catalog;

/// <summary>The arithmetic a device runs a matrix multiply in; selects the dense peak from the hardware catalog.</summary>
public enum ComputeType
{
    /// <summary>IEEE single precision (vector or matrix).</summary>
    Fp32,
    /// <summary>NVIDIA TensorFloat-32 matrix path.</summary>
    Tf32,
    /// <summary>bfloat16 matrix path.</summary>
    Bf16,
    /// <summary>IEEE half precision matrix path.</summary>
    Fp16,
    /// <summary>8-bit floating point (E4M3/E5M2) matrix path.</summary>
    Fp8,
    /// <summary>8-bit integer matrix path.</summary>
    Int8,
    /// <summary>4-bit integer matrix path.</summary>
    Int4,
    /// <summary>4-bit floating point (NVFP4/MXFP4) matrix path.</summary>
    Fp4,
}

/// <summary>
/// How weights (or KV-cache entries) are stored and which arithmetic runs on them. Bits per weight include the
/// scale overhead of block formats, so <c>int4</c> with group size 128 and an FP16 scale is 4 + 16/128 = 4.125 bits.
/// Sources for each format are in docs/methodology.md ("Weight formats").
/// </summary>
/// <param name="Name">The name users type, e.g. <c>bf16</c>, <c>int4</c>, <c>q4_k_m</c>.</param>
/// <param name="BitsPerValue">Storage bits per weight, scales included.</param>
/// <param name="Compute">The matrix path the engine runs (weight-only formats dequantize to 16-bit).</param>
/// <param name="QuantizesEmbeddings">True for formats (GGUF) that also store embeddings and the LM head in the format; otherwise those stay 16-bit.</param>
/// <param name="Description">One line for tables and help.</param>
public sealed record NumberFormat(string Name, double BitsPerValue, ComputeType Compute, bool QuantizesEmbeddings, string Description)
{
    /// <summary>Bytes per stored value.</summary>
    public double BytesPerValue => BitsPerValue / 8.0;

    /// <summary>True when narrower than 16 bits, so embeddings and norms stay in 16-bit unless <see cref="QuantizesEmbeddings"/>.</summary>
    public bool IsQuantized => BitsPerValue < 16;

    /// <summary>32-bit float.</summary>
    public static NumberFormat Fp32 { get; } = new("fp32", 32, ComputeType.Fp32, false, "32-bit float");
    /// <summary>bfloat16.</summary>
    public static NumberFormat Bf16 { get; } = new("bf16", 16, ComputeType.Bf16, false, "bfloat16");
    /// <summary>IEEE half.</summary>
    public static NumberFormat Fp16 { get; } = new("fp16", 16, ComputeType.Fp16, false, "IEEE half precision");
    /// <summary>FP8 weights and activations (W8A8 FP8, per-tensor or per-channel scales: negligible overhead).</summary>
    public static NumberFormat Fp8 { get; } = new("fp8", 8, ComputeType.Fp8, false, "FP8 E4M3 weights and activations");
    /// <summary>INT8 weights and activations (SmoothQuant-style W8A8, per-channel scales: negligible overhead).</summary>
    public static NumberFormat Int8 { get; } = new("int8", 8, ComputeType.Int8, false, "INT8 weights and activations");
    /// <summary>INT4 weight-only, group size 128 with an FP16 scale per group (AWQ/GPTQ): 4 + 16/128 bits.</summary>
    public static NumberFormat Int4 { get; } = new("int4", 4 + 16.0 / 128, ComputeType.Fp16, false, "INT4 weight-only, group 128 (AWQ/GPTQ)");
    /// <summary>
    /// INT4 weight-only with group size 32 and one BF16 scale per group: 4 + 16/32 = 4.5 bits. Kimi K2 Thinking and
    /// Kimi K2.5 ship their routed experts so (moonshotai/Kimi-K2-Thinking model card, "Native INT4 Quantization";
    /// compressed-tensors pack-quantized scheme with <c>group_size: 32</c> in the checkpoint's config.json).
    /// </summary>
    public static NumberFormat Int4Group32 { get; } = new("int4-g32", 4 + 16.0 / 32, ComputeType.Fp16, false, "INT4 weight-only, group 32 (compressed-tensors, Kimi K2)");
    /// <summary>NVFP4: 4-bit floats in blocks of 16 with an FP8 scale: 4 + 8/16 bits.</summary>
    public static NumberFormat Fp4 { get; } = new("fp4", 4 + 8.0 / 16, ComputeType.Fp4, false, "NVFP4, block 16 with FP8 scale");
    /// <summary>GGUF Q8_0: blocks of 32 int8 with one FP16 scale: 8 + 16/32 = 8.5 bits.</summary>
    public static NumberFormat GgufQ8 { get; } = new("q8_0", 8.5, ComputeType.Fp16, true, "GGUF Q8_0 (llama.cpp)");
    /// <summary>GGUF Q4_0: blocks of 32 4-bit values with one FP16 scale: 4 + 16/32 = 4.5 bits.</summary>
    public static NumberFormat GgufQ4 { get; } = new("q4_0", 4.5, ComputeType.Fp16, true, "GGUF Q4_0 (llama.cpp)");
    /// <summary>GGUF Q4_K_M: mixed Q4_K/Q6_K super-blocks; 4.89 bits per weight as llama.cpp reports for Llama-3-8B.</summary>
    public static NumberFormat GgufQ4KM { get; } = new("q4_k_m", 4.89, ComputeType.Fp16, true, "GGUF Q4_K_M (llama.cpp)");

    /// <summary>
    /// MXFP4 (OCP Microscaling Formats v1.0, 2023): FP4 E2M1 elements in blocks of 32 sharing one 8-bit E8M0 scale,
    /// 4 + 8/32 = 4.25 bits per weight. gpt-oss ships its expert weights so (OpenAI gpt-oss model card, 2025-08-05, section 2);
    /// the dense matrix path is BF16 on devices without native MX support (vLLM/Triton dequantise in the kernel).
    /// </summary>
    public static NumberFormat Mxfp4 { get; } = new("mxfp4", 4 + 8.0 / 32, ComputeType.Bf16, false, "MXFP4, block 32 with E8M0 scale (gpt-oss)");

    /// <summary>Every format Suanli knows.</summary>
    public static IReadOnlyList<NumberFormat> All { get; } = [Fp32, Bf16, Fp16, Fp8, Int8, Int4, Int4Group32, Fp4, Mxfp4, GgufQ8, GgufQ4, GgufQ4KM];

    /// <summary>Formats valid for the KV cache (no weight-only or GGUF formats).</summary>
    public static IReadOnlyList<NumberFormat> KvFormats { get; } = [Fp32, Bf16, Fp16, Fp8, Int8];

    /// <summary>
    /// The KV-cache format: the one named, or else the weight format when it can hold a KV cache (fp32, bf16, fp16,
    /// fp8, int8; for a mixed precision the rest's format), or else bf16 (weight-only and GGUF formats keep the cache in 16-bit).
    /// </summary>
    public static NumberFormat KvFor(WeightPrecision weights, string? kvName, FieldRef field = default) =>
        kvName is null ? weights.KvDefault : Parse(kvName, field.Or(FieldNames.KvPrecision), KvFormats);

    /// <summary>Finds a format by name (case-insensitive); unknown names list the valid ones.</summary>
    public static NumberFormat Parse(string name, FieldRef field = default, IReadOnlyList<NumberFormat>? among = null)
    {
        field = field.Or(FieldNames.Precision);
        var pool = among ?? All;
        var key = name.Trim().ToLowerInvariant() switch
        {
            "float32" or "f32" => "fp32",
            "bfloat16" => "bf16",
            "float16" or "half" or "f16" => "fp16",
            "awq" or "gptq" or "w4a16" => "int4",
            "w4a16-g32" or "int4g32" => "int4-g32",
            "nvfp4" => "fp4",
            var other => other,
        };
        return pool.FirstOrDefault(f => f.Name == key)
            ?? throw field.Error(Suanli.Text.Phrase.Of("precision-unknown", "Unknown precision '{name}' for {field}. Use one of {formats}.",
                ("name", Suanli.Text.InputQuote.Clip(name)), ("field", field.Arg), ("formats", PhraseList.Words(pool.Select(f => f.Name)))));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

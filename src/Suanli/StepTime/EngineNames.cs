using Suanli.Text;

namespace Suanli.StepTime;

/// <summary>
/// The one spelling of each engine in files, on the command line and in reports, and the one parser of the spellings
/// people write (calibration files, scenario candidates, <c>--engine</c>, measurement rows).
/// </summary>
public static class EngineNames
{
    /// <summary>vllm, trtllm, sglang, llamacpp, transformers.</summary>
    public static string Name(Engine e) => e switch
    {
        Engine.TrtLlm => "trtllm",
        Engine.Sglang => "sglang",
        Engine.LlamaCpp => "llamacpp",
        Engine.Transformers => "transformers",
        _ => "vllm",
    };

    /// <summary>
    /// The engine a name means, or null: case-insensitive, with dashes, dots and underscores ignored, so
    /// <c>TensorRT-LLM</c>, <c>llama.cpp</c> and <c>llama-server</c> are read; <c>hf</c> and <c>pytorch</c> mean transformers.
    /// </summary>
    public static Engine? TryParse(string text) =>
        text.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
        {
            "vllm" => Engine.Vllm,
            "trtllm" or "tensorrtllm" => Engine.TrtLlm,
            "sglang" => Engine.Sglang,
            "llamacpp" or "llamaserver" => Engine.LlamaCpp,
            "transformers" or "hf" or "pytorch" => Engine.Transformers,
            _ => null,
        };

    /// <summary>The engine a name means (<see cref="TryParse"/>); an unknown name is an error on <paramref name="field"/>.</summary>
    public static Engine Parse(string text, FieldRef field = default) =>
        TryParse(text) ?? throw field.Or(FieldNames.Engine).Error(Unknown(text));

    /// <summary>The error for an engine name that is none of the engines.</summary>
    /// <param name="text">The name as given.</param>
    public static Phrase Unknown(string text) =>
        Phrase.Of("unknown-engine", "Unknown engine '{name}'; known: vllm, trtllm, sglang, llamacpp, transformers.", ("name", InputQuote.Clip(text)));
}

using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>One spelling per engine and one parser of the spellings that calibration files, scenarios, --engine and measurement rows use.</summary>
public sealed class EngineNamesTests
{
    [Fact]
    public void Every_engine_reads_back_from_its_own_name()
    {
        foreach (var engine in Enum.GetValues<Engine>())
        {
            Assert.Equal(engine, EngineNames.TryParse(EngineNames.Name(engine)));
        }
    }

    [Theory]
    [InlineData("TensorRT-LLM", Engine.TrtLlm)]
    [InlineData("tensorrt_llm", Engine.TrtLlm)]
    [InlineData(" vLLM ", Engine.Vllm)]
    [InlineData("SGLang", Engine.Sglang)]
    [InlineData("llama.cpp", Engine.LlamaCpp)]
    [InlineData("llama-server", Engine.LlamaCpp)]
    [InlineData("hf", Engine.Transformers)]
    [InlineData("pytorch", Engine.Transformers)]
    public void The_spellings_people_write_mean_their_engine(string text, Engine expected) =>
        Assert.Equal(expected, EngineNames.TryParse(text));

    [Fact]
    public void An_unknown_engine_is_null_to_try_and_an_error_on_its_field_to_parse()
    {
        Assert.Null(EngineNames.TryParse("deepspeed"));
        var error = Assert.Throws<InputException>(() => EngineNames.Parse("deepspeed", "candidates.engines"));
        Assert.Equal("candidates.engines", error.Field);
        Assert.Contains("'deepspeed'", error.Message, StringComparison.Ordinal);
    }
}

using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Runs;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// Speculative decoding, as <c>--speculate</c>, <c>--accept</c> and <c>--draft-tokens</c> of <c>suanli perf</c>,
/// <c>simulate</c> and <c>capacity</c>: the same query parameters and JSON fields on the three endpoints.
/// </summary>
/// <remarks>A base record of its own so that no input record declares more than 20 fields (issue 17's limit).</remarks>
public abstract record SpeculationInput
{
    /// <summary>mtp, eagle or draft:MODEL; none when absent.</summary>
    [Description("Speculative decoding: mtp (the model's multi-token-prediction block), eagle (an EAGLE-style one-layer head) or draft:MODEL (a smaller catalog model with the same vocabulary). Default: none.")]
    [FromQuery(Name = "speculate")]
    public string? Speculate { get; init; }

    /// <summary>Probability that one proposed token is accepted, strictly between 0 and 1.</summary>
    [Description("With speculate: probability that one proposed token is accepted, 0 < accept < 1 (DeepSeek-V3 MTP: 0.85 to 0.9).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "accept")]
    public string? Accept { get; init; }

    /// <summary>Tokens proposed per sequence per step.</summary>
    [Description("With speculate: tokens proposed per sequence per step. Default: 1 for mtp, 4 otherwise.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "draftTokens")]
    public string? DraftTokens { get; init; }

    /// <summary>The inputs as the runs take them; the ranges are left to the core, whose errors name the field.</summary>
    public SpeculationInputs Parse() => new()
    {
        Speculate = Inputs.Text(Speculate, "speculate"),
        Accept = Inputs.Number(Accept, "accept", null, double.MinValue, double.MaxValue),
        DraftTokens = Inputs.Whole(DraftTokens, "draftTokens", int.MinValue, int.MaxValue) is { } k ? (int)k : null,
    };
}

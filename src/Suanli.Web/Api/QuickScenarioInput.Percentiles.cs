using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Serving;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// The percentile each of the page's targets is checked at, named as <c>suanli optimize</c> names them
/// (<c>--ttft-percentile</c>, <c>--tpot-percentile</c>): the scenario file's <c>ttft_p99_s</c>, given as a query.
/// </summary>
public partial record QuickScenarioInput
{
    /// <summary>The percentile of <see cref="TtftP90"/>'s target.</summary>
    [Description("Percentile the TTFT target (ttftP90's seconds) is checked at, above 0 and below 100 (99 as MLPerf). Default 90.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftPercentile")]
    public string? TtftPercentile { get; init; }

    /// <summary>The percentile of <see cref="TpotP90"/>'s target.</summary>
    [Description("Percentile the TPOT target (tpotP90's seconds) is checked at, above 0 and below 100. Default 90.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotPercentile")]
    public string? TpotPercentile { get; init; }

    /// <summary>The TTFT target's percentile, checked as a plan's probes can estimate it (an error names <c>ttftPercentile</c>); none: p90.</summary>
    public Percentile TtftAt() => At(TtftPercentile, "ttftPercentile");

    /// <summary>The TPOT target's percentile (an error names <c>tpotPercentile</c>); none: p90.</summary>
    public Percentile TpotAt() => At(TpotPercentile, "tpotPercentile");

    private static Percentile At(string? text, string field) =>
        Inputs.Percentile(text, field) is { } given ? Percentile.Parse(given, field).CheckProbe(field) : Percentile.P90;
}

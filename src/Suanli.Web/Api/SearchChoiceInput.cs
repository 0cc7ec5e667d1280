using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Runs;
using Suanli.Text;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// What a search prices and how thoroughly it looks (<see cref="SearchChoices"/>), as <c>/api/optimize</c> and the
/// page's search (<c>/api/plan/search</c> and its stream) take it: the options <c>--cost</c>, <c>--rent-term</c>,
/// <c>--purchase</c>, <c>--today</c> and <c>--exhaustive</c> of <c>suanli optimize</c>, in camelCase.
/// </summary>
public record SearchChoiceInput
{
    /// <summary>The cost minimised.</summary>
    [Description("Cost minimised: cheaper (own or rent, the default), own or rent.")]
    [FromQuery(Name = "cost")]
    public string? Cost { get; init; }

    /// <summary>The rent term pinned.</summary>
    [Description("Rent term pinned: on-demand, reserved-1y, reserved-3y or spot. Without it each fleet reserves the devices busy enough to pay and rents the rest on demand. Reserved terms bill every hour of the month.")]
    [FromQuery(Name = "rentTerm")]
    public string? RentTerm { get; init; }

    /// <summary>The purchase price used.</summary>
    [Description("Purchase price used: newest (the newest-dated, the default), article-claim, street-estimate or list-price.")]
    [FromQuery(Name = "purchase")]
    public string? Purchase { get; init; }

    /// <summary>The date prices are judged stale against (ISO 8601 date).</summary>
    [Description("The date prices are judged stale against, yyyy-mm-dd (ISO 8601). Default: the server's today.")]
    [FromQuery(Name = "today")]
    public string? Today { get; init; }

    /// <summary>Simulate every feasible candidate.</summary>
    [Description("true: simulate every feasible candidate instead of pruning with the analytic bound (slow; checks the pruning). Runs under the server's time limit (422 past it). Default false.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "exhaustive")]
    public string? Exhaustive { get; init; }

    /// <summary>The choices as both front ends give them to the search.</summary>
    public SearchChoices Choices() => new()
    {
        Cost = Inputs.Text(Cost, "cost"),
        RentTerm = Inputs.Text(RentTerm, "rentTerm"),
        Purchase = Inputs.Text(Purchase, "purchase"),
        Today = Inputs.Text(Today, "today"),
        Exhaustive = Inputs.Flag(Exhaustive, "exhaustive"),
    };
}

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The app with its clock fixed at noon UTC on <see cref="ClockTests.Day"/>, started once for the class.</summary>
public sealed class FixedClockApp : WebApplicationFactory<Program>
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.ConfigureTestServices(s =>
        s.AddSingleton<TimeProvider>(new FixedClock(new DateTimeOffset(ClockTests.Day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero))));
}

/// <summary>
/// The server's dated answers (stale prices, price ages) follow the clock registered with its services, not the machine's.
/// One server with the fixed clock serves the class (a class fixture), where each test built and started its own.
/// </summary>
public class ClockTests(FixedClockApp factory) : IClassFixture<FixedClockApp>
{
    // Years after every catalog date, so every price is stale and each age is plain arithmetic.
    internal static readonly DateOnly Day = new(2040, 1, 1);

    private HttpClient Client() => factory.CreateClient();

    [Fact]
    public async Task The_price_listing_judges_staleness_on_the_registered_clock()
    {
        using var doc = JsonDocument.Parse(await Client().GetStringAsync("/api/catalog/prices"));
        var root = doc.RootElement;
        Assert.Equal("2040-01-01", root.GetProperty("today").GetString());
        // The rent finding's oldest age is the days from the oldest rent date to the fixed day.
        var oldestRent = root.GetProperty("rent").EnumerateArray().Select(r => DateOnly.ParseExact(r.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)).Min();
        var rentFinding = root.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("code").GetString() == "stale-price" && f.GetProperty("args").GetProperty("table").GetString() == "rent");
        Assert.Equal("2040-01-01", rentFinding.GetProperty("args").GetProperty("today").GetString());
        Assert.Equal((Day.DayNumber - oldestRent.DayNumber).ToString(CultureInfo.InvariantCulture), rentFinding.GetProperty("args").GetProperty("days").GetString());
    }

    [Fact]
    public async Task A_plan_dates_its_prices_on_the_registered_clock()
    {
        var plan = await Client().GetStringAsync("/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurrency=5");
        Assert.Contains("days before 2040-01-01", plan, StringComparison.Ordinal);
    }
}

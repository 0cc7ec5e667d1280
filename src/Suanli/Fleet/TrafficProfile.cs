using Suanli.Text;

namespace Suanli.Fleet;

/// <summary>
/// A day of traffic as 24 hourly multipliers of the peak (0 to 1, local time, hour 0 = midnight to 1 am).
/// The named presets are illustrative shapes, stated as assumptions in every plan that uses them
/// (docs/methodology-fleet.md, "Traffic profiles"); users replace them with their own measured hours.
/// </summary>
public sealed record TrafficProfile
{
    private TrafficProfile(string name, double[] hours, Phrase description)
    {
        Name = name;
        Hours = hours;
        Description = description;
    }

    /// <summary>Profile name (a preset name or "custom").</summary>
    public string Name { get; }

    /// <summary>The 24 multipliers.</summary>
    public IReadOnlyList<double> Hours { get; }

    /// <summary>What the shape assumes, in the reader's language.</summary>
    public Phrase Description { get; }

    /// <summary>Mean multiplier over the day: average load as a fraction of the peak.</summary>
    public double Mean => Hours.Average();

    /// <summary>The largest multiplier.</summary>
    public double Peak => Hours.Max();

    /// <summary>
    /// The profile read on another clock: hour <c>h</c> of the result is the load of local hours <c>h + hours</c>, so an
    /// application whose zone is <paramref name="hours"/> ahead of the fleet's clock (Asia/Shanghai, +8 h, on a UTC fleet)
    /// peaks <paramref name="hours"/> earlier on that clock. A fractional shift (India's +5:30) splits each hour linearly
    /// between the two local hours it overlaps, so the day's total (and <see cref="Mean"/>) is kept exactly and no
    /// multiplier leaves 0-1 (docs/methodology-fleet.md, "Time zones"). A shift of 0 returns this profile unchanged.
    /// </summary>
    /// <param name="hours">The application's UTC offset minus the fleet clock's, in hours (-48 to 48).</param>
    public TrafficProfile Shifted(double hours)
    {
        if (hours == 0)
        {
            return this;
        }
        if (!double.IsFinite(hours) || Math.Abs(hours) > 48)
        {
            throw new InputException("time_zone", Phrase.Of("time-zone-shift-range", "A time zone shift of {hours} hours is outside -48 to 48.", ("hours", Suanli.Text.Fmt.Number(hours))));
        }
        var whole = (int)Math.Floor(hours);
        var part = hours - whole;
        var shifted = new double[24];
        for (var h = 0; h < 24; h++)
        {
            // Fleet hour [h, h + 1) is local [h + hours, h + hours + 1): (1 - part) of local hour h + whole, part of the next.
            var first = Hours[Mod24(h + whole)];
            shifted[h] = part == 0 ? first : (1 - part) * first + part * Hours[Mod24(h + whole + 1)];
        }
        return new TrafficProfile(Name, shifted, Description);
    }

    private static int Mod24(int h) => ((h % 24) + 24) % 24;

    /// <summary>Validates and wraps 24 multipliers; errors name the hour.</summary>
    public static TrafficProfile Custom(IReadOnlyList<double> hours, string field = "profile")
    {
        if (hours.Count != 24)
        {
            throw new InputException(field, Phrase.Of("profile-hours-count", "{field} needs 24 hourly multipliers (hour 0 to 23), got {count}.", ("field", field), ("count", hours.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        for (var h = 0; h < 24; h++)
        {
            if (!double.IsFinite(hours[h]) || hours[h] < 0 || hours[h] > 1)
            {
                throw new InputException(field, Phrase.Of("profile-hour-range", "{field}[{hour}] is {value}; multipliers are fractions of the peak, from 0 to 1.",
                    ("field", field), ("hour", h.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("value", Suanli.Text.Fmt.Number(hours[h]))));
            }
        }
        if (hours.Max() <= 0)
        {
            throw new InputException(field, Phrase.Of("profile-zero", "{field} is zero all day; at least one hour must carry load.", ("field", field)));
        }
        return new TrafficProfile("custom", [.. hours], Phrase.Of("profile#custom", "user-supplied hourly multipliers"));
    }

    /// <summary>Weekday office hours: ramp from 8:00, peak 9:00-11:00 and 14:00-16:00, lunch dip, near idle at night.</summary>
    public static TrafficProfile OfficeHours { get; } = new("office-hours",
        [0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.05, 0.15, 0.5, 1.0, 1.0, 0.9, 0.55, 0.7, 0.95, 1.0, 0.85, 0.6, 0.3, 0.15, 0.1, 0.07, 0.05, 0.03],
        Phrase.Of("profile#office-hours", "weekday office hours (illustrative): peaks at 9-11 and 14-16, lunch dip, ~2% at night"));

    /// <summary>Outbound call centre: dialling 9:00-12:00 and 13:30-18:00 within local calling-hour rules, nothing at night.</summary>
    public static TrafficProfile CallCentre { get; } = new("call-centre",
        [0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.9, 1.0, 0.95, 0.3, 0.6, 1.0, 1.0, 0.9, 0.7, 0.2, 0.05, 0, 0, 0, 0],
        Phrase.Of("profile#call-centre", "outbound call centre (illustrative): dialling 9-12 and 13:30-18, none at night"));

    /// <summary>Consumer chatbot: daytime plateau rising to an evening peak at 20:00-22:00, trough at 4:00-6:00.</summary>
    public static TrafficProfile ConsumerEvening { get; } = new("consumer-evening",
        [0.45, 0.3, 0.2, 0.12, 0.08, 0.08, 0.12, 0.25, 0.4, 0.5, 0.55, 0.6, 0.6, 0.55, 0.55, 0.6, 0.62, 0.65, 0.72, 0.85, 0.95, 1.0, 0.85, 0.65],
        Phrase.Of("profile#consumer-evening", "consumer chatbot (illustrative): evening peak 20-22, trough 4-6"));

    /// <summary>Constant load at the peak all day (sizing check).</summary>
    public static TrafficProfile Flat { get; } = new("flat", [.. Enumerable.Repeat(1.0, 24)], Phrase.Of("profile#flat", "constant peak load"));

    /// <summary>The presets by name.</summary>
    public static IReadOnlyList<TrafficProfile> Presets { get; } = [OfficeHours, CallCentre, ConsumerEvening, Flat];

    /// <summary>
    /// A preset by name; unknown names list the presets, and the list form of 24 hourly multipliers where
    /// <paramref name="listAllowed"/> (a scenario file takes one; a field that holds only a name must not offer it).
    /// </summary>
    public static TrafficProfile Preset(string name, string field = "profile", bool listAllowed = true) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InputException(field, listAllowed
            ? Phrase.Of("profile-unknown", "Unknown traffic profile '{name}'. Use one of {presets}, or a list of 24 hourly multipliers.",
                ("name", name), ("presets", PhraseList.Words(Presets.Select(p => p.Name))))
            : Phrase.Of("profile-unknown#preset-only", "Unknown traffic profile '{name}'. Use one of {presets}; hourly multipliers of your own need a scenario file.",
                ("name", name), ("presets", PhraseList.Words(Presets.Select(p => p.Name)))));
}

using System.Globalization;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Training;

/// <summary>
/// The cluster that finishes a training job within a deadline (<c>suanli train --days</c>): the same time formula as
/// <see cref="TrainingPlanner.Estimate"/> (model FLOPs / (devices x dense peak x MFU(devices))) solved for the devices.
/// </summary>
/// <param name="Deadline">The deadline asked for.</param>
/// <param name="DevicesByTime">The fewest devices whose time is within the deadline.</param>
/// <param name="DevicesByMemory">The fewest devices that hold the job in memory (any ZeRO stage), null when none up to the limit.</param>
/// <param name="ModelParallelGroup">Devices of one model copy (TP x PP) of the layout chosen on <paramref name="Devices"/>; the count is a multiple of it.</param>
/// <param name="Devices">The devices chosen: the larger of the two counts when a layout on it fits memory, else rounded up to whole model copies of the smallest cluster that fit.</param>
/// <param name="MfuAtDevices">The MFU used at <paramref name="Devices"/>.</param>
/// <param name="WallClock">The run's time on <paramref name="Devices"/> devices (at most the deadline).</param>
public sealed record DeadlineSizing(Duration Deadline, int DevicesByTime, int? DevicesByMemory, int ModelParallelGroup, int Devices, double MfuAtDevices, Duration WallClock)
{
    /// <summary>The larger of <see cref="DevicesByTime"/> and <see cref="DevicesByMemory"/>: the count before any rounding to whole model copies.</summary>
    public int Larger => Math.Max(DevicesByTime, DevicesByMemory ?? 1);

    /// <summary>True when <see cref="Devices"/> is more than <see cref="Larger"/>: no layout on that count held the job, so it was rounded up to whole model copies.</summary>
    public bool RoundedUp => Devices > Larger;
}

/// <summary>Solves the training time for the device count (docs/methodology-training.md, "Deadline mode").</summary>
public static class Deadline
{
    /// <summary>
    /// The fewest devices that finish <paramref name="r"/> (its <see cref="TrainingRequest.Devices"/> and layout are
    /// ignored) within <paramref name="deadline"/>. Devices x MFU(devices) grows with the devices (the scale loss is
    /// logarithmic), so the time falls monotonically and a bisection finds the count. A deadline no cluster of up to
    /// <see cref="TrainingPlanner.MaxDevices"/> devices meets is an <see cref="InputException"/> on <c>--days</c> that
    /// gives the fastest time within the limit and the devices the deadline would need.
    /// </summary>
    public static DeadlineSizing Size(TrainingRequest r, Duration deadline)
    {
        if (!(deadline.Value > 0) || !double.IsFinite(deadline.Value))
        {
            throw new InputException(FieldNames.Days, Phrase.Of("days-positive", "{days} must be more than zero, e.g. 30.", ("days", FieldNames.Days)));
        }
        var (compute, peak) = TrainingPlanner.Peak(r.Device, r.Precision);
        var flops = TrainingCompute.ModelPerToken(r.Model.Architecture, r.SeqLen, r.Method, r.LoraRank) * r.Tokens.Value;
        var u = r.Utilisation;
        double Mfu(double n) => r.Mfu ?? u.Base * u.PrecisionFactor(compute) / (1.0 + u.ScaleSlope * Math.Log2(Math.Max(1.0, n / u.ScaleOnset)));
        double Seconds(double n) => flops.Value / (peak.Value * n * Mfu(n));

        // Smallest n with Seconds(n) <= deadline, searched up to 10^15 devices so an unmet deadline can say what it needs.
        const double searchLimit = 1e15;
        if (Seconds(searchLimit) > deadline.Value)
        {
            throw Unmet(r, deadline, Seconds(TrainingPlanner.MaxDevices), null);
        }
        double lo = 0, hi = 1;
        while (Seconds(hi) > deadline.Value)
        {
            lo = hi;
            hi *= 2;
        }
        while (hi - lo > 1)
        {
            var mid = Math.Floor((lo + hi) / 2);
            if (Seconds(mid) <= deadline.Value)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        if (hi > TrainingPlanner.MaxDevices)
        {
            throw Unmet(r, deadline, Seconds(TrainingPlanner.MaxDevices), hi);
        }
        var byTime = (int)hi;
        var smallest = TrainingPlanner.SmallestClusterFor(r with { Layout = null }, 3);
        var larger = Math.Max(byTime, smallest?.Devices ?? 1);
        var devices = larger;
        var group = 1;
        if (smallest is not null)
        {
            // The larger count itself when a layout on it holds the job: at 43 devices data parallelism with ZeRO shards
            // what the 2-device smallest cluster needed TP=2 for, so rounding 43 up to copies of 2 bought a 44th device
            // for nothing. Otherwise rounded up to whole model copies of the smallest cluster (TP x PP), moving up one
            // copy at a time while every layout on the count overflows memory.
            var chosen = TrainingPlanner.ChooseLayout(r with { Devices = devices, Layout = null });
            if (!chosen.Memory.Fits)
            {
                var copy = smallest.Layout.Tp * smallest.Layout.Pp;
                devices = (int)Math.Min(TrainingPlanner.MaxDevices, Math.Ceiling(devices / (double)copy) * copy);
                for (var tries = 0; tries < 64 && devices + copy <= TrainingPlanner.MaxDevices; tries++)
                {
                    chosen = TrainingPlanner.ChooseLayout(r with { Devices = devices, Layout = null });
                    if (chosen.Memory.Fits)
                    {
                        break;
                    }
                    devices += copy;
                }
            }
            group = chosen.Layout.Tp * chosen.Layout.Pp;
        }
        return new DeadlineSizing(deadline, byTime, smallest?.Devices, group, devices, Mfu(devices), Duration.FromSeconds(Seconds(devices)));
    }

    private static InputException Unmet(TrainingRequest r, Duration deadline, double fastestSeconds, double? needed)
    {
        var fastest = Duration.FromSeconds(fastestSeconds);
        var need = needed is { } n
            ? Phrase.Of("deadline-unmet#need", " it would need {devices} devices at the fitted MFU, beyond the {max} considered", ("devices", Fmt.I($"{n:N0}")), ("max", Fmt.I($"{TrainingPlanner.MaxDevices:N0}")))
            : Phrase.Of("deadline-unmet#unreachable", " no device count reaches it");
        return new InputException(FieldNames.Days, Phrase.Of("deadline-unmet",
            "No cluster of up to {max} x {device} trains {model} on {tokens} tokens within {deadline} days: the fastest is {fastest} days ({hours} hours) on {max} devices, and{need}. Give {days} {least} or more, fewer tokens, or a faster device.",
            ("max", Fmt.I($"{TrainingPlanner.MaxDevices:N0}")), ("device", r.Device.Id), ("model", r.Model.Id), ("tokens", Fmt.Number(r.Tokens.Value)),
            ("deadline", deadline.InDays < 1e-4 ? Fmt.Number(deadline.InDays) : Fmt.I($"{deadline.InDays:#,0.####}")), ("fastest", Small(fastest.InDays, 1e-4, "#,0.####")), ("hours", Small(fastest.InHours, 0.01, "#,0.##")),
            ("need", need), ("days", FieldNames.Days), ("least", Fmt.I($"{Math.Ceiling(fastest.InDays * 1000) / 1000:0.###}"))));
    }

    // A time below what the fixed decimals show (a seed run of a few tokens takes seconds) keeps three significant figures
    // instead of reading "0 days (0 hours)".
    private static string Small(double value, double below, string format) =>
        value < below ? Fmt.Number(double.Parse(value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)) : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}

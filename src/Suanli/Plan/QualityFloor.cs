using System.Globalization;

namespace Suanli.Plan;

/// <summary>Parses a quality floor such as "MMLU >= 70".</summary>
public static class QualityFloor
{
    /// <summary>Returns (benchmark, minimum score in percent).</summary>
    public static (string Benchmark, double Minimum) Parse(string text)
    {
        var parts = text.Split(">=", 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && parts[0].Length > 0
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var min) && min is >= 0 and <= 100)
        {
            return (parts[0], min);
        }
        throw new InputException("quality", $"Quality floor '{text}' must read like 'MMLU >= 70' (a benchmark, '>=', a score from 0 to 100).");
    }
}

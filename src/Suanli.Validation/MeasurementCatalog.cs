using System.Diagnostics.CodeAnalysis;
using Suanli.Catalog;

namespace Suanli.Validation;

/// <summary>The catalog look-up every measurement row starts with: its model and its hardware, or why it is skipped.</summary>
internal static class MeasurementCatalog
{
    /// <summary>The row's model and device; false with the skip reason when either name is not in the catalog.</summary>
    public static bool TryFind(SuanliCatalog catalog, string model, string hardware, [NotNullWhen(true)] out ModelEntry? entry, [NotNullWhen(true)] out Device? device,
        [NotNullWhen(false)] out string? skip)
    {
        entry = null;
        device = null;
        skip = null;
        if (!catalog.TryModel(model, out var m) || m is null)
        {
            skip = $"unknown model '{model}' (not in the catalog)";
            return false;
        }
        if (!catalog.TryDevice(hardware, out var d) || d is null)
        {
            skip = $"unknown hardware '{hardware}' (not in the catalog)";
            return false;
        }
        (entry, device) = (m, d);
        return true;
    }
}

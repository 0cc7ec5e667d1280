using Suanli.Catalog;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The name checks the device tests share (DeviceCatalogTests, NextGenerationDeviceTests, CatalogTests, NameAliasTests): a name users
/// type resolves to its device, and every id and alias of a device resolves to it in any case and is written lower case.
/// </summary>
internal static class DeviceNameChecks
{
    /// <summary>Asserts that <paramref name="name"/> resolves to the device <paramref name="id"/>.</summary>
    public static void AssertResolves(SuanliCatalog catalog, string name, string id) => Assert.Equal(id, catalog.Device(name).Id);

    /// <summary>
    /// Asserts, for each of <paramref name="devices"/>, that its id and every alias are lower case and resolve to it as
    /// written and upper-cased.
    /// </summary>
    public static void AssertEveryNameResolves(SuanliCatalog catalog, IEnumerable<Device> devices)
    {
        foreach (var d in devices)
        {
            foreach (var name in d.Aliases.Prepend(d.Id))
            {
                Assert.Equal(name.ToLowerInvariant(), name);
                Assert.Equal(d.Id, catalog.Device(name).Id);
                Assert.Equal(d.Id, catalog.Device(name.ToUpperInvariant()).Id);
            }
        }
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Suanli.Web.Tests;

/// <summary>
/// The app with a five-minute operation limit, started once per test class. Tests that compare documents (not the time
/// limit, which ApiTests pins) use it so a loaded test machine cannot turn a slow search into a 422; a class fixture
/// rather than <c>WithWebHostBuilder</c> in the constructor, which built and started a fresh host for every test.
/// </summary>
public sealed class GenerousLimitApp : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("Suanli:OperationTimeLimit", "00:05:00");
}

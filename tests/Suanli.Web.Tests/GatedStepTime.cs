using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Suanli.StepTime;
using Suanli.Web.Http;

namespace Suanli.Web.Tests;

/// <summary>
/// A step-time model whose calls wait while the gate is closed: work that needs step times cannot finish before a test
/// has seen it running, and goes on only when the test opens the gate.
/// </summary>
internal sealed class GatedStepTime(IStepTimeModel inner) : IStepTimeModel, IDisposable
{
    private readonly ManualResetEventSlim _open = new(initialState: true);

    public void Close() => _open.Reset();

    public void Open() => _open.Set();

    public StepEstimate Estimate(Deployment deployment, StepShape shape)
    {
        _open.Wait();
        return inner.Estimate(deployment, shape);
    }

    public void Dispose() => _open.Dispose();
}

/// <summary>
/// A server whose step times wait at a closed gate, armed once the server has started (its warm-up calls the model
/// too); disposing it opens the gate, so a failed assertion leaves no work waiting.
/// </summary>
internal sealed class GatedServer : IDisposable
{
    public GatedServer(WebApplicationFactory<Program> factory)
    {
        Gate = new GatedStepTime(factory.Services.GetRequiredService<IStepTimeModel>());
        Server = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStepTimeModel>(Gate)));
        Limit = Server.Services.GetRequiredService<TimeLimit>();
        Gate.Close();
    }

    public GatedStepTime Gate { get; }

    public WebApplicationFactory<Program> Server { get; }

    public TimeLimit Limit { get; }

    public void Dispose()
    {
        Gate.Open();
        Server.Dispose();
        Gate.Dispose();
    }
}

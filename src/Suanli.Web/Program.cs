using Suanli;
using Suanli.Web;

try
{
    return await SuanliWeb.ServeAsync(SuanliWeb.Build(args), Console.Out);
}
catch (InputException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}

/// <summary>The web app's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;

namespace Suanli.Text;

/// <summary>
/// Another command or view that a message points the reader to (<c>memory</c>: the layouts that fit), by its logical
/// id. Like a <see cref="FieldName"/>, each front end spells it its own way: the CLI as the command to run
/// (<c>'suanli memory'</c>), the web as the page's panel or API endpoint in the page's language.
/// </summary>
/// <param name="Id">The logical id: lower-case words joined by dashes (<c>catalog-prices</c>).</param>
/// <param name="Command">The command line's words after <c>suanli</c> (<c>catalog prices</c>).</param>
/// <param name="Web">The web's spelling: the page's panel or the API endpoint, a phrase so it reads in the page's language.</param>
public sealed record CommandRef(string Id, string Command, Phrase Web)
{
    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>The commands and views the core's messages point to, and the spellings of the front ends.</summary>
public static class CommandRefs
{
    /// <summary>The memory of one copy and the layouts that fit.</summary>
    public static CommandRef Memory { get; } = new("memory", "memory",
        Phrase.Of("view#memory", "the 'Memory of one model copy' panel"));

    /// <summary>The largest load one replica carries with its targets met, and what would meet them.</summary>
    public static CommandRef Capacity { get; } = new("capacity", "capacity",
        Phrase.Of("view#capacity", "GET /api/capacity"));

    /// <summary>The embedded catalogs (models, hardware, servers, prices).</summary>
    public static CommandRef Catalog { get; } = new("catalog", "catalog",
        Phrase.Of("view#catalog", "GET /api/catalog/models (or /hardware, /servers, /prices)"));

    /// <summary>The catalog's models.</summary>
    public static CommandRef CatalogModels { get; } = new("catalog-models", "catalog models",
        Phrase.Of("view#catalog-models", "GET /api/catalog/models"));

    /// <summary>The catalog's devices.</summary>
    public static CommandRef CatalogHardware { get; } = new("catalog-hardware", "catalog hardware",
        Phrase.Of("view#catalog-hardware", "GET /api/catalog/hardware"));

    /// <summary>The catalog's servers.</summary>
    public static CommandRef CatalogServers { get; } = new("catalog-servers", "catalog servers",
        Phrase.Of("view#catalog-servers", "GET /api/catalog/servers"));

    /// <summary>The catalog's prices.</summary>
    public static CommandRef CatalogPrices { get; } = new("catalog-prices", "catalog prices",
        Phrase.Of("view#catalog-prices", "the 'Hardware and prices' panel"));

    /// <summary>The seed cases: each founding article's figure, its method re-computed and the planner's answer.</summary>
    public static CommandRef Cases { get; } = new("cases", "cases",
        Phrase.Of("view#cases", "docs/cases.md"));

    /// <summary>A search over a scenario file's applications and candidates (the example file of the optimisation seed case).</summary>
    public static CommandRef OptimizeScenario { get; } = new("optimize-scenario", "optimize examples/c2-optimize.yaml",
        Phrase.Of("view#optimize-scenario", "POST /api/plan/search with the scenario file as the body"));

    /// <summary>
    /// The core's own spelling, used for the English <see cref="Exception.Message"/> and <see cref="Finding.Message"/>:
    /// the command to run, quoted (<c>'suanli memory'</c>), as the CLI, the reference front end, says it.
    /// </summary>
    public static string Cli(CommandRef command, Language language) => "'suanli " + command.Command + "'";

    /// <summary>The web's spelling: the page's panel or the API endpoint, in <paramref name="language"/>.</summary>
    public static string Web(CommandRef command, Language language) => command.Web.Render(language, FieldNames.Web, Web);
}

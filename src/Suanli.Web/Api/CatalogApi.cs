using Suanli.Catalog;
using Suanli.Runs;
using Suanli.Web.Http;
using Suanli.Files;

namespace Suanli.Web.Api;

/// <summary><c>GET /api/catalog/{models|hardware|servers|prices}</c>: the catalog the server holds, as <c>suanli catalog … --format json</c> prints it.</summary>
public static class CatalogApi
{
    /// <summary>Maps the catalog endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/catalog").WithTags("Catalog");
        group.MapGet("/models", (SuanliCatalog catalog, string? format) => ReportResults.Render(CatalogReport.Models(catalog), format))
            .WithName("CatalogModels").WithSummary("Models: parameters (counted and published), attention, experts, licence, benchmark scores (suanli catalog models).")
            .Produces<ModelsJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/hardware", (SuanliCatalog catalog, string? format) => ReportResults.Render(CatalogReport.Hardware(catalog), format))
            .WithName("CatalogHardware").WithSummary("Devices: memory, bandwidth, dense peaks, power, prices with source and date (suanli catalog hardware).")
            .Produces<DevicesJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/servers", (SuanliCatalog catalog, string? format) => ReportResults.Render(CatalogReport.Servers(catalog), format))
            .WithName("CatalogServers").WithSummary("Servers: devices per node, power, height, price (suanli catalog servers).")
            .Produces<ServersJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/prices", (TimeProvider clock, string? format) => ReportResults.Render(PriceReport.Build(PriceFiles.Embedded, Inputs.Today(clock)), format))
            .WithName("CatalogPrices").WithSummary("Prices with source and date: API per million tokens, rent, purchase, tariffs, PUE, exchange rates; entries over a year old are findings (suanli catalog prices). The page converts CNY and USD with the exchange rate listed here.")
            .Produces<PricesJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
    }
}

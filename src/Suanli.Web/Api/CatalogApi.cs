using Suanli.Catalog;
using Suanli.IO.Reports;
using Suanli.Web.Http;
using Suanli.Web.Interim;

namespace Suanli.Web.Api;

/// <summary><c>GET /api/catalog/{models|hardware|servers|exchange-rates}</c>: the catalog the server holds, as <c>suanli catalog … --format json</c> prints it.</summary>
public static class CatalogApi
{
    /// <summary>Maps the catalog endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/catalog").WithTags("Catalog");
        group.MapGet("/models", (SuanliCatalog catalog, string? format) => ReportResults.Render(CatalogReport.Models(catalog), format))
            .WithName("CatalogModels").WithSummary("Models: parameters (counted and published), attention, experts, licence, benchmark scores (suanli catalog models).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/hardware", (SuanliCatalog catalog, string? format) => ReportResults.Render(CatalogReport.Hardware(catalog), format))
            .WithName("CatalogHardware").WithSummary("Devices: memory, bandwidth, dense peaks, power, prices with source and date (suanli catalog hardware).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/servers", (SuanliCatalog catalog, string? format) => ReportResults.Render(CatalogReport.Servers(catalog), format))
            .WithName("CatalogServers").WithSummary("Servers: devices per node, power, height, price (suanli catalog servers).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/exchange-rates", (string? format) => ReportResults.Render(ExchangeRates.Build(), format))
            .WithName("CatalogExchangeRates").WithSummary("Dated exchange rates from catalog/prices/energy.yaml, newest first; the page converts displayed prices with the newest USD to CNY rate.")
            .Produces<IReadOnlyList<ExchangeRateJson>>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
    }
}

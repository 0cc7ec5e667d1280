using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Suanli.Web.Http;

/// <summary>
/// Completes each /api operation's query parameters in the OpenAPI document with the two every endpoint binds
/// outside its input record: <c>format</c> (listed by ASP.NET without a word of what it takes) gets its values, and
/// <c>lang</c>, which <see cref="QueryParameters"/> accepts on every endpoint, is listed, so the document names every
/// parameter a request may carry and the query check refuses the rest.
/// </summary>
public static class OpenApiParameters
{
    /// <summary>The description of <c>format</c>.</summary>
    public const string FormatText = "Answer format: json (default), markdown (md) or csv, the text the command's --format prints; GET /api/plan also takes yaml (the scenario file it plans).";

    /// <summary>The description of <c>lang</c>.</summary>
    public const string LangText = "Language of the answer's sentences (findings, errors, labels): en (default) or zh. Numbers, ids, codes and field names stay as they are.";

    /// <summary>The operation transformer.</summary>
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancel)
    {
        if (context.Description.RelativePath?.StartsWith("api", StringComparison.Ordinal) != true)
        {
            return Task.CompletedTask;
        }
        operation.Parameters ??= [];
        foreach (var p in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query && p.Name == "format" && string.IsNullOrEmpty(p.Description)))
        {
            p.Description = FormatText;
        }
        if (!operation.Parameters.Any(p => p.In == ParameterLocation.Query && string.Equals(p.Name, WebLanguage.Parameter, StringComparison.OrdinalIgnoreCase)))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = WebLanguage.Parameter,
                In = ParameterLocation.Query,
                Description = LangText,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["en", "zh"] },
            });
        }
        return Task.CompletedTask;
    }
}

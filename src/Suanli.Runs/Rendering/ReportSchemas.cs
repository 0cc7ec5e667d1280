using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace Suanli.Runs;

/// <summary>One JSON document of the contract: its schema name, what prints or returns it, and its record type.</summary>
/// <param name="Name">Schema name, also the file name <c>docs/schemas/NAME.schema.json</c>.</param>
/// <param name="Producers">The commands and endpoints whose JSON is this document.</param>
/// <param name="Type">The record type (a <see cref="ReportDocument"/>).</param>
public sealed record SchemaDocument(string Name, string Producers, Type Type);

/// <summary>
/// The versioned JSON contract: every document a command prints with <c>--format json</c> and the web returns,
/// and its JSON Schema (draft 2020-12), generated from the record types with the serializer's own options, so
/// the schema cannot disagree with the output. <c>suanli schema --out docs/schemas</c> writes them.
/// </summary>
public static class ReportSchemas
{
    /// <summary>
    /// Every document of the contract that a run returns, in the order the docs list them; <c>suanli validate</c>'s
    /// document is registered beside its record in Suanli.Validation, which the web does not ship.
    /// </summary>
    public static IReadOnlyList<SchemaDocument> Documents { get; } =
    [
        new("plan", "suanli plan --format json (plan.json); GET|POST /api/plan; GET|POST /api/plan/sensitivity (with the sensitivity table of suanli plan --sensitivity)", typeof(PlanJson)),
        new("plan-hours", "GET|POST /api/plan/hours (the page's fleet chart)", typeof(PlanHoursJson)),
        new("plan-infeasible", "the file formats of /api/plan, /api/plan/hours and /api/plan/sensitivity (format=markdown|csv) and /api/plan/xlsx when no application can be served (JSON answers with the 400 problem)", typeof(InfeasiblePlanJson)),
        new("memory", "suanli memory --format json; GET|POST /api/memory", typeof(MemoryJson)),
        new("perf", "suanli perf --format json; GET|POST /api/perf", typeof(PerfJson)),
        new("simulate", "suanli simulate --format json; GET|POST /api/simulate", typeof(SimulateJson)),
        new("capacity", "suanli capacity --format json; GET|POST /api/capacity", typeof(CapacityJson)),
        new("density", "suanli density --format json; GET|POST /api/density", typeof(DensityJson)),
        new("compare", "suanli compare --format json; GET|POST /api/compare", typeof(CompareJson)),
        new("optimize", "suanli optimize --format json (optimize.json); GET|POST /api/optimize; GET|POST /api/plan/search (the page's search, suanli optimize of its scenario)", typeof(OptimizeJson)),
        new("plan-search-stream", "GET /api/plan/search/stream (the page's search: one message a line, NDJSON)", typeof(PlanSearchMessageJson)),
        new("train", "suanli train --format json; GET|POST /api/train", typeof(TrainJson)),
        new("chinchilla", "suanli chinchilla --format json; GET|POST /api/chinchilla", typeof(ChinchillaJson)),
        new("cases", "suanli cases --format json (docs/cases.md is its Markdown)", typeof(CasesJson)),
        new("catalog-models", "suanli catalog models --format json; GET /api/catalog/models", typeof(ModelsJson)),
        new("catalog-hardware", "suanli catalog hardware --format json; GET /api/catalog/hardware", typeof(DevicesJson)),
        new("catalog-servers", "suanli catalog servers --format json; GET /api/catalog/servers", typeof(ServersJson)),
        new("catalog-prices", "suanli catalog prices --format json; GET /api/catalog/prices", typeof(PricesJson)),
        new("catalog-prices-stale", "suanli catalog prices --stale --format json", typeof(StalePricesJson)),
    ];

    /// <summary>The document named <paramref name="name"/>, or null.</summary>
    public static SchemaDocument? Find(string name) => Documents.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The document whose record type is <paramref name="type"/>, or null for a type outside the contract.</summary>
    public static SchemaDocument? For(Type type) => Documents.FirstOrDefault(d => d.Type == type);

    /// <summary>
    /// The JSON Schema of a document as indented text: draft 2020-12, the serializer's names (camelCase), enums
    /// as their strings, every property whose value is never null listed as required.
    /// </summary>
    public static string Schema(SchemaDocument document)
    {
        var options = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = Annotate };
        var node = ReportText.JsonOptions.GetJsonSchemaAsNode(document.Type, options);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://suanli.dev/schemas/v{ReportDocument.CurrentSchemaVersion}/{document.Name}.schema.json",
            ["title"] = document.Type.Name,
            ["description"] = $"Schema version {ReportDocument.CurrentSchemaVersion}: {document.Producers}.",
        };
        foreach (var (key, value) in node.AsObject().ToList())
        {
            node.AsObject().Remove(key);
            root[key] = value;
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    // schemaVersion is a constant of the contract; the serializer omits nulls (WhenWritingNull), so a property is required exactly when its value can never be null.
    private static JsonNode Annotate(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (context.PropertyInfo?.Name == "schemaVersion" && schema is JsonObject version)
        {
            version["const"] = ReportDocument.CurrentSchemaVersion;
        }
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && schema is JsonObject obj && obj.ContainsKey("properties"))
        {
            var required = context.TypeInfo.Properties.Where(p => p.Get is not null && !p.IsGetNullable && Nullable.GetUnderlyingType(p.PropertyType) is null).Select(p => (JsonNode?)p.Name).ToArray();
            obj.Remove("required"); // the exporter's own rule (every constructor parameter) ignores that nulls are omitted
            if (required.Length > 0)
            {
                obj["required"] = new JsonArray(required);
            }
        }
        return schema;
    }
}

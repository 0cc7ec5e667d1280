using System.Text.Json;
using System.Text.Json.Serialization;

namespace Suanli.Web.Http;

/// <summary>
/// Reads a JSON string or an array of strings into a list field, so bodies may say <c>"model": "a,b"</c> or
/// <c>"model": ["a", "b"]</c> as the CLI accepts comma-separated or repeated options.
/// </summary>
public sealed class StringOrArrayConverter : JsonConverter<string[]>
{
    /// <inheritdoc />
    public override string[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString()!,
                        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => throw new JsonException("expected strings in the list"),
                    });
                }
                return [.. items];
            default:
                throw new JsonException("expected a string or a list of strings");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options) => JsonSerializer.Serialize(writer, value, options);
}

using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// Reads JSON request bodies strictly: size-limited, unknown fields rejected, and every failure an
/// <see cref="InputException"/> naming the field, so the client gets a 400 problem that says what to fix.
/// </summary>
public sealed class RequestBody(IOptions<WebLimits> limits)
{
    /// <summary>Options for request bodies: camelCase, unknown members an error, no comments or trailing commas.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 32,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads and validates the body as <typeparamref name="T"/>.</summary>
    public async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var bytes = await ReadBytesAsync(request, ["application/json"], cancellationToken);
        if (bytes.Length == 0)
        {
            throw Inputs.Error("body", Phrase.Of("input-body-empty", "The request body is empty; send a JSON object with the fields {fields}.", ("fields", Fields<T>())));
        }
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options)
                ?? throw Inputs.Error("body", Phrase.Of("input-body-null", "The request body is null; send a JSON object with the fields {fields}.", ("fields", Fields<T>())));
        }
        catch (JsonException ex)
        {
            throw Describe<T>(ex);
        }
    }

    /// <summary>
    /// Reads the body as UTF-8 text under the same size limit, for documents a file reader parses (a scenario as
    /// JSON or YAML goes to the scenario reader, whose errors carry line and column).
    /// </summary>
    public async Task<string> ReadTextAsync(HttpRequest request, IReadOnlyList<string> contentTypes, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(request, contentTypes, cancellationToken);
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Inputs.Error("body", Phrase.Of("input-body-not-utf8", "The request body is not UTF-8 text."));
        }
    }

    // Kestrel's own limit is the same number and trips first on a body sent without a length (chunked): its
    // exception carried Kestrel's English sentence under the title "Bad request", not the server's limit and advice.
    private static async Task<int> ReadChunkAsync(Stream body, byte[] chunk, long limit, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(chunk, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new BodyTooLargeException(limit);
        }
    }

    private async Task<byte[]> ReadBytesAsync(HttpRequest request, IReadOnlyList<string> contentTypes, CancellationToken cancellationToken)
    {
        var limit = limits.Value.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            throw new BodyTooLargeException(limit);
        }
        CheckContentType(request.ContentType, contentTypes);
        // Bodies sent without a length are read only up to the limit.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ReadChunkAsync(request.Body, chunk, limit, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new BodyTooLargeException(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Requires a declared Content-Type among <paramref name="allowed"/> (parameters such as charset ignored). A missing
    /// type, text/plain or a form is refused with 415: those are what a page on another site can send without the
    /// browser asking this server first, and the API's work is too expensive to run for such requests.
    /// </summary>
    public static void CheckContentType(string? contentType, IReadOnlyList<string> allowed)
    {
        var media = contentType?.Split(';', 2)[0].Trim();
        if (string.IsNullOrEmpty(media))
        {
            throw new UnsupportedMediaTypeException(Phrase.Of("content-type-missing", "The request has no Content-Type header; send the body as {allowed} and say so in Content-Type.",
                ("allowed", string.Join(" or ", allowed))));
        }
        if (!allowed.Contains(media, StringComparer.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException(Phrase.Of("content-type-unsupported", "The request body must be {allowed} (Content-Type header), got '{media}'.",
                ("allowed", string.Join(" or ", allowed)), ("media", Clip(media))));
        }
    }

    /// <summary>The camelCase JSON names of a request type's fields, comma-separated.</summary>
    public static string Fields<T>() => string.Join(", ", FieldNames(typeof(T)));

    private static IEnumerable<string> FieldNames(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    private static InputException Describe<T>(JsonException ex)
    {
        var field = FieldFromPath(ex.Path);
        object where = ex.LineNumber is { } line
            ? Phrase.Of("body-where", " (line {line}, byte {byte})", ("line", (line + 1).ToString(CultureInfo.InvariantCulture)), ("byte", ((ex.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)))
            : "";
        if (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return new InputException(field, Phrase.Of("body-unknown-field", "Unknown field '{field}'{where}. Valid fields: {valid}.", ("field", Clip(field)), ("where", where), ("valid", Fields<T>())));
        }
        if (ex.Message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return new InputException(field, Phrase.Of("body-field-twice", "Field '{field}' is given twice{where}; send it once.", ("field", Clip(field)), ("where", where)));
        }
        if (ex.InnerException is InputException inner)
        {
            return inner;
        }
        // An array or a string where the object belongs is JSON: it was called "not valid JSON", which sends a user to hunt a syntax error.
        if (field is "body" or "" && ex.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return new InputException("body", Phrase.Of("body-not-object", "The request body is JSON but not an object{where}. Send one JSON object with the fields {valid}.", ("where", where), ("valid", Fields<T>())));
        }
        return field is "body" or ""
            ? new InputException("body", Phrase.Of("body-not-json", "The request body is not valid JSON{where}. Send one JSON object with the fields {valid}.", ("where", where), ("valid", Fields<T>())))
            : new InputException(field, Expected(typeof(T), field) switch
            {
                "number" => Phrase.Of("body-field-unreadable", "Field '{field}' could not be read{where}: expected a string or a number, as in the API reference (/scalar).", ("field", Clip(field)), ("where", where)),
                "list" => Phrase.Of("body-field-unreadable#list", "Field '{field}' could not be read{where}: expected a string or a list of strings, as in the API reference (/scalar).", ("field", Clip(field)), ("where", where)),
                _ => Phrase.Of("body-field-unreadable#text", "Field '{field}' could not be read{where}: expected a string in quotes, as in the API reference (/scalar).", ("field", Clip(field)), ("where", where)),
            });
    }

    /// <summary>
    /// What a body field's converter reads: "number" (a string or a number), "list" (a string or a list of strings) or
    /// "text" (a string only). <c>"model": 5</c> was told to send "a string or a number".
    /// </summary>
    private static string Expected(Type t, string field)
    {
        var property = t.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == field);
        var converter = property?.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType;
        return converter == typeof(NumberOrStringConverter) ? "number" : converter == typeof(StringOrArrayConverter) ? "list" : property is null ? "number" : "text";
    }

    /// <summary>"$.model" becomes "model", "$['kv-precision']" "kv-precision", "$" "body".</summary>
    private static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        var p = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        p = p.Replace("['", "", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
        return p.Length == 0 ? "body" : p;
    }

    /// <summary>Shortens user text quoted back in a message (it is JSON-encoded on the way out, never HTML).</summary>
    public static string Clip(string text) => InputQuote.Clip(text);
}

/// <summary>
/// Reads a JSON string or number into a string field, so bodies may say <c>"context": 32768</c> or
/// <c>"context": "32k"</c> as the CLI and the query string allow.
/// </summary>
public sealed class NumberOrStringConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
        JsonTokenType.Null => null,
        // A yes-or-no field (exhaustive) written as a JSON boolean reads as its text.
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => throw new JsonException("expected a string or a number"),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

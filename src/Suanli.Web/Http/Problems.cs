using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Suanli.Web.Http;

/// <summary>The request body is larger than the server accepts (HTTP 413).</summary>
public sealed class BodyTooLargeException(long limitBytes)
    : Exception($"The request body is larger than {limitBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, the server's limit (Suanli:MaxBodyBytes). Request bodies, scenario files included, are a few kilobytes: check that the right body or file was sent.")
{
    /// <summary>The limit in bytes.</summary>
    public long LimitBytes { get; } = limitBytes;
}

/// <summary>The request body's Content-Type is missing or not one the endpoint reads (HTTP 415).</summary>
/// <param name="text">What was sent and what the endpoint reads, as a phrase so a Chinese request reads it in Chinese.</param>
public sealed class UnsupportedMediaTypeException(Suanli.Text.Phrase text) : Exception(text.English)
{
    /// <summary>The sentence, rendered in the request's language.</summary>
    public Suanli.Text.Phrase Text { get; } = text;
}

/// <summary>An operation ran past the server's time limit (HTTP 422 with a message saying how to narrow it).</summary>
public sealed class TimeLimitException(string operation, TimeSpan limit, string advice)
    : Exception($"{operation} stopped after {limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s, the server's time limit (Suanli:OperationTimeLimit). {advice}")
{
    /// <summary>What was running, e.g. "The optimisation".</summary>
    public string Operation { get; } = operation;
}

/// <summary>Every slot for expensive operations is taken (HTTP 429 with a Retry-After header).</summary>
/// <param name="retryAfter">When a slot is free at the latest.</param>
/// <param name="slots">The server's slots (Suanli:MaxConcurrentOperations).</param>
public sealed class ServerBusyException(TimeSpan retryAfter, int slots)
    : Exception($"The server is running {slots.ToString(CultureInfo.InvariantCulture)} expensive operations, its limit (Suanli:MaxConcurrentOperations); try again in {retryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s.")
{
    /// <summary>When a slot is free at the latest.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Turns every exception into an RFC 7807 problem details response: input errors become 400 with the field at fault
/// (as the API names it), oversized bodies 413, time limits 422, a full server 429 with Retry-After, anything else a 500 that names no internals.
/// Stack traces are never written to a response.
/// </summary>
public sealed partial class ProblemMapper(IProblemDetailsService problems, ILogger<ProblemMapper> log) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var details = exception is ServerBusyException busy ? Busy(context, busy) : Details(exception, WebLanguage.OrEnglish(context), log);
        context.Response.StatusCode = details.Status!.Value;
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = null }))
        {
            return true;
        }
        // The problem writer declines clients whose Accept names no JSON (a stream asking for application/x-ndjson only);
        // they still get the refusal in the body rather than an empty response and an unhandled-error log line.
        await context.Response.WriteAsJsonAsync(details, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        return true;
    }

    /// <summary>
    /// The problem details of a failure in the request's language: input errors 400 with their field, oversized bodies 413,
    /// time limits 422, malformed requests their own status, anything else a logged 500 that names no internals. The
    /// streamed search reports its failures through the same rule.
    /// </summary>
    internal static ProblemDetails Details(Exception exception, Suanli.Text.Language language, ILogger log)
    {
        var details = exception switch
        {
            InputException e => Input(e, language),
            BodyTooLargeException e => new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large", Detail = e.Message },
            UnsupportedMediaTypeException e => new ProblemDetails { Status = StatusCodes.Status415UnsupportedMediaType, Title = "Unsupported media type", Detail = e.Message },
            TimeLimitException e => new ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Title = "Time limit reached", Detail = e.Message },
            ServerBusyException e => new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = "Server busy", Detail = e.Message },
            // Kestrel's sentence named its own setting (MinRequestBodyDataRate) under the title "Bad request", in either language.
            BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => new ProblemDetails
            {
                Status = StatusCodes.Status408RequestTimeout,
                Title = "Request timeout",
                Detail = "The request body arrived too slowly (under 240 bytes/s after the first 5 s, the server's minimum rate) and was abandoned; send the whole body at once.",
            },
            BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = "Bad request", Detail = e.Message },
            _ => null,
        };
        if (details is null)
        {
            log.LogError(exception, "Unhandled error: {Type}", exception.GetType().Name);
            details = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error",
                Detail = "The server failed on this request; its log has the details. Please report it with the request that caused it.",
            };
        }
        if (language != Suanli.Text.Languages.English && exception is not InputException)
        {
            Chinese(details, exception);
        }
        return details;
    }

    /// <summary>
    /// A 415 the framework's endpoint matching writes before any Suanli code reads the body (a declared Content-Type the
    /// endpoint does not accept) carried no sentence; it gets the one <see cref="RequestBody.CheckContentType"/> gives:
    /// the types the endpoint reads (scenarios under /api/plan also YAML) and the type sent. A 404 (no such path) and a
    /// 405 (a method the path does not take) get theirs from <see cref="Routes"/>.
    /// </summary>
    internal static void Unexplained(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is { Status: StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed, Detail: null } routing)
        {
            Routes.Explain(routing, context.HttpContext);
            return;
        }
        if (context.ProblemDetails is not { Status: StatusCodes.Status415UnsupportedMediaType, Detail: null } details)
        {
            return;
        }
        var request = context.HttpContext.Request;
        try
        {
            RequestBody.CheckContentType(request.ContentType, request.Path.StartsWithSegments("/api/plan") ? Api.PlanApi.ScenarioTypes : ["application/json"]);
        }
        catch (UnsupportedMediaTypeException e)
        {
            details.Title = "Unsupported media type";
            details.Detail = e.Message;
            if (WebLanguage.OrEnglish(context.HttpContext) != Suanli.Text.Languages.English)
            {
                Chinese(details, e);
            }
        }
    }

    /// <summary>The server's own refusals in Chinese (lang=zh): the limits they name stay as configuration keys.</summary>
    internal static void Chinese(ProblemDetails details, Exception exception)
    {
        (details.Title, details.Detail) = exception switch
        {
            ServerBusyException e => ("服务器繁忙", $"服务器正在运行的耗时操作已达上限（Suanli:MaxConcurrentOperations）；请在 {e.RetryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} 秒后重试。"),
            TimeLimitException => ("达到时间上限", "运算超过了服务器的时间上限（Suanli:OperationTimeLimit）。请缩小请求范围（更少的候选、更短的模拟）后重试。"),
            BodyTooLargeException e => ("请求体过大", $"请求体超过服务器上限 {e.LimitBytes.ToString("N0", CultureInfo.InvariantCulture)} 字节（Suanli:MaxBodyBytes）。请求体（包括场景文件）只有几 KB：请检查发送的内容或文件是否正确。"),
            UnsupportedMediaTypeException e => ("不支持的媒体类型", e.Text.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Web)),
            BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => ("请求超时", "请求体到达太慢（前 5 秒之后低于服务器的最低速率 240 字节/秒），已被放弃；请一次发送完整的请求体。"),
            BadHttpRequestException => ("请求有误", details.Detail),
            _ => ("内部错误", "服务器处理该请求时出错，详情见服务器日志。请附上引起它的请求报告此问题。"),
        };
    }

    private ProblemDetails Busy(HttpContext context, ServerBusyException e)
    {
        context.Response.Headers.RetryAfter = e.RetryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        return Details(e, WebLanguage.OrEnglish(context), log);
    }

    /// <summary>The problem details of an input error: the detail sentence, the API field, the CLI option and any suggestions.</summary>
    public static ProblemDetails Input(InputException e) => Input(e, Suanli.Text.Languages.English);

    /// <summary>
    /// The problem details of an input error in <paramref name="language"/>: the sentence with fields spelled as the
    /// API names them, the field, the message's code when the core gave one, and any suggestions.
    /// </summary>
    public static ProblemDetails Input(InputException e, Suanli.Text.Language language)
    {
        var details = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = language == Suanli.Text.Languages.English ? "Invalid input" : "输入无效",
            Detail = WebLanguage.Detail(e, language),
        };
        details.Extensions["field"] = e.FieldId is { } id ? (e.Spelling ?? Suanli.Text.FieldNames.Web)(id) : ApiField(e.Field);
        if (e.Text is { } text)
        {
            details.Extensions["code"] = text.Key;
        }
        if (e is UnknownNameException unknown)
        {
            details.Extensions["suggestions"] = unknown.Suggestions;
        }
        return details;
    }

    /// <summary>
    /// A message written for the CLI, with every option it names (<c>--max-batched-tokens</c>) turned into the API's
    /// field (<c>maxBatchedTokens</c>), so a web user reads the names the request uses.
    /// </summary>
    public static string ApiFields(string message) => CliOption().Replace(message, m => ApiField(m.Value));

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9]*(-[a-z0-9]+)*")]
    private static partial System.Text.RegularExpressions.Regex CliOption();

    /// <summary>
    /// The API's name for a field the core names after a CLI option: <c>--kv-precision</c> becomes <c>kvPrecision</c>;
    /// names without dashes pass through.
    /// </summary>
    public static string ApiField(string field)
    {
        if (!field.StartsWith("--", StringComparison.Ordinal))
        {
            return field;
        }
        var parts = field[2..].Split('-', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}

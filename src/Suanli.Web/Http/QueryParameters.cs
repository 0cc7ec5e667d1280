using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// Refuses query parameters an endpoint does not take, as JSON bodies refuse unknown fields: a misspelt
/// <c>contxt=32k</c> is a 400 naming the nearest valid parameter instead of a silent default. The valid names are
/// read from the handler's parameters (the <c>[FromQuery]</c> names of an <c>[AsParameters]</c> record, and simple
/// parameters such as <c>format</c>), so a new endpoint is checked without a list to keep up to date.
/// </summary>
public static class QueryParameters
{
    /// <summary>The endpoint filter factory for the /api group.</summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // Every endpoint also takes lang (en or zh), the language of its sentences (WebLanguage).
        IReadOnlyList<string> valid = [.. Valid(context.MethodInfo), WebLanguage.Parameter];
        return invocation =>
        {
            Check(invocation.HttpContext.Request.Query.Keys, valid);
            return next(invocation);
        };
    }

    /// <summary>Throws an <see cref="InputException"/> for the first key not in <paramref name="valid"/> (case-insensitive), with the nearest valid name.</summary>
    public static void Check(IEnumerable<string> keys, IReadOnlyList<string> valid)
    {
        foreach (var key in keys)
        {
            if (valid.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            var shown = RequestBody.Clip(key);
            var near = Nearest.Names(key, valid, 1);
            var names = string.Join(", ", valid);
            throw new InputException(shown, valid.Count == 0
                ? Phrase.Of("query-unknown#none", "Unknown query parameter '{name}'. This endpoint takes no query parameters.", ("name", shown))
                : near.Count > 0
                    ? Phrase.Of("query-unknown#suggest", "Unknown query parameter '{name}'. Did you mean '{nearest}'? Valid parameters: {valid}.", ("name", shown), ("nearest", near[0]), ("valid", names))
                    : Phrase.Of("query-unknown", "Unknown query parameter '{name}'. Valid parameters: {valid}.", ("name", shown), ("valid", names)));
        }
    }

    /// <summary>The query parameter names a handler binds.</summary>
    public static IReadOnlyList<string> Valid(MethodInfo handler)
    {
        var names = new List<string>();
        foreach (var p in handler.GetParameters())
        {
            if (p.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in p.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } query)
                    {
                        names.Add(query.Name ?? property.Name);
                    }
                    else if (IsSimple(property.PropertyType) && !HasSource(property))
                    {
                        names.Add(property.Name);
                    }
                }
            }
            else if (p.GetCustomAttribute<FromQueryAttribute>() is { } query)
            {
                names.Add(query.Name ?? p.Name!);
            }
            else if (IsSimple(p.ParameterType) && !HasSource(p))
            {
                names.Add(p.Name!);
            }
        }
        return [.. names.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static bool HasSource(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(true).Any(a => a is FromRouteAttribute or FromHeaderAttribute or FromBodyAttribute or FromServicesAttribute or FromFormAttribute);

    private static bool IsSimple(Type t)
    {
        var type = Nullable.GetUnderlyingType(t) ?? t;
        if (type.IsArray)
        {
            type = type.GetElementType()!;
        }
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal);
    }
}

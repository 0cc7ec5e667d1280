using Suanli.Runs;

namespace Suanli.Validation;

/// <summary>The JSON contract's document for <c>suanli validate</c>, kept beside its record (the web does not ship validation).</summary>
public static class ValidationSchema
{
    /// <summary>The document of <c>suanli validate --format json</c>.</summary>
    public static SchemaDocument Document { get; } = new("validate", "suanli validate --format json", typeof(ValidationJson));
}

using Suanli.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Suanli.Files;

/// <summary>
/// YAML merge keys (<c>&lt;&lt;: *defaults</c>, or <c>&lt;&lt;: [*a, *b]</c>; https://yaml.org/type/merge.html): the keys of the
/// merged mappings are read as if written where the merge key stands, and a key the mapping writes itself wins, as does
/// an earlier mapping of a list over a later one. A merged value keeps the line and column where it was written.
/// </summary>
internal static class YamlMerge
{
    /// <summary>The merge key, written plain (a quoted '&lt;&lt;' is an ordinary key).</summary>
    public const string Key = "<<";

    /// <summary>
    /// The mapping with its merge key replaced by the keys it merges; the node itself when it has none. A merge key whose
    /// value is not a mapping or a list of mappings is an error at that value. The new mapping has no position of its own:
    /// callers keep the original node's.
    /// </summary>
    public static YamlMappingNode Expand(YamlMappingNode node, string file, string path)
    {
        if (!node.Children.Keys.Any(IsMergeKey))
        {
            return node;
        }
        var written = new HashSet<string>(node.Children.Keys.Where(k => !IsMergeKey(k)).Select(Text), StringComparer.Ordinal);
        var merged = new YamlMappingNode();
        foreach (var (key, value) in node.Children)
        {
            if (!IsMergeKey(key))
            {
                merged.Add(key, value);
                continue;
            }
            foreach (var source in Sources(value, file, path))
            {
                // A merged mapping may merge in turn; nesting is bounded by the prescan's depth limit.
                foreach (var (k, v) in Expand(source, file, path).Children)
                {
                    if (written.Add(Text(k)))
                    {
                        merged.Add(k, v);
                    }
                }
            }
        }
        return merged;
    }

    private static IEnumerable<YamlMappingNode> Sources(YamlNode value, string file, string path) => value switch
    {
        YamlMappingNode m => [m],
        YamlSequenceNode seq when seq.Children.All(c => c is YamlMappingNode) => seq.Children.Cast<YamlMappingNode>(),
        _ => throw new InputException(path.Length == 0 ? Key : $"{path}.{Key}",
            Phrase.Of("yaml-merge-not-mapping", "'{key}' (a YAML merge key) must name a mapping, like '<<: *defaults' after 'defaults: &defaults', or a list of them ('<<: [*a, *b]'); this value is neither.",
                ("key", path.Length == 0 ? Key : $"{path}.{Key}")),
            new SourceLocation(file, (int)value.Start.Line, (int)value.Start.Column)),
    };

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: Key, Style: ScalarStyle.Plain or ScalarStyle.Any };

    private static string Text(YamlNode key) => (key as YamlScalarNode)?.Value ?? "";
}

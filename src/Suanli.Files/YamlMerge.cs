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
    public static YamlMappingNode Expand(YamlMappingNode node, string file, string path) => Expand(node, file, path, new HashSet<YamlMappingNode>(ReferenceEqualityComparer.Instance));

    private static YamlMappingNode Expand(YamlMappingNode node, string file, string path, HashSet<YamlMappingNode> open)
    {
        if (!node.Children.Keys.Any(IsMergeKey))
        {
            return node;
        }
        // An alias to a mapping that is still open (`&a {<<: *a}`) would merge a mapping into itself without end.
        if (!open.Add(node))
        {
            throw new InputException(Name(path), Phrase.Of("yaml-merge-cycle", "'{key}' (a YAML merge key) merges a mapping into itself; merge a mapping defined before this one.", ("key", Name(path))),
                new SourceLocation(file, (int)node.Start.Line, (int)node.Start.Column));
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
                foreach (var (k, v) in Expand(source, file, path, open).Children)
                {
                    if (written.Add(Text(k)))
                    {
                        merged.Add(k, v);
                    }
                }
            }
        }
        open.Remove(node);
        return merged;
    }

    private static IEnumerable<YamlMappingNode> Sources(YamlNode value, string file, string path) => value switch
    {
        YamlMappingNode m => [m],
        YamlSequenceNode seq when seq.Children.All(c => c is YamlMappingNode) => seq.Children.Cast<YamlMappingNode>(),
        _ => throw new InputException(Name(path),
            Phrase.Of("yaml-merge-not-mapping", "'{key}' (a YAML merge key) must name a mapping, like '<<: *defaults' after 'defaults: &defaults', or a list of them ('<<: [*a, *b]'); this value is neither.",
                ("key", Name(path))),
            new SourceLocation(file, (int)value.Start.Line, (int)value.Start.Column)),
    };

    private static string Name(string path) => path.Length == 0 ? Key : $"{path}.{Key}";

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: Key, Style: ScalarStyle.Plain or ScalarStyle.Any };

    private static string Text(YamlNode key) => (key as YamlScalarNode)?.Value ?? "";
}

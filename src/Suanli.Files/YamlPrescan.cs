using System.Globalization;
using Suanli.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Suanli.Files;

/// <summary>
/// The checks <see cref="YamlMap.Parse"/> runs on the parser's events before any tree is built, so that a hostile file
/// (brackets nested 40,000 deep, a "billion laughs" of aliases) is a located error rather than a stack overflow or
/// minutes of work.
/// </summary>
internal static class YamlPrescan
{
    // Where the prescan last read, for inputs the YAML library refuses without a position (per thread: parses run concurrently on the server).
    [ThreadStatic]
    private static int _lastLine, _lastColumn;

    /// <summary>The line of the last event the prescan read on this thread.</summary>
    internal static int LastLine => _lastLine;

    /// <summary>The column of the last event the prescan read on this thread.</summary>
    internal static int LastColumn => _lastColumn;

    /// <summary>
    /// Walks the parser's events (no tree, no recursion) and refuses what the tree builder would crash on or drop
    /// silently: nesting deeper than <see cref="YamlMap.MaxDepth"/> (aliases counted as the nodes they stand for), aliases that
    /// expand to more than <see cref="YamlMap.MaxAliasValues"/> values, a second document after <c>---</c>, and a key given
    /// twice in one mapping (JSON objects included).
    /// </summary>
    internal static void Check(string text, string file)
    {
        InputFiles.RefuseNul(text, file, "yaml");
        var parser = new Parser(new StringReader(text));
        var open = new Stack<Collection>();
        var anchors = new Dictionary<string, (long Values, int Depth)>(StringComparer.Ordinal);
        long values = 0, aliasValues = 0;
        var documents = 0;
        _lastLine = 1;
        _lastColumn = 1;
        while (parser.MoveNext())
        {
            var e = parser.Current!;
            _lastLine = (int)e.End.Line;
            _lastColumn = (int)e.End.Column;
            switch (e)
            {
                case DocumentStart:
                    documents++;
                    if (documents > 1)
                    {
                        throw new InputException("yaml",
                            Phrase.Of("yaml-second-document", "A second YAML document starts here (after '---'); a file holds one document and the rest would be ignored. Remove the '---' line and what follows, or put it in a file of its own."),
                            Where(file, e.Start));
                    }
                    break;
                case SequenceEnd or MappingEnd:
                    var done = open.Pop();
                    var depth = done.DepthBelow + 1;
                    if (done.Anchor is { } anchor)
                    {
                        anchors[anchor] = (values - done.ValuesBefore, depth);
                    }
                    if (open.TryPeek(out var outer))
                    {
                        outer.DepthBelow = Math.Max(outer.DepthBelow, depth);
                    }
                    break;
                case Scalar or SequenceStart or MappingStart or AnchorAlias:
                    if (open.TryPeek(out var parent) && parent.Keys is { } keys)
                    {
                        if (parent.ExpectKey && e is Scalar key)
                        {
                            var line = (int)e.Start.Line;
                            if (keys.TryGetValue(key.Value, out var first))
                            {
                                throw new InputException(key.Value,
                                    Phrase.Of("yaml-duplicate-key", "Key '{key}' appears twice in the same mapping (first on line {first}); keep one of them.",
                                        ("key", key.Value), ("first", first.ToString(CultureInfo.InvariantCulture))),
                                    Where(file, e.Start));
                            }
                            keys[key.Value] = line;
                        }
                        parent.ExpectKey = !parent.ExpectKey;
                    }
                    if (e is AnchorAlias inside && open.Any(c => c.Anchor == inside.Value.Value))
                    {
                        // '&a [*a]': the tree builder would make the list contain itself and every walk of it recurse until the process dies.
                        throw new InputException("yaml",
                            Phrase.Of("yaml-alias-cycle", "'*{alias}' stands for the list or mapping it is inside (&{alias}), which would repeat itself forever. Write the values out, or alias a node that ends before this point.",
                                ("alias", inside.Value.Value)),
                            Where(file, inside.Start));
                    }
                    if (e is AnchorAlias alias && anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        Alias(file, alias, target, open, ref values, ref aliasValues);
                        break;
                    }
                    var anchorName = e is NodeEvent { Anchor.IsEmpty: false } node ? node.Anchor.Value : null;
                    values++;
                    if (e is SequenceStart or MappingStart)
                    {
                        if (open.Count >= YamlMap.MaxDepth)
                        {
                            throw TooDeep(file, e.Start);
                        }
                        open.Push(new Collection(e is MappingStart ? new Dictionary<string, int>(StringComparer.Ordinal) : null) { Anchor = anchorName, ValuesBefore = values - 1 });
                    }
                    else if (anchorName is not null)
                    {
                        anchors[anchorName] = (1, 0);
                    }
                    break;
            }
        }
    }

    /// <summary>Counts an alias as the values and depth of the node it stands for, refusing an expansion past the limits.</summary>
    private static void Alias(string file, AnchorAlias alias, (long Values, int Depth) target, Stack<Collection> open, ref long values, ref long aliasValues)
    {
        values += target.Values;
        aliasValues += target.Values;
        if (aliasValues > YamlMap.MaxAliasValues)
        {
            throw new InputException("yaml",
                Phrase.Of("yaml-alias-expansion", "Aliases (*name) expand to more than {max} values by here ('*{alias}' stands for {values}); a scenario, catalog or price file repeats a few values. Write the values out, or alias fewer nested anchors.",
                    ("max", YamlMap.MaxAliasValues.ToString("N0", CultureInfo.InvariantCulture)), ("alias", alias.Value.Value), ("values", target.Values.ToString("N0", CultureInfo.InvariantCulture))),
                Where(file, alias.Start));
        }
        if (open.Count + target.Depth > YamlMap.MaxDepth)
        {
            throw TooDeep(file, alias.Start);
        }
        if (open.TryPeek(out var parent))
        {
            parent.DepthBelow = Math.Max(parent.DepthBelow, target.Depth);
        }
    }

    private static InputException TooDeep(string file, Mark at) =>
        new("yaml",
            Phrase.Of("yaml-too-deep", "Lists and mappings are nested more than {max} deep here (aliases count as what they stand for); a scenario, catalog or price file needs fewer than ten levels. Check the brackets, indentation and aliases.",
                ("max", YamlMap.MaxDepth.ToString(CultureInfo.InvariantCulture))),
            Where(file, at));

    private static SourceLocation Where(string file, Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    /// <summary>An open list (no keys) or mapping (its keys so far, with their lines) during <see cref="Check"/>.</summary>
    private sealed class Collection(Dictionary<string, int>? keys)
    {
        public Dictionary<string, int>? Keys { get; } = keys;

        /// <summary>In a mapping, whether the next node is a key (else a value).</summary>
        public bool ExpectKey { get; set; } = true;

        /// <summary>The anchor (<c>&amp;name</c>) the collection carries, if any.</summary>
        public string? Anchor { get; init; }

        /// <summary>Values counted before this collection started (aliases expanded), to size its anchor.</summary>
        public long ValuesBefore { get; init; }

        /// <summary>The deepest nesting found inside so far, aliases expanded (0 for an empty or flat collection).</summary>
        public int DepthBelow { get; set; }
    }
}

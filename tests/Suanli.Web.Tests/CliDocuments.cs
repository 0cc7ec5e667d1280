using System.Text.Json.Nodes;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The web answers with the CLI's document except for the sentences: a finding's <c>message</c> and a rejection's
/// <c>reason</c> are the same phrase (key, template and values, which stay in the document) spelled for the page, with
/// its parameters and views where the CLI names its options and commands.
/// </summary>
public static class CliDocuments
{
    /// <summary>The document with the rendered sentences taken out (their phrases stay).</summary>
    public static JsonNode WithoutSentences(string json) => WithoutSentences(JsonNode.Parse(json)!);

    /// <summary>The node with the rendered sentences taken out, in place.</summary>
    public static JsonNode WithoutSentences(JsonNode node)
    {
        Strip(node);
        return node;
    }

    /// <summary>Asserts the web's document is the CLI's, sentences aside.</summary>
    public static void Same(string cli, string api) =>
        Assert.True(JsonNode.DeepEquals(WithoutSentences(cli), WithoutSentences(api)), api);

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.ContainsKey("code") && o.ContainsKey("severity"))
                {
                    o.Remove("message");
                }
                if (o.ContainsKey("family") && o.ContainsKey("code"))
                {
                    o.Remove("reason");
                }
                foreach (var (_, child) in o.ToList())
                {
                    Strip(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Strip(child);
                }
                break;
        }
    }
}

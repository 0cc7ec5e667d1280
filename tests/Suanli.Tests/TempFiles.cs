namespace Suanli.Tests;

/// <summary>Files a test hands to a command: each in a new temporary folder, so tests running at once never share one.</summary>
internal static class TempFiles
{
    /// <summary>Writes <paramref name="text"/> to a file named <paramref name="name"/> in a new temporary folder and returns its path.</summary>
    public static string Write(string name, string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-test-").FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}

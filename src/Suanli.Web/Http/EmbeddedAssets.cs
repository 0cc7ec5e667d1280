using System.Reflection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Suanli.Web.Http;

/// <summary>
/// Serves the page's files (wwwroot/, embedded at build time under their relative paths) from the assembly, so the
/// page works the same from <c>dotnet run</c>, the tests and the installed <c>suanli serve</c> tool, with no files beside it.
/// </summary>
public sealed class EmbeddedAssets : IFileProvider
{
    private const string Prefix = "wwwroot/";
    private readonly Assembly _assembly;
    private readonly HashSet<string> _names;
    private readonly DateTimeOffset _modified;

    /// <summary>Reads the resource names of <paramref name="assembly"/>.</summary>
    public EmbeddedAssets(Assembly assembly)
    {
        _assembly = assembly;
        _names = new HashSet<string>(assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)), StringComparer.Ordinal);
        // The build time stands in for each file's date (for Last-Modified and ETags); a new build serves new tags.
        _modified = string.IsNullOrEmpty(assembly.Location) ? DateTimeOffset.UnixEpoch : File.GetLastWriteTimeUtc(assembly.Location);
    }

    /// <summary>Relative paths of every embedded file, e.g. <c>lib/echarts/echarts.min.js</c>.</summary>
    public IEnumerable<string> Paths => _names.Select(n => n[Prefix.Length..]);

    /// <inheritdoc />
    public IFileInfo GetFileInfo(string subpath)
    {
        var name = Prefix + subpath.TrimStart('/');
        return _names.Contains(name) ? new Asset(_assembly, name, _modified) : new NotFoundFileInfo(subpath);
    }

    /// <inheritdoc />
    public IDirectoryContents GetDirectoryContents(string subpath)
    {
        // Only what default-document lookup needs: the files directly inside a folder.
        var folder = Prefix + subpath.Trim('/') + (subpath.Trim('/').Length == 0 ? "" : "/");
        var files = _names.Where(n => n.StartsWith(folder, StringComparison.Ordinal) && n.IndexOf('/', folder.Length) < 0)
            .Select(n => (IFileInfo)new Asset(_assembly, n, _modified)).ToList();
        return files.Count == 0 ? NotFoundDirectoryContents.Singleton : new Folder(files);
    }

    /// <inheritdoc />
    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    /// <summary>The text of an embedded file (tests and the translation check read it).</summary>
    public string ReadText(string path)
    {
        using var stream = GetFileInfo(path).CreateReadStream();
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class Folder(IReadOnlyList<IFileInfo> files) : IDirectoryContents
    {
        public bool Exists => true;
        public IEnumerator<IFileInfo> GetEnumerator() => files.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class Asset(Assembly assembly, string name, DateTimeOffset modified) : IFileInfo
    {
        private readonly Lazy<long> _length = new(() =>
        {
            using var s = assembly.GetManifestResourceStream(name)!;
            return s.Length;
        });

        public bool Exists => true;
        public long Length => _length.Value;
        public string? PhysicalPath => null;
        public string Name => Path.GetFileName(name);
        public DateTimeOffset LastModified => modified;
        public bool IsDirectory => false;
        public Stream CreateReadStream() => assembly.GetManifestResourceStream(name)!;
    }
}

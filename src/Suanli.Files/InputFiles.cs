using System.Globalization;
using System.Text;
using Suanli.Text;

namespace Suanli.Files;

/// <summary>
/// Reads the files a user names (scenarios, catalogs, prices, configs, traces) under a size cap, so an endless or huge
/// input (<c>/dev/zero</c>, a disk image given by mistake) is refused with a message instead of exhausting memory.
/// </summary>
public static class InputFiles
{
    /// <summary>The largest input file read, in bytes (10 MiB; scenario, catalog and config files are a few kilobytes).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Reads a file as text (UTF-8, or UTF-16 with a byte-order mark), refusing files over <see cref="MaxBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="field">The field that named it (a logical field each front end spells, or the caller's spelling), for the error message.</param>
    public static string ReadText(string path, FieldRef field)
    {
        var bytes = ReadBytes(path, field);
        try
        {
            using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
            var text = reader.ReadToEnd();
            RefuseNul(text, path, field);
            return text;
        }
        catch (DecoderFallbackException ex)
        {
            throw field.Error(ex.Index >= 0
                ? Phrase.Of("input-not-utf8#byte", "'{path}' is not UTF-8 text (byte {byte}); give the YAML, JSON or CSV file itself, saved as UTF-8.",
                    ("path", path), ("byte", (ex.Index + 1).ToString(CultureInfo.InvariantCulture)))
                : Phrase.Of("input-not-utf8", "'{path}' is not UTF-8 text; give the YAML, JSON or CSV file itself, saved as UTF-8.", ("path", path)));
        }
    }

    /// <summary>
    /// Refuses text holding a NUL character, at its line and column: no scenario, catalog or CSV has one, and the YAML
    /// reader stops at the first NUL, so a file padded with NULs (a truncated copy, a disk block) or saved as UTF-16
    /// without a byte-order mark would otherwise be read as far as the padding and the rest dropped silently.
    /// </summary>
    /// <param name="text">The decoded text.</param>
    /// <param name="file">The file (or input) name used in the location.</param>
    /// <param name="field">The field that named it.</param>
    public static void RefuseNul(string text, string file, FieldRef field)
    {
        var at = text.IndexOf('\0', StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }
        var lineStart = text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        var where = new SourceLocation(file, line, at - lineStart + 1);
        throw field.Error(Phrase.Of("input-nul", "'{path}' holds a NUL byte here; a text file has none (a file padded with zeros, or saved as UTF-16 without a byte-order mark). Save it as UTF-8 text and remove the padding.", ("path", file)), where);
    }

    /// <summary>Reads a file's bytes, refusing folders and files over <see cref="MaxBytes"/> (read in chunks, so an endless device stops at the cap).</summary>
    /// <param name="path">The file.</param>
    /// <param name="field">The field that named it, for the error message.</param>
    public static byte[] ReadBytes(string path, FieldRef field)
    {
        if (Directory.Exists(path))
        {
            throw field.Error(Phrase.Of("input-is-folder", "'{path}' is a folder; give a file.", ("path", path)));
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw field.Error(Phrase.Of("input-too-large",
                    "'{path}' is larger than {mebibytes} MiB, the most Suanli reads from one input file; scenario, catalog, price and config files are a few kilobytes: check that the right file was given.",
                    ("path", path), ("mebibytes", (MaxBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture))));
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

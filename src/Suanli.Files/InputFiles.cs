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
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException ex)
        {
            throw field.Error(ex.Index >= 0
                ? Phrase.Of("input-not-utf8#byte", "'{path}' is not UTF-8 text (byte {byte}); give the YAML, JSON or CSV file itself, saved as UTF-8.",
                    ("path", path), ("byte", (ex.Index + 1).ToString(CultureInfo.InvariantCulture)))
                : Phrase.Of("input-not-utf8", "'{path}' is not UTF-8 text; give the YAML, JSON or CSV file itself, saved as UTF-8.", ("path", path)));
        }
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

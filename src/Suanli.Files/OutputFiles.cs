using System.Globalization;
using Suanli.Text;

namespace Suanli.Files;

/// <summary>
/// The files one command writes, written as a set: each is first written under a temporary name beside its final
/// path, and only when every one has been written are they renamed into place; a file that already exists is
/// refused unless the caller allows replacing (<see cref="FieldNames.Force"/>), and is then replaced (a failure while renaming puts the old
/// files back). When anything fails before <see cref="Commit"/>, nothing changes: disposing deletes the temporary files.
/// </summary>
/// <param name="force">Replace existing files (<see cref="FieldNames.Force"/>).</param>
public sealed class OutputFiles(bool force) : IDisposable
{
    private readonly List<(string Temp, string Final)> _staged = [];

    /// <summary>
    /// Writes one file of the set under a temporary name in the final folder (created if missing); <paramref name="write"/>
    /// receives that temporary path, which keeps the final extension (some writers choose the format by it).
    /// </summary>
    /// <param name="path">Final path.</param>
    /// <param name="option">The field that named it (<see cref="FieldNames.Out"/>, or the caller's spelling), for the error when it exists.</param>
    /// <param name="write">Writes the content to the path it is given.</param>
    public void Stage(string path, FieldRef option, Action<string> write)
    {
        var final = Path.GetFullPath(path);
        if (!force && (File.Exists(final) || Directory.Exists(final)))
        {
            throw option.Error(Phrase.Of("output-exists", "{path} already exists; give {force} to replace it, or choose another {option}. Nothing was written.",
                ("path", path), ("force", FieldNames.Force), ("option", option.Arg)));
        }
        if (_staged.Any(s => string.Equals(s.Final, final, StringComparison.Ordinal)))
        {
            throw option.Error(Phrase.Of("output-named-twice", "{path} is named twice among the files to write; give each output its own path.", ("path", path)));
        }
        var folder = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}-{Path.GetFileName(final)}");
        _staged.Add((temp, final));
        write(temp);
    }

    /// <summary>Renames every staged file into place; returns the final paths in the order they were staged.</summary>
    public IReadOnlyList<string> Commit()
    {
        var backups = new List<(string Backup, string Final)>();
        var moved = new List<string>();
        try
        {
            foreach (var (temp, final) in _staged)
            {
                if (File.Exists(final))
                {
                    var backup = Path.Combine(Path.GetDirectoryName(final)!, $".old-{Guid.NewGuid():N}-{Path.GetFileName(final)}");
                    File.Move(final, backup);
                    backups.Add((backup, final));
                }
                File.Move(temp, final);
                moved.Add(final);
            }
        }
        catch
        {
            // Put the set back as it was: remove the new files, restore the old ones.
            foreach (var final in moved)
            {
                File.Delete(final);
            }
            foreach (var (backup, final) in backups)
            {
                File.Move(backup, final, overwrite: true);
            }
            throw;
        }
        foreach (var (backup, _) in backups)
        {
            File.Delete(backup);
        }
        var done = _staged.Select(s => s.Final).ToList();
        _staged.Clear();
        return done;
    }

    /// <summary>Deletes the temporary files of a set that was not committed.</summary>
    public void Dispose()
    {
        foreach (var (temp, _) in _staged)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary file is named .tmp-* and harms nothing.
            }
        }
        _staged.Clear();
    }

    /// <summary>Number of files staged and not yet committed.</summary>
    public int Count => _staged.Count;

    /// <summary>For messages: how many files, e.g. "3 files".</summary>
    public override string ToString() => _staged.Count.ToString(CultureInfo.InvariantCulture) + " files";
}

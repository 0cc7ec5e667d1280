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
    private readonly Dictionary<string, (string Path, FieldRef Option)> _named = new(StringComparer.Ordinal);

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
        if (Directory.Exists(final))
        {
            throw option.Error(Phrase.Of("output-is-folder", "{path} is a folder; {option} names the file to write: give a file name, inside that folder or elsewhere. Nothing was written.",
                ("path", path), ("option", option.Arg)));
        }
        if (!force && File.Exists(final))
        {
            throw option.Error(Phrase.Of("output-exists", "{path} already exists; give {force} to replace it, or choose another {option}. Nothing was written.",
                ("path", path), ("force", FieldNames.Force), ("option", option.Arg)));
        }
        if (_staged.Any(s => string.Equals(s.Final, final, StringComparison.Ordinal)))
        {
            throw option.Error(Phrase.Of("output-named-twice", "{path} is named twice among the files to write; give each output its own path.", ("path", path)));
        }
        var folder = Path.GetDirectoryName(final)!;
        _named[final] = (path, option);
        Guard(path, option, () => Directory.CreateDirectory(folder));
        var temp = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}-{Path.GetFileName(final)}");
        _staged.Add((temp, final));
        Guard(path, option, () => write(temp));
    }

    /// <summary>
    /// The error for a file that could not be written, in the phrase tables, naming the path and the fix: a folder that
    /// refuses writing, a full disk, a part of the path that is a file; any other failure quotes the system's reason.
    /// </summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="option">The field that named it.</param>
    /// <param name="error">What the file system said.</param>
    public static InputException WriteError(string path, FieldRef option, Exception error) => option.Error(error switch
    {
        UnauthorizedAccessException => Phrase.Of("output-denied", "Cannot write {path}: permission denied. Choose a folder you may write to with {option}, or change the folder's permissions. Nothing was written.",
            ("path", path), ("option", option.Arg)),
        // ENOSPC (28) and EDQUOT (122) on Linux, ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL on Windows.
        IOException io when (io.HResult & 0xFFFF) is 28 or 122 or 0x27 or 0x70 => Phrase.Of("output-disk-full", "Cannot write {path}: the disk is full (or the quota is spent). Free some space, or give {option} a path on another disk. Nothing was written.",
            ("path", path), ("option", option.Arg)),
        IOException when FileInPath(path) is { } file => Phrase.Of("output-path-through-file", "Cannot write {path}: {file} is a file, not a folder. Give {option} a path whose folders are folders. Nothing was written.",
            ("path", path), ("file", file), ("option", option.Arg)),
        _ => Phrase.Of("output-failed", "Cannot write {path} ({reason}). Check that the folder exists and can be written, or give {option} another path. Nothing was written.",
            ("path", path), ("reason", error.Message.TrimEnd('.')), ("option", option.Arg)),
    });

    // The nearest existing ancestor of the path when it is a file (so no folder can be made below it).
    private static string? FileInPath(string path)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                return dir;
            }
            if (Directory.Exists(dir))
            {
                return null;
            }
        }
        return null;
    }

    private static void Guard(string path, FieldRef option, Action io)
    {
        try
        {
            io();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteError(path, option, ex);
        }
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
        catch (Exception ex)
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
            var failed = _staged.FirstOrDefault(st => !moved.Contains(st.Final)).Final ?? _staged[^1].Final;
            if (ex is IOException or UnauthorizedAccessException && _named.TryGetValue(failed, out var named))
            {
                throw WriteError(named.Path, named.Option, ex);
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

using Cast2md.Files;

namespace Cast2md.Import;

public sealed partial class OriginalImporter
{
    /// <summary>The folder under the data folder's tmp where a file is copied or linked before it is renamed into place.</summary>
    public const string StagingFolder = "import";

    /// <summary>
    /// Copies (or hard-links) <paramref name="source"/> to <paramref name="destination"/>: first under tmp/, on the
    /// destination's disk, then renamed over it, so a killed run never leaves half a file under a final name.
    /// </summary>
    private void Place(string source, string destination)
    {
        var staging = Path.Combine(_core!.Layout.TempDirectory, StagingFolder);
        Directory.CreateDirectory(staging);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temporary = Path.Combine(staging, Guid.NewGuid().ToString("N") + Path.GetExtension(destination));
        try
        {
            if (_options.Link)
                HardLink.Create(source, temporary);
            else
                File.Copy(source, temporary, overwrite: true);
            File.Move(temporary, destination, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException) { }
            throw;
        }
    }

    /// <summary>Whether two files hold the same bytes (an earlier run's copy or link of the same transcript).</summary>
    private static bool SameContent(string a, string b)
    {
        try
        {
            var first = new FileInfo(a);
            var second = new FileInfo(b);
            if (!first.Exists || !second.Exists || first.Length != second.Length)
                return false;
            return File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

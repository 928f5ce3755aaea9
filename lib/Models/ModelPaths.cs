namespace Cast2md.Models;

/// <summary>Telling a model path from a model name.</summary>
internal static class ModelPaths
{
    /// <summary>"~/x" → "$HOME/x" (environment variables are not shell-expanded).</summary>
    public static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    public static bool HasDirectorySeparator(string value) =>
        value.Contains('/') || value.Contains(Path.DirectorySeparatorChar) || value.Contains(Path.AltDirectorySeparatorChar)
        || value.StartsWith('~');

    public static bool HasBinExtension(string value) => value.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);
}

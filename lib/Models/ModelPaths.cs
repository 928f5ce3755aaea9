namespace Cast2md.Models;

/// <summary>Telling a model path from a model name.</summary>
internal static class ModelPaths
{
    public static bool HasDirectorySeparator(string value) =>
        value.Contains('/') || value.Contains(Path.DirectorySeparatorChar) || value.Contains(Path.AltDirectorySeparatorChar) || value.StartsWith('~');

    public static bool HasBinExtension(string value) => value.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);
}

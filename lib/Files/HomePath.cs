namespace Cast2md.Files;

/// <summary>A leading <c>~</c> in a path taken from a setting or option (shells do not expand variables' values).</summary>
public static class HomePath
{
    /// <summary>"~" and "~/x" (or "~\x") → the user's home folder; anything else unchanged.</summary>
    public static string Expand(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith(@"~\", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
}

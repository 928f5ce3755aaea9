namespace Cast2md.NodeAgent;

/// <summary>Where a node keeps its files: <c>~/.cast2md</c> (node.json, .env), <c>node-work/</c> (audio), <c>spool/</c> (results).</summary>
public static class NodePaths
{
    public static string Home => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cast2md");

    public static string Work => Path.Combine(Home, "node-work");

    public static string Spool => Path.Combine(Home, "spool");
}

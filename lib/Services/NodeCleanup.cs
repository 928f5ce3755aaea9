namespace Cast2md.Services;

/// <summary>Removes nodes that have been silent for long (a cloud worker that was terminated) and hold no job.</summary>
public static class NodeCleanup
{
    public static int DeleteStale(Cast2mdCore core, TimeSpan offlineFor)
    {
        var deleted = 0;
        foreach (var node in core.Nodes.Stale(offlineFor))
            if (core.Jobs.HeldBy(node.WorkerId).Count == 0 && core.Nodes.Delete(node.Id))
                deleted++;
        return deleted;
    }
}

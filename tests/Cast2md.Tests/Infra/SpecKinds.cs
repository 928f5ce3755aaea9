namespace Cast2md.Tests.Infra;

/// <summary>
/// The trait that tells fast specs from slow ones. A spec class that starts programs of its own — the published
/// cast2md (a command, a server, a node, a monitor in tmux), the installers, PostgreSQL, a container — carries
/// <c>[Trait(SpecKinds.Category, SpecKinds.Processes)]</c>; <c>make unit</c> runs every other spec, which needs no
/// published binary and finishes in a fraction of the time.
/// </summary>
public static class SpecKinds
{
    public const string Category = "Category";
    public const string Processes = "Processes";
}

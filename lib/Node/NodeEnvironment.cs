using Cast2md.Settings;

namespace Cast2md.Node;

/// <summary>
/// Where node settings come from: the process environment first, then <c>./.env</c>, then <c>~/.cast2md/.env</c>
/// (as the original's pydantic settings, except that the environment wins).
/// </summary>
public sealed class NodeEnvironment(Func<string, string?> lookup)
{
    /// <summary>The value of <paramref name="name"/>, trimmed; null when unset or empty.</summary>
    public string? Get(string name) => lookup(name) is { } value && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>The real environment, <paramref name="workingDirectory"/>/.env and <paramref name="home"/>/.env.</summary>
    public static NodeEnvironment Load(string? workingDirectory = null, string? home = null)
    {
        var local = EnvFile.Load(Path.Combine(workingDirectory ?? Directory.GetCurrentDirectory(), ".env"));
        var user = EnvFile.Load(Path.Combine(home ?? NodePaths.Home, ".env"));
        return new NodeEnvironment(name =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : local.Get(name) ?? user.Get(name));
    }

    /// <summary>Fixed values (tests).</summary>
    public static NodeEnvironment From(IReadOnlyDictionary<string, string> values) =>
        new(name => values.TryGetValue(name, out var value) ? value : null);
}

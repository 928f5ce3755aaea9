namespace Cast2md.Settings;

/// <summary>What <see cref="SettingsStore.Update"/> did with each key.</summary>
/// <param name="Applied">Keys (upper case) whose value was stored.</param>
/// <param name="Rejected">Keys as given, each with the reason it was not stored.</param>
public sealed record SettingsUpdateResult(IReadOnlyList<string> Applied, IReadOnlyDictionary<string, string> Rejected)
{
    /// <summary>Applied keys that the process environment also sets: stored, but without effect while that variable is set.</summary>
    public IReadOnlyList<string> OverriddenByEnvironment { get; init; } = [];

    /// <summary>Applied keys whose new value is used only after a restart.</summary>
    public IReadOnlyList<string> RequireRestart { get; init; } = [];
}

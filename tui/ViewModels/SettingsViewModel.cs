using Cast2md.Api;

namespace Cast2md.Tui.ViewModels;

/// <summary>The Settings tab: distributed transcription first (the node settings of the README's distributed set-up), then every other server setting.</summary>
public static class SettingsViewModel
{
    private static readonly string[] First = ["distributed_transcription_enabled", "node_heartbeat_timeout_seconds", "remote_job_timeout_minutes"];

    public static IReadOnlyList<SettingRow> Rows(SettingsResponse? settings)
    {
        if (settings is null)
            return [];
        return settings
            .Settings.OrderBy(kv => Array.IndexOf(First, kv.Key) is var i and >= 0 ? i : First.Length)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new SettingRow(
                kv.Key,
                kv.Value.Label,
                Value(kv.Value),
                kv.Value.EnvOverride ? "environment" : kv.Value.Source,
                kv.Value.Type,
                kv.Value.Configurable && !kv.Value.EnvOverride,
                kv.Value.Description,
                kv.Value.Options
            ))
            .ToList();
    }

    private static string Value(SettingResponse s)
    {
        var value = s.Secret ? (string.IsNullOrEmpty(s.Value) ? "" : "••••") : s.Value;
        if (s.Type == "bool")
            value = value == "true" ? "on" : "off";
        return s.Unit is { Length: > 0 } unit && value.Length > 0 ? $"{value} {unit}" : value;
    }

    /// <summary>What Enter on a row sends: a boolean flips; anything else asks for the new value.</summary>
    public static string? Toggled(SettingRow row) => row.Type == "bool" ? (row.Value == "on" ? "false" : "true") : null;
}

using System.Globalization;
using System.Text.Json.Serialization;
using Cast2md.Settings;

namespace Cast2md.Api;

// JSON shapes of /api/settings, as the original cast2md serves them, snake_case.

/// <summary>
/// One setting as the settings screen shows it. <c>source</c> is "default", "env_file", "database" or "environment"
/// (the original folded the environment into "env_file"). Secrets show a mask, never their value.
/// <c>options</c>, <c>min</c>, <c>max</c>, <c>unit</c> and <c>problem</c> appear only when they apply.
/// </summary>
public sealed record SettingResponse(
    string Value,
    string? DbValue,
    string Source,
    bool EnvOverride,
    string Type,
    string Label,
    string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit,
    bool Configurable,
    bool Secret,
    bool RequiresRestart,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Problem
)
{
    public static SettingResponse From(SettingValue value)
    {
        var d = value.Definition;
        return new SettingResponse(
            value.DisplayValue,
            value.DatabaseValue,
            SourceName(value.Source),
            value.EnvironmentOverride,
            d.Type.ToString().ToLowerInvariant(),
            d.Label,
            d.Description,
            d.Options,
            d.Min,
            d.Max,
            d.Unit,
            d.IsConfigurable && !d.IsSecret,
            d.IsSecret,
            d.RequiresRestart,
            value.Problem
        );
    }

    public static string SourceName(SettingSource source) =>
        source switch
        {
            SettingSource.EnvFile => "env_file",
            SettingSource.Database => "database",
            SettingSource.Environment => "environment",
            _ => "default",
        };

    /// <summary>The key as the API shows it: the original's lower-case field name ("whisper_model").</summary>
    public static string ApiKey(string key) => key.ToLower(CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>GET /api/settings</c>: every setting by its lower-case key (the original's pydantic field names; the
/// upper-case environment names are accepted everywhere too), and the keys that can be changed here.
/// </summary>
public sealed record SettingsResponse(IReadOnlyDictionary<string, SettingResponse> Settings, IReadOnlyList<string> Configurable);

/// <summary><c>PUT /api/settings</c>: <c>{"settings": {"whisper_model": "base", "max_retry_attempts": 3}}</c> (strings, numbers or booleans).</summary>
public sealed record SettingsUpdateRequest(Dictionary<string, System.Text.Json.JsonElement>? Settings);

public sealed record RejectedSetting(string Key, string Reason);

/// <summary>
/// What a settings update did. Unlike the original (which skipped unknown and invalid keys silently) every rejected
/// key is reported with its reason.
/// </summary>
public sealed record SettingsUpdateResponse(
    IReadOnlyList<string> Applied,
    IReadOnlyList<RejectedSetting> Rejected,
    IReadOnlyList<string> OverriddenByEnvironment,
    IReadOnlyList<string> RequiresRestart,
    string Message
);

/// <summary><c>POST /api/settings/notifications/test</c>: one entry per configured target; <c>Message</c> says when none is.</summary>
public sealed record NotificationTestResponse(IReadOnlyList<NotificationTestResult> Targets, string Message);

/// <summary>One target's answer to the test: <c>ok</c>, or the error in <c>error</c>.</summary>
public sealed record NotificationTestResult(string Target, bool Ok, string? Error);

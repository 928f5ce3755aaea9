namespace Cast2md.Settings;

/// <summary>A setting's effective value and where it came from.</summary>
/// <param name="Value">The effective value (normalised when valid: "true"/"false", a choice as listed). Secrets included: show <see cref="DisplayValue"/>.</param>
/// <param name="DatabaseValue">The override stored in the database, even when the environment hides it; always null for secrets.</param>
/// <param name="EnvironmentOverride">The process environment sets this key, so database overrides have no effect.</param>
public sealed record SettingValue(SettingDefinition Definition, string Value, SettingSource Source, string? DatabaseValue, bool EnvironmentOverride)
{
    public const string Mask = "********";

    public string Key => Definition.Key;

    /// <summary>Why <see cref="Value"/> is not valid for the definition (only possible for values from the environment or .env files); null when valid.</summary>
    public string? Problem { get; init; }

    /// <summary>The value as a settings screen or API may show it: secrets are masked.</summary>
    public string DisplayValue => Definition.IsSecret && Value.Length > 0 ? Mask : Value;
}

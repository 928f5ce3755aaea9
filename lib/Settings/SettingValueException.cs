using Cast2md.Errors;

namespace Cast2md.Settings;

/// <summary>A setting has a value it cannot take; <see cref="Setting"/> is what the user called it (variable or flag).</summary>
public sealed class SettingValueException(string setting, string message) : Cast2mdException(message)
{
    public string Setting { get; } = setting;
}

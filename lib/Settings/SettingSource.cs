namespace Cast2md.Settings;

/// <summary>Where a setting's effective value came from, lowest precedence first.</summary>
public enum SettingSource
{
    /// <summary>The built-in default.</summary>
    Default,

    /// <summary>A <c>.env</c> file (<c>./.env</c>, then <c>~/.cast2md/.env</c>, the later file winning).</summary>
    EnvFile,

    /// <summary>An override saved through the settings API (the <c>settings</c> table).</summary>
    Database,

    /// <summary>A variable of the process environment; nothing overrides it.</summary>
    Environment,
}

using Cast2md.Errors;
using Cast2md.Storage;

namespace Cast2md.Settings;

/// <summary>
/// Reads settings with the original's precedence and stores the overrides made through <c>PUT /api/settings</c>.
/// </summary>
/// <remarks>
/// Precedence, highest first: the process environment (it hides any database override), a database override (the
/// <c>settings</c> table; never for secrets or non-configurable settings), the .env files, the default: that of
/// <see cref="LocalSettings"/>, with the database between its two layers.
/// Values from the environment and .env files are validated when read: a bad one is reported in
/// <see cref="SettingValue.Problem"/> and the typed getters throw. Database values are validated when stored; one
/// that no longer validates (a definition changed) is ignored and reported in <see cref="Warnings"/>.
/// .env files are read once, when the store is created; database overrides are read on every call, so a change
/// made through the API is seen at once (settings marked <see cref="SettingDefinition.RequiresRestart"/> are
/// typically read once at start by their users).
/// </remarks>
public sealed partial class SettingsStore
{
    private readonly Database _database;
    private readonly LocalSettings _local;

    /// <param name="environment">Reads a process environment variable; default <see cref="System.Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <param name="envFiles">.env files, lowest precedence first; default <see cref="LocalSettings.DefaultEnvFiles"/> of the current directory and home.</param>
    public SettingsStore(Database database, Func<string, string?>? environment = null, IReadOnlyList<string>? envFiles = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _local = envFiles is null
            ? LocalSettings.Load(environment: environment)
            : new LocalSettings(environment ?? System.Environment.GetEnvironmentVariable, envFiles.Select(EnvFile.Load).ToArray());
    }

    /// <summary>The environment and .env layers of this store, for readers of variables that are not settings.</summary>
    public LocalSettings Local => _local;

    /// <summary>The .env files that were read, lowest precedence first.</summary>
    public IReadOnlyList<string> EnvFiles => _local.EnvFiles;

    /// <summary>Problems to log at start: ignored .env lines, invalid values from any source.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var warnings = _local.Warnings.Select(w => w.ToString()).ToList();
            foreach (var value in GetAll())
                if (value.Problem is { } problem)
                    warnings.Add($"{value.Key}: {problem}");
            foreach (var (key, stored) in ReadOverrides())
                if (
                    SettingDefinitions.Find(key) is { IsConfigurable: true, IsSecret: false } definition
                    && !SettingValidator.TryNormalize(definition, stored, out _, out var problem)
                )
                    warnings.Add($"{key}: the stored override '{stored}' is ignored: {problem}");
            return warnings;
        }
    }

    /// <summary>The effective value of the setting named <paramref name="key"/> (ignoring case).</summary>
    /// <exception cref="Cast2mdException">No such setting.</exception>
    public SettingValue Get(string key)
    {
        var definition = Require(key);
        return Evaluate(definition, definition.IsConfigurable && !definition.IsSecret ? ReadOverride(definition.Key) : null);
    }

    /// <summary>Every setting, in the order of <see cref="SettingDefinitions.All"/>.</summary>
    public IReadOnlyList<SettingValue> GetAll()
    {
        var overrides = ReadOverrides();
        return SettingDefinitions
            .All.Select(d => Evaluate(d, d.IsConfigurable && !d.IsSecret && overrides.TryGetValue(d.Key, out var stored) ? stored : null))
            .ToArray();
    }

    /// <summary>
    /// A variable that is not a defined setting (CAST2MD_MODELS_DIR, ...): the process environment, else the
    /// .env files (later wins); null when unset or empty. Never read from the database.
    /// </summary>
    public string? GetVariable(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _local.Get(name);
    }

    private SettingValue Evaluate(SettingDefinition definition, string? stored)
    {
        string? databaseValue = null;
        if (stored is not null && SettingValidator.TryNormalize(definition, stored, out var normalizedStored, out _))
            databaseValue = normalizedStored;

        var fromEnvironment = _local.FromEnvironment(definition.Key);
        if (fromEnvironment is not null)
            return Validated(definition, fromEnvironment, SettingSource.Environment, databaseValue, environmentOverride: true);
        if (databaseValue is not null)
            return new SettingValue(definition, databaseValue, SettingSource.Database, databaseValue, false);
        if (_local.FromFiles(definition.Key) is { } fromFile)
            return Validated(definition, fromFile, SettingSource.EnvFile, null, environmentOverride: false);
        return new SettingValue(definition, definition.Default, SettingSource.Default, null, false);
    }

    private static SettingValue Validated(
        SettingDefinition definition,
        string raw,
        SettingSource source,
        string? databaseValue,
        bool environmentOverride
    )
    {
        var valid = SettingValidator.TryNormalize(definition, raw, out var normalized, out var problem);
        var origin = source == SettingSource.Environment ? "the environment" : "a .env file";
        return new SettingValue(definition, valid ? normalized : raw, source, databaseValue, environmentOverride)
        {
            Problem = valid ? null : $"{problem} (set in {origin})",
        };
    }

    private static SettingDefinition Require(string key) =>
        SettingDefinitions.Find(key)
        ?? throw new Cast2mdException($"'{key}' is not a setting. Known settings: {string.Join(", ", SettingDefinitions.All.Select(d => d.Key))}.");
}

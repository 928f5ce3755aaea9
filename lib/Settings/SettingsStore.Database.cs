using Microsoft.Data.Sqlite;

namespace Cast2md.Settings;

public sealed partial class SettingsStore
{
    /// <summary>
    /// Validates and stores overrides. Every key is answered: stored keys are listed in
    /// <see cref="SettingsUpdateResult.Applied"/>, the others in <see cref="SettingsUpdateResult.Rejected"/> with the
    /// reason (unknown key, secret or not configurable, wrong type, out of range, not an option). The original
    /// silently skipped such keys. Valid keys are stored even when others are rejected, in one transaction.
    /// </summary>
    public SettingsUpdateResult Update(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var accepted = new List<(SettingDefinition Definition, string Value)>();
        var rejected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            var definition = SettingDefinitions.Find(key);
            if (definition is null)
                rejected[key] = "Unknown setting.";
            else if (definition.IsSecret)
                rejected[key] = "This is a credential: set it in the environment or a .env file; it is never stored in the database.";
            else if (!definition.IsConfigurable)
                rejected[key] = "This setting cannot be changed here: set it in the environment or a .env file.";
            else if (accepted.Any(a => a.Definition == definition))
                rejected[key] = $"{definition.Key} is given more than once.";
            else if (!SettingValidator.TryNormalize(definition, value, out var normalized, out var problem))
                rejected[key] = problem!;
            else
                accepted.Add((definition, normalized));
        }

        if (accepted.Count > 0)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using var connection = _database.Connect();
            using var transaction = connection.BeginTransaction();
            foreach (var (definition, value) in accepted)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO settings (key, value, updated_ms) VALUES ($key, $value, $now)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms;
                    """;
                command.Parameters.AddWithValue("$key", definition.Key);
                command.Parameters.AddWithValue("$value", value);
                command.Parameters.AddWithValue("$now", now);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }

        return new SettingsUpdateResult(accepted.Select(a => a.Definition.Key).ToArray(), rejected)
        {
            OverriddenByEnvironment = accepted
                .Where(a => _local.FromEnvironment(a.Definition.Key) is not null)
                .Select(a => a.Definition.Key)
                .ToArray(),
            RequireRestart = accepted.Where(a => a.Definition.RequiresRestart).Select(a => a.Definition.Key).ToArray(),
        };
    }

    /// <summary>Removes the database override of <paramref name="key"/>; false when there was none or the key is unknown.</summary>
    public bool Reset(string key)
    {
        if (SettingDefinitions.Find(key) is not { } definition)
            return false;
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM settings WHERE key = $key;";
        command.Parameters.AddWithValue("$key", definition.Key);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Removes every database override of a defined setting (other rows of the table are left alone); returns how many.</summary>
    public int ResetAll()
    {
        using var connection = _database.Connect();
        using var transaction = connection.BeginTransaction();
        var removed = 0;
        foreach (var definition in SettingDefinitions.All)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM settings WHERE key = $key;";
            command.Parameters.AddWithValue("$key", definition.Key);
            removed += command.ExecuteNonQuery();
        }
        transaction.Commit();
        return removed;
    }

    /// <summary>The database override of a defined setting as stored (whatever the environment says), or null.</summary>
    public string? StoredOverride(string key) => SettingDefinitions.Find(key) is { } definition ? ReadOverride(definition.Key) : null;

    private string? ReadOverride(string key)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM settings WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    private Dictionary<string, string> ReadOverrides()
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value FROM settings;";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
            overrides[reader.GetString(0)] = reader.GetString(1);
        return overrides;
    }
}

using Microsoft.Data.Sqlite;

namespace Cast2md.Storage;

/// <summary>Small helpers so every statement is written with parameters and nulls map to SQL NULL.</summary>
internal static class SqliteExtensions
{
    /// <summary>A command for <paramref name="sql"/>; on the hot-path writer, the one prepared before (see <see cref="StatementCache"/>).</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        if (StatementCache.Lookup(connection, sql, transaction) is { } kept)
            return kept;
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static double? GetDoubleOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static DateTimeOffset? GetTimeOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static long? ToUnixMs(this DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
}

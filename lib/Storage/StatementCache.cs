using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Cast2md.Storage;

/// <summary>
/// Prepared statements kept for one long-lived connection (the hot-path writer), keyed by their text. A caller gets the
/// same command back each time, its parameters cleared and its transaction set; its <c>using</c> leaves the statement
/// prepared. Only the writer's connection has a cache, and only its lock holder uses it, so no two callers share a
/// command at once.
/// </summary>
internal sealed class StatementCache
{
    private static readonly ConditionalWeakTable<SqliteConnection, StatementCache> Caches = new();

    private readonly Dictionary<string, KeptCommand> _commands = new(StringComparer.Ordinal);

    public static void Attach(SqliteConnection connection) => Caches.AddOrUpdate(connection, new StatementCache());

    public static void Detach(SqliteConnection connection)
    {
        if (!Caches.TryGetValue(connection, out var cache))
            return;
        Caches.Remove(connection);
        foreach (var command in cache._commands.Values)
            command.Release();
        cache._commands.Clear();
    }

    /// <summary>The kept command for <paramref name="sql"/> on a writer connection, or null on any other connection.</summary>
    public static SqliteCommand? Lookup(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        if (!Caches.TryGetValue(connection, out var cache))
            return null;
        if (!cache._commands.TryGetValue(sql, out var command))
        {
            command = new KeptCommand(sql, connection);
            cache._commands[sql] = command;
        }
        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    /// <summary>A command whose <c>Dispose</c> keeps its prepared statement; <see cref="Release"/> really disposes it.</summary>
    private sealed class KeptCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        private bool _released;

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released)
                base.Dispose(disposing);
        }
    }
}

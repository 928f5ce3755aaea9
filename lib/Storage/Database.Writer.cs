using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Cast2md.Storage;

/// <summary>
/// The writer of the queue's hot path: claims and completions of this process run on one connection, one at a time,
/// with their statements prepared once and kept. Two reasons, both measured: writers of one process that meet inside
/// SQLite wait in its busy handler, which sleeps (1 ms, 2 ms, 5 ms …) on every collision, while a monitor hands over at
/// once; and preparing a statement costs more than running it (about 15 µs against 3 µs for the episode update), so a
/// claim or a completion that prepares nothing runs in half the time. Other processes on the same file still meet the
/// busy handler, and every other unit of work keeps its own pooled connection.
/// </summary>
public sealed partial class Database
{
    private static readonly ConcurrentDictionary<string, Lock> Writers = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Database, byte> WithWriter = new();
    private static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(5);
    private static readonly Timer Closer = new(_ => CloseIdleWriters(), null, IdleClose, IdleClose);

    private SqliteConnection? _writer;
    private long _writerUsedMs;

    /// <summary>
    /// Held around every write transaction of the hot path in this process; shared by every <see cref="Database"/> of
    /// one file. Re-entrant, so a holder may call another holder.
    /// </summary>
    public Lock Writer { get; }

    /// <summary>
    /// Enters <see cref="Writer"/> and lends its connection, whose statements are prepared once (see
    /// <see cref="SqliteExtensions.Command"/>). Do not dispose the connection; dispose the session. A transaction the
    /// work leaves open is rolled back when the caller disposes it, as on any connection.
    /// </summary>
    public WriterSession Writing()
    {
        Writer.Enter();
        try
        {
            if (_writer is null)
            {
                _writer = Connect();
                StatementCache.Attach(_writer);
                WithWriter.TryAdd(this, 0);
            }
            _writerUsedMs = Environment.TickCount64;
            return new WriterSession(_writer, Writer);
        }
        catch
        {
            Writer.Exit();
            throw;
        }
    }

    /// <summary>
    /// An idle writer goes back to the pool like any connection (so <c>SqliteConnection.ClearAllPools</c> closes it,
    /// and its prepared statements do not outlive a quiet spell).
    /// </summary>
    private static void CloseIdleWriters()
    {
        foreach (var database in WithWriter.Keys)
        {
            if (Environment.TickCount64 - database._writerUsedMs < IdleClose.TotalMilliseconds || !database.Writer.TryEnter())
                continue;
            try
            {
                if (database._writer is { } connection && Environment.TickCount64 - database._writerUsedMs >= IdleClose.TotalMilliseconds)
                {
                    database._writer = null;
                    WithWriter.TryRemove(database, out _);
                    StatementCache.Detach(connection);
                    connection.Dispose();
                }
            }
            finally
            {
                database.Writer.Exit();
            }
        }
    }
}

/// <summary>The hot-path writer lent by <see cref="Database.Writing"/>; disposing it lets the next writer in.</summary>
public readonly struct WriterSession(SqliteConnection connection, Lock writer) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public void Dispose() => writer.Exit();
}

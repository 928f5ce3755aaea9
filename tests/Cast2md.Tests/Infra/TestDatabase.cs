using Cast2md.Storage;

namespace Cast2md.Tests.Infra;

/// <summary>A fresh SQLite file per test, with helpers to add feeds and episodes directly.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly TempDir _dir = TempDir.Create();

    public TestDatabase() => Database = Database.Open(_dir.Combine("cast2md.db"));

    public Database Database { get; }

    public string Path => Database.Path;

    public long AddEpisode(string title = "Episode", long? feedId = null)
    {
        using var connection = Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO feeds (url, title, created_ms, updated_ms) VALUES ('https://example.test/feed/' || $title || random(), 'Feed', 0, 0)
            ON CONFLICT DO NOTHING;
            INSERT INTO episodes (feed_id, guid, title, created_ms, updated_ms)
            VALUES (COALESCE($feed, last_insert_rowid()), hex(randomblob(8)), $title, 0, 0)
            RETURNING id;
            """;
        command.Parameters.AddWithValue("$title", title);
        command.Parameters.AddWithValue("$feed", feedId is { } f ? f : DBNull.Value);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}

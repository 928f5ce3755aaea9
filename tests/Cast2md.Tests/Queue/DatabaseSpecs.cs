using Cast2md.Errors;
using Cast2md.Storage;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Queue;

public sealed class DatabaseSpecs
{
    [Fact]
    public void I_can_open_a_database_twice_and_its_schema_is_migrated_once_in_wal_mode()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("data", "cast2md.db");

        // Act
        Database.Open(path);
        var again = Database.Open(path);

        // Assert
        using var connection = again.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)Migrations.LatestVersion, command.ExecuteScalar());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void A_database_from_before_ids_were_never_reused_counts_on_past_every_id_its_claims_and_history_have_seen()
    {
        // Arrange: schema 2, as the previous cast2md left it — job 7 deleted (its history and claim kept), and a claim
        // of an earlier job 2 (same id, deleted before the present job 2 was created)
        using var dir = TempDir.Create();
        var path = dir.Combine("cast2md.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            Migrations.Apply(connection, upTo: 2);
            using var seed = connection.CreateCommand();
            seed.CommandText = """
                INSERT INTO feeds (id, url, title, created_ms, updated_ms) VALUES (1, 'https://example.test/f.xml', 'F', 0, 0);
                INSERT INTO episodes (id, feed_id, guid, title, created_ms, updated_ms) VALUES (1, 1, 'g1', 'E1', 0, 0), (2, 1, 'g2', 'E2', 0, 0);
                INSERT INTO jobs (id, episode_id, job_type, status, run_after_ms, created_ms) VALUES (1, 1, 'transcribe', 'completed', 0, 100), (2, 2, 'transcribe', 'queued', 0, 500);
                INSERT INTO job_history (job_id, at_ms, event) VALUES (7, 300, 'queued');
                INSERT INTO job_claims (token, job_id, worker, claimed_ms) VALUES ('kept', 1, 'node:a', 200), ('stale', 2, 'node:b', 400), ('gone', 7, 'node:c', 310);
                """;
            seed.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // Act
        var database = Database.Open(path);
        var jobs = new Cast2md.Queue.JobStore(database);
        var next = jobs.Enqueue(1, Cast2md.Queue.JobType.Download).Job;

        // Assert
        Assert.True(next.Id > 7, $"the first new job got id {next.Id}");
        Assert.Equal("node:a", jobs.TokenOwner(1, "kept"));
        Assert.Null(jobs.TokenOwner(2, "stale"));
        using var connection2 = database.Connect();
        using var count = connection2.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM job_claims;";
        Assert.Equal(1L, count.ExecuteScalar());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void I_can_not_open_a_database_from_a_newer_cast2md_and_get_a_clear_error()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("cast2md.db");
        using (var connection = Database.Open(path).Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        // Act
        var error = Assert.Throws<Cast2mdException>(() => Database.Open(path));

        // Assert
        Assert.Contains("newer cast2md", error.Message);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

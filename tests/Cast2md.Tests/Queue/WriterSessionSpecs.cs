using Cast2md.Queue;
using Cast2md.Storage;
using Cast2md.Tests.Infra;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cast2md.Tests.Queue;

public sealed class WriterSessionSpecs
{
    [Fact]
    public void The_writer_keeps_each_statement_prepared_while_other_connections_get_a_fresh_command_each_time()
    {
        // Arrange
        using var dir = TempDir.Create();
        var database = Database.Open(dir.Combine("cast2md.db"));
        const string sql = "SELECT COUNT(*) FROM jobs WHERE status = $status;";

        // Act
        SqliteCommand first,
            second;
        using (var writing = database.Writing())
        {
            first = writing.Connection.Command(sql).With("$status", "queued");
            first.ExecuteScalar();
            first.Dispose();
            second = writing.Connection.Command(sql);
        }
        using var pooled = database.Connect();
        using var elsewhere = pooled.Command(sql);

        // Assert: the same command, its parameters cleared for the next caller; a pooled connection keeps nothing
        Assert.Same(first, second);
        Assert.Empty(second.Parameters);
        Assert.NotSame(second, elsewhere);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void A_statement_that_failed_on_the_writer_runs_again_on_the_next_call_and_its_transaction_is_rolled_back()
    {
        // Arrange
        using var dir = TempDir.Create();
        var database = Database.Open(dir.Combine("cast2md.db"));
        const string insert = "INSERT INTO feeds (url, title, created_ms, updated_ms) VALUES ($url, 't', 0, 0);";
        using (var writing = database.Writing())
            writing.Connection.Command(insert).With("$url", "https://a.example/feed").ExecuteNonQuery();

        // Act: the same URL again fails on the unique constraint inside a transaction the caller never commits
        var failed = Record.Exception(() =>
        {
            using var writing = database.Writing();
            using var transaction = writing.Connection.BeginTransaction(deferred: false);
            writing.Connection.Command(insert, transaction).With("$url", "https://b.example/feed").ExecuteNonQuery();
            writing.Connection.Command(insert, transaction).With("$url", "https://a.example/feed").ExecuteNonQuery();
        });
        using (var writing = database.Writing())
            writing.Connection.Command(insert).With("$url", "https://c.example/feed").ExecuteNonQuery();

        // Assert
        Assert.IsType<SqliteException>(failed);
        using var connection = database.Connect();
        var urls = new List<string>();
        using (var read = connection.Command("SELECT url FROM feeds ORDER BY url;"))
        using (var reader = read.ExecuteReader())
            while (reader.Read())
                urls.Add(reader.GetString(0));
        Assert.Equal(["https://a.example/feed", "https://c.example/feed"], urls);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Sixteen_threads_claiming_and_completing_through_the_one_writer_hand_out_every_job_exactly_once()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        var outcomes = new Cast2md.Services.JobOutcomes(store, new Cast2md.Queue.QueueSignal());
        for (var i = 0; i < 200; i++)
            store.Enqueue(db.AddEpisode($"e{i}"), JobType.Download);

        // Act
        var claimed = new System.Collections.Concurrent.ConcurrentBag<long>();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, w =>
        {
            while (store.TryClaim(JobType.Download, $"w{w}", TimeSpan.FromMinutes(5)) is { } lease)
            {
                claimed.Add(lease.Job.Id);
                Assert.Equal(TransitionResult.Done, outcomes.Complete(lease.Job.Id, lease.Token, $"w{w}", Cast2md.Services.JobResult.Nothing).Result);
            }
        });

        // Assert
        Assert.Equal(200, claimed.Count);
        Assert.Equal(200, claimed.Distinct().Count());
        Assert.Equal(200, store.Counts(JobType.Download).Completed);
        SqliteConnection.ClearAllPools();
    }
}

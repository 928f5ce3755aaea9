using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Queue;

/// <summary>
/// The durable job queue in the SQLite file. Every state change is one guarded statement (or one
/// IMMEDIATE transaction with its history row), so it is atomic across threads and processes.
/// Partials: <c>.Claim</c> (claiming, leases, the reaper), <c>.Transitions</c> (complete, fail, release),
/// <c>.Workers</c> (what one worker or node holds: its jobs, leases, tokens, a late completion),
/// <c>.Episodes</c> (the episode status that follows a job's), <c>.Admin</c> (reset, retry, cancel, priority, start-up
/// recovery), <c>.Housekeeping</c> (stuck jobs, old jobs, forced deletes), <c>.Reading</c> (queries).
/// </summary>
/// <param name="onFailedForGood">
/// Runs inside the transaction that fails a job for good, before its commit, whichever path ends it: the holder's own
/// failure, an expired lease on the last attempt (reaped before every claim, so by any worker or node), or a batch reset
/// of stuck jobs. What it writes (a notification) commits or rolls back with the failure, so it is neither lost nor
/// written for a failure that did not happen. A store-wide hook rather than a per-call one, because the reaper runs
/// inside every claim, where no caller could hand one in.
/// </param>
public sealed partial class JobStore(
    Database database,
    QueueOptions? options = null,
    TimeProvider? timeProvider = null,
    Action<SqliteConnection, SqliteTransaction, FailedJob>? onFailedForGood = null
)
{
    private const string JobColumns =
        "id, episode_id, job_type, status, priority, attempts, max_attempts, created_ms, run_after_ms, started_ms, "
        + "completed_ms, claimed_by, lease_expires_ms, progress_percent, error_message, permanent_failure, model, "
        + "parent_job_id, span_start_ms, span_end_ms, spans";

    private readonly QueueOptions _options = options ?? new QueueOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public QueueOptions Options => _options;

    /// <summary>Queues a job unless the episode already has an active one of that type (then returns it).</summary>
    public EnqueueResult Enqueue(long episodeId, JobType type, int priority = 10, string? actor = null, string? model = null)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = Enqueue(connection, transaction, episodeId, type, priority, actor, model);
        transaction.Commit();
        return result;
    }

    /// <summary>The same inside a caller's transaction (a result that queues its follow-up); commits nothing.</summary>
    internal EnqueueResult Enqueue(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long episodeId,
        JobType type,
        int priority = 10,
        string? actor = null,
        string? model = null
    )
    {
        var now = NowMs();
        using (
            var insert = Command(
                connection,
                transaction,
                $"""
                INSERT INTO jobs (episode_id, job_type, priority, max_attempts, run_after_ms, created_ms, model)
                VALUES ($episode, $type, $priority, $max, $now, $now, $model)
                ON CONFLICT (episode_id, job_type) WHERE status IN ('queued', 'running') AND parent_job_id IS NULL DO NOTHING
                RETURNING {JobColumns};
                """
            )
        )
        {
            insert.Parameters.AddWithValue("$episode", episodeId);
            insert.Parameters.AddWithValue("$type", type.ToName());
            insert.Parameters.AddWithValue("$priority", priority);
            insert.Parameters.AddWithValue("$max", _options.MaxAttempts);
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$model", (object?)model ?? DBNull.Value);
            var created = ReadSingle(insert);
            if (created is not null)
            {
                AddHistory(connection, transaction, created.Id, now, "queued", actor, $"priority {priority}");
                return new EnqueueResult(created, Created: true);
            }
        }

        using var existing = Command(
            connection,
            transaction,
            $"SELECT {JobColumns} FROM jobs WHERE episode_id = $episode AND job_type = $type AND status IN ('queued', 'running') AND parent_job_id IS NULL;"
        );
        existing.Parameters.AddWithValue("$episode", episodeId);
        existing.Parameters.AddWithValue("$type", type.ToName());
        var job = ReadSingle(existing) ?? throw new InvalidOperationException("the conflicting active job vanished");
        return new EnqueueResult(job, Created: false);
    }

    /// <summary>The database the queue lives in (job outcomes commit their episode changes in the same transactions).</summary>
    internal Database Database => database;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // Argument order kept from the queue's many call sites; the helper itself is the shared one.
    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql) =>
        connection.Command(sql, transaction);

    private static void AddHistory(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        long jobId,
        long atMs,
        string @event,
        string? actor,
        string? detail
    )
    {
        using var command = connection
            .Command("INSERT INTO job_history (job_id, at_ms, event, actor, detail) VALUES ($job, $at, $event, $actor, $detail);", transaction)
            .With("$job", jobId)
            .With("$at", atMs)
            .With("$event", @event)
            .With("$actor", actor)
            .With("$detail", detail);
        command.ExecuteNonQuery();
    }

    private static Job? ReadSingle(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadJob(reader) : null;
    }

    private static List<Job> ReadAll(SqliteCommand command)
    {
        var jobs = new List<Job>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            jobs.Add(ReadJob(reader));
        return jobs;
    }

    private static Job ReadJob(SqliteDataReader r) =>
        new(
            Id: r.GetInt64(0),
            EpisodeId: r.GetInt64(1),
            Type: JobTypes.Parse(r.GetString(2)),
            Status: JobStatuses.Parse(r.GetString(3)),
            Priority: r.GetInt32(4),
            Attempts: r.GetInt32(5),
            MaxAttempts: r.GetInt32(6),
            CreatedAt: FromMs(r.GetInt64(7)),
            RunAfter: FromMs(r.GetInt64(8)),
            StartedAt: r.GetTimeOrNull(9),
            CompletedAt: r.GetTimeOrNull(10),
            ClaimedBy: r.GetStringOrNull(11),
            LeaseExpiresAt: r.GetTimeOrNull(12),
            ProgressPercent: r.GetDoubleOrNull(13),
            ErrorMessage: r.GetStringOrNull(14),
            PermanentFailure: r.GetInt64(15) != 0,
            Model: r.GetStringOrNull(16),
            ParentJobId: r.IsDBNull(17) ? null : r.GetInt64(17),
            SpanStartMs: r.IsDBNull(18) ? null : r.GetInt64(18),
            SpanEndMs: r.IsDBNull(19) ? null : r.GetInt64(19),
            Spans: r.IsDBNull(20) ? null : r.GetInt32(20)
        );

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

namespace Cast2md.Queue;

public sealed partial class JobStore
{
    public Job? Get(long jobId)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = $id;");
        command.Parameters.AddWithValue("$id", jobId);
        return ReadSingle(command);
    }

    /// <summary>Jobs filtered by status and type; queued in claim order, the rest newest first.</summary>
    public IReadOnlyList<Job> List(JobStatus? status = null, JobType? type = null, long? episodeId = null, int limit = 100)
    {
        using var connection = database.Connect();
        using var command = Command(
            connection,
            null,
            $"""
            SELECT {JobColumns} FROM jobs
            WHERE ($status IS NULL OR status = $status) AND ($type IS NULL OR job_type = $type)
              AND ($episode IS NULL OR episode_id = $episode)
            ORDER BY CASE WHEN status = 'queued' THEN 0 ELSE 1 END,
                     CASE WHEN status = 'queued' THEN priority END, CASE WHEN status = 'queued' THEN id END,
                     id DESC
            LIMIT $limit;
            """
        );
        command.Parameters.AddWithValue("$status", status is { } s ? s.ToName() : DBNull.Value);
        command.Parameters.AddWithValue("$type", type is { } t ? t.ToName() : DBNull.Value);
        command.Parameters.AddWithValue("$episode", episodeId is { } e ? e : DBNull.Value);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000));
        return ReadAll(command);
    }

    public JobCounts Counts(JobType type)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null, "SELECT status, COUNT(*) FROM jobs WHERE job_type = $type GROUP BY status;");
        command.Parameters.AddWithValue("$type", type.ToName());
        var counts = new Dictionary<string, int>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            counts[reader.GetString(0)] = reader.GetInt32(1);
        return new JobCounts(
            counts.GetValueOrDefault("queued"),
            counts.GetValueOrDefault("running"),
            counts.GetValueOrDefault("completed"),
            counts.GetValueOrDefault("failed"),
            counts.GetValueOrDefault("cancelled")
        );
    }

    public IReadOnlyList<JobHistoryEntry> History(long jobId)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null, "SELECT job_id, at_ms, event, actor, detail FROM job_history WHERE job_id = $id ORDER BY id;");
        command.Parameters.AddWithValue("$id", jobId);
        var entries = new List<JobHistoryEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            entries.Add(
                new JobHistoryEntry(
                    reader.GetInt64(0),
                    FromMs(reader.GetInt64(1)),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)
                )
            );
        return entries;
    }
}

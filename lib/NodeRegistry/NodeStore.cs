using System.Text.Json;
using Cast2md.Json;
using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.NodeRegistry;

/// <summary>The <c>nodes</c> table: registration, authentication by key hash, heartbeats, stale-node clean-up.</summary>
public sealed class NodeStore(Database database, TimeProvider? timeProvider = null)
{
    private const string Columns =
        "id, name, url, whisper_model, whisper_backend, models, priority, last_heartbeat_ms, current_job_id, created_ms, problem";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Registers a node and returns it with its new API key (shown this once). With <paramref name="reuseNodeId"/> (a
    /// node that proved it is that row) the row is taken over with a new key. With <paramref name="reuseOfflineNamesake"/>
    /// (the caller decides who may: the admin) a registration under the name of an offline node takes that row over
    /// (a restarted cloud worker does not leave orphans behind); an online namesake is left alone and a new row is made.
    /// </summary>
    public (TranscriberNode Node, string ApiKey) Register(
        NodeRegistration registration,
        TimeSpan heartbeatTimeout,
        bool reuseOfflineNamesake = false,
        string? reuseNodeId = null
    )
    {
        var apiKey = NodeApiKey.Generate();
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var reuse = reuseNodeId;
        if (reuse is null && reuseOfflineNamesake)
        {
            using var find = connection
                .Command(
                    """
                    SELECT id FROM nodes
                    WHERE name = $name AND (last_heartbeat_ms IS NULL OR last_heartbeat_ms < $offlineBefore)
                    ORDER BY created_ms LIMIT 1;
                    """,
                    transaction
                )
                .With("$name", registration.Name)
                .With("$offlineBefore", now - (long)heartbeatTimeout.TotalMilliseconds);
            reuse = find.ExecuteScalar() as string;
        }

        var id = reuse ?? Guid.NewGuid().ToString();
        using (
            var write = connection
                .Command(
                    """
                    INSERT INTO nodes (id, name, url, api_key_hash, whisper_model, whisper_backend, models, priority, created_ms, updated_ms)
                    VALUES ($id, $name, $url, $hash, $model, $backend, $models, $priority, $now, $now)
                    ON CONFLICT (id) DO UPDATE SET
                        name = excluded.name, url = excluded.url, api_key_hash = excluded.api_key_hash,
                        whisper_model = excluded.whisper_model, whisper_backend = excluded.whisper_backend, models = excluded.models,
                        priority = excluded.priority, last_heartbeat_ms = NULL, current_job_id = NULL, updated_ms = excluded.updated_ms;
                    """,
                    transaction
                )
                .With("$id", id)
                .With("$name", registration.Name)
                .With("$url", registration.Url)
                .With("$hash", NodeApiKey.Hash(apiKey))
                .With("$model", registration.WhisperModel)
                .With("$backend", registration.WhisperBackend)
                .With("$models", ModelsJson(registration.Models))
                .With("$priority", registration.Priority)
                .With("$now", now)
        )
            write.ExecuteNonQuery();
        transaction.Commit();
        return (Get(id)!, apiKey);
    }

    public TranscriberNode? Get(string id)
    {
        using var connection = database.Connect();
        using var command = connection.Command($"SELECT {Columns} FROM nodes WHERE id = $id;").With("$id", id);
        return ReadAll(command).FirstOrDefault();
    }

    /// <summary>The node with this id if <paramref name="apiKey"/> is its key (compared in constant time); else null.</summary>
    public TranscriberNode? Authenticate(string id, string? apiKey)
    {
        using var connection = database.Connect();
        using var command = connection.Command("SELECT api_key_hash FROM nodes WHERE id = $id;").With("$id", id);
        return command.ExecuteScalar() is string hash && NodeApiKey.Matches(apiKey, hash) ? Get(id) : null;
    }

    /// <summary>The node whose key this is, for the job-scoped calls that carry no node id (looked up by the key's hash).</summary>
    public TranscriberNode? FindByKey(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey) || apiKey.Length > 512)
            return null;
        using var connection = database.Connect();
        using var command = connection.Command($"SELECT {Columns} FROM nodes WHERE api_key_hash = $hash;").With("$hash", NodeApiKey.Hash(apiKey));
        return ReadAll(command).FirstOrDefault();
    }

    /// <summary>All nodes, best priority first, then by name.</summary>
    public IReadOnlyList<TranscriberNode> List()
    {
        using var connection = database.Connect();
        using var command = connection.Command($"SELECT {Columns} FROM nodes ORDER BY priority, name, created_ms;");
        return ReadAll(command);
    }

    /// <summary>Records a sign of life (claim, heartbeat, progress) and whatever the node says about itself.</summary>
    public void Touch(string id, NodeInfoUpdate? update = null)
    {
        using var connection = database.Connect();
        using var command = connection
            .Command(
                """
                UPDATE nodes SET
                    last_heartbeat_ms = $now, updated_ms = $now,
                    name = COALESCE($name, name), url = COALESCE($url, url),
                    whisper_model = COALESCE($model, whisper_model), whisper_backend = COALESCE($backend, whisper_backend),
                    models = COALESCE($models, models),
                    current_job_id = CASE WHEN $setJob THEN $job ELSE current_job_id END
                WHERE id = $id;
                """
            )
            .With("$now", NowMs())
            .With("$id", id)
            .With("$name", update?.Name is { Length: > 0 } name ? name : null)
            .With("$url", update?.Url is { Length: > 0 } url ? url : null)
            .With("$model", update?.WhisperModel)
            .With("$backend", update?.WhisperBackend)
            .With("$models", update?.Models is { } models ? ModelsJson(models) : null)
            .With("$setJob", update is not null ? 1 : 0)
            .With("$job", update?.CurrentJobId);
        command.ExecuteNonQuery();
    }

    /// <summary>What the node says keeps it from working (null: healthy again). It claims nothing while it has one.</summary>
    public void SetProblem(string id, string? problem)
    {
        using var connection = database.Connect();
        using var command = connection
            .Command("UPDATE nodes SET problem = $problem, updated_ms = $now WHERE id = $id;")
            .With("$problem", problem is { Length: > 0 } p ? p[..Math.Min(p.Length, 500)] : null)
            .With("$now", NowMs())
            .With("$id", id);
        command.ExecuteNonQuery();
    }

    public bool Delete(string id)
    {
        using var connection = database.Connect();
        using var command = connection.Command("DELETE FROM nodes WHERE id = $id;").With("$id", id);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Nodes silent for longer than <paramref name="offlineFor"/> (or never heard from since registering that long ago).</summary>
    public IReadOnlyList<TranscriberNode> Stale(TimeSpan offlineFor)
    {
        var before = NowMs() - (long)offlineFor.TotalMilliseconds;
        using var connection = database.Connect();
        using var command = connection
            .Command($"SELECT {Columns} FROM nodes WHERE COALESCE(last_heartbeat_ms, created_ms) < $before ORDER BY priority, name;")
            .With("$before", before);
        return ReadAll(command);
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string ModelsJson(IReadOnlyList<string> models) =>
        JsonSerializer.Serialize(models.Where(m => m.Length > 0).Distinct().ToArray(), Cast2mdJsonContext.Default.StringArray);

    private static List<TranscriberNode> ReadAll(SqliteCommand command)
    {
        var nodes = new List<TranscriberNode>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            nodes.Add(
                new TranscriberNode(
                    Id: reader.GetString(0),
                    Name: reader.GetString(1),
                    Url: reader.GetStringOrNull(2),
                    WhisperModel: reader.GetStringOrNull(3),
                    WhisperBackend: reader.GetStringOrNull(4),
                    Models: JsonSerializer.Deserialize(reader.GetString(5), Cast2mdJsonContext.Default.StringArray) ?? [],
                    Priority: reader.GetInt32(6),
                    LastHeartbeat: reader.GetTimeOrNull(7),
                    CurrentJobId: reader.GetInt64OrNull(8),
                    CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                    Problem: reader.GetStringOrNull(10)
                )
            );
        return nodes;
    }
}

using Microsoft.Data.Sqlite;

namespace Cast2md.Tests.Infra;

/// <summary>Moves a registered node's last heartbeat into the past, as if it had fallen silent that long ago.</summary>
public static class NodeHeartbeats
{
    public static void Backdate(string databasePath, string nodeId, TimeSpan ago)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=false");
        connection.Open();
        using var backdate = connection.CreateCommand();
        backdate.CommandText = "UPDATE nodes SET last_heartbeat_ms = $seen WHERE id = $id;";
        backdate.Parameters.AddWithValue("$seen", DateTimeOffset.UtcNow.Subtract(ago).ToUnixTimeMilliseconds());
        backdate.Parameters.AddWithValue("$id", nodeId);
        backdate.ExecuteNonQuery();
    }
}

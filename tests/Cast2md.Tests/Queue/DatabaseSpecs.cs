using Xunit;
using Cast2md.Errors;
using Cast2md.Storage;
using Cast2md.Tests.Infra;

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

using Microsoft.Data.Sqlite;

namespace Cast2md.Storage;

/// <summary>
/// The one SQLite file that holds feeds, episodes and the job queue. Every unit of work opens its own
/// connection (pooled); WAL lets readers run beside the single writer, and several processes
/// (serve, CLI commands, tests) may use the same file at once.
/// </summary>
public sealed partial class Database
{
    private readonly string _connectionString;

    private Database(string path)
    {
        Path = path;
        Writer = Writers.GetOrAdd(System.IO.Path.GetFullPath(path), _ => new Lock());
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout passes.
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) the database file and brings its schema up to date.</summary>
    public static Database Open(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var database = new Database(path);
        using (var connection = database.Connect())
        {
            // WAL is a property of the file: set once, it stays for every later connection.
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Migrations.Apply(connection);
        }
        return database;
    }

    /// <summary>A new open connection; dispose it when the unit of work ends.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Both settings belong to the SQLite handle, which the pool keeps open and hands out again: set them once per
        // handle, not once per unit of work (two statements saved on every claim, heartbeat and completion).
        if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
        {
            Execute(connection, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;");
            Configured.AddOrUpdate(handle, Marker);
        }
        // The search triggers compute the word-pair index's text with it (IndexWords), so every connection that may write
        // a segment needs it. Not once per handle like the settings above: closing a connection (handing its handle
        // back to the pool) unregisters the functions it created, so each connection registers it again (a microsecond).
        connection.CreateFunction(IndexWords.PairsFunction, (string? text) => IndexWords.Pairs(text), isDeterministic: true);
        return connection;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Marker = new();

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

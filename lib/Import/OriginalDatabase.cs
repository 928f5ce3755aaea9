using System.Net.Sockets;
using System.Text.Json;
using Cast2md.Errors;
using Npgsql;

namespace Cast2md.Import;

/// <summary>
/// Reads an original cast2md's PostgreSQL database: its feeds, episodes and settings overrides, nothing else (nodes
/// re-register, and its job history describes work that is over). Read-only: one transaction, plain SELECTs. Columns
/// that an older schema lacks read as null, so any of its versions can be imported.
/// </summary>
public static class OriginalDatabase
{
    private static readonly string[] FeedColumns = ["id", "url", "title", "description", "image_url", "author", "link", "categories", "custom_title"];

    private static readonly string[] EpisodeColumns =
    [
        "id",
        "feed_id",
        "guid",
        "title",
        "status",
        "description",
        "audio_url",
        "duration_seconds",
        "published_at",
        "audio_path",
        "transcript_path",
        "transcript_url",
        "transcript_type",
        "transcript_model",
        "transcript_source",
        "link",
        "author",
        "error_message",
        "permanent_failure",
    ];

    /// <exception cref="Cast2mdException">The URL is not one we can read, or the database cannot be reached or read; the message never holds the password.</exception>
    public static async Task<OriginalInstallation> ReadAsync(string url, CancellationToken cancellationToken)
    {
        var connectionString = OriginalDatabaseUrl.ToConnectionString(url);
        var where = OriginalDatabaseUrl.Describe(url);
        // The slim builder leaves out the type mappings we never read (arrays, ranges, JSON, records), which keeps the
        // trimmed binary small and free of reflection; TLS is opted into, as a remote database may require it.
        var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
        builder.EnableTransportSecurity();
        await using var source = builder.Build();
        try
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var tables = await ColumnsAsync(connection, cancellationToken);
            if (!tables.TryGetValue("feed", out var feedColumns) || !tables.TryGetValue("episode", out var episodeColumns))
                throw new Cast2mdException(
                    $"The database {where} has no 'feed' and 'episode' tables: is it the original cast2md's database (its DATABASE_URL)?"
                );

            var feeds = new List<OriginalFeed>();
            await using (var read = Select(connection, "feed", FeedColumns, feedColumns, "ORDER BY id"))
            await using (var r = await read.ExecuteReaderAsync(cancellationToken))
                while (await r.ReadAsync(cancellationToken))
                    feeds.Add(
                        new OriginalFeed(Long(r, 0)!.Value, Text(r, 1) ?? "", Text(r, 2) ?? "")
                        {
                            Description = Text(r, 3),
                            ImageUrl = Text(r, 4),
                            Author = Text(r, 5),
                            Link = Text(r, 6),
                            Categories = Categories(Text(r, 7)),
                            CustomTitle = Text(r, 8),
                        }
                    );

            var episodes = new List<OriginalEpisode>();
            await using (var read = Select(connection, "episode", EpisodeColumns, episodeColumns, "ORDER BY feed_id, id"))
            await using (var r = await read.ExecuteReaderAsync(cancellationToken))
                while (await r.ReadAsync(cancellationToken))
                    episodes.Add(
                        new OriginalEpisode(Long(r, 0)!.Value, Long(r, 1)!.Value, Text(r, 2) ?? "", Text(r, 3) ?? "", Text(r, 4) ?? "new")
                        {
                            Description = Text(r, 5),
                            AudioUrl = Text(r, 6),
                            DurationSeconds = r.IsDBNull(7)
                                ? null
                                : Convert.ToDouble(r.GetValue(7), System.Globalization.CultureInfo.InvariantCulture),
                            PublishedAt = Time(r, 8),
                            AudioPath = Text(r, 9),
                            TranscriptPath = Text(r, 10),
                            TranscriptUrl = Text(r, 11),
                            TranscriptType = Text(r, 12),
                            TranscriptModel = Text(r, 13),
                            TranscriptSource = Text(r, 14),
                            Link = Text(r, 15),
                            Author = Text(r, 16),
                            ErrorMessage = Text(r, 17),
                            PermanentFailure = !r.IsDBNull(18) && r.GetValue(18) is true or 1 or "t" or "true",
                        }
                    );

            var settings = new List<KeyValuePair<string, string>>();
            if (tables.TryGetValue("settings", out var settingColumns) && settingColumns.Contains("key") && settingColumns.Contains("value"))
            {
                await using var read = new NpgsqlCommand("SELECT key, value FROM settings WHERE value IS NOT NULL ORDER BY key", connection);
                await using var r = await read.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                    settings.Add(new(r.GetString(0), r.GetValue(1).ToString() ?? ""));
            }
            return new OriginalInstallation(feeds, episodes, settings);
        }
        catch (Exception ex)
            when (ex is NpgsqlException or SocketException or TimeoutException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new Cast2mdException($"Cannot read the original cast2md database at {where}: {Reason(ex)}", ex);
        }
    }

    /// <summary>Why a connection or a read failed, in our words (never the server's raw text alone, never the password).</summary>
    private static string Reason(Exception ex)
    {
        if (ex is PostgresException pg)
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    "the server refused the user name or password (check the user and password in the URL).",
                PostgresErrorCodes.InvalidCatalogName => "there is no such database on that server.",
                PostgresErrorCodes.InsufficientPrivilege => "the user may not read the original's tables.",
                _ => $"PostgreSQL answered: {pg.MessageText}.",
            };
        for (var inner = ex; inner is not null; inner = inner.InnerException)
            if (inner is SocketException socket)
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "nothing accepts connections there (is PostgreSQL running, and are host and port right?).",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name is not known.",
                    SocketError.TimedOut => "the server did not answer in time.",
                    SocketError.AddressNotAvailable or SocketError.NetworkUnreachable or SocketError.HostUnreachable =>
                        "the server cannot be reached from here.",
                    _ => $"the connection failed ({socket.SocketErrorCode}).",
                };
        if (ex is TimeoutException || ex.InnerException is TimeoutException)
            return "the server did not answer in time.";
        return ex is NpgsqlException { InnerException: IOException io }
            ? $"the connection broke ({io.Message})."
            : "the server could not be reached or read.";
    }

    /// <summary>Every column of the public tables, by table.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> ColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await using var read = new NpgsqlCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY (ARRAY['feed', 'episode', 'settings'])",
            connection
        );
        await using var r = await read.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            if (!tables.TryGetValue(r.GetString(0), out var columns))
                tables[r.GetString(0)] = columns = new HashSet<string>(StringComparer.Ordinal);
            columns.Add(r.GetString(1));
        }
        return tables;
    }

    /// <summary>SELECT of the wanted columns in their order, NULL for those this schema lacks (names are our constants).</summary>
    private static NpgsqlCommand Select(NpgsqlConnection connection, string table, string[] wanted, HashSet<string> present, string tail) =>
        new($"SELECT {string.Join(", ", wanted.Select(c => present.Contains(c) ? $"\"{c}\"" : "NULL"))} FROM \"{table}\" {tail}", connection);

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetValue(i).ToString();

    private static long? Long(NpgsqlDataReader r, int i) =>
        r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime? Time(NpgsqlDataReader r, int i)
    {
        if (r.IsDBNull(i))
            return null;
        return r.GetValue(i) switch
        {
            DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
            DateTimeOffset offset => offset.UtcDateTime,
            string text
                when DateTime.TryParse(
                    text,
                    System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal,
                    out var parsed
                ) => parsed,
            _ => null,
        };
    }

    private static IReadOnlyList<string> Categories(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return [];
        try
        {
            return JsonSerializer.Deserialize(json, Json.Cast2mdJsonContext.Default.StringArray) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

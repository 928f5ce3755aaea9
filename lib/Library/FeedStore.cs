using System.Text.Json;
using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Library;

/// <summary>Feeds in the database. Episodes of a feed live in <see cref="EpisodeStore"/>.</summary>
public sealed class FeedStore(Database database, TimeProvider? timeProvider = null)
{
    private const string Columns =
        "f.id, f.url, f.title, f.description, f.image_url, f.author, f.link, f.categories, f.custom_title, f.etag, "
        + "f.last_modified, f.last_polled_ms, f.last_error, f.created_ms, f.updated_ms";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Subscribes a feed; throws <see cref="DuplicateFeedException"/> for a URL already subscribed.</summary>
    public Feed Add(string url, FeedMetadata metadata)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = database.Connect();
        using var insert = connection
            .Command(
                """
                INSERT INTO feeds (url, title, description, image_url, author, link, categories, created_ms, updated_ms)
                VALUES ($url, $title, $description, $image, $author, $link, $categories, $now, $now)
                ON CONFLICT (url) DO NOTHING
                RETURNING id;
                """
            )
            .With("$url", url)
            .With("$title", metadata.Title)
            .With("$description", metadata.Description)
            .With("$image", metadata.ImageUrl)
            .With("$author", metadata.Author)
            .With("$link", metadata.Link)
            .With("$categories", SerializeCategories(metadata.Categories))
            .With("$now", now);
        if (insert.ExecuteScalar() is long id)
            return Get(id)!;
        throw new DuplicateFeedException(url, FindByUrl(url)!.Id);
    }

    public Feed? Get(long id) => Query("WHERE f.id = $id", c => c.With("$id", id)).FirstOrDefault();

    public Feed? FindByUrl(string url) => Query("WHERE f.url = $url", c => c.With("$url", url)).FirstOrDefault();

    public int Count()
    {
        using var connection = database.Connect();
        using var count = connection.Command("SELECT COUNT(*) FROM feeds;");
        return Convert.ToInt32(count.ExecuteScalar());
    }

    /// <summary>Every feed with its episode count and per-status counts (one grouped query, not one per feed).</summary>
    public IReadOnlyList<Feed> List()
    {
        var feeds = Query("ORDER BY COALESCE(f.custom_title, f.title) COLLATE NOCASE", _ => { });
        using var connection = database.Connect();
        using var counts = connection.Command("SELECT feed_id, status, COUNT(*) FROM episodes GROUP BY feed_id, status;");
        var byFeed = new Dictionary<long, Dictionary<string, int>>();
        using (var reader = counts.ExecuteReader())
            while (reader.Read())
            {
                if (!byFeed.TryGetValue(reader.GetInt64(0), out var statuses))
                    byFeed[reader.GetInt64(0)] = statuses = [];
                statuses[reader.GetString(1)] = reader.GetInt32(2);
            }
        return feeds.Select(f => byFeed.TryGetValue(f.Id, out var s) ? f with { StatusCounts = s, EpisodeCount = s.Values.Sum() } : f).ToList();
    }

    /// <summary>Stores what the latest poll learned: metadata, validators for the next conditional GET, and the time.</summary>
    public void RecordPoll(long id, FeedMetadata? metadata, string? etag, string? lastModified)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = database.Connect();
        using var update = connection
            .Command(
                """
                UPDATE feeds SET
                    title = COALESCE($title, title), description = COALESCE($description, description),
                    image_url = COALESCE($image, image_url), author = COALESCE($author, author), link = COALESCE($link, link),
                    categories = COALESCE($categories, categories),
                    etag = COALESCE($etag, etag), last_modified = COALESCE($lastModified, last_modified),
                    last_polled_ms = $now, last_error = NULL, updated_ms = $now
                WHERE id = $id;
                """
            )
            .With("$title", metadata?.Title)
            .With("$description", metadata?.Description)
            .With("$image", metadata?.ImageUrl)
            .With("$author", metadata?.Author)
            .With("$link", metadata?.Link)
            .With("$categories", metadata is null ? null : SerializeCategories(metadata.Categories))
            .With("$etag", etag)
            .With("$lastModified", lastModified)
            .With("$now", now)
            .With("$id", id);
        update.ExecuteNonQuery();
    }

    public void RecordPollError(long id, string error)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = database.Connect();
        using var update = connection
            .Command("UPDATE feeds SET last_polled_ms = $now, last_error = $error WHERE id = $id;")
            .With("$now", now)
            .With("$error", error)
            .With("$id", id);
        update.ExecuteNonQuery();
    }

    /// <summary>Sets (or with null clears) the custom title.</summary>
    public bool Rename(long id, string? customTitle)
    {
        using var connection = database.Connect();
        using var update = connection
            .Command("UPDATE feeds SET custom_title = $title, updated_ms = $now WHERE id = $id;")
            .With("$title", string.IsNullOrWhiteSpace(customTitle) ? null : customTitle.Trim())
            .With("$now", _time.GetUtcNow().ToUnixTimeMilliseconds())
            .With("$id", id);
        return update.ExecuteNonQuery() == 1;
    }

    /// <summary>Deletes the feed, its episodes and their jobs (the caller moves files to the trash first).</summary>
    public bool Delete(long id)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (
            var jobs = connection
                .Command("DELETE FROM jobs WHERE episode_id IN (SELECT id FROM episodes WHERE feed_id = $id);", transaction)
                .With("$id", id)
        )
            jobs.ExecuteNonQuery();
        using var delete = connection.Command("DELETE FROM feeds WHERE id = $id;", transaction).With("$id", id);
        var deleted = delete.ExecuteNonQuery() == 1;
        transaction.Commit();
        return deleted;
    }

    private List<Feed> Query(string where, Action<SqliteCommand> bind)
    {
        using var connection = database.Connect();
        using var command = connection.Command($"SELECT {Columns} FROM feeds f {where};");
        bind(command);
        var feeds = new List<Feed>();
        using var r = command.ExecuteReader();
        while (r.Read())
            feeds.Add(
                new Feed(r.GetInt64(0), r.GetString(1), r.GetString(2))
                {
                    Description = r.GetStringOrNull(3),
                    ImageUrl = r.GetStringOrNull(4),
                    Author = r.GetStringOrNull(5),
                    Link = r.GetStringOrNull(6),
                    Categories = DeserializeCategories(r.GetString(7)),
                    CustomTitle = r.GetStringOrNull(8),
                    ETag = r.GetStringOrNull(9),
                    LastModified = r.GetStringOrNull(10),
                    LastPolledAt = r.GetTimeOrNull(11),
                    LastError = r.GetStringOrNull(12),
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
                    UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(14)),
                }
            );
        return feeds;
    }

    private static string SerializeCategories(IReadOnlyList<string> categories) =>
        JsonSerializer.Serialize(categories.ToArray(), Json.Cast2mdJsonContext.Default.StringArray);

    private static IReadOnlyList<string> DeserializeCategories(string json)
    {
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

using System.Globalization;
using System.Text;
using Npgsql;

namespace Cast2md.Tests.Import;

/// <summary>An episode as generated into the original's database and storage folder, with what the import should make of it.</summary>
public sealed record GeneratedEpisode(int Feed, int Number, string Guid, string Title, DateTime? PublishedAt, string Status)
{
    /// <summary>The transcript's path under the storage folder when one is on disk.</summary>
    public string? TranscriptFile { get; init; }

    /// <summary>The path the database stores (a container path), or null.</summary>
    public string? StoredTranscriptPath { get; init; }

    public string? AudioFile { get; init; }

    /// <summary>A word only this episode's transcript holds (for search).</summary>
    public required string Word { get; init; }
}

public sealed record GeneratedFeed(int Number, string Url, string Title, string? CustomTitle);

public sealed record GeneratedInstallation(IReadOnlyList<GeneratedFeed> Feeds, IReadOnlyList<GeneratedEpisode> Episodes, string StoragePath)
{
    public IEnumerable<GeneratedEpisode> WithTranscriptOnDisk => Episodes.Where(e => e.TranscriptFile is not null);
}

/// <summary>
/// Writes an original cast2md installation: rows in its PostgreSQL schema and its storage folder
/// (<c>transcripts/{podcast}/{date}_{title}.md</c>, <c>audio/…</c>), the paths stored as a Docker install stores them.
/// With <c>quirks</c> it also holds what real installations hold: a transcript the database names that is gone, a
/// transcript on disk the database does not name, a non-ASCII title, a feed whose custom title names its folder, a
/// failed episode, one caught downloading with its audio on disk, and settings overrides (one of them unknown here).
/// </summary>
public static class OriginalInstallationWriter
{
    public const string ContainerStorage = "/app/data/podcasts";

    public static async Task<GeneratedInstallation> WriteAsync(
        NpgsqlDataSource database,
        string storage,
        int feeds,
        int episodesPerFeed,
        int segmentsPerTranscript = 4,
        bool quirks = true,
        bool allTranscribed = false
    )
    {
        var generatedFeeds = new List<GeneratedFeed>();
        var episodes = new List<GeneratedEpisode>();
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var f = 0; f < feeds; f++)
        {
            var custom = quirks && f == 2 ? "My Favourite Show" : null;
            var feed = new GeneratedFeed(f, $"https://feeds.example.test/show-{f}.xml", $"Show {f}", custom);
            generatedFeeds.Add(feed);
            long feedId;
            await using (
                var insert = new NpgsqlCommand(
                    "INSERT INTO feed (url, title, description, author, link, categories, custom_title) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    connection,
                    transaction
                )
            )
            {
                insert.Parameters.AddWithValue(feed.Url);
                insert.Parameters.AddWithValue(feed.Title);
                insert.Parameters.AddWithValue($"About show {f}.");
                insert.Parameters.AddWithValue("Some Host");
                insert.Parameters.AddWithValue($"https://example.test/show-{f}");
                insert.Parameters.AddWithValue("[\"Technology\", \"News\"]");
                insert.Parameters.AddWithValue((object?)custom ?? DBNull.Value);
                feedId = Convert.ToInt64(await insert.ExecuteScalarAsync());
            }
            // The original named folders after the custom title on some code paths (a node's result, a publisher transcript).
            var folder = custom is null ? $"Show_{f}" : "My_Favourite_Show";

            await using var episodeInsert = new NpgsqlCommand(
                """
                INSERT INTO episode (feed_id, guid, title, description, audio_url, duration_seconds, published_at, status, audio_path,
                                     transcript_path, transcript_model, transcript_source, error_message, permanent_failure)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """,
                connection,
                transaction
            );
            for (var i = 0; i < episodesPerFeed; i++)
            {
                var published = new DateTime(2024, 1, 1, 10, 0, 0, DateTimeKind.Unspecified).AddDays(i);
                var cafe = quirks && f == 1 && i % 10 == 3;
                var title = cafe ? $"Café Crème – Folge {i}" : $"Episode {i} - Talk about things";
                var stem = cafe ? $"{published:yyyy-MM-dd}_Cafe_Creme_Folge_{i}" : $"{published:yyyy-MM-dd}_Episode_{i}_-_Talk_about_things";
                var kind = i % 10;
                var status = allTranscribed
                    ? "completed"
                    : kind switch
                    {
                        <= 6 => "completed",
                        7 => "needs_audio",
                        8 => "new",
                        _ => i % 20 == 9 ? "failed" : "downloading",
                    };
                var word = $"zebra{f}x{i}";
                string? transcriptFile = null,
                    storedTranscript = null,
                    audioFile = null,
                    storedAudio = null;
                if (status == "completed")
                {
                    transcriptFile = $"transcripts/{folder}/{stem}.md";
                    storedTranscript = $"{ContainerStorage}/{transcriptFile}";
                    if (quirks && f == 0 && i == 5)
                        transcriptFile = null; // the database names it; the file is gone
                    if (quirks && (f, i) is (0, 6) or (1, 13))
                        storedTranscript = null; // on disk, found only by the naming rule (one of them a non-ASCII title)
                    if (quirks && f == 2 && i == 6)
                    {
                        // Written under the feed's own title, not the custom one, and not recorded.
                        transcriptFile = $"transcripts/Show_{f}/{stem}.md";
                        storedTranscript = null;
                    }
                }
                if (status == "downloading")
                {
                    audioFile = $"audio/{folder}/{stem}.mp3";
                    storedAudio = $"{ContainerStorage}/{audioFile}";
                }
                if (transcriptFile is not null)
                    await WriteTranscriptAsync(Path.Combine(storage, transcriptFile), title, f, i, word, segmentsPerTranscript);
                if (audioFile is not null)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(storage, audioFile))!);
                    await File.WriteAllBytesAsync(
                        Path.Combine(storage, audioFile),
                        [0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(word)]
                    );
                }

                episodeInsert.Parameters.Clear();
                foreach (
                    var value in (object?[])
                        [
                            feedId,
                            $"guid-{f}-{i}",
                            title,
                            $"Notes of episode {i}.",
                            $"https://cdn.example.test/{f}/{i}.mp3?sig=abc",
                            1800 + i,
                            published,
                            status,
                            storedAudio,
                            storedTranscript,
                            status == "completed" ? "large-v3-turbo" : null,
                            status == "completed" ? "whisper" : null,
                            status == "failed" ? "HTTP 404 on the audio URL" : null,
                            status == "failed",
                        ]
                )
                    episodeInsert.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                await episodeInsert.ExecuteNonQueryAsync();
                episodes.Add(
                    new GeneratedEpisode(f, i, $"guid-{f}-{i}", title, published, status)
                    {
                        TranscriptFile = transcriptFile,
                        StoredTranscriptPath = storedTranscript,
                        AudioFile = audioFile,
                        Word = word,
                    }
                );
            }
        }
        if (quirks)
            foreach (
                var (key, value) in ((string, string)[])[("whisper_model", "base"), ("max_concurrent_downloads", "3"), ("runpod_enabled", "true")]
            )
            {
                await using var setting = new NpgsqlCommand("INSERT INTO settings (key, value) VALUES ($1, $2)", connection, transaction);
                setting.Parameters.AddWithValue(key);
                setting.Parameters.AddWithValue(value);
                await setting.ExecuteNonQueryAsync();
            }
        await transaction.CommitAsync();
        return new GeneratedInstallation(generatedFeeds, episodes, storage);
    }

    /// <summary>A transcript in the original's exact shape: title, language line, <c>**[MM:SS]**</c> lines (HH:MM:SS from one hour on).</summary>
    private static async Task WriteTranscriptAsync(string path, string title, int feed, int number, string word, int segments)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(title).Append("\n\n*Language: en (98.7% confidence)*\n\n");
        for (var s = 0; s < segments; s++)
        {
            var seconds = s * 7;
            var stamp =
                seconds >= 3600
                    ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}")
                    : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:00}:{seconds % 60:00}");
            var line =
                s == 0
                    ? $"Welcome to episode {number} of show {feed}, where we talk about {word}."
                    : $"Segment {s} of episode {number}: a sentence of ordinary length about podcasts, transcripts and the weather.";
            text.Append("**[").Append(stamp).Append("]** ").Append(line).Append("\n\n");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text.ToString());
    }
}

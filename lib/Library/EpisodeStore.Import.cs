using Cast2md.Storage;
using Cast2md.Transcripts;

namespace Cast2md.Library;

/// <summary>What an import sets on an episode; null fields are left as they are.</summary>
public sealed record EpisodeImport(EpisodeStatus Status)
{
    public string? ErrorMessage { get; init; }
    public bool PermanentFailure { get; init; }
    public string? AudioPath { get; init; }
    public string? TranscriptPath { get; init; }
    public string? TranscriptSource { get; init; }
    public string? TranscriptModel { get; init; }
    public string? TranscriptLanguage { get; init; }
}

public sealed partial class EpisodeStore
{
    /// <summary>Every episode of the feed by GUID.</summary>
    public IReadOnlyDictionary<string, Episode> ByGuid(long feedId) =>
        Query("WHERE e.feed_id = $feed", c => c.With("$feed", feedId)).ToDictionary(e => e.Guid, StringComparer.Ordinal);

    /// <summary>
    /// Applies what an import found for a batch of episodes in one transaction: their states, the audio and transcripts
    /// placed in the data folder, and the transcripts' segments in the search index (so search sees an imported
    /// transcript as it sees one a worker committed). The files must be in place before: a run killed in between leaves
    /// files no row points to yet, which the next run writes again under the same names. One transaction for many
    /// episodes, because the full-text indexes are written at each commit: committing each episode alone took most of
    /// an import's time.
    /// </summary>
    public void ApplyImport(IReadOnlyList<(long Id, EpisodeImport Change, IReadOnlyList<TranscriptJsonSegment>? Segments)> episodes)
    {
        if (episodes.Count == 0)
            return;
        lock (database.Writer)
        {
            using var connection = database.Connect();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var update = connection.Command(
                """
                UPDATE episodes SET
                    status = $status, error_message = $error, permanent_failure = $permanent,
                    audio_path = COALESCE($audio, audio_path),
                    transcript_path = COALESCE($transcript, transcript_path),
                    transcript_source = CASE WHEN $transcript IS NULL THEN transcript_source ELSE $source END,
                    transcript_model = CASE WHEN $transcript IS NULL THEN transcript_model ELSE $model END,
                    transcript_language = COALESCE($language, transcript_language),
                    updated_ms = $now
                WHERE id = $id;
                """,
                transaction
            );
            var now = NowMs();
            foreach (var (id, change, segments) in episodes)
            {
                update.Parameters.Clear();
                update
                    .With("$status", change.Status.ToName())
                    .With("$error", change.ErrorMessage)
                    .With("$permanent", change.PermanentFailure ? 1 : 0)
                    .With("$audio", change.AudioPath)
                    .With("$transcript", change.TranscriptPath)
                    .With("$source", change.TranscriptSource)
                    .With("$model", change.TranscriptModel)
                    .With("$language", change.TranscriptLanguage)
                    .With("$now", now)
                    .With("$id", id);
                update.ExecuteNonQuery();
                if (change.TranscriptPath is not null)
                    Search.SearchIndex.Replace(connection, transaction, id, segments ?? []);
            }
            transaction.Commit();
        }
    }
}

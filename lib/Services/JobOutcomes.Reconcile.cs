using System.Globalization;
using Cast2md.Files;
using Cast2md.Queue;
using Cast2md.Storage;
using Cast2md.Transcripts;
using Microsoft.Extensions.Logging;

namespace Cast2md.Services;

public sealed partial class JobOutcomes
{
    /// <summary>
    /// The start-up pass over what a crash can leave between a commit and its files (call it before any worker starts):
    /// a staged result whose claim committed is moved into place (adopted); one whose claim did not commit, or was
    /// overtaken by a newer job of the episode, is deleted. Then an episode marked completed whose transcript file is
    /// missing loses the path and gets its work queued again.
    /// </summary>
    public ReconcileReport Reconcile()
    {
        var storage = layout ?? throw new InvalidOperationException("reconciling needs the storage layout");
        int adopted = 0,
            removed = 0,
            requeued = 0;
        lock (_gate)
        {
            var staging = Path.Combine(storage.TempDirectory, StagingFolder);
            if (Directory.Exists(staging))
            {
                foreach (var file in Directory.EnumerateFiles(staging).ToArray())
                {
                    var target = CommittedTarget(storage, Path.GetFileName(file));
                    if (target is null)
                    {
                        TryDelete(file);
                        removed++;
                        continue;
                    }
                    try
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.Move(file, target, overwrite: true);
                        if (target.EndsWith(".md", StringComparison.Ordinal))
                            RemoveDerived(target);
                        adopted++;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        _logger.LogError("could not move the committed result {File} into place: {Error}", file, ex.Message);
                    }
                }
            }
            requeued = RequeueMissingTranscripts(storage);
        }
        if (requeued > 0)
            signal.Notify();
        return new ReconcileReport(adopted, removed, requeued);
    }

    /// <summary>Where a staged file belongs when its claim is the committed, latest result of its episode; else null.</summary>
    private string? CommittedTarget(StorageLayout storage, string name)
    {
        var dash = name.IndexOf('-');
        var dot = name.IndexOf('.', Math.Max(dash, 0));
        if (dash <= 0 || dot <= dash || !long.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var jobId))
            return null;
        var token = name[(dash + 1)..dot];
        var extension = name[dot..];
        using var connection = jobs.Database.Connect();
        using var read = connection
            .Command(
                """
                SELECT e.transcript_path, e.audio_path FROM jobs j JOIN episodes e ON e.id = j.episode_id
                WHERE j.id = $job AND j.status = 'completed' AND j.lease_token = $token
                  AND NOT EXISTS (SELECT 1 FROM jobs newer WHERE newer.episode_id = j.episode_id AND newer.job_type = j.job_type
                                  AND newer.id > j.id AND newer.status = 'completed' AND newer.parent_job_id IS NULL
                                  AND (j.parent_job_id IS NULL OR newer.id <> j.parent_job_id));
                """
            )
            .With("$job", jobId)
            .With("$token", token);
        using var reader = read.ExecuteReader();
        if (!reader.Read())
            return null;
        var transcript = reader.GetStringOrNull(0);
        var audio = reader.GetStringOrNull(1);
        return extension switch
        {
            ".md" when transcript is not null => storage.Resolve(transcript),
            ".json" when transcript is not null => storage.Resolve(StorageLayout.SiblingTranscriptPath(transcript, TranscriptFormat.Json)),
            ".md" or ".json" => null,
            _ when audio is not null && audio.EndsWith(extension, StringComparison.Ordinal) => storage.Resolve(audio),
            _ => null,
        };
    }

    private int RequeueMissingTranscripts(StorageLayout storage)
    {
        var missing = new List<(long Id, string? Source, bool HasAudio, bool HasAudioUrl, bool HasTranscriptUrl)>();
        using (var connection = jobs.Database.Connect())
        using (
            var read = connection.Command(
                "SELECT id, transcript_path, transcript_source, audio_path, audio_url, transcript_url FROM episodes WHERE transcript_path IS NOT NULL;"
            )
        )
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                if (File.Exists(storage.Resolve(reader.GetString(1))))
                    continue;
                var audio = reader.GetStringOrNull(3);
                missing.Add(
                    (
                        reader.GetInt64(0),
                        reader.GetStringOrNull(2),
                        audio is not null && File.Exists(storage.Resolve(audio)),
                        !reader.IsDBNull(4),
                        !reader.IsDBNull(5)
                    )
                );
            }
        }

        var requeued = 0;
        foreach (var (id, source, hasAudio, hasAudioUrl, hasTranscriptUrl) in missing)
        {
            using var connection = jobs.Database.Connect();
            using var transaction = connection.BeginTransaction(deferred: false);
            using (
                var clear = connection
                    .Command(
                        """
                        UPDATE episodes
                        SET transcript_path = NULL, transcript_source = NULL, transcript_model = NULL,
                            audio_path = CASE WHEN $hasAudio THEN audio_path END,
                            status = CASE WHEN $hasAudio THEN 'audio_ready' ELSE 'needs_audio' END,
                            error_message = 'the transcript file was missing at start-up; its work was queued again'
                        WHERE id = $id;
                        """,
                        transaction
                    )
                    .With("$id", id)
                    .With("$hasAudio", hasAudio ? 1 : 0)
            )
                clear.ExecuteNonQuery();
            JobType? type =
                source == "whisper" || !hasTranscriptUrl
                    ? hasAudio
                        ? JobType.Transcribe
                        : hasAudioUrl
                            ? JobType.Download
                            : null
                    : JobType.TranscriptDownload;
            if (type is { } t)
                jobs.Enqueue(connection, transaction, id, t, QueueService.AutomaticPriority, actor: "startup");
            transaction.Commit();
            requeued++;
            _logger.LogWarning(
                "episode {Episode}: its transcript file was missing; {Work}",
                id,
                type is null ? "it needs audio" : $"queued {type.Value.ToName()} again"
            );
        }
        return requeued;
    }
}

/// <summary>What the start-up pass did: staged results adopted or removed, episodes whose transcript had to be made again.</summary>
public readonly record struct ReconcileReport(int Adopted, int Removed, int Requeued);

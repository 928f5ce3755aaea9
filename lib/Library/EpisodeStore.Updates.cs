using Cast2md.Storage;

namespace Cast2md.Library;

public sealed partial class EpisodeStore
{
    public bool SetStatus(long id, EpisodeStatus status, string? errorMessage = null, bool permanentFailure = false) =>
        Update("status = $status, error_message = $error, permanent_failure = $permanent", id, c =>
            c.With("$status", status.ToName()).With("$error", errorMessage).With("$permanent", permanentFailure ? 1 : 0)
        );

    /// <summary>The audio is on disk at <paramref name="relativePath"/>: the episode is ready for transcription.</summary>
    public bool SetAudio(long id, string relativePath) =>
        Update("audio_path = $path, status = 'audio_ready', error_message = NULL, permanent_failure = 0", id, c => c.With("$path", relativePath));

    public bool ClearAudio(long id) => Update("audio_path = NULL", id, _ => { });

    /// <summary>The transcript is written at <paramref name="relativePath"/>: the episode is completed.</summary>
    public bool SetTranscript(long id, string relativePath, string source, string? model, string? language) =>
        Update(
            "transcript_path = $path, transcript_source = $source, transcript_model = $model, "
                + "transcript_language = COALESCE($language, transcript_language), status = 'completed', error_message = NULL, permanent_failure = 0",
            id,
            c => c.With("$path", relativePath).With("$source", source).With("$model", model).With("$language", language)
        );

    private bool Update(string assignments, long id, Action<Microsoft.Data.Sqlite.SqliteCommand> bind)
    {
        using var connection = database.Connect();
        using var command = connection
            .Command($"UPDATE episodes SET {assignments}, updated_ms = $now WHERE id = $id;")
            .With("$now", NowMs())
            .With("$id", id);
        bind(command);
        return command.ExecuteNonQuery() == 1;
    }
}

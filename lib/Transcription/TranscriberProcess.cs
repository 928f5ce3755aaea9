using System.Globalization;
using System.Text.Json;
using Cast2md.Json;
using Cast2md.Transcripts;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace Cast2md.Transcription;

/// <summary>What a child transcription needs besides the audio: the whisper settings in effect.</summary>
public sealed record TranscriberSettings(string Model, string ComputeType, string Device, double ChunkMinutes)
{
    /// <summary>Extra arguments passed through (tests: a stand-in <c>--threads</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Voice-activity detection as the parent's settings say; null leaves it to the child's environment.</summary>
    public VoiceActivitySettings? VoiceActivity { get; init; }

    /// <summary>Parallel decoding (<c>WHISPER_PARALLEL</c>) as the parent's settings say; null leaves it to the child's environment.</summary>
    public DecodingParallelism? Parallel { get; init; }

    /// <summary>
    /// Only this stretch of the audio is transcribed (a span of a split episode); its segments come back with times
    /// from the start of the whole audio. Null: all of it.
    /// </summary>
    public Queue.SpanRange? Range { get; init; }
}

/// <summary>How a child transcription ended: the transcript, or the error it reported (with its kind: audio, model, tool, usage, error).</summary>
public sealed record TranscriberOutcome(
    Transcript? Transcript,
    TranscriptJsonDocument? Document,
    int ExitCode,
    string? ErrorMessage,
    string? ErrorKind
)
{
    public bool Succeeded => Transcript is not null;

    /// <summary>The audio itself is bad: retrying cannot help.</summary>
    public bool IsPermanent => ErrorKind == "audio";
}

/// <summary>
/// Runs <c>cast2md transcribe --progress json --format json</c> as a child process — the same engine as the command —
/// so a native crash fails one job, not the server or the node. Progress comes from the child's JSON lines on stderr.
/// Cancelling sends Ctrl+C first (whisper stops through its abort callback and cleans up) and kills three seconds later.
/// </summary>
public sealed class TranscriberProcess(string executable, ILogger logger)
{
    public async Task<TranscriberOutcome> RunAsync(
        string audioPath,
        string? title,
        TranscriberSettings settings,
        string workDirectory,
        IProgress<double> progress,
        CancellationToken cancellationToken
    )
    {
        Directory.CreateDirectory(workDirectory);
        var output = Path.Combine(workDirectory, $"transcribe-{Guid.NewGuid():N}.json");
        string? cut = null;
        if (settings.Range is { } range)
        {
            // The child transcribes the stretch cut out by ffmpeg (a WAV: exact times, no seeking in the child), and its
            // times are shifted back by the stretch's start.
            cut = Path.Combine(workDirectory, $"span-{Guid.NewGuid():N}.wav");
            try
            {
                await TranscriptSpans.ExtractAsync(
                    audioPath,
                    range,
                    cut,
                    Media.FfmpegOptions.Read(Settings.LocalSettings.Process.Get),
                    cancellationToken
                );
            }
            catch (Exception ex) when (ex is Media.AudioDecodeException or System.ComponentModel.Win32Exception)
            {
                File.Delete(cut);
                return new TranscriberOutcome(null, null, -1, ex.Message, ex is Media.AudioDecodeException ? "audio" : "tool");
            }
            audioPath = cut;
        }
        string? message = null,
            kind = null;
        var arguments = new List<string>
        {
            "transcribe",
            audioPath,
            "--output",
            output,
            "--format",
            "json",
            "--progress",
            "json",
            "--exit-with-parent",
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--model",
            settings.Model,
            "--compute-type",
            settings.ComputeType,
            "--device",
            settings.Device,
            "--chunk-minutes",
            settings.ChunkMinutes.ToString(CultureInfo.InvariantCulture),
        };
        if (settings.VoiceActivity is { } voiceActivity)
            arguments.AddRange(voiceActivity.ToArguments());
        if (settings.Parallel is { } parallel)
            arguments.AddRange(["--parallel", parallel.ToString()]);
        if (title is not null)
            arguments.AddRange(["--title", title]);
        arguments.AddRange(settings.ExtraArguments);

        void OnLine(string line)
        {
            if (!line.StartsWith('{'))
                return;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                switch (root.GetProperty("event").GetString())
                {
                    case "progress":
                        progress.Report(root.GetProperty("percent").GetDouble());
                        break;
                    case "error":
                        message = root.GetProperty("message").GetString();
                        kind = root.GetProperty("kind").GetString();
                        break;
                    case "log" when root.GetProperty("level").GetString() is "error" or "warning":
                        logger.LogWarning("transcriber: {Message}", root.GetProperty("message").GetString());
                        break;
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Not one of our events (a native library printing to stderr): ignore it.
            }
        }

        try
        {
            using var forceful = new CancellationTokenSource();
            await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(TimeSpan.FromSeconds(3)));
            var result = await Cli.Wrap(executable)
                .WithArguments(arguments)
                .WithStandardErrorPipe(PipeTarget.ToDelegate(OnLine))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(forceful.Token, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (result.ExitCode != 0)
                return new TranscriberOutcome(
                    null,
                    null,
                    result.ExitCode,
                    message ?? $"transcription exited with code {result.ExitCode}",
                    kind ?? "error"
                );
            if (!File.Exists(output))
                return new TranscriberOutcome(null, null, result.ExitCode, "the transcription produced no result", "error");
            var document = JsonSerializer.Deserialize(
                await File.ReadAllTextAsync(output, cancellationToken),
                Cast2mdJsonContext.Default.TranscriptJsonDocument
            );
            if (document is null)
                return new TranscriberOutcome(null, null, result.ExitCode, "the transcription produced no result", "error");
            if (settings.Range is not { } stretch)
                return new TranscriberOutcome(document.ToTranscript(), document, 0, null, null);
            var shifted = TranscriptSpans.Shift(document.ToTranscript(), stretch.StartMs);
            return new TranscriberOutcome(shifted, TranscriptJsonDocument.From(shifted), 0, null, null);
        }
        finally
        {
            File.Delete(output);
            if (cut is not null)
                File.Delete(cut);
        }
    }
}

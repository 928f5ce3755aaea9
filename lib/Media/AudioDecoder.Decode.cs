using System.Runtime.CompilerServices;
using Cast2md.Errors;

namespace Cast2md.Media;

public sealed partial class AudioDecoder
{
    // ffmpeg's stderr when the input itself is unreadable (as opposed to ffmpeg failing).
    private static readonly string[] UnreadableInputMarkers =
    [
        "Invalid data found when processing input",
        "Invalid argument",
        "does not contain any stream",
        "matches no streams",
        "could not find codec parameters",
        "Could not find codec parameters",
        "Error opening input",
        "No such file or directory",
        "Failed to read frame size",
        "moov atom not found",
        "Unknown input format",
    ];

    /// <summary>
    /// Decodes <paramref name="path"/> and streams its chunks in order. A chunk's <see cref="AudioChunk.Samples"/>
    /// are valid only until the next chunk is requested (the buffer is reused). At most
    /// ChunkLength + SilenceSearchWindow of samples are held at a time.
    /// </summary>
    /// <exception cref="AudioDecodeException">The file is missing, empty, or nothing in it decodes as audio.</exception>
    /// <exception cref="ExternalToolException">ffmpeg is missing, or failed without producing any audio.</exception>
    /// <remarks>
    /// When ffmpeg fails after producing samples (a truncated or corrupt file) the decoded audio is still
    /// yielded and <paramref name="onWarning"/> gets a one-line reason. An empty decodable file yields a
    /// single empty, silent, last chunk. Cancellation interrupts ffmpeg and kills it if it does not stop.
    /// </remarks>
    public async IAsyncEnumerable<AudioChunk> DecodeChunksAsync(
        string path,
        ChunkingOptions chunking,
        Action<string>? onWarning = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(chunking);
        var chunker = new PcmChunker(chunking.ChunkSamples, chunking.WindowSamples);
        var fullPath = CheckInputFile(path);

        var demuxer = MediaInput.Demuxer(fullPath);
        await using var ffmpeg = FfmpegProcess.Start(Options.FfmpegPath, DecodeArguments(fullPath, demuxer), cancellationToken);
        var reader = new PcmReader(await ffmpeg.GetOutputAsync().ConfigureAwait(false));
        var isEndOfStream = false;

        while (true)
        {
            if (chunker.IsFull || isEndOfStream)
            {
                var chunk = chunker.TryCut(isEndOfStream)
                    ?? throw new InvalidOperationException("A full buffer or the end of the stream must yield a chunk.");
                yield return chunk;
                if (chunk.IsLast)
                    yield break;
                continue;
            }

            var read = await reader.ReadAsync(chunker.GetFreeSpace(64 * 1024), cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                chunker.Advance(read);
                continue;
            }

            // End of stdout: ffmpeg is exiting. Decide before the last chunk whether this was a failure.
            cancellationToken.ThrowIfCancellationRequested();
            var exitCode = await ffmpeg.WaitForExitAsync().ConfigureAwait(false);
            if (exitCode != 0 && chunker.TotalSamples == 0)
                throw DecodeFailure(path, exitCode, ffmpeg.StandardError);
            if (Warning(path, exitCode, ffmpeg.StandardError, chunker.TotalSamples) is { } warning)
                onWarning?.Invoke(warning);
            isEndOfStream = true;
        }
    }

    internal static IReadOnlyList<string> DecodeArguments(string fullPath, string? demuxer = null) =>
        [
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            .. MediaInput.InputOptions(demuxer),
            "-i",
            fullPath,
            "-vn",
            "-sn",
            "-dn",
            "-ac",
            "1",
            "-ar",
            SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f",
            "f32le",
            "-",
        ];

    private static Cast2mdException DecodeFailure(string path, int exitCode, StandardErrorTail stderr)
    {
        var last = stderr.LastLine;
        var detail = last is null ? "" : $" (ffmpeg: {last})";
        if (UnreadableInputMarkers.Any(stderr.Contains))
        {
            var reason =
                stderr.Contains("does not contain any stream") || stderr.Contains("matches no streams")
                    ? "it has no audio stream"
                    : "it is not an audio or video file ffmpeg can read, or it is corrupt";
            return new AudioDecodeException(path, $"Cannot decode '{path}': {reason}{detail}.", stderr.Text);
        }

        return new ExternalToolException(
            "ffmpeg",
            $"ffmpeg failed to decode '{path}' (exit code {exitCode}) and produced no audio{detail}.",
            exitCode,
            stderr.Text
        );
    }

    private static string? Warning(string path, int exitCode, StandardErrorTail stderr, long samples)
    {
        var decoded = TimeSpan.FromSeconds(samples / (double)SampleRate);
        var last = stderr.LastLine;
        if (exitCode != 0)
            return $"'{path}' could only be decoded in part (ffmpeg exit code {exitCode} after {decoded:hh\\:mm\\:ss}){(last is null ? "" : $": {last}")}; transcribing what decoded.";
        if (last is not null && samples > 0)
            return $"ffmpeg reported a problem decoding '{path}': {last}; transcribing what decoded ({decoded:hh\\:mm\\:ss}).";
        return null;
    }
}

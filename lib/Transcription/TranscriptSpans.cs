using Cast2md.Media;
using Cast2md.Queue;
using Cast2md.Transcripts;
using CliWrap;

namespace Cast2md.Transcription;

/// <summary>
/// How a long episode is cut into spans for several workers and how their transcripts are put back together. Cuts lie
/// at the quietest 100 ms near the even split points (the measure part of the parallel decoding of one chunk uses, see
/// <see cref="AudioTranscriber.PlanParts"/>), so no word is cut. Each span is transcribed with <see cref="Overlap"/>
/// more audio on both sides (whisper hears the context of its edges), and the stitch keeps, of each span, the segments
/// whose middle lies inside its own nominal range: a seam's words come from exactly one span, none twice, none lost.
/// The middle, not the start: whisper starts a window's first segment at the window's start, so a passage that begins
/// after a span's leading overlap can still be stamped as starting inside it.
/// </summary>
public static class TranscriptSpans
{
    /// <summary>Audio a span is transcribed with beyond its nominal range, on each side.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(1.5);

    /// <summary>A span shorter than this costs more in model loading and fetching than it saves.</summary>
    public static readonly TimeSpan MinSpan = TimeSpan.FromSeconds(10);

    /// <summary>How far a cut may move from its even split point to find a quiet moment, each way.</summary>
    public static readonly TimeSpan CutSearch = TimeSpan.FromSeconds(10);

    /// <summary>The most spans one episode is split into.</summary>
    public const int MaxSpans = 16;

    /// <summary>How many spans an episode of <paramref name="duration"/> is cut into for <paramref name="workers"/> idle workers (1: none).</summary>
    public static int SpanCount(TimeSpan duration, int workers) => Math.Clamp(Math.Min(workers, (int)(duration / MinSpan)), 1, MaxSpans);

    /// <summary>The audio a span is transcribed from: its nominal range widened by <see cref="Overlap"/> (not before 0).</summary>
    public static SpanRange TranscribeRange(SpanRange nominal) =>
        new(
            Math.Max(0, nominal.StartMs - (long)Overlap.TotalMilliseconds),
            nominal.IsOpenEnded ? SpanRange.OpenEnd : nominal.EndMs + (long)Overlap.TotalMilliseconds
        );

    /// <summary>
    /// Nominal ranges covering the audio in <paramref name="count"/> spans (the last open-ended), each cut at the quietest
    /// 100 ms within <see cref="CutSearch"/> of its even split point; ffmpeg decodes only those windows.
    /// </summary>
    public static async Task<IReadOnlyList<SpanRange>> PlanAsync(
        string audioPath,
        TimeSpan duration,
        int count,
        FfmpegOptions ffmpeg,
        CancellationToken cancellationToken
    )
    {
        var totalMs = (long)duration.TotalMilliseconds;
        var spans = new List<SpanRange>(count);
        var start = 0L;
        for (var k = 1; k < count; k++)
        {
            var target = totalMs * k / count;
            var from = Math.Max(start + (long)MinSpan.TotalMilliseconds / 2, target - (long)CutSearch.TotalMilliseconds);
            var window = await DecodeAsync(audioPath, from, target + (long)CutSearch.TotalMilliseconds - from, ffmpeg, cancellationToken);
            var cut = window.Length == 0 ? target : from + PcmChunker.FindCut(window, 0, window.Length) * 1000L / AudioDecoder.SampleRate;
            if (cut <= start || cut >= totalMs)
                continue;
            spans.Add(new SpanRange(start, cut));
            start = cut;
        }
        spans.Add(new SpanRange(start, SpanRange.OpenEnd));
        return spans;
    }

    /// <summary>
    /// One transcript from the spans' transcripts (times absolute), in time order: of each span the segments whose middle
    /// lies in its nominal range (the first keeps everything before its end, the last everything after its start), their
    /// times kept inside that range; a segment repeating the text of the one kept just before it, and overlapping it in
    /// time, is the same words heard twice across a seam and is dropped.
    /// </summary>
    public static Transcript Stitch(IReadOnlyList<(SpanRange Range, Transcript Transcript)> spans)
    {
        var ordered = spans.OrderBy(s => s.Range.StartMs).ToList();
        var segments = new List<TranscriptSegment>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var (range, transcript) = ordered[i];
            var last = i == ordered.Count - 1;
            foreach (var heard in transcript.Segments.OrderBy(s => s.StartMs))
            {
                var middle = heard.StartMs + (heard.EndMs - heard.StartMs) / 2;
                if ((i > 0 && middle < range.StartMs) || (!last && middle >= range.EndMs))
                    continue;
                var segment = heard with
                {
                    StartMs = i > 0 ? Math.Max(heard.StartMs, range.StartMs) : heard.StartMs,
                    EndMs = last ? heard.EndMs : Math.Min(heard.EndMs, range.EndMs),
                };
                if (
                    segments.Count > 0
                    && segments[^1] is var previous
                    && heard.StartMs < previous.EndMs
                    && string.Equals(previous.Text.Trim(), segment.Text.Trim(), StringComparison.Ordinal)
                )
                    continue;
                segments.Add(segment);
            }
        }
        var first = ordered.Count > 0 ? ordered[0].Transcript : new Transcript([]);
        var hasText = segments.Exists(s => !string.IsNullOrWhiteSpace(s.Text));
        return new Transcript(segments)
        {
            Language = first.Language,
            LanguageProbability = first.LanguageProbability,
            Model = first.Model,
            DurationMs = ordered.Count > 0 ? ordered[^1].Transcript.DurationMs : null,
            Note = hasText ? null : AudioTranscriber.NoSpeechNote,
        };
    }

    /// <summary>A transcript of audio that began at <paramref name="offsetMs"/>, its times (and its duration: where it ends) made absolute.</summary>
    public static Transcript Shift(Transcript transcript, long offsetMs) =>
        transcript with
        {
            Segments = [.. transcript.Segments.Select(s => s with { StartMs = s.StartMs + offsetMs, EndMs = s.EndMs + offsetMs })],
            DurationMs = transcript.DurationMs + offsetMs,
        };

    /// <summary>Cuts [<paramref name="range"/>) of the audio into a 16 kHz mono WAV at <paramref name="target"/> (what a span transcribes).</summary>
    public static async Task ExtractAsync(string audioPath, SpanRange range, string target, FfmpegOptions ffmpeg, CancellationToken cancellationToken)
    {
        var stderr = new System.Text.StringBuilder();
        var result = await Cli.Wrap(ffmpeg.FfmpegPath)
            .WithArguments([
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-ss",
                Seconds(range.StartMs),
                "-i",
                audioPath,
                .. range.IsOpenEnded ? Array.Empty<string>() : ["-t", Seconds(range.EndMs - range.StartMs)],
                "-vn",
                "-ac",
                "1",
                "-ar",
                AudioDecoder.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-c:a",
                "pcm_s16le",
                target,
            ])
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        if (result.ExitCode != 0)
            throw new AudioDecodeException(audioPath, $"ffmpeg could not cut the audio from {Seconds(range.StartMs)} s: {stderr.ToString().Trim()}");
    }

    private static async Task<float[]> DecodeAsync(
        string audioPath,
        long startMs,
        long lengthMs,
        FfmpegOptions ffmpeg,
        CancellationToken cancellationToken
    )
    {
        using var pcm = new MemoryStream();
        await Cli.Wrap(ffmpeg.FfmpegPath)
            .WithArguments([
                "-nostdin",
                "-v",
                "error",
                "-ss",
                Seconds(startMs),
                "-i",
                audioPath,
                "-t",
                Seconds(lengthMs),
                "-vn",
                "-ac",
                "1",
                "-ar",
                AudioDecoder.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-f",
                "f32le",
                "-",
            ])
            .WithStandardOutputPipe(PipeTarget.ToStream(pcm))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        var bytes = pcm.GetBuffer().AsSpan(0, (int)pcm.Length);
        var samples = new float[bytes.Length / sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes[..(samples.Length * sizeof(float))]).CopyTo(samples);
        return samples;
    }

    private static string Seconds(long ms) => (ms / 1000.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
}

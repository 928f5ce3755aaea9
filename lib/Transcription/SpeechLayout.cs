using Cast2md.Media;
using Cast2md.Whisper;

namespace Cast2md.Transcription;

/// <summary>
/// Where the speech of one chunk goes in the compact buffer whisper transcribes, and back. Each stretch of speech is
/// padded, stretches whose padded audio lies closer than the gap are merged into one piece, and the pieces are laid
/// end to end with the gap's silence between them, so whisper hears a pause where the audio was cut. Piece starts fall
/// on whole milliseconds, so a time inside a piece maps back by a whole number of milliseconds: exactly.
/// The pieces are grouped into passages, each transcribed by one whisper call: a passage fills at most one whisper
/// window (30 s, so packing costs no extra encoder pass), and a long break (music, a jingle) starts a new one. Whisper
/// begins a segment where a call begins, so the words after a break get their own, exact start.
/// </summary>
public sealed class SpeechLayout
{
    /// <summary>The silence put between two pieces (whisper.cpp's own VAD puts 100 ms; a little more keeps sentences apart).</summary>
    public static TimeSpan DefaultGap { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Removed audio at least this long starts a new passage (a pause in speech is shorter, a music break is not).</summary>
    public static TimeSpan DefaultPassageBreak { get; } = TimeSpan.FromSeconds(3);

    /// <summary>Whisper's window: a passage is filled with pieces up to this length; a longer piece is a passage of its own.</summary>
    public static TimeSpan DefaultMaxPassage { get; } = TimeSpan.FromSeconds(30);

    private const int SamplesPerMs = AudioDecoder.SampleRate / 1000;

    private readonly Piece[] _pieces;
    private readonly Passage[] _passages;
    private readonly Range[] _speech;

    private SpeechLayout(Piece[] pieces, Passage[] passages, Range[] speech, int sourceLength, int bufferLength)
    {
        _pieces = pieces;
        _passages = passages;
        _speech = speech;
        SourceLength = sourceLength;
        BufferLength = bufferLength;
    }

    /// <summary>Samples in the chunk the layout was built for.</summary>
    public int SourceLength { get; }

    /// <summary>Samples in the compact buffer: the pieces and the gaps between them.</summary>
    public int BufferLength { get; }

    /// <summary>No speech: nothing to transcribe.</summary>
    public bool IsEmpty => _pieces.Length == 0;

    /// <summary>The pieces, in order: where each starts in the chunk and in the buffer, and how long it is (samples).</summary>
    public IReadOnlyList<Piece> Pieces => _pieces;

    /// <summary>The passages, in order: runs of whole pieces of the buffer, each transcribed on its own.</summary>
    public IReadOnlyList<Passage> Passages => _passages;

    /// <param name="speech">Speech found in the chunk (times relative to its first sample), in any order, unpadded.</param>
    /// <param name="sourceLength">Samples in the chunk; nothing is placed outside it.</param>
    /// <param name="padding">Audio kept before and after each stretch of speech.</param>
    /// <param name="gap">Silence between two pieces in the buffer; null: <see cref="DefaultGap"/>.</param>
    /// <param name="passageBreak">Removed audio that starts a new passage; null: <see cref="DefaultPassageBreak"/>.</param>
    /// <param name="maxPassage">The longest passage of several pieces; null: <see cref="DefaultMaxPassage"/>.</param>
    public static SpeechLayout Build(
        IReadOnlyList<SpeechSpan> speech,
        int sourceLength,
        TimeSpan padding,
        TimeSpan? gap = null,
        TimeSpan? passageBreak = null,
        TimeSpan? maxPassage = null
    )
    {
        ArgumentNullException.ThrowIfNull(speech);
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(padding, TimeSpan.Zero);
        var gapSamples = AlignUp(ToSamples(gap ?? DefaultGap));
        ArgumentOutOfRangeException.ThrowIfNegative(gapSamples, nameof(gap));
        var padSamples = ToSamples(padding);

        var stretches = MergeOverlapping(
            speech
                .Select(s => new Range(Math.Clamp(ToSamples(s.Start), 0, sourceLength), Math.Clamp(ToSamples(s.End), 0, sourceLength)))
                .Where(r => r.End > r.Start)
                .OrderBy(r => r.Start)
        );

        // Padded stretches that would lie closer than one gap stay together: cutting out less than the gap saves nothing.
        var padded = new List<Range>(stretches.Count);
        foreach (var stretch in stretches)
        {
            var start = AlignDown(Math.Max(0, stretch.Start - padSamples));
            var end = Math.Min(sourceLength, AlignUp(stretch.End + padSamples));
            if (padded.Count > 0 && start <= padded[^1].End + gapSamples)
                padded[^1] = padded[^1] with { End = Math.Max(padded[^1].End, end) };
            else
                padded.Add(new Range(start, end));
        }

        var pieces = new Piece[padded.Count];
        var bufferEnd = 0;
        for (var i = 0; i < padded.Count; i++)
        {
            var bufferStart = i == 0 ? 0 : AlignUp(bufferEnd + gapSamples);
            pieces[i] = new Piece(padded[i].Start, bufferStart, padded[i].End - padded[i].Start);
            bufferEnd = bufferStart + pieces[i].Length;
        }
        var passages = GroupIntoPassages(pieces, ToSamples(passageBreak ?? DefaultPassageBreak), ToSamples(maxPassage ?? DefaultMaxPassage));
        return new SpeechLayout(pieces, passages, [.. stretches], sourceLength, bufferEnd);
    }

    private static Passage[] GroupIntoPassages(Piece[] pieces, int breakSamples, int maxSamples)
    {
        var passages = new List<Passage>();
        var first = 0;
        for (var i = 1; i <= pieces.Length; i++)
        {
            var ends =
                i == pieces.Length
                || pieces[i].SourceStart - pieces[i - 1].SourceEnd >= breakSamples
                || pieces[i].BufferEnd - pieces[first].BufferStart > maxSamples;
            if (!ends)
                continue;
            passages.Add(new Passage(first, i - first, pieces[first].BufferStart, pieces[i - 1].BufferEnd - pieces[first].BufferStart));
            first = i;
        }
        return [.. passages];
    }

    /// <summary>Writes one passage of the compact buffer: its pieces' samples, zeros in the gaps between them.</summary>
    /// <param name="passage">One of <see cref="Passages"/>.</param>
    /// <param name="source">The chunk's samples (<see cref="SourceLength"/> of them).</param>
    /// <param name="buffer">At least <paramref name="passage"/>'s length; its first sample is the passage's first.</param>
    public void Compose(Passage passage, ReadOnlySpan<float> source, Span<float> buffer)
    {
        if (source.Length != SourceLength)
            throw new ArgumentException($"The layout was built for {SourceLength} samples, not {source.Length}.", nameof(source));
        if (buffer.Length < passage.Length)
            throw new ArgumentException($"The buffer needs {passage.Length} samples.", nameof(buffer));
        var written = 0;
        foreach (var piece in _pieces.AsSpan(passage.FirstPiece, passage.PieceCount))
        {
            var at = piece.BufferStart - passage.BufferStart;
            buffer[written..at].Clear();
            source.Slice(piece.SourceStart, piece.Length).CopyTo(buffer[at..]);
            written = at + piece.Length;
        }
    }

    /// <summary>The longest passage: a buffer this long holds any of them.</summary>
    public int LongestPassage => _passages.Length == 0 ? 0 : _passages.Max(p => p.Length);

    /// <summary>
    /// A segment of one passage's transcription (times in ms from the passage's start) to times in the chunk (ms),
    /// as <see cref="MapSegment(long, long)"/>; times beyond the passage are taken as its end.
    /// </summary>
    public (long StartMs, long EndMs) MapSegment(Passage passage, long startMs, long endMs)
    {
        var lengthMs = passage.Length / SamplesPerMs;
        var offsetMs = passage.BufferStart / SamplesPerMs;
        return MapSegment(offsetMs + Math.Clamp(startMs, 0, lengthMs), offsetMs + Math.Clamp(endMs, 0, lengthMs));
    }

    /// <summary>
    /// A segment's times in the buffer (ms) to times in the chunk (ms). The start maps through the piece it falls in,
    /// the end through its own piece, so a segment spanning a cut keeps both ends exact. A start in the padding before
    /// speech moves to where that speech begins (no words are spoken before it); a time in a gap maps to the edge of
    /// the audio it separates. The result lies within the chunk, and end ≥ start.
    /// </summary>
    public (long StartMs, long EndMs) MapSegment(long startMs, long endMs)
    {
        var start = MapStart(startMs);
        return (start, Math.Max(start, MapEnd(endMs)));
    }

    /// <summary>A segment start: non-decreasing in <paramref name="bufferMs"/>, within the chunk.</summary>
    public long MapStart(long bufferMs)
    {
        if (IsEmpty)
            return 0;
        var position = ToBufferPosition(bufferMs);
        var k = PieceAt(position);
        var piece = _pieces[k];
        if (position > piece.BufferEnd)
            return ToMs(SpeechOnsetIn(_pieces[k + 1], _pieces[k + 1].SourceStart)); // a gap: the next piece's first words
        return ToMs(SpeechOnsetIn(piece, piece.SourceStart + (position - piece.BufferStart)));
    }

    /// <summary>A segment end: non-decreasing in <paramref name="bufferMs"/>, within the chunk.</summary>
    public long MapEnd(long bufferMs)
    {
        if (IsEmpty)
            return 0;
        var position = ToBufferPosition(bufferMs);
        var piece = _pieces[PieceAt(position)];
        return ToMs(position > piece.BufferEnd ? piece.SourceEnd : piece.SourceStart + (position - piece.BufferStart));
    }

    /// <summary>
    /// <paramref name="source"/> when it lies in speech; the start of the next speech of the same piece when it lies in
    /// the silence before it; otherwise (after the piece's last words) <paramref name="source"/>.
    /// </summary>
    private int SpeechOnsetIn(Piece piece, int source)
    {
        foreach (var stretch in _speech)
        {
            if (stretch.End <= source)
                continue;
            return stretch.Start <= source ? source
                : stretch.Start < piece.SourceEnd ? stretch.Start
                : source;
        }
        return source;
    }

    private int ToBufferPosition(long bufferMs) => (int)Math.Clamp(bufferMs * SamplesPerMs, 0, BufferLength);

    /// <summary>The last piece starting at or before <paramref name="position"/> (the first when none does).</summary>
    private int PieceAt(int position)
    {
        int low = 0,
            high = _pieces.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (_pieces[middle].BufferStart <= position)
                low = middle;
            else
                high = middle - 1;
        }
        return low;
    }

    private static List<Range> MergeOverlapping(IEnumerable<Range> sorted)
    {
        var merged = new List<Range>();
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, range.End) };
            else
                merged.Add(range);
        }
        return merged;
    }

    private static int ToSamples(TimeSpan time) =>
        (int)Math.Clamp(Math.Round(time.Ticks * (double)AudioDecoder.SampleRate / TimeSpan.TicksPerSecond), int.MinValue / 2, int.MaxValue / 2);

    private static long ToMs(int samples) => samples / SamplesPerMs;

    private static int AlignDown(int samples) => samples / SamplesPerMs * SamplesPerMs;

    private static int AlignUp(int samples) => (samples + SamplesPerMs - 1) / SamplesPerMs * SamplesPerMs;

    /// <summary>One run of chunk audio copied into the buffer (sample offsets).</summary>
    public readonly record struct Piece(int SourceStart, int BufferStart, int Length)
    {
        public int SourceEnd => SourceStart + Length;
        public int BufferEnd => BufferStart + Length;

        /// <summary>What to add to a buffer time inside this piece to get the chunk time: a whole number of ms.</summary>
        public long OffsetMs => (SourceStart - BufferStart) / SamplesPerMs;
    }

    /// <summary>Pieces <see cref="FirstPiece"/> … + <see cref="PieceCount"/> − 1: the buffer's samples from <see cref="BufferStart"/>, <see cref="Length"/> of them.</summary>
    public readonly record struct Passage(int FirstPiece, int PieceCount, int BufferStart, int Length);

    private readonly record struct Range(int Start, int End);
}

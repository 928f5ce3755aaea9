namespace Cast2md.Whisper;

/// <summary>
/// What one <c>WhisperSession.Transcribe</c> call produced. <see cref="Language"/> is the language decoded
/// (detected or given); <see cref="LanguageProbability"/> is set only when it was detected.
/// </summary>
public sealed record WhisperResult(IReadOnlyList<WhisperSegment> Segments, string Language, float? LanguageProbability);

/// <summary>One whisper segment, in milliseconds from the start of the samples passed in.</summary>
public readonly record struct WhisperSegment(long StartMs, long EndMs, string Text);

namespace Cast2md.Transcription;

/// <summary>How far a transcription is: <see cref="Fraction"/> is 0..1 when the duration is known.</summary>
public readonly record struct TranscriptionProgress(TimeSpan Position, TimeSpan? Duration)
{
    public double? Fraction =>
        Duration is { TotalMilliseconds: > 0 } duration ? Math.Clamp(Position.TotalMilliseconds / duration.TotalMilliseconds, 0, 1) : null;
}

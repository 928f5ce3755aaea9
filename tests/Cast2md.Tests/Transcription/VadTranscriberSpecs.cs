using Cast2md.Tests.Infra;
using Cast2md.Tests.Whisper;
using Cast2md.Transcription;
using Cast2md.Whisper;
using Xunit;

namespace Cast2md.Tests.Transcription;

/// <summary>AudioTranscriber in this process with a stand-in detector: only what it calls speech reaches whisper.</summary>
[Collection(WhisperNativeCollection.Name)]
public sealed class VadTranscriberSpecs
{
    private static TranscriptionRequest Request() =>
        new(Paths.JfkWav, Paths.RealModel)
        {
            VadModelPath = "stand-in",
            Whisper = new WhisperRunOptions { Language = "en", Threads = 2 },
        };

    [Fact(Timeout = 60_000)]
    public async Task I_can_inject_a_detector_and_only_the_speech_it_finds_is_transcribed_at_its_true_time()
    {
        // Arrange: the detector hears only jfk's third phrase ("what your country can do for you", 5.41-7.65 s)
        var detector = new StandInDetector([new SpeechSpan(TimeSpan.FromSeconds(5.41), TimeSpan.FromSeconds(7.65))]);
        var transcriber = new AudioTranscriber { VoiceDetectorFactory = (_, _) => detector };

        // Act
        var transcript = await transcriber.TranscribeAsync(Request());

        // Assert
        Assert.Equal("what your country can do for you", Words.Normalize(string.Join(' ', transcript.Segments.Select(s => s.Text))));
        Assert.Equal(5_410, transcript.Segments[0].StartMs);
        Assert.All(transcript.Segments, s => Assert.InRange(s.EndMs, 5_410, 8_050));
        Assert.Equal(1, detector.Calls);
        Assert.True(detector.IsDisposed);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_get_no_speech_detected_without_whisper_running_when_the_detector_finds_none()
    {
        // Arrange
        var detector = new StandInDetector([]);
        string? language = null;
        var transcriber = new AudioTranscriber { VoiceDetectorFactory = (_, _) => detector, LanguageDetected = (code, _) => language = code };

        // Act
        var transcript = await transcriber.TranscribeAsync(Request());

        // Assert
        Assert.Empty(transcript.Segments);
        Assert.Equal(AudioTranscriber.NoSpeechNote, transcript.Note);
        Assert.Null(language);
        Assert.Null(transcript.Language);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_get_the_detector_s_load_error_and_the_detector_is_asked_for_bare_speech()
    {
        // Arrange
        VadOptions? asked = null;
        var transcriber = new AudioTranscriber
        {
            VoiceDetectorFactory = (path, options) =>
            {
                asked = options;
                throw new WhisperModelLoadException(path, $"'{path}' could not be loaded as a voice-activity model.");
            },
        };

        // Act
        var error = await Assert.ThrowsAsync<WhisperModelLoadException>(() =>
            transcriber.TranscribeAsync(Request() with { Vad = new VadOptions { MinSilence = TimeSpan.FromSeconds(1) } })
        );

        // Assert
        Assert.Equal("'stand-in' could not be loaded as a voice-activity model.", error.Message);
        Assert.Equal(TimeSpan.Zero, asked!.SpeechPadding);
        Assert.Equal(TimeSpan.FromSeconds(1), asked.MinSilence);
    }

    /// <summary>Reports fixed spans for every chunk; counts its calls and whether it was disposed.</summary>
    private sealed class StandInDetector(IReadOnlyList<SpeechSpan> spans) : IVoiceDetector
    {
        public int Calls { get; private set; }
        public bool IsDisposed { get; private set; }

        public IReadOnlyList<SpeechSpan> DetectSpeech(ReadOnlySpan<float> samples, CancellationToken cancellationToken = default)
        {
            Calls++;
            return spans;
        }

        public void Dispose() => IsDisposed = true;
    }
}

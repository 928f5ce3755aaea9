using System.Diagnostics;
using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>Running whisper_full for real on the stand-in model: plumbing, progress, cancellation (the text is nonsense).</summary>
[Collection(WhisperNativeCollection.Name)]
public sealed class WhisperSessionSpecs : IDisposable
{
    private static readonly WhisperRunOptions Fast = new() { BeamSize = 1, Threads = 2 };
    private readonly WhisperModel _model = WhisperModel.Load(Paths.StandInModel);

    public void Dispose() => _model.Dispose();

    [Fact]
    public void I_can_transcribe_with_the_stand_in_model_and_get_progress_that_rises_to_100()
    {
        // Arrange
        using var session = _model.CreateSession();
        var samples = WavFile.Read16kMono(Paths.JfkWav);
        var reported = new List<int>();

        // Act
        var result = session.Transcribe(samples, Fast, new SyncProgress(reported.Add));

        // Assert
        Assert.Equal("en", result.Language);
        Assert.Null(result.LanguageProbability);
        Assert.All(result.Segments, s => Assert.True(s.StartMs >= 0 && s.EndMs >= s.StartMs, s.ToString()));
        Assert.NotEmpty(reported);
        Assert.Equal(reported.Order(), reported);
        Assert.Equal(reported.Distinct(), reported);
        Assert.Equal(100, reported[^1]);
    }

    [Fact]
    public void I_can_transcribe_with_one_thread_and_with_beam_search()
    {
        // Arrange
        using var session = _model.CreateSession();
        var samples = WavFile.Read16kMono(Paths.JfkWav);

        // Act
        var greedyOneThread = session.Transcribe(samples, new WhisperRunOptions { Threads = 1, BeamSize = 1 });
        var beam = session.Transcribe(
            samples,
            new WhisperRunOptions
            {
                Threads = 2,
                BeamSize = 5,
                InitialPrompt = "Kennedy.",
            }
        );

        // Assert
        Assert.NotNull(greedyOneThread.Segments);
        Assert.NotNull(beam.Segments);
    }

    [Fact]
    public void I_can_cancel_a_long_transcription_and_it_returns_promptly_and_the_session_stays_usable()
    {
        // Arrange
        using var session = _model.CreateSession();
        var noise = WavFile.Noise(TimeSpan.FromSeconds(600));
        using var cts = new CancellationTokenSource();
        var stopwatch = new Stopwatch();
        var progress = new SyncProgress(p =>
        {
            // Cancel once whisper is past its first window, i.e. really in the middle of the run.
            if (p > 0 && !cts.IsCancellationRequested)
            {
                stopwatch.Start();
                cts.Cancel();
            }
        });

        // Act
        var ex = Record.Exception(() => session.Transcribe(noise, Fast, progress, cts.Token));
        stopwatch.Stop();
        var afterwards = session.Transcribe(WavFile.Read16kMono(Paths.JfkWav), Fast);

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed} to stop after cancellation");
        Assert.Equal("en", afterwards.Language);
    }

    [Fact]
    public void I_can_cancel_from_another_thread_in_the_middle_of_a_compute_graph()
    {
        // Arrange
        using var session = _model.CreateSession();
        var noise = WavFile.Noise(TimeSpan.FromSeconds(600));
        using var cts = new CancellationTokenSource();
        var stopwatch = new Stopwatch();
        cts.Token.Register(stopwatch.Start);
        // The first report comes just before the first window is encoded: cancel a little later, from a timer thread,
        // so that ggml's abort callback (not encoder_begin) is what stops whisper.cpp.
        var progress = new SyncProgress(_ => cts.CancelAfter(TimeSpan.FromMilliseconds(100)));
        var lines = new List<string>();
        WhisperLog.SetSink(
            (_, text) =>
            {
                lock (lines)
                    lines.Add(text);
            }
        );

        // Act
        Exception? ex;
        try
        {
            ex = Record.Exception(() => session.Transcribe(noise, Fast, progress, cts.Token));
            stopwatch.Stop();
        }
        finally
        {
            WhisperLog.SetSink(null);
        }

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        // Generous: the suite runs tests in parallel on two cores; a missed abort would take the whole minute.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed} to stop after cancellation");
        Assert.Contains(lines, l => l.Contains("failed to encode") || l.Contains("failed to decode"));
    }

    [Fact]
    public void I_can_try_to_transcribe_with_an_already_cancelled_token_and_nothing_runs()
    {
        // Arrange
        using var session = _model.CreateSession();
        var reported = new List<int>();

        // Act
        var ex = Record.Exception(() => session.Transcribe(new float[16000], Fast, new SyncProgress(reported.Add), new CancellationToken(true)));

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Empty(reported);
    }

    [Fact]
    public void I_can_get_the_exception_my_progress_handler_threw_from_inside_a_native_callback()
    {
        // Arrange
        using var session = _model.CreateSession();
        var boom = new InvalidOperationException("progress sink failed");

        // Act
        var ex = Record.Exception(() => session.Transcribe(WavFile.Noise(TimeSpan.FromSeconds(90)), Fast, new SyncProgress(_ => throw boom)));

        // Assert
        Assert.Same(boom, ex);
    }

    [Fact]
    public void I_can_transcribe_empty_and_very_short_input_and_get_no_segments()
    {
        // Arrange
        using var session = _model.CreateSession();

        // Act
        var empty = session.Transcribe([], Fast);
        var tiny = session.Transcribe(new float[800], Fast);
        var justEnough = session.Transcribe(new float[WhisperSession.MinSamples], Fast);

        // Assert
        Assert.Empty(empty.Segments);
        Assert.Empty(tiny.Segments);
        Assert.NotNull(justEnough.Segments);
    }

    [Fact]
    public void I_can_transcribe_chunk_after_chunk_on_one_session_and_two_sessions_on_one_model()
    {
        // Arrange
        using var first = _model.CreateSession();
        using var second = _model.CreateSession();
        var samples = WavFile.Read16kMono(Paths.JfkWav);

        // Act
        var a = first.Transcribe(samples.AsSpan(0, samples.Length / 2), Fast);
        var b = first.Transcribe(samples.AsSpan(samples.Length / 2), Fast);
        var c = second.Transcribe(samples, Fast);

        // Assert
        Assert.All([a, b, c], r => Assert.Equal("en", r.Language));
        Assert.All(b.Segments, s => Assert.True(s.EndMs <= samples.Length / 2 / 16 + 1000, $"{s} is beyond the second chunk"));
    }
}

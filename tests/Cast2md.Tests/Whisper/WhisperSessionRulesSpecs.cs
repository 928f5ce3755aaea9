using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>What holds whatever the engine: options passed on, language choice, input checks, progress, stopping, lifetime.</summary>
public sealed class WhisperSessionRulesSpecs : IDisposable
{
    private readonly TempDir _dir = TempDir.Create();
    private readonly FakeWhisperEngine _engine = new();
    private readonly float[] _oneSecond = new float[16000];

    public void Dispose() => _dir.Dispose();

    private WhisperModel LoadModel(bool multilingual = false, WhisperModelOptions? options = null) =>
        WhisperModel.Load(_engine, FakeWhisperEngine.WriteModelFile(_dir.Combine("model.bin"), multilingual), options);

    [Fact]
    public void I_can_load_a_model_and_get_my_model_options_passed_to_the_engine()
    {
        // Arrange
        var options = new WhisperModelOptions
        {
            UseGpu = false,
            GpuDevice = 2,
            FlashAttention = false,
        };

        // Act
        using var model = LoadModel(options: options);

        // Assert
        var (path, passed) = Assert.Single(_engine.Loads);
        Assert.Equal(_dir.Combine("model.bin"), path);
        Assert.Same(options, passed);
        Assert.False(model.IsMultilingual);
    }

    [Fact]
    public void I_can_tell_a_multilingual_model_from_an_english_only_one_by_its_vocabulary()
    {
        // Act
        using var multilingual = LoadModel(multilingual: true);

        // Assert
        Assert.True(multilingual.IsMultilingual);
    }

    [Fact]
    public void I_can_try_to_load_a_file_the_engine_rejects_and_get_a_model_load_error_naming_it()
    {
        // Arrange
        _engine.LoadFailure = new WhisperModelLoadException(_dir.Combine("model.bin"), WhisperModel.NotAModel(_dir.Combine("model.bin")));

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => LoadModel());

        // Assert
        Assert.Equal(_dir.Combine("model.bin"), ex.ModelPath);
        Assert.Contains(_dir.Combine("model.bin"), ex.Message);
    }

    [Fact]
    public void I_can_try_to_load_a_file_without_the_ggml_magic_and_the_engine_is_never_asked()
    {
        // Arrange
        var path = _dir.Combine("episode.mp3");
        File.WriteAllBytes(path, [0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0]);

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => WhisperModel.Load(_engine, path, null));

        // Assert
        Assert.Contains("not a whisper.cpp ggml model", ex.Message);
        Assert.Empty(_engine.Loads);
    }

    [Fact]
    public void I_can_transcribe_and_get_the_engine_segments_and_my_run_options_passed_on()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();
        var options = new WhisperRunOptions
        {
            Threads = 3,
            BeamSize = 1,
            Translate = true,
            InitialPrompt = "Glossary: cast2md.",
        };

        // Act
        var result = session.Transcribe(_oneSecond, options);

        // Assert
        Assert.Equal([new WhisperSegment(0, 1500, " Hello"), new WhisperSegment(1500, 3200, " world.")], result.Segments);
        var call = Assert.Single(_engine.Context.Calls);
        Assert.Same(options, call.Options);
        Assert.Equal(16000, call.Samples);
    }

    [Fact]
    public void I_can_transcribe_with_auto_language_on_a_multilingual_model_and_get_the_detected_language_once()
    {
        // Arrange
        using var model = LoadModel(multilingual: true);
        using var session = model.CreateSession();

        // Act
        var result = session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "auto" });

        // Assert
        Assert.Equal("de", result.Language);
        Assert.Equal(0.75f, result.LanguageProbability);
        Assert.Equal(1, _engine.Context.DetectCalls);
        Assert.Equal("de", Assert.Single(_engine.Context.Calls).Language);
    }

    [Fact]
    public void I_can_transcribe_with_an_explicit_language_name_and_get_its_code_without_a_probability()
    {
        // Arrange
        using var model = LoadModel(multilingual: true);
        using var session = model.CreateSession();

        // Act
        var result = session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "German" });

        // Assert
        Assert.Equal("de", result.Language);
        Assert.Null(result.LanguageProbability);
        Assert.Equal(0, _engine.Context.DetectCalls);
        Assert.Equal("de", Assert.Single(_engine.Context.Calls).Language);
    }

    [Fact]
    public void I_can_transcribe_with_an_english_only_model_and_get_english_without_detection()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        var result = session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "auto" });

        // Assert
        Assert.Equal("en", result.Language);
        Assert.Null(result.LanguageProbability);
        Assert.Equal(0, _engine.Context.DetectCalls);
    }

    [Fact]
    public void I_can_try_to_transcribe_with_an_unknown_language_and_get_a_whisper_error_before_the_engine_runs()
    {
        // Arrange
        using var model = LoadModel(multilingual: true);
        using var session = model.CreateSession();

        // Act
        var ex = Assert.Throws<WhisperException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "klingon" }));

        // Assert
        Assert.Contains("klingon", ex.Message);
        Assert.Empty(_engine.Context.Calls);
    }

    [Fact]
    public void I_get_the_engine_failure_as_a_whisper_error()
    {
        // Arrange
        _engine.Context.Failure = new WhisperException("whisper.cpp failed: code -7", -7);
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        var ex = Assert.Throws<WhisperException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions()));

        // Assert
        Assert.Equal(-7, ex.Code);
    }

    [Fact]
    public void I_can_get_the_exception_my_progress_handler_threw_after_the_engine_was_told_to_stop()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();
        var boom = new InvalidOperationException("progress sink failed");
        var progress = new SyncProgress(_ => throw boom);

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions(), progress));

        // Assert
        Assert.Same(boom, ex);
        Assert.True(_engine.Context.SawStopRequest);
    }

    [Fact]
    public void I_can_cancel_from_progress_and_get_operation_canceled_carrying_my_token()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(_ => cts.Cancel());

        // Act
        var ex = Assert.ThrowsAny<OperationCanceledException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions(), progress, cts.Token));

        // Assert
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.True(_engine.Context.SawStopRequest);
    }

    [Fact]
    public void I_can_transcribe_empty_input_and_get_no_segments_and_progress_100_without_calling_the_engine()
    {
        // Arrange
        using var model = LoadModel(multilingual: true);
        using var session = model.CreateSession();
        var reported = new List<int>();

        // Act
        var result = session.Transcribe(Array.Empty<float>(), new WhisperRunOptions(), new SyncProgress(reported.Add));

        // Assert
        Assert.Empty(result.Segments);
        Assert.Equal("", result.Language);
        Assert.Empty(_engine.Context.Calls);
        Assert.Equal(0, _engine.Context.DetectCalls);
        Assert.Equal([100], reported);
    }

    [Fact]
    public void I_can_get_progress_that_only_rises_and_ends_at_100_whatever_the_engine_reports()
    {
        // Arrange
        _engine.Context.ProgressToReport = [0, 30, 30, 20, 60, 140];
        using var model = LoadModel();
        using var session = model.CreateSession();
        var reported = new List<int>();

        // Act
        session.Transcribe(_oneSecond, new WhisperRunOptions(), new SyncProgress(reported.Add));

        // Assert
        Assert.Equal([0, 30, 60, 100], reported);
    }

    [Fact]
    public void I_can_dispose_the_model_before_its_session_and_the_engine_model_is_freed_after_the_session()
    {
        // Arrange
        var model = LoadModel();
        var session = model.CreateSession();

        // Act
        model.Dispose();
        var freedWhileSessionOpen = _engine.Context.Disposals;
        session.Transcribe(_oneSecond, new WhisperRunOptions()); // still works: the session keeps the model alive
        session.Dispose();
        model.Dispose(); // twice is harmless

        // Assert
        Assert.Equal(0, freedWhileSessionOpen);
        Assert.Equal(1, _engine.Context.Disposals);
        Assert.Throws<ObjectDisposedException>(() => model.CreateSession());
        Assert.Throws<ObjectDisposedException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions()));
    }

    [Fact]
    public void I_can_try_to_transcribe_with_invalid_options_and_get_an_argument_error()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act & Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions { Threads = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions { BeamSize = 9 }));
        Assert.Empty(_engine.Context.Calls);
    }
}

/// <summary>An IProgress that reports synchronously on the calling (engine callback) thread, unlike Progress&lt;T&gt;.</summary>
internal sealed class SyncProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}

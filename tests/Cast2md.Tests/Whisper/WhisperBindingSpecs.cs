using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Cast2md.Whisper.Native;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>The managed side of the binding against a fake whisper.cpp (no native code runs).</summary>
public sealed class WhisperBindingSpecs : IDisposable
{
    private readonly TempDir _dir = TempDir.Create();
    private readonly FakeWhisperNative _native = new();
    private readonly float[] _oneSecond = new float[16000];

    public void Dispose()
    {
        _native.Dispose();
        _dir.Dispose();
    }

    private WhisperModel LoadModel(WhisperModelOptions? options = null)
    {
        var path = _dir.Combine("model.bin");
        File.WriteAllText(path, "fake");
        return WhisperModel.Load(_native, path, options);
    }

    [Fact]
    public void I_can_load_a_model_and_get_my_model_options_passed_to_whisper_cpp()
    {
        // Arrange
        var options = new WhisperModelOptions { UseGpu = false, GpuDevice = 2, FlashAttention = false };

        // Act
        using var model = LoadModel(options);

        // Assert
        Assert.Equal(_dir.Combine("model.bin"), Assert.Single(_native.LoadedPaths));
        var cparams = Assert.Single(_native.LoadedWith);
        Assert.Equal(0, cparams.use_gpu);
        Assert.Equal(2, cparams.gpu_device);
        Assert.Equal(0, cparams.flash_attn);
        Assert.Equal(-1, cparams.dtw_n_top); // the rest are native defaults
        Assert.Equal(1, _native.FreedContextParams);
        Assert.False(model.IsMultilingual);
    }

    [Fact]
    public void I_can_try_to_load_a_file_whisper_cpp_rejects_and_get_a_model_load_error_naming_it()
    {
        // Arrange
        _native.ContextToReturn = 0;

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => LoadModel());

        // Assert
        Assert.Equal(_dir.Combine("model.bin"), ex.ModelPath);
        Assert.Contains(_dir.Combine("model.bin"), ex.Message);
    }

    [Fact]
    public void I_can_transcribe_and_get_the_params_whisper_cli_uses_by_default()
    {
        // Arrange
        _native.Multilingual = true;
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "en", Threads = 3, InitialPrompt = "Glossary: cast2md." });

        // Assert
        var p = Assert.Single(_native.FullCalls);
        Assert.Equal(WhisperSamplingStrategy.BeamSearch, p.strategy);
        Assert.Equal(5, p.beam_search.beam_size);
        Assert.Equal(5, p.greedy.best_of);
        Assert.Equal(3, p.n_threads);
        Assert.Equal(0, p.translate);
        Assert.Equal(0, p.print_progress);
        Assert.Equal(0, p.print_realtime);
        Assert.Equal(0, p.print_timestamps);
        Assert.Equal(0, p.print_special);
        Assert.Equal(0, p.detect_language);
        Assert.Equal(0.0f, p.temperature);
        Assert.Equal(0.2f, p.temperature_inc);
        Assert.Equal(16384, p.n_max_text_ctx);
        Assert.Equal(0, p.vad);
        Assert.NotEqual(0, p.progress_callback);
        Assert.NotEqual(0, p.abort_callback);
        Assert.NotEqual(0, p.encoder_begin_callback);
        Assert.Equal(p.abort_callback_user_data, p.progress_callback_user_data);
        Assert.Equal(("en", "Glossary: cast2md."), Assert.Single(_native.FullStrings));
        Assert.Equal(1, _native.FreedFullParams);
    }

    [Fact]
    public void I_can_transcribe_greedily_with_a_beam_size_of_one_and_translate()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        session.Transcribe(_oneSecond, new WhisperRunOptions { BeamSize = 1, Translate = true });

        // Assert
        var p = Assert.Single(_native.FullCalls);
        Assert.Equal(WhisperSamplingStrategy.Greedy, p.strategy);
        Assert.Equal(5, p.greedy.best_of);
        Assert.Equal(1, p.translate);
        Assert.Equal(0, p.initial_prompt);
    }

    [Fact]
    public void I_can_transcribe_and_get_segments_in_milliseconds()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        var result = session.Transcribe(_oneSecond, new WhisperRunOptions());

        // Assert
        Assert.Equal([new WhisperSegment(0, 1500, " Hello"), new WhisperSegment(1500, 3200, " world.")], result.Segments);
    }

    [Fact]
    public void I_can_transcribe_with_auto_language_on_a_multilingual_model_and_get_the_detected_language_once()
    {
        // Arrange
        _native.Multilingual = true;
        _native.DetectedLanguageId = 2;
        _native.DetectedProbability = 0.75f;
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        var result = session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "auto" });

        // Assert
        Assert.Equal("de", result.Language);
        Assert.Equal(0.75f, result.LanguageProbability);
        Assert.Equal(1, _native.AutoDetectCalls);
        Assert.Equal("de", Assert.Single(_native.FullStrings).Language);
        Assert.Equal(0, Assert.Single(_native.FullCalls).detect_language);
    }

    [Fact]
    public void I_can_transcribe_with_an_explicit_language_and_get_its_code_without_a_probability()
    {
        // Arrange
        _native.Multilingual = true;
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        var result = session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "German" });

        // Assert
        Assert.Equal("de", result.Language);
        Assert.Null(result.LanguageProbability);
        Assert.Equal(0, _native.AutoDetectCalls);
        Assert.Equal("de", Assert.Single(_native.FullStrings).Language);
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
        Assert.Equal(0, _native.AutoDetectCalls);
    }

    [Fact]
    public void I_can_try_to_transcribe_with_an_unknown_language_and_get_a_whisper_error()
    {
        // Arrange
        _native.Multilingual = true;
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        var ex = Assert.Throws<WhisperException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions { Language = "klingon" }));

        // Assert
        Assert.Contains("klingon", ex.Message);
        Assert.Empty(_native.FullCalls);
    }

    [Fact]
    public void I_can_get_a_whisper_error_with_the_native_code_when_whisper_full_fails()
    {
        // Arrange
        _native.FullResult = -7;
        using var model = LoadModel();
        using var session = model.CreateSession();

        // Act
        var ex = Assert.Throws<WhisperException>(() => session.Transcribe(_oneSecond, new WhisperRunOptions()));

        // Assert
        Assert.Equal(-7, ex.Code);
        Assert.Contains("-7", ex.Message);
    }

    [Fact]
    public void I_can_get_the_exception_my_progress_handler_threw_after_whisper_cpp_was_told_to_stop()
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
        Assert.True(_native.AbortRequested);
    }

    [Fact]
    public void I_can_cancel_from_progress_and_get_operation_canceled_rather_than_a_native_error()
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
        Assert.True(_native.AbortRequested);
    }

    [Fact]
    public void I_can_transcribe_empty_input_and_get_no_segments_and_progress_100_without_calling_whisper()
    {
        // Arrange
        _native.Multilingual = true;
        using var model = LoadModel();
        using var session = model.CreateSession();
        var reported = new List<int>();

        // Act
        var result = session.Transcribe([], new WhisperRunOptions(), new SyncProgress(reported.Add));

        // Assert
        Assert.Empty(result.Segments);
        Assert.Equal("", result.Language);
        Assert.Empty(_native.FullCalls);
        Assert.Equal(0, _native.AutoDetectCalls);
        Assert.Equal([100], reported);
    }

    [Fact]
    public void I_can_get_progress_that_only_rises_and_ends_at_100()
    {
        // Arrange
        using var model = LoadModel();
        using var session = model.CreateSession();
        var reported = new List<int>();

        // Act
        session.Transcribe(_oneSecond, new WhisperRunOptions(), new SyncProgress(reported.Add));

        // Assert
        Assert.Equal([0, 50, 100], reported);
    }

    [Fact]
    public void I_can_dispose_the_model_before_its_session_and_the_context_is_freed_after_the_state()
    {
        // Arrange
        var model = LoadModel();
        var session = model.CreateSession();

        // Act
        model.Dispose();
        var contextsFreedWhileSessionOpen = _native.FreedContexts;
        session.Transcribe(_oneSecond, new WhisperRunOptions()); // still works: the state keeps the context alive
        session.Dispose();

        // Assert
        Assert.Equal(0, contextsFreedWhileSessionOpen);
        Assert.Equal(1, _native.FreedStates);
        Assert.Equal(1, _native.FreedContexts);
        Assert.True(model.Context.IsClosed);
        Assert.True(session.State.IsClosed);
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
        Assert.Empty(_native.FullCalls);
    }
}

/// <summary>An IProgress that reports synchronously on the calling (native callback) thread, unlike Progress&lt;T&gt;.</summary>
internal sealed class SyncProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}

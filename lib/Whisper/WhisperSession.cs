namespace Cast2md.Whisper;

/// <summary>
/// Runs transcriptions one at a time on its model: the language choice, input checks, progress and cancellation
/// rules that hold whatever the engine. Use one session per concurrent transcription. After a cancelled or failed
/// call the session stays usable; disposing it lets the model go.
/// </summary>
public sealed class WhisperSession : IDisposable
{
    /// <summary>
    /// whisper.cpp ignores input shorter than 10 mel frames (1 + (n + 200 - 400) / 160 &lt; 10, about 100 ms) with a
    /// warning; we return no segments for it without calling the engine.
    /// </summary>
    internal const int MinSamples = 1640;

    /// <summary>whisper.cpp's WHISPER_MAX_DECODERS: a wider beam makes it fail.</summary>
    internal const int MaxBeamSize = 8;

    private readonly WhisperModel _model;
    private int _busy;
    private int _disposed;

    internal WhisperSession(WhisperModel model) => _model = model;

    /// <summary>
    /// Transcribes 16 kHz mono float samples (−1..1). Synchronous and blocking: call it from a worker thread.
    /// Can be called again on the same session for the next chunk; segment times are relative to these samples.
    /// </summary>
    /// <param name="progress">Receives 0..100 for this call, only increasing; 100 once it finished.</param>
    /// <param name="cancellationToken">Stops whisper.cpp at its next compute step; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="WhisperException">whisper.cpp failed, or the language is unknown.</exception>
    public WhisperResult Transcribe(
        ReadOnlyMemory<float> samples,
        WhisperRunOptions options,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options.Threads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BeamSize, MaxBeamSize, nameof(options.BeamSize));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException("This WhisperSession is already transcribing; create one session per concurrent transcription.");
        try
        {
            var (language, probability) = ResolveLanguage(samples.Span, options);
            cancellationToken.ThrowIfCancellationRequested();
            if (samples.Length < MinSamples)
            {
                progress?.Report(100);
                return new WhisperResult([], language, probability);
            }
            var segments = Run(samples, language, options, progress, cancellationToken);
            return new WhisperResult(segments, language, probability);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// The language <see cref="Transcribe(ReadOnlyMemory{float}, WhisperRunOptions, IProgress{int}?, CancellationToken)"/>
    /// would decode these samples with: the one in <paramref name="options"/>, or (for "auto") whisper's detection on
    /// their first 30 s, with its probability. Lets several sessions transcribe parts of one recording in one language.
    /// </summary>
    /// <exception cref="WhisperException">The language is unknown, or the detector failed.</exception>
    public (string Language, float? Probability) ChooseLanguage(ReadOnlySpan<float> samples, WhisperRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException("This WhisperSession is already transcribing; create one session per concurrent transcription.");
        try
        {
            return ResolveLanguage(samples, options);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>The same for samples in an array (no copy).</summary>
    public WhisperResult Transcribe(
        float[] samples,
        WhisperRunOptions options,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default
    ) => Transcribe(samples.AsMemory(), options, progress, cancellationToken);

    /// <summary>The same for samples in a span (copied once, since the engine reads them on its own thread).</summary>
    public WhisperResult Transcribe(
        ReadOnlySpan<float> samples,
        WhisperRunOptions options,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default
    ) => Transcribe(samples.ToArray().AsMemory(), options, progress, cancellationToken);

    /// <summary>Lets the model go (once no call is using it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _model.Release();
    }

    private IReadOnlyList<WhisperSegment> Run(
        ReadOnlyMemory<float> samples,
        string language,
        WhisperRunOptions options,
        IProgress<int>? progress,
        CancellationToken cancellationToken
    )
    {
        // A progress handler that throws inside the engine's callback must not unwind through native frames: the error
        // is kept, the engine is told to stop, and the error is what the caller gets.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stopping = 0;
        void Stop()
        {
            // Counted once per call, however it was told to stop, so WhisperLog's count always returns to zero.
            if (Interlocked.Exchange(ref stopping, 1) == 0)
                WhisperLog.StopRequested();
            stop.Cancel();
        }
        Exception? handlerFailure = null;
        var reported = -1;
        void Report(int percent)
        {
            if (handlerFailure is not null)
                return;
            percent = Math.Clamp(percent, 0, 100);
            if (percent <= reported)
                return;
            reported = percent;
            try
            {
                progress?.Report(percent);
            }
            catch (Exception e)
            {
                handlerFailure = e;
                Stop();
            }
        }

        var registration = cancellationToken.Register(Stop);
        try
        {
            var segments = _model.Context.Transcribe(samples, language, options, Report, stop.Token);
            if (handlerFailure is null && !cancellationToken.IsCancellationRequested)
                Report(100);
            if (handlerFailure is not null)
                throw handlerFailure;
            cancellationToken.ThrowIfCancellationRequested();
            return segments;
        }
        catch (OperationCanceledException) when (handlerFailure is not null)
        {
            throw handlerFailure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            // After the registration is gone, Stop can no longer run: the count is settled once.
            registration.Dispose();
            if (Volatile.Read(ref stopping) != 0)
                WhisperLog.StopHandled();
        }
    }

    /// <summary>
    /// The language to decode with, and its probability when we detected it. English-only models always decode
    /// English. "auto" (or empty) on a multilingual model runs whisper's detector once on the first 30 s.
    /// </summary>
    private (string Language, float? Probability) ResolveLanguage(ReadOnlySpan<float> samples, WhisperRunOptions options)
    {
        if (!_model.IsMultilingual)
            return ("en", null);
        var requested = options.Language?.Trim().ToLowerInvariant() ?? "";
        if (requested is not ("" or "auto"))
            return (
                _model.Context.LanguageCode(requested)
                    ?? throw new WhisperException($"Unknown language '{requested}': use \"auto\" or a code whisper knows, such as \"en\" or \"de\"."),
                null
            );
        // Nothing to detect on: the caller gets no segments and an empty language.
        if (samples.Length < MinSamples)
            return ("", null);
        var (language, probability) = _model.Context.DetectLanguage(samples, options.Threads);
        return (language, probability);
    }
}

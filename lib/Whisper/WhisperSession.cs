using System.Runtime.InteropServices;
using Cast2md.Whisper.Native;

namespace Cast2md.Whisper;

/// <summary>
/// One <c>whisper_state</c>: runs transcriptions one at a time on its model. Use one session per concurrent
/// transcription. After a cancelled or failed call the session stays usable; disposing it frees the state.
/// </summary>
public sealed partial class WhisperSession : IDisposable
{
    /// <summary>
    /// whisper_full ignores input shorter than 10 mel frames (1 + (n + 200 - 400) / 160 &lt; 10, about 100 ms) with a
    /// warning; we return no segments for it without calling native code.
    /// </summary>
    internal const int MinSamples = 1640;

    /// <summary>Language detection only looks at the first 30 s window.</summary>
    private const int DetectionSamples = 30 * 16000;

    /// <summary>WHISPER_MAX_DECODERS in whisper.cpp: a larger beam makes whisper_full return -4.</summary>
    internal const int MaxBeamSize = 8;

    private readonly WhisperModel _model;
    private readonly IWhisperNative _native;
    private readonly WhisperStateHandle _state;
    private int _busy;

    private WhisperSession(WhisperModel model, WhisperStateHandle state)
    {
        _model = model;
        _native = model.Native;
        _state = state;
    }

    internal WhisperStateHandle State => _state;

    internal static WhisperSession Create(WhisperModel model)
    {
        var context = model.Context;
        var added = false;
        context.DangerousAddRef(ref added); // released by the state handle after whisper_free_state
        try
        {
            var state = model.Native.whisper_init_state(context.DangerousGetHandle());
            if (state == 0)
                throw new WhisperException("whisper_init_state failed: not enough memory for a whisper state.");
            return new WhisperSession(model, new WhisperStateHandle(model.Native, state, context));
        }
        catch
        {
            if (added)
                context.DangerousRelease();
            throw;
        }
    }

    /// <summary>
    /// Transcribes 16 kHz mono float samples (−1..1). Synchronous and blocking: call it from a worker thread.
    /// Can be called again on the same session for the next chunk; segment times are relative to these samples.
    /// </summary>
    /// <param name="progress">Receives 0..100 for this call, only increasing; 100 once it finished.</param>
    /// <param name="cancellationToken">Aborts whisper.cpp at its next compute graph; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="WhisperException">whisper.cpp failed (<see cref="WhisperException.Code"/> has its return code), or the language is unknown.</exception>
    public WhisperResult Transcribe(
        ReadOnlySpan<float> samples,
        WhisperRunOptions options,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options.Threads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BeamSize, MaxBeamSize, nameof(options.BeamSize));
        ObjectDisposedException.ThrowIf(_state.IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();

        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException("This WhisperSession is already transcribing; create one session per concurrent transcription.");
        var stateAdded = false;
        try
        {
            _state.DangerousAddRef(ref stateAdded); // a concurrent Dispose frees the state only after this call
            var callbacks = new CallbackContext(cancellationToken, progress);
            var result = Run(samples, options, callbacks);
            callbacks.ReportProgress(100);
            return result;
        }
        finally
        {
            if (stateAdded)
                _state.DangerousRelease();
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Frees the whisper state (once no call is using it).</summary>
    public void Dispose() => _state.Dispose();

    private unsafe WhisperResult Run(ReadOnlySpan<float> samples, WhisperRunOptions options, CallbackContext callbacks)
    {
        var ctx = _model.Context.DangerousGetHandle(); // kept alive by our state handle's reference
        var state = _state.DangerousGetHandle();

        var (language, probability) = ResolveLanguage(ctx, state, samples, options);
        callbacks.CancellationToken.ThrowIfCancellationRequested();
        if (samples.Length < MinSamples)
            return new WhisperResult([], language, probability);

        var languageUtf8 = Marshal.StringToCoTaskMemUTF8(language);
        var promptUtf8 = string.IsNullOrEmpty(options.InitialPrompt) ? 0 : Marshal.StringToCoTaskMemUTF8(options.InitialPrompt);
        var callbackHandle = GCHandle.Alloc(callbacks);
        try
        {
            var fullParams = BuildParams(options, languageUtf8, promptUtf8, GCHandle.ToIntPtr(callbackHandle));
            int rc;
            WhisperLog.CurrentCall = callbacks;
            try
            {
                fixed (float* pcm = samples)
                    rc = _native.whisper_full_with_state(ctx, state, fullParams, pcm, samples.Length);
            }
            finally
            {
                WhisperLog.CurrentCall = null;
            }

            // A callback's exception first (it is why whisper stopped), then cancellation, then the native code.
            callbacks.ThrowIfFailedOrCancelled();
            if (rc != 0)
                throw new WhisperException($"whisper_full_with_state failed with code {rc} (the native log has the details).", rc);
            return new WhisperResult(ReadSegments(state), language, probability);
        }
        finally
        {
            callbackHandle.Free();
            Marshal.FreeCoTaskMem(languageUtf8);
            if (promptUtf8 != 0)
                Marshal.FreeCoTaskMem(promptUtf8);
        }
    }

    private unsafe List<WhisperSegment> ReadSegments(nint state)
    {
        var count = _native.whisper_full_n_segments_from_state(state);
        var segments = new List<WhisperSegment>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            // t0/t1 are in centiseconds (10 ms units).
            var t0 = _native.whisper_full_get_segment_t0_from_state(state, i) * 10;
            var t1 = _native.whisper_full_get_segment_t1_from_state(state, i) * 10;
            var text = Marshal.PtrToStringUTF8((nint)_native.whisper_full_get_segment_text_from_state(state, i)) ?? "";
            segments.Add(new WhisperSegment(t0, t1, text));
        }
        return segments;
    }
}

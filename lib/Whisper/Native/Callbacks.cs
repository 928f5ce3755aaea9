using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Cast2md.Whisper.Native;

/// <summary>
/// Per-call state the native callbacks reach through their <c>user_data</c> (a <see cref="GCHandle"/>):
/// the cancellation token, the progress sink, and the first exception a callback caught.
/// Abort/encoder callbacks may run on a ggml worker thread, so everything here is thread-safe.
/// </summary>
internal sealed class CallbackContext(CancellationToken cancellationToken, IProgress<int>? progress)
{
    private ExceptionDispatchInfo? _error;
    private int _lastProgress = -1;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>True once whisper.cpp should stop: cancelled, or a callback failed.</summary>
    public bool ShouldAbort => Volatile.Read(ref _error) is not null || CancellationToken.IsCancellationRequested;

    public void Capture(Exception exception) =>
        Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(exception), null);

    /// <summary>Reports <paramref name="percent"/> (clamped to 0..100) only when it moves forward.</summary>
    public void ReportProgress(int percent)
    {
        percent = Math.Clamp(percent, 0, 100);
        if (percent <= _lastProgress)
            return;
        _lastProgress = percent;
        progress?.Report(percent);
    }

    /// <summary>After the native call: rethrow what a callback caught, then honour cancellation.</summary>
    public void ThrowIfFailedOrCancelled()
    {
        Volatile.Read(ref _error)?.Throw();
        CancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// The native callbacks: <c>[UnmanagedCallersOnly]</c> statics whose addresses go into whisper_full_params.
/// An exception escaping one would tear the process down, so every body catches everything and stashes it
/// in the <see cref="CallbackContext"/>; the abort callback then stops whisper.cpp and the caller rethrows.
/// </summary>
internal static unsafe class Callbacks
{
    /// <summary>whisper_progress_callback</summary>
    public static nint Progress => (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, nint, void>)&OnProgress;

    /// <summary>whisper_encoder_begin_callback</summary>
    public static nint EncoderBegin => (nint)(delegate* unmanaged[Cdecl]<nint, nint, nint, byte>)&OnEncoderBegin;

    /// <summary>ggml_abort_callback</summary>
    public static nint Abort => (nint)(delegate* unmanaged[Cdecl]<nint, byte>)&OnAbort;

    /// <summary>ggml_log_callback</summary>
    public static nint Log => (nint)(delegate* unmanaged[Cdecl]<GgmlLogLevel, byte*, nint, void>)&OnLog;

    // typedef void (*whisper_progress_callback)(struct whisper_context * ctx, struct whisper_state * state, int progress, void * user_data);
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnProgress(nint ctx, nint state, int progress, nint userData)
    {
        var context = ContextOf(userData);
        if (context is null)
            return;
        try
        {
            context.ReportProgress(progress);
        }
        catch (Exception ex)
        {
            context.Capture(ex);
        }
    }

    // typedef bool (*whisper_encoder_begin_callback)(struct whisper_context * ctx, struct whisper_state * state, void * user_data);
    // Returning false stops whisper_full before the next 30 s window is encoded.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte OnEncoderBegin(nint ctx, nint state, nint userData)
    {
        try
        {
            return ContextOf(userData) is { ShouldAbort: true } ? (byte)0 : (byte)1;
        }
        catch
        {
            return 0;
        }
    }

    // typedef bool (*ggml_abort_callback)(void * data);
    // ggml calls it before each graph computation; true aborts the encode/decode in progress.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte OnAbort(nint userData)
    {
        try
        {
            return ContextOf(userData) is { ShouldAbort: true } ? (byte)1 : (byte)0;
        }
        catch
        {
            return 1;
        }
    }

    // typedef void (*ggml_log_callback)(enum ggml_log_level level, const char * text, void * user_data);
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(GgmlLogLevel level, byte* text, nint userData)
    {
        try
        {
            if (text is not null)
                WhisperLog.Write(level, Marshal.PtrToStringUTF8((nint)text) ?? "");
        }
        catch
        {
            // Nowhere to report it: a failing log line must not abort or crash a transcription.
        }
    }

    private static CallbackContext? ContextOf(nint userData)
    {
        if (userData == 0)
            return null;
        try
        {
            return GCHandle.FromIntPtr(userData).Target as CallbackContext;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

using System.Text;
using NativeLevel = Whisper.net.Logger.WhisperLogLevel;

namespace Cast2md.Whisper;

/// <summary>Severity of a native whisper.cpp / ggml log line.</summary>
public enum WhisperLogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}

/// <summary>
/// Where whisper.cpp's and ggml's own log lines go (Whisper.net passes them on; routed here as soon as the runtime
/// loads). Lines split by GGML_LOG_LEVEL_CONT are joined; the trailing newline is removed.
/// The default sink writes warnings and errors to stderr and drops debug and info lines.
/// </summary>
public static class WhisperLog
{
    private static readonly Action<WhisperLogLevel, string> DefaultSink = (level, line) =>
    {
        if (level >= WhisperLogLevel.Warning)
            Console.Error.WriteLine($"whisper: {line}");
    };

    private static readonly Lock Gate = new();
    private static readonly StringBuilder Pending = new();
    private static WhisperLogLevel _pendingLevel;
    private static volatile Action<WhisperLogLevel, string> _sink = DefaultSink;

    /// <summary>
    /// Transcriptions told to stop (cancelled, or a callback failed) that have not returned yet. Meanwhile whisper.cpp's
    /// "failed to encode/decode" errors are expected and logged as Debug, not Error. A count, not a per-thread flag:
    /// the native call runs on Whisper.net's own thread.
    /// </summary>
    private static int _stopping;

    internal static void StopRequested() => Interlocked.Increment(ref _stopping);

    internal static void StopHandled() => Interlocked.Decrement(ref _stopping);

    private static int _attached;

    /// <summary>Routes Whisper.net's native log into this class (once, when the runtime loads).</summary>
    internal static void Attach()
    {
        if (Interlocked.Exchange(ref _attached, 1) == 0)
            global::Whisper.net.Logger.LogProvider.AddLogger(Write);
    }

    /// <summary>Routes native log lines to <paramref name="sink"/>; null restores the default. The sink may be called from any thread and must not block; exceptions it throws are dropped.</summary>
    public static void SetSink(Action<WhisperLogLevel, string>? sink) => _sink = sink ?? DefaultSink;

    /// <summary>Called by the native log callback with one fragment as ggml sent it.</summary>
    internal static void Write(NativeLevel level, string? text)
    {
        string? completeLine = null,
            flushedLine = null;
        WhisperLogLevel completeLevel,
            flushedLevel = default;
        lock (Gate)
        {
            text ??= "";
            if (level != NativeLevel.Cont)
            {
                // A new message starts: whatever is still pending (no trailing newline) is complete.
                if (Pending.Length > 0)
                {
                    flushedLine = Pending.ToString();
                    flushedLevel = _pendingLevel;
                    Pending.Clear();
                }
                _pendingLevel = Map(level);
                if (_pendingLevel >= WhisperLogLevel.Warning && Volatile.Read(ref _stopping) > 0)
                    _pendingLevel = WhisperLogLevel.Debug;
            }
            Pending.Append(text);
            completeLevel = _pendingLevel;
            if (Pending.Length > 0 && Pending[^1] == '\n')
            {
                completeLine = Pending.ToString().TrimEnd('\n', '\r');
                Pending.Clear();
            }
        }
        if (flushedLine is not null)
            Emit(flushedLevel, flushedLine);
        if (completeLine is not null)
            Emit(completeLevel, completeLine);
    }

    private static void Emit(WhisperLogLevel level, string line)
    {
        try
        {
            _sink(level, line);
        }
        catch (Exception)
        { /* A log sink must never take native code down with it (we are inside a native callback). */
        }
    }

    private static WhisperLogLevel Map(NativeLevel level) =>
        level switch
        {
            NativeLevel.Error => WhisperLogLevel.Error,
            NativeLevel.Warning => WhisperLogLevel.Warning,
            NativeLevel.Info => WhisperLogLevel.Info,
            _ => WhisperLogLevel.Debug,
        };
}

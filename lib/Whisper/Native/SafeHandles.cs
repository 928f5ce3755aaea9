using Microsoft.Win32.SafeHandles;

namespace Cast2md.Whisper.Native;

/// <summary>Owns a <c>whisper_context *</c>; frees it with whisper_free once the last user lets go.</summary>
internal sealed class WhisperContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly IWhisperNative _native;

    public WhisperContextHandle(IWhisperNative native, nint ctx) : base(ownsHandle: true)
    {
        _native = native;
        SetHandle(ctx);
    }

    protected override bool ReleaseHandle()
    {
        _native.whisper_free(handle);
        return true;
    }
}

/// <summary>
/// Owns a <c>whisper_state *</c>; frees it with whisper_free_state once the last user lets go. It also holds a
/// reference on its context (taken by the creator with DangerousAddRef) and drops it after the state is freed, so the
/// model's weights outlive every state that decodes with them, whatever order things are disposed in.
/// </summary>
internal sealed class WhisperStateHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly IWhisperNative _native;
    private readonly WhisperContextHandle _context;

    /// <param name="context">The context this state belongs to; the caller has already called DangerousAddRef on it.</param>
    public WhisperStateHandle(IWhisperNative native, nint state, WhisperContextHandle context) : base(ownsHandle: true)
    {
        _native = native;
        _context = context;
        SetHandle(state);
    }

    protected override bool ReleaseHandle()
    {
        _native.whisper_free_state(handle);
        _context.DangerousRelease();
        return true;
    }
}

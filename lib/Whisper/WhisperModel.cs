using System.Runtime.InteropServices;
using Cast2md.Whisper.Native;

namespace Cast2md.Whisper;

/// <summary>
/// A loaded whisper ggml model (one <c>whisper_context</c>). Load it once per process and create a
/// <see cref="WhisperSession"/> per concurrent transcription. Sessions keep the model's native memory alive, so
/// disposing the model while sessions are open frees it only when the last session is disposed.
/// </summary>
public sealed class WhisperModel : IDisposable
{
    private readonly IWhisperNative _native;
    private readonly WhisperContextHandle _context;

    private WhisperModel(IWhisperNative native, WhisperContextHandle context, string modelPath, bool isMultilingual)
    {
        _native = native;
        _context = context;
        ModelPath = modelPath;
        IsMultilingual = isMultilingual;
    }

    /// <summary>The model file, as a full path.</summary>
    public string ModelPath { get; }

    /// <summary>False for the English-only (<c>*.en</c>) models.</summary>
    public bool IsMultilingual { get; }

    /// <summary>whisper_version() of the loaded libwhisper (loads it if needed).</summary>
    public static unsafe string LibraryVersion =>
        Marshal.PtrToStringUTF8((nint)WhisperLibrary.EnsureLoaded().whisper_version()) ?? "";

    /// <summary>whisper_print_system_info(): the CPU features and backends libwhisper was built with.</summary>
    public static unsafe string SystemInfo =>
        Marshal.PtrToStringUTF8((nint)WhisperLibrary.EnsureLoaded().whisper_print_system_info())?.Trim() ?? "";

    internal WhisperContextHandle Context => _context;

    internal IWhisperNative Native => _native;

    /// <summary>Loads a whisper ggml model (loading libwhisper first if this is the first use).</summary>
    /// <exception cref="WhisperModelLoadException">The file is missing or is not a whisper ggml model.</exception>
    /// <exception cref="WhisperLibraryNotFoundException">libwhisper could not be found.</exception>
    /// <exception cref="WhisperAbiMismatchException">libwhisper is not the pinned whisper.cpp version.</exception>
    public static WhisperModel Load(string modelPath, WhisperModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        // Check the file before loading the library: a typo in a path should not read as a library problem.
        var fullPath = CheckModelFile(modelPath);
        return Load(WhisperLibrary.EnsureLoaded(), fullPath, options);
    }

    /// <summary>The seam: loads through <paramref name="native"/> (the real library or a test fake).</summary>
    internal static unsafe WhisperModel Load(IWhisperNative native, string modelPath, WhisperModelOptions? options)
    {
        options ??= new WhisperModelOptions();
        var fullPath = CheckModelFile(modelPath);

        var defaults = native.whisper_context_default_params_by_ref();
        if (defaults is null)
            throw new WhisperException("whisper_context_default_params_by_ref returned NULL (out of memory?).");
        var contextParams = *defaults;
        native.whisper_free_context_params(defaults);
        contextParams.use_gpu = options.UseGpu ? (byte)1 : (byte)0;
        contextParams.gpu_device = options.GpuDevice;
        contextParams.flash_attn = options.FlashAttention ? (byte)1 : (byte)0;

        var path = Marshal.StringToCoTaskMemUTF8(fullPath);
        nint ctx;
        try
        {
            ctx = native.whisper_init_from_file_with_params_no_state((byte*)path, contextParams);
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }
        if (ctx == 0)
            throw new WhisperModelLoadException(fullPath,
                $"'{fullPath}' could not be loaded as a whisper model: it is not a whisper.cpp ggml model file, or it is " +
                "truncated or corrupt (the native log has the details). Expected a ggml-*.bin model as published for whisper.cpp.");

        var handle = new WhisperContextHandle(native, ctx);
        return new WhisperModel(native, handle, fullPath, native.whisper_is_multilingual(ctx) != 0);
    }

    /// <summary>Creates a session with its own <c>whisper_state</c> (decoder buffers; tens to hundreds of MB).</summary>
    public WhisperSession CreateSession()
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        return WhisperSession.Create(this);
    }

    /// <summary>Releases the model; its memory is freed once no session uses it.</summary>
    public void Dispose() => _context.Dispose();

    private static string CheckModelFile(string modelPath)
    {
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
            throw new WhisperModelLoadException(fullPath, $"Whisper model file not found: '{fullPath}'.");
        return fullPath;
    }
}

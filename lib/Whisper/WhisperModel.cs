using System.Buffers.Binary;
using Whisper.net;

namespace Cast2md.Whisper;

/// <summary>
/// A loaded whisper ggml model. Load it once per process and create a <see cref="WhisperSession"/> per concurrent
/// transcription. Sessions keep the model alive, so disposing the model while sessions are open frees it only when the
/// last session is disposed.
/// </summary>
public sealed class WhisperModel : IDisposable
{
    /// <summary>"ggml" as whisper.cpp writes it at the start of a model file (little-endian 0x67676d6c).</summary>
    private const uint GgmlMagic = 0x67676d6c;

    /// <summary>Multilingual vocabularies have 51865 tokens or more; the English-only (<c>*.en</c>) ones 51864.</summary>
    private const int MultilingualVocabulary = 51865;

    private readonly IWhisperContext _context;
    private int _references = 1;

    private WhisperModel(IWhisperContext context, string modelPath, bool isMultilingual)
    {
        _context = context;
        ModelPath = modelPath;
        IsMultilingual = isMultilingual;
    }

    /// <summary>The model file, as a full path.</summary>
    public string ModelPath { get; }

    /// <summary>False for the English-only (<c>*.en</c>) models.</summary>
    public bool IsMultilingual { get; }

    /// <summary>The whisper.cpp version of the loaded runtime (loads it if needed).</summary>
    public static string LibraryVersion => WhisperRuntime.Loaded.Version;

    /// <summary>The CPU features and backends the loaded runtime was built with.</summary>
    public static string SystemInfo
    {
        get
        {
            WhisperRuntime.EnsureLoaded();
            return WhisperFactory.GetRuntimeInfo()?.Trim() ?? "";
        }
    }

    internal IWhisperContext Context => _context;

    /// <summary>Loads a whisper ggml model (loading the native runtime first if this is the first use).</summary>
    /// <exception cref="WhisperModelLoadException">The file is missing or is not a whisper ggml model.</exception>
    /// <exception cref="WhisperLibraryNotFoundException">No whisper runtime could be loaded.</exception>
    public static WhisperModel Load(string modelPath, WhisperModelOptions? options = null) => Load(WhisperNetEngine.Instance, modelPath, options);

    /// <summary>The seam: loads through <paramref name="engine"/> (Whisper.net, or a test fake).</summary>
    internal static WhisperModel Load(IWhisperEngine engine, string modelPath, WhisperModelOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        // The file is checked before the runtime loads: a typo in a path should not read as a library problem, and a
        // file that is not a model never reaches native code.
        var fullPath = Path.GetFullPath(modelPath);
        var multilingual = ReadHeader(fullPath);
        return new WhisperModel(engine.Load(fullPath, options ?? new WhisperModelOptions()), fullPath, multilingual);
    }

    /// <summary>Creates a session (one transcription at a time; its decoder state lives for one call).</summary>
    public WhisperSession CreateSession()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            ObjectDisposedException.ThrowIf(current == 0, this);
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
                return new WhisperSession(this);
        }
    }

    /// <summary>Releases the model; its memory is freed once no session uses it.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Release();
        }
    }

    private bool _disposed;

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
            _context.Dispose();
    }

    internal static string NotAModel(string fullPath) =>
        $"'{fullPath}' could not be loaded as a whisper model: it is not a whisper.cpp ggml model file, or it is "
        + "truncated or corrupt. Expected a ggml-*.bin model as published for whisper.cpp.";

    /// <summary>Checks the file is there and starts like a ggml model; returns whether its vocabulary is multilingual.</summary>
    private static bool ReadHeader(string fullPath)
    {
        if (!File.Exists(fullPath))
            throw new WhisperModelLoadException(fullPath, $"Whisper model file not found: '{fullPath}'.");
        Span<byte> header = stackalloc byte[8];
        try
        {
            using var file = File.OpenRead(fullPath);
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
                throw new WhisperModelLoadException(fullPath, NotAModel(fullPath));
        }
        catch (IOException e)
        {
            throw new WhisperModelLoadException(fullPath, $"Whisper model file '{fullPath}' could not be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new WhisperModelLoadException(fullPath, $"Whisper model file '{fullPath}' could not be read: permission denied.", e);
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != GgmlMagic)
            throw new WhisperModelLoadException(fullPath, NotAModel(fullPath));
        return BinaryPrimitives.ReadInt32LittleEndian(header[4..]) >= MultilingualVocabulary;
    }
}

using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Cast2md.Whisper.Native;

/// <summary>
/// Finds and loads libwhisper exactly once per process, then checks it (version, default-params canaries) and
/// routes its log into <see cref="WhisperLog"/>. The library is never unloaded: ggml installs process-wide hooks and
/// asserts when loaded twice (Whisper.net #484, llama.cpp #15752).
/// Lookup order: next to the executable (AppContext.BaseDirectory, which is right for single-file and AOT too),
/// then <c>CAST2MD_WHISPER_LIB</c> (a file or a directory), then the system's library search path.
/// </summary>
internal static class WhisperLibrary
{
    public const string OverrideVariable = "CAST2MD_WHISPER_LIB";

    private static readonly Lazy<IWhisperNative> Loaded = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);
    private static nint _handle;

    /// <summary>The library's file names on this OS, preferred first.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        OperatingSystem.IsWindows() ? ["whisper.dll"]
        : OperatingSystem.IsMacOS() ? ["libwhisper.dylib", "libwhisper.1.dylib"]
        : ["libwhisper.so", "libwhisper.so.1"];

    /// <summary>Loads and verifies libwhisper on first use; throws <see cref="WhisperLibraryNotFoundException"/> or <see cref="WhisperAbiMismatchException"/>.</summary>
    public static IWhisperNative EnsureLoaded() => Loaded.Value;

    private static IWhisperNative Initialize()
    {
        // Our [LibraryImport("whisper")]s resolve to the handle we chose, never to whatever default probing finds.
        NativeLibrary.SetDllImportResolver(typeof(WhisperLibrary).Assembly, Resolve);
        _handle = LoadFirst(Candidates(AppContext.BaseDirectory, Environment.GetEnvironmentVariable(OverrideVariable)));
        Verify(LibWhisperNative.Instance);
        return LibWhisperNative.Instance;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == WhisperNative.LibraryName ? _handle : 0;

    /// <summary>Version check, then log routing, then the struct canaries. Internal so tests can run it on a fake.</summary>
    internal static unsafe void Verify(IWhisperNative native)
    {
        string? version;
        try
        {
            version = Marshal.PtrToStringUTF8((nint)native.whisper_version());
        }
        catch (EntryPointNotFoundException)
        {
            version = "older than 1.8.0 (no whisper_version)";
        }
        WhisperAbi.CheckVersion(version);
        native.whisper_log_set(Callbacks.Log, 0);
        WhisperAbi.VerifyDefaults(native, version!);
    }

    /// <summary>
    /// Where to look, in order. Paths are files to try if they exist; bare names go to the system loader.
    /// </summary>
    internal static IReadOnlyList<LibraryCandidate> Candidates(string baseDirectory, string? overridePath)
    {
        var candidates = new List<LibraryCandidate>();
        foreach (var name in FileNames)
            candidates.Add(new(Path.Combine(baseDirectory, name), "next to the executable"));
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            if (Directory.Exists(overridePath))
                foreach (var name in FileNames)
                    candidates.Add(new(Path.Combine(overridePath, name), $"{OverrideVariable} directory"));
            else
                candidates.Add(new(overridePath, OverrideVariable));
        }
        foreach (var name in FileNames)
            candidates.Add(new(name, "system library path", IsSystemName: true));
        return candidates;
    }

    /// <summary>Loads the first candidate that loads; otherwise throws one message listing every attempt.</summary>
    internal static nint LoadFirst(IReadOnlyList<LibraryCandidate> candidates)
    {
        var tried = new StringBuilder();
        foreach (var candidate in candidates)
        {
            if (candidate.IsSystemName)
            {
                if (NativeLibrary.TryLoad(candidate.Path, out var systemHandle))
                    return systemHandle;
                tried.Append($"\n  {candidate.Path} ({candidate.Origin}): not found");
                continue;
            }
            if (!File.Exists(candidate.Path))
            {
                tried.Append($"\n  {candidate.Path} ({candidate.Origin}): not found");
                continue;
            }
            try
            {
                return NativeLibrary.Load(candidate.Path);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                // The file is there but does not load: usually a missing dependency (libgomp1, libstdc++6) or a wrong architecture.
                tried.Append($"\n  {candidate.Path} ({candidate.Origin}): {ex.Message}");
            }
        }
        if (!candidates.Any(c => c.Origin.StartsWith(OverrideVariable, StringComparison.Ordinal)))
            tried.Append($"\n  ({OverrideVariable} is not set)");
        throw new WhisperLibraryNotFoundException(
            $"libwhisper (whisper.cpp {WhisperAbi.Version}) could not be loaded. Looked in:{tried}\n" +
            $"Run `make setup` (or native/build-whisper.sh) to build it next to cast2md, or set {OverrideVariable} " +
            "to the library file or the directory that holds it.");
    }
}

/// <summary>One place <see cref="WhisperLibrary"/> looks: a file path, or a bare name for the system loader.</summary>
internal sealed record LibraryCandidate(string Path, string Origin, bool IsSystemName = false);

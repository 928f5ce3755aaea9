using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Whisper.net;
using Whisper.net.LibraryLoader;

namespace Cast2md.Whisper;

/// <summary>
/// Chooses and loads whisper.cpp's native libraries exactly once per process, then hands them to Whisper.net.
/// <para>
/// Whisper.net's own loader is bypassed (<c>RuntimeOptions.LoadedLibrary</c>) for two reasons. Under Native AOT it
/// decides whether the CPU runtime may load from <c>Avx.IsSupported</c>, which the AOT compiler fixes to false for
/// the default x64 instruction set whatever the CPU can do; and it finds its folder from <c>Assembly.Location</c>,
/// which is empty in a single native executable. We keep the default instruction set on purpose — <c>serve</c> must
/// run on NAS CPUs without AVX — and check what whisper's libraries need with CPUID instead, just before loading them.
/// </para>
/// <para>
/// Search order, first that exists and loads: <c>CAST2MD_WHISPER_LIB</c> (a folder or a libwhisper file), then under
/// <c>runtimes/</c> next to the executable the layout Whisper.net's runtime packages use: <c>cuda/{os}-{arch}</c>
/// (only when a CUDA driver is present and the device is not <c>cpu</c>), <c>coreml/{os}-{arch}</c> on macOS,
/// <c>native/{os}-{arch}</c> (a from-source build for this CPU, <c>make native</c>), then <c>{os}-{arch}</c> (the
/// prebuilt CPU runtime from NuGet). The libraries are never unloaded: ggml installs process-wide state.
/// </para>
/// </summary>
public static class WhisperRuntime
{
    public const string OverrideVariable = Settings.SettingDefinitions.WhisperLibrary;

    private static readonly Lock Gate = new();
    private static LoadedRuntime? _loaded;
    private static WhisperException? _failure;

    /// <summary>What was loaded, and from where; loads on first use.</summary>
    public static LoadedRuntime Loaded => EnsureLoaded();

    /// <summary>
    /// Loads the runtime if needed; throws <see cref="WhisperLibraryNotFoundException"/> when none loads. The first call
    /// decides for the process (libraries are never unloaded): <paramref name="preferCpu"/> skips GPU builds then.
    /// </summary>
    public static LoadedRuntime EnsureLoaded(bool preferCpu = false)
    {
        lock (Gate)
        {
            if (_loaded is { } loaded)
                return loaded;
            if (_failure is { } failure)
                throw failure;
            try
            {
                _loaded = Load(Candidates(AppContext.BaseDirectory, Settings.LocalSettings.Process.Get(OverrideVariable), preferCpu));
                WhisperLog.Attach();
                return _loaded;
            }
            catch (WhisperException e)
            {
                _failure = e;
                throw;
            }
        }
    }

    /// <summary>One line for <c>--version</c> and <c>status</c>: which runtime, which whisper.cpp, from where.</summary>
    public static string Describe()
    {
        try
        {
            var loaded = EnsureLoaded();
            return $"whisper runtime: {loaded.Kind} (whisper.cpp {loaded.Version}) from {loaded.Directory}";
        }
        catch (WhisperException e)
        {
            return $"whisper runtime: none loaded ({e.Message.Split('\n')[0]})";
        }
    }

    /// <summary>Where to look, in order (internal so the order is specified without loading anything).</summary>
    internal static IReadOnlyList<RuntimeCandidate> Candidates(string baseDirectory, string? overridePath, bool preferCpu)
    {
        var rid = $"{OsName}-{ArchitectureName}";
        var root = Path.Combine(baseDirectory, "runtimes");
        var candidates = new List<RuntimeCandidate>();
        if (!string.IsNullOrWhiteSpace(overridePath))
            candidates.Add(
                new(
                    File.Exists(overridePath) ? Path.GetDirectoryName(Path.GetFullPath(overridePath))! : Path.GetFullPath(overridePath),
                    "custom",
                    OverrideVariable
                )
            );
        if (!preferCpu)
            candidates.Add(new(Path.Combine(root, "cuda", rid), "cuda", "CUDA build", NeedsCuda: true));
        if (OperatingSystem.IsMacOS())
            candidates.Add(new(Path.Combine(root, "coreml", rid), "coreml", "Core ML build"));
        candidates.Add(new(Path.Combine(root, "native", rid), "cpu-native", "build for this CPU"));
        candidates.Add(
            new(Path.Combine(root, rid), "cpu", "prebuilt CPU runtime (Whisper.net.Runtime)", NeedsAvx2: ArchitectureName is "x64" or "x86")
        );
        return candidates;
    }

    private static LoadedRuntime Load(IReadOnlyList<RuntimeCandidate> candidates)
    {
        var tried = new StringBuilder();
        foreach (var candidate in candidates)
        {
            var whisper = Path.Combine(candidate.Directory, LibraryFile("whisper"));
            if (!File.Exists(whisper))
            {
                tried.Append($"\n  {candidate.Directory} ({candidate.Origin}): no {LibraryFile("whisper")}");
                continue;
            }
            if (candidate.NeedsCuda && !CudaDriverPresent())
            {
                tried.Append($"\n  {candidate.Directory} ({candidate.Origin}): skipped, no CUDA driver on this machine");
                continue;
            }
            if (candidate.NeedsAvx2 && !CpuHasAvx2AndFma())
            {
                tried.Append($"\n  {candidate.Directory} ({candidate.Origin}): skipped, this CPU lacks AVX2/FMA, which it needs");
                continue;
            }
            try
            {
                // Dependencies first, by full path: the prebuilt libraries name each other by soname and carry no
                // usable search path, so each must already be loaded when the next one asks for it.
                foreach (var dependency in DependencyOrder)
                foreach (var file in new[] { LibraryFile(dependency + "-whisper"), LibraryFile(dependency) })
                    if (File.Exists(Path.Combine(candidate.Directory, file)))
                        NativeLibrary.Load(Path.Combine(candidate.Directory, file));
                var handle = NativeLibrary.Load(whisper);
                NativeLibrary.SetDllImportResolver(typeof(WhisperFactory).Assembly, (name, _, _) => name is "libwhisper" or "whisper" ? handle : 0);
                RuntimeOptions.LoadedLibrary = candidate.Kind == "cuda" ? RuntimeLibrary.Cuda : RuntimeLibrary.Cpu;
                _whisperHandle = handle;
                return new LoadedRuntime(candidate.Kind, candidate.Directory, ReadVersion(handle));
            }
            catch (DllNotFoundException e)
            {
                tried.Append($"\n  {candidate.Directory} ({candidate.Origin}): {e.Message}");
            }
            catch (BadImageFormatException e)
            {
                tried.Append($"\n  {candidate.Directory} ({candidate.Origin}): not a library for this machine ({e.Message})");
            }
        }
        throw new WhisperLibraryNotFoundException(
            "No whisper runtime could be loaded. Looked in:"
                + tried
                + "\nRun `make setup` (it installs the prebuilt runtime into ./bin/runtimes), or point "
                + OverrideVariable
                + " at a folder holding a whisper.cpp build."
        );
    }

    /// <summary>ggml's libraries in the order they need each other (base, backends, then the registry).</summary>
    private static readonly string[] DependencyOrder = ["ggml-base", "ggml-cpu", "ggml-blas", "ggml-metal", "ggml-cuda", "ggml"];

    private static nint _whisperHandle;

    /// <summary>
    /// whisper_lang_id / whisper_lang_str of the loaded library (Whisper.net does not expose them): the code of a
    /// language whisper knows, by code or full name ("de", "german"); null when it does not know it.
    /// </summary>
    internal static unsafe string? LanguageCode(string language)
    {
        EnsureLoaded();
        if (
            !NativeLibrary.TryGetExport(_whisperHandle, "whisper_lang_id", out var idExport)
            || !NativeLibrary.TryGetExport(_whisperHandle, "whisper_lang_str", out var strExport)
        )
            return language;
        var utf8 = Marshal.StringToCoTaskMemUTF8(language);
        try
        {
            var id = ((delegate* unmanaged<byte*, int>)idExport)((byte*)utf8);
            return id < 0 ? null : Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<int, byte*>)strExport)(id));
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }
    }

    private static unsafe string ReadVersion(nint whisper) =>
        NativeLibrary.TryGetExport(whisper, "whisper_version", out var export)
            ? Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)export)()) ?? "unknown"
            : "older than 1.8.0";

    private static bool CudaDriverPresent() => NativeLibrary.TryLoad(OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1", out _);

    /// <summary>
    /// AVX2 and FMA from CPUID (leaf 1 ECX bits 12 FMA, 27 OSXSAVE, 28 AVX; leaf 7 EBX bit 5 AVX2): the CPU's answer
    /// at run time, not the AOT compiler's assumption.
    /// </summary>
    internal static bool CpuHasAvx2AndFma()
    {
        if (!X86Base.IsSupported)
            return false;
        var (_, _, ecx1, _) = X86Base.CpuId(1, 0);
        var (_, ebx7, _, _) = X86Base.CpuId(7, 0);
        const int fma = 1 << 12,
            osxsave = 1 << 27,
            avx = 1 << 28;
        return (ecx1 & (fma | osxsave | avx)) == (fma | osxsave | avx) && (ebx7 & (1 << 5)) != 0;
    }

    private static string LibraryFile(string name) =>
        OperatingSystem.IsWindows() ? $"{name}.dll"
        : OperatingSystem.IsMacOS() ? $"lib{name}.dylib"
        : $"lib{name}.so";

    private static string OsName =>
        OperatingSystem.IsWindows() ? "win"
        : OperatingSystem.IsMacOS() ? "macos"
        : "linux";

    private static string ArchitectureName =>
        RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
}

/// <summary>A place a runtime may be; <see cref="Kind"/> names it in <c>--version</c>.</summary>
internal sealed record RuntimeCandidate(string Directory, string Kind, string Origin, bool NeedsCuda = false, bool NeedsAvx2 = false);

/// <summary>The runtime this process uses: its kind (cpu, cpu-native, cuda, coreml, custom), folder and whisper.cpp version.</summary>
public sealed record LoadedRuntime(string Kind, string Directory, string Version);

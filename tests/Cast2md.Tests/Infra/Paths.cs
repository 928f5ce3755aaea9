namespace Cast2md.Tests.Infra;

/// <summary>Where the repository, its build outputs and the shared test data (../shared) are.</summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Test data beside the repository; never copied into it. CAST2MD_SHARED overrides.</summary>
    public static string Shared { get; } =
        Environment.GetEnvironmentVariable("CAST2MD_SHARED") is { Length: > 0 } shared
            ? System.IO.Path.GetFullPath(shared)
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared"));

    public static string RealModel => System.IO.Path.Combine(Shared, "models", "ggml-tiny-q8_0.bin");
    public static string StandInModel => System.IO.Path.Combine(Shared, "models", "for-tests-ggml-tiny.en.bin");
    public static string VadModel => System.IO.Path.Combine(Shared, "models", "ggml-silero-v6.2.0.bin");
    public static string JfkWav => System.IO.Path.Combine(Shared, "audio", "jfk.wav");
    public static string JfkMp3 => System.IO.Path.Combine(Shared, "audio", "jfk.mp3");
    public const string JfkReference = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";

    /// <summary>The published AOT binary (make publish).</summary>
    public static string PublishedBinary => System.IO.Path.Combine(RepoRoot, "bin", OperatingSystem.IsWindows() ? "cast2md.exe" : "cast2md");

    /// <summary>The node edition of the published binary (make publish-node): no serve, mcp, import or monitor.</summary>
    public static string PublishedNodeBinary => System.IO.Path.Combine(RepoRoot, "bin-node", OperatingSystem.IsWindows() ? "cast2md.exe" : "cast2md");

    /// <summary>The ffmpeg stand-in built next to the tests.</summary>
    public static string Dummy =>
        System.IO.Path.Combine(
            RepoRoot,
            "tests",
            "Cast2md.Tests.Dummy",
            "bin",
            BuildConfiguration,
            "net10.0",
            OperatingSystem.IsWindows() ? "Cast2md.Tests.Dummy.exe" : "Cast2md.Tests.Dummy"
        );

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}")
            ? "Release"
            : "Debug";

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cast2md.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Cast2md.sln not found above " + AppContext.BaseDirectory);
    }
}

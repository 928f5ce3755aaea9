using CliWrap;
using CliWrap.Buffered;

namespace Cast2md.Tests.Infra;

/// <summary>Runs the published Native-AOT binary (./bin/cast2md) as a real child process.</summary>
public static class Cast2mdBinary
{
    public static string Path
    {
        get
        {
            var path = Paths.PublishedBinary;
            if (!File.Exists(path))
                throw new InvalidOperationException($"{path} is missing: run 'make setup' (it publishes the binary these tests run).");
            return path;
        }
    }

    public static Command Command(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null
    ) =>
        Cli.Wrap(Path)
            .WithArguments(arguments)
            .WithEnvironmentVariables(env =>
            {
                // Keep the developer's own settings out of the tests. Voice-activity detection is on by default; its model
                // comes from ../shared, so no spec downloads it unless it asks to.
                env.Set("WHISPER_MODEL", null)
                    .Set("WHISPER_COMPUTE_TYPE", null)
                    .Set("WHISPER_DEVICE", null)
                    .Set("CAST2MD_FFMPEG", null)
                    .Set("CAST2MD_WHISPER_LIB", null)
                    .Set("WHISPER_CHUNK_SIZE_MINUTES", null)
                    .Set("WHISPER_VAD", null)
                    .Set("WHISPER_VAD_MODEL", Paths.VadModel)
                    .Set("WHISPER_VAD_MIN_SILENCE_MS", null)
                    .Set("WHISPER_VAD_THRESHOLD", null);
                if (environment is not null)
                    env.Set(environment);
            })
            .WithWorkingDirectory(workingDirectory ?? Paths.RepoRoot)
            .WithValidation(CommandResultValidation.None);

    public static Task<BufferedCommandResult> RunAsync(params string[] arguments) => Command(arguments).ExecuteBufferedAsync();

    public static Task<BufferedCommandResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        Command(arguments, environment).ExecuteBufferedAsync();
}

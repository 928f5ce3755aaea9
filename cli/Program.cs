using Cast2md.Cli.Infrastructure;
using ConsoleAppFramework;

// Results go to stdout; everything the framework itself says (usage errors) goes to stderr, and its help waits until
// it is known that the command line named one of our commands (UnknownCommands).
var usageError = false;
ConsoleApp.Log = UnknownCommands.Write;
ConsoleApp.LogError = message =>
{
    usageError = true;
    Console.Error.WriteLine(message);
};
ConsoleApp.Version = Cast2md.Net.Cast2mdHttp.Version; // VERSION, or the tag it was built from (make publish)
if (!Edition.IsFull)
    ConsoleApp.Version += " (node edition)";

// `--version` also names the whisper runtime this binary loads and where from (loading it only for this answer).
if (args is ["--version"])
    ConsoleApp.Version += Environment.NewLine + Cast2md.Whisper.WhisperRuntime.Describe();

// After SIGINT/SIGTERM a command (serve, node start) gets this long to release what it holds before the process is killed.
ConsoleApp.Timeout = TimeSpan.FromSeconds(15);

args = OriginalCommandLine.Translate(args);
if (OriginalSettings.Refusal(args) is { } refusal)
{
    Console.Error.WriteLine($"error: {refusal}");
    return ExitCodes.Usage;
}

// Every command class carries [RegisterCommands], so the framework's generator finds them all; the global options
// come first among the filters so the others see them.
var app = ConsoleApp.Create();
GlobalOptions.Register(app);
app.UseFilter<GlobalOptionsFilter>();
app.UseFilter<CommandErrorFilter>();
await app.RunAsync(args);
if (UnknownCommands.Release(args) is { } unknown)
{
    Console.Error.WriteLine($"error: unknown command '{unknown}'; see cast2md --help");
    return ExitCodes.Usage;
}

// ConsoleAppFramework reports unknown commands and bad option values with exit 1; scripts expect 2.
if (usageError && Environment.ExitCode == ExitCodes.Error)
    Environment.ExitCode = ExitCodes.Usage;
return Environment.ExitCode;

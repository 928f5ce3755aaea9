using Cast2md.Cli.Commands;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.NodeAgent;
using ConsoleAppFramework;

// Results go to stdout; everything the framework itself says (usage errors) goes to stderr.
var usageError = false;
ConsoleApp.LogError = message =>
{
    usageError = true;
    Console.Error.WriteLine(message);
};
ConsoleApp.Version = Cast2md.Net.Cast2mdHttp.Version;   // VERSION, or the tag it was built from (make publish)
if (!Edition.IsFull)
    ConsoleApp.Version += " (node edition)";
// `--version` also names the whisper runtime this binary loads and where from (loading it only for this answer).
if (args is ["--version"])
    ConsoleApp.Version += Environment.NewLine + Cast2md.Whisper.WhisperRuntime.Describe();
// After SIGINT/SIGTERM a command (serve, node start) gets this long to release what it holds before the process is killed.
ConsoleApp.Timeout = TimeSpan.FromSeconds(15);

// ConsoleAppFramework answers an unknown command with the help text and exit 0; a script deserves to know.
string[] commands = ["serve", "init-db", "transcribe", "model", "feed", "episode", "queue", "process", "download", "status", "export", "node", "nodes", "monitor", "mcp", "search", "import"];
if (args.Length > 0 && !args[0].StartsWith('-') && !commands.Contains(args[0]))
{
    Console.Error.WriteLine($"error: unknown command '{args[0]}'; see cast2md --help");
    return ExitCodes.Usage;
}

args = OriginalCommandLine.Translate(args);
if (OriginalSettings.Refusal(args) is { } refusal)
{
    Console.Error.WriteLine($"error: {refusal}");
    return ExitCodes.Usage;
}

var app = ConsoleApp.Create();
app.UseFilter<CommandErrorFilter>();
app.Add<ServeCommand>();
app.Add<InitDbCommand>();
app.Add<TranscribeCommand>();
app.Add<ModelCommands>("model");
app.Add<FeedCommands>("feed");
app.Add<EpisodeCommands>("episode");
app.Add<QueueCommands>("queue");
app.Add<ProcessCommand>();
app.Add<DownloadCommand>();
app.Add<StatusCommand>();
app.Add<ExportCommand>();
app.Add<NodeAgentCommands>("node");
app.Add<NodeAdminCommands>("nodes");
app.Add<MonitorCommand>();
app.Add<McpCommand>();
app.Add<SearchCommands>();
app.Add<ImportCommand>();
await app.RunAsync(args);

// ConsoleAppFramework reports unknown commands and bad option values with exit 1; scripts expect 2.
if (usageError && Environment.ExitCode == ExitCodes.Error)
    Environment.ExitCode = ExitCodes.Usage;
return Environment.ExitCode;

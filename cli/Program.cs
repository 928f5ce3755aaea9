using Cast2md.Cli.Commands;
using Cast2md.Cli.Infrastructure;
using ConsoleAppFramework;

// Results go to stdout; everything the framework itself says (usage errors) goes to stderr.
var usageError = false;
ConsoleApp.LogError = message =>
{
    usageError = true;
    Console.Error.WriteLine(message);
};
ConsoleApp.Version = typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
// After SIGINT/SIGTERM a command gets this long to release what it holds before the process is killed.
ConsoleApp.Timeout = TimeSpan.FromSeconds(15);

var app = ConsoleApp.Create();
app.UseFilter<CommandErrorFilter>();
app.Add<TranscribeCommand>();
app.Add<ModelCommands>("model");
await app.RunAsync(args);

// ConsoleAppFramework reports unknown commands and bad option values with exit 1; scripts expect 2.
if (usageError && Environment.ExitCode == ExitCodes.Error)
    Environment.ExitCode = ExitCodes.Usage;
return Environment.ExitCode;

using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Mcp;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class McpCommand
{
    /// <summary>Run an MCP server on stdin/stdout for Claude Desktop or Claude Code (logs go to stderr).</summary>
    [Command("mcp")]
    public Task<int> RunAsync(CancellationToken cancellationToken = default) =>
        Edition.IsFull ? ServeStdioAsync(cancellationToken) : Task.FromResult(Edition.Missing("mcp"));

    private static async Task<int> ServeStdioAsync(CancellationToken cancellationToken)
    {
        var core = GlobalOptions.OpenCore();
        // An empty builder: no appsettings or command-line configuration to bind, nothing but the MCP server.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        // stdout carries the protocol; every log line goes to stderr.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCast2mdMcp(core, Cast2md.Net.Cast2mdHttp.Version).WithStdioServerTransport();
        using var host = builder.Build();
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) { }
        return ExitCodes.Ok;
    }
}

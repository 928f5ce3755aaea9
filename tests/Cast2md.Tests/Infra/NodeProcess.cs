using System.Collections.Concurrent;
using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;

namespace Cast2md.Tests.Infra;

/// <summary>
/// `cast2md node start` from the published binary as a real child process with its own HOME (so its own
/// ~/.cast2md/node.json and spool), its status endpoint on a free loopback port.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _kill = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly CommandTask<CommandResult> _task;

    private NodeProcess(string home, IReadOnlyDictionary<string, string?> environment)
    {
        Home = home;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _task = Cast2mdBinary.Command(["node", "start", "--no-browser", "--port", "0"], WithHome(home, environment))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                _log.Enqueue(line);
                var at = line.IndexOf("node status on http://", StringComparison.Ordinal);
                if (at >= 0)
                    listening.TrySetResult(line[(at + "node status on ".Length)..].Split(' ')[0]);
            }))
            .ExecuteAsync(_kill.Token);
        Listening = listening.Task;
    }

    private Task<string> Listening { get; }

    public string Home { get; }

    public Uri StatusUrl { get; private set; } = null!;

    public int ProcessId => _task.ProcessId;

    public string Log => string.Join('\n', _log);

    public Task<CommandResult> Exited => _task.Task;

    /// <summary>A fresh HOME with the node registered at <paramref name="server"/> under <paramref name="name"/>.</summary>
    public static async Task<string> RegisterAsync(TempDir dir, Uri server, string name, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var home = dir.Combine("home-" + name);
        Directory.CreateDirectory(home);
        var result = await Cast2mdBinary.Command(["node", "register", "--server", server.ToString().TrimEnd('/'), "--name", name],
                WithHome(home, environment ?? new Dictionary<string, string?>()))
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"node register failed ({result.ExitCode}): {result.StandardError}");
        return home;
    }

    public static async Task<NodeProcess> StartAsync(string home, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var node = new NodeProcess(home, environment ?? new Dictionary<string, string?>());
        try
        {
            node.StatusUrl = new Uri(await node.Listening.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException("the node did not start:\n" + node.Log);
        }
        return node;
    }

    /// <summary>The variables a node process runs with: its HOME, the caller's, and NODE_PERSISTENT unless given.</summary>
    private static Dictionary<string, string?> WithHome(string home, IReadOnlyDictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment) { ["HOME"] = home, ["CAST2MD_NODE_CONFIG"] = null };
        variables.TryAdd("NODE_PERSISTENT", "1");
        variables.TryAdd("NODE_HEARTBEAT_INTERVAL_SECONDS", "1");
        return variables;
    }

    public string SpoolDirectory => Path.Combine(Home, ".cast2md", "spool");

    /// <summary>SIGKILL: no chance to release anything, as in a crash or a pulled plug.</summary>
    public async Task KillHardAsync()
    {
        Signal("KILL");
        try { await _task.Task.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (Exception ex) when (ex is not TimeoutException) { }
    }

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    public void Terminate() => Signal("TERM");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", ProcessId.ToString()]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_task.Task.IsCompleted)
        {
            Terminate();
            try { await _task.Task.WaitAsync(TimeSpan.FromSeconds(15)); }
            catch (Exception) { await _kill.CancelAsync(); }
        }
        _kill.Dispose();
    }
}

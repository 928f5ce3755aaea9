using System.Collections.Concurrent;
using System.Diagnostics;
using CliWrap;

namespace Cast2md.Tests.Infra;

/// <summary>`cast2md serve` from the published binary as a real child process on a free loopback port.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _kill = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly CommandTask<CommandResult> _task;

    private ServeProcess(string dataDirectory, IReadOnlyDictionary<string, string?> environment, string host, int port)
    {
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _task = Cast2mdBinary.Command(["serve", "--host", host, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDirectory], environment)
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                _log.Enqueue(line);
                var at = line.IndexOf("listening on http://", StringComparison.Ordinal);
                if (at >= 0)
                    listening.TrySetResult(line[(at + "listening on ".Length)..].Split(' ')[0]);
            }))
            .ExecuteAsync(_kill.Token);
        Listening = listening.Task;
    }

    private Task<string> Listening { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public int ProcessId => _task.ProcessId;

    public string Log => string.Join('\n', _log);

    public Task<CommandResult> Exited => _task.Task;

    /// <param name="port">0 picks a free port; a fixed one lets a restarted server answer where its nodes expect it.</param>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?>? environment = null, string host = "127.0.0.1", int port = 0)
    {
        var server = new ServeProcess(dataDirectory, environment ?? new Dictionary<string, string?>(), host, port);
        var address = await server.Listening.WaitAsync(TimeSpan.FromSeconds(20));
        server.BaseUrl = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1"));
        return server;
    }

    public HttpClient Client() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A port that is free now (for a server that must come back on the same port after a restart).</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>SIGKILL: no chance to clean up, as in a crash or power cut.</summary>
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
            try { await _task.Task.WaitAsync(TimeSpan.FromSeconds(12)); }
            catch (Exception) { await _kill.CancelAsync(); }
        }
        _kill.Dispose();
    }
}

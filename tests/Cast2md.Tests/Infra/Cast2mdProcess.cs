using System.Collections.Concurrent;
using System.Diagnostics;
using CliWrap;

namespace Cast2md.Tests.Infra;

/// <summary>
/// A long-running published `cast2md` child process (serve, node start): its stderr kept as a log, the address it
/// announces on a line starting with <c>announcement</c> captured, and signals to stop it gently or hard.
/// </summary>
public abstract class Cast2mdProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _kill = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly CommandTask<CommandResult> _task;

    /// <param name="announcement">Text before the URL on the line that says the process is ready ("listening on ").</param>
    protected Cast2mdProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string announcement)
    {
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _task = Cast2mdBinary
            .Command(arguments, environment)
            .WithStandardErrorPipe(
                PipeTarget.ToDelegate(line =>
                {
                    _log.Enqueue(line);
                    var at = line.IndexOf(announcement + "http://", StringComparison.Ordinal);
                    if (at >= 0)
                        announced.TrySetResult(line[(at + announcement.Length)..].Split(' ')[0]);
                })
            )
            .ExecuteAsync(_kill.Token);
        Announced = announced.Task;
    }

    /// <summary>The URL the process announced once ready.</summary>
    protected Task<string> Announced { get; }

    public int ProcessId => _task.ProcessId;

    public string Log => string.Join('\n', _log);

    public Task<CommandResult> Exited => _task.Task;

    /// <summary>SIGKILL: no chance to clean up, as in a crash or a pulled plug.</summary>
    public async Task KillHardAsync()
    {
        Signal("KILL");
        try
        {
            await _task.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
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
            try
            {
                await _task.Task.WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception)
            {
                await _kill.CancelAsync();
            }
        }
        _kill.Dispose();
        GC.SuppressFinalize(this);
    }
}

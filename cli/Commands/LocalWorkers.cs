using Cast2md.Cli.Infrastructure;
using Cast2md.DataFolder;
using Cast2md.Processing;
using Cast2md.Services;

namespace Cast2md.Cli.Commands;

/// <summary>
/// The workers a waiting command runs itself when no `serve` runs on the data folder: a <see cref="WorkerPool"/>
/// in this process until the command has what it waited for. Stopping it releases any job it still holds
/// (including other people's jobs it happened to claim) back to the queue.
/// </summary>
internal sealed class LocalWorkers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggerFactory _loggers;
    private readonly Task _running;

    private LocalWorkers(WorkerPool pool, ILoggerFactory loggers)
    {
        _loggers = loggers;
        _running = pool.RunAsync(_stop.Token);
    }

    /// <summary>Starts workers unless a server is announced for the folder (then it does the work and we only watch).</summary>
    public static LocalWorkers? StartUnlessServerRuns(Cast2mdCore core, bool transcribe)
    {
        if (ServerInstance.TryRead(core.DataDirectory) is { } server)
        {
            Log.Info($"cast2md serve is running on this data folder ({server.Url}, pid {server.ProcessId}); waiting for it to do the work");
            return null;
        }
        var options = new WorkerPoolOptions
        {
            TranscriberExecutable = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown"),
            WorkerPrefix = $"cli-{Environment.ProcessId}",
            Transcribe = transcribe,
            IdlePoll = TimeSpan.FromSeconds(2),
        };
        var loggers = LoggerFactory.Create(builder => builder.AddProvider(new StderrLoggerProvider()).SetMinimumLevel(LogLevel.Information));
        Log.Debug("no server runs on this data folder: running the workers in this process");
        return new LocalWorkers(new WorkerPool(core, options, loggers), loggers);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            // Stays inside ConsoleApp.Timeout (15 s) so a Ctrl+C still releases held jobs before the process is killed.
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            Log.Warn("workers did not stop within 10 s; their jobs return to the queue when their leases expire");
        }
        catch (OperationCanceledException) { }
        _stop.Dispose();
        _loggers.Dispose();
    }

    /// <summary>Worker logs on stderr through <see cref="Log"/>: warnings and errors always, the rest with --verbose.</summary>
    private sealed class StderrLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new StderrLogger();

        public void Dispose() { }

        private sealed class StderrLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(
                LogLevel logLevel,
                EventId eventId,
                TState state,
                Exception? exception,
                Func<TState, Exception?, string> formatter
            )
            {
                var message = formatter(state, exception);
                if (logLevel >= LogLevel.Error)
                    Infrastructure.Log.Error(message);
                else if (logLevel == LogLevel.Warning)
                    Infrastructure.Log.Warn(message);
                else
                    Infrastructure.Log.Debug(message);
            }
        }
    }
}

using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Server;
using Cast2md.DataFolder;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class ServeCommand
{
    /// <summary>Run the server: REST API, feed polling and the local workers, on one SQLite file.</summary>
    /// <param name="host">Address to listen on. Beyond loopback the admin API needs the admin token.</param>
    /// <param name="port">-p, Port (0 picks a free one and prints it).</param>
    /// <param name="registrationToken">Beyond loopback, nodes may register with this token instead of the admin token. Default: $CAST2MD_REGISTRATION_TOKEN.</param>
    [Command("serve")]
    public Task<int> RunAsync(
        string host = "127.0.0.1",
        int port = 8000,
        string? registrationToken = null,
        CancellationToken cancellationToken = default
    ) => Edition.IsFull ? ServeAsync(host, port, registrationToken, cancellationToken) : Task.FromResult(Edition.Missing("serve"));

    private static async Task<int> ServeAsync(string host, int port, string? registrationToken, CancellationToken cancellationToken)
    {
        if (port is < 0 or > 65535)
            throw new UsageException("--port must be between 0 and 65535.");
        var options = new ServerOptions(host, port, GlobalOptions.DataDirectory)
        {
            // Read untrimmed: a variable that is set but blank is refused at start, not taken for "no token".
            RegistrationToken = registrationToken ?? Cast2md.Settings.LocalSettings.Process.GetAsSet(ServerOptions.RegistrationTokenVariable),
        };
        Directory.CreateDirectory(options.DataDirectory);

        // One server per data folder, held by an OS lock for the process's lifetime (released by the kernel even after a
        // kill -9). A second server would requeue and re-claim the first one's running jobs under the same worker ids.
        using var folderLock = CronLock.TryAcquire(options.DataDirectory, "serve");
        if (folderLock is null)
        {
            var running = ServerInstance.TryRead(options.DataDirectory);
            Log.Error(
                $"another cast2md serve is already running on the data folder {options.DataDirectory}"
                    + (running is null ? "" : $" (process {running.ProcessId}, {running.Url})")
                    + $"; stop it first or give this one its own --data-dir (exit {CronLock.BusyExitCode})"
            );
            return CronLock.BusyExitCode;
        }

        await using var app = ServerApp.Build(options);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new Errors.Cast2mdException($"Cannot listen on {host}:{port}: {ex.Message}", ex);
        }

        var services = app.Services.GetRequiredService<ServerServices>();
        var addresses = ServerApp.Addresses(app);
        foreach (var address in addresses)
            Log.Info($"cast2md {services.Version} listening on {address} (data: {options.DataDirectory})");
        ServerInstance.Announce(options.DataDirectory, addresses.FirstOrDefault() ?? $"http://{host}:{port}");
        using var stopWork = new CancellationTokenSource();
        // The workers share the API's core, so a job queued through the API wakes them at once.
        var work = BackgroundWork.StartAsync(services.Core, app.Services.GetRequiredService<ILoggerFactory>(), stopWork.Token);
        services.WorkersRunning = true;
        if (!options.IsLoopbackOnly)
        {
            if (services.AdminToken.WasGenerated)
                Log.Info($"admin token (shown once; kept in {services.AdminToken.FilePath}): {services.AdminToken.Value}");
            else
                Log.Info("admin API requires the admin token (Authorization: Bearer ...)");
        }

        try
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException) { }
        Log.Info("stopping: returning running jobs to the queue");
        await stopWork.CancelAsync();
        services.WorkersRunning = false;
        if (await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(8), CancellationToken.None)) != work)
            Log.Warn("workers did not stop within 8 s; their leases will expire and the jobs will be reclaimed");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await app.StopAsync(deadline.Token);
        ServerInstance.Withdraw(options.DataDirectory);
        Log.Info("stopped");
        return ExitCodes.Ok;
    }
}

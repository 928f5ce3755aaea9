using System.ComponentModel;
using Cast2md.Errors;
using CliWrap;

namespace Cast2md.Media;

/// <summary>
/// One run of ffmpeg (through CliWrap) whose stdout is handed to the caller as a stream to pull from,
/// so nothing is buffered beyond what the caller asks for. Disposing stops a process that is still running.
/// </summary>
internal sealed class FfmpegProcess : IAsyncDisposable
{
    /// <summary>How long a cancelled ffmpeg gets to stop after the interrupt before it is killed.</summary>
    internal static TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(3);

    private readonly TaskCompletionSource<Stream> _stdout = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StandardErrorTail _stderr = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private CommandTask<CommandResult>? _task;

    private FfmpegProcess(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

    /// <summary>Starts the tool; throws <see cref="ExternalToolException"/> when it cannot be started.</summary>
    public static FfmpegProcess Start(string toolPath, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var process = new FfmpegProcess(cancellationToken);
        var command = Cli.Wrap(toolPath)
            .WithArguments(arguments)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.Create(process.HandOverStdoutAsync))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(process._stderr.Add))
            .WithValidation(CommandResultValidation.None);

        try
        {
            process._task = command.ExecuteAsync(process._forceful.Token, process._graceful.Token);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            process.DisposeTokens();
            throw NotFound(toolPath, ex);
        }

        // Graceful first (ffmpeg stops on SIGINT), forceful if it has not stopped after the grace period.
        process._registration = cancellationToken.Register(() =>
        {
            process._graceful.Cancel();
            process._forceful.CancelAfter(GracePeriod);
        });
        return process;
    }

    internal static ExternalToolException NotFound(string toolPath, Exception? inner)
    {
        var tool = Path.GetFileNameWithoutExtension(toolPath) is "ffprobe" ? "ffprobe" : "ffmpeg";
        var variable = tool == "ffprobe" ? FfmpegOptions.FfprobeVariable : FfmpegOptions.FfmpegVariable;
        if (File.Exists(toolPath))
        {
            return new ExternalToolException(
                tool,
                $"{tool} at '{toolPath}' could not be started ({inner?.InnerException?.Message ?? inner?.Message}); check that it is an executable or set {variable}",
                innerException: inner
            );
        }

        return new ExternalToolException(
            tool,
            $"{tool} was not found (looked for '{toolPath}'); install it (Debian/Ubuntu: apt install ffmpeg, macOS: brew install ffmpeg) or set {variable}",
            innerException: inner
        );
    }

    /// <summary>The process id, for status displays.</summary>
    public int ProcessId => _task?.ProcessId ?? 0;

    /// <summary>The last lines written to stderr so far.</summary>
    public StandardErrorTail StandardError => _stderr;

    /// <summary>ffmpeg's stdout; read it to the end (or dispose) or the process cannot finish.</summary>
    public async Task<Stream> GetOutputAsync()
    {
        await Task.WhenAny(_stdout.Task, _task!.Task).ConfigureAwait(false);
        if (_stdout.Task.IsCompleted)
            return await _stdout.Task.ConfigureAwait(false);

        await _task.Task.ConfigureAwait(false); // surfaces the failure
        return Stream.Null;
    }

    /// <summary>After stdout reached its end: waits for the exit and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        _stdoutReleased.TrySetResult();
        var result = await _task!.ConfigureAwait(false);
        return result.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await _registration.DisposeAsync().ConfigureAwait(false);
        if (_task is { Task.IsCompleted: false })
        {
            // Abandoned early (the caller stopped reading) or cancelled: nobody needs more output.
            // A cancelled run was already interrupted and gets its grace period; otherwise kill now.
            if (!_cancellationToken.IsCancellationRequested)
                _forceful.Cancel();
            _stdoutReleased.TrySetResult();
            try
            {
                await _task.ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
            catch (IOException) { }
        }

        DisposeTokens();
    }

    private async Task HandOverStdoutAsync(Stream stdout, CancellationToken cancellationToken)
    {
        _stdout.TrySetResult(stdout);
        // CliWrap closes stdout once this returns, so hold it open until the reader is done with it.
        await _stdoutReleased.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void DisposeTokens()
    {
        _forceful.Dispose();
        _graceful.Dispose();
    }
}

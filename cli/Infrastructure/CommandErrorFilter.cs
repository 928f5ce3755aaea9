using Cast2md.Errors;
using ConsoleAppFramework;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// Turns what escapes a command into an exit code: a <see cref="Cast2mdException"/> is the user's to fix
/// (one line, exit 1), cancellation is an interrupt (exit 130), anything else is a bug (full trace, exit 1). With a
/// filter in place ConsoleAppFramework cancels the token it hands to every filter and command on SIGINT/SIGTERM, so
/// that token alone tells an interrupt from a cancellation of the command's own making.
/// </summary>
internal sealed class CommandErrorFilter(ConsoleAppFilter next) : ConsoleAppFilter(next)
{
    public override async Task InvokeAsync(ConsoleAppContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Next.InvokeAsync(context, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Error("interrupted");
            Environment.ExitCode = ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is UsageException or ArgumentParseFailedException or System.ComponentModel.DataAnnotations.ValidationException)
        {
            Log.Failure(ex.Message, "usage");
            Environment.ExitCode = ExitCodes.Usage;
        }
        catch (Cast2mdException ex)
        {
            Log.Failure(
                ex.Message,
                ex switch
                {
                    Media.AudioDecodeException => "audio",
                    Whisper.WhisperModelLoadException or Models.ModelException => "model",
                    ExternalToolException => "tool",
                    _ => "error",
                }
            );
            Environment.ExitCode = ExitCodes.Error;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Error("unexpected error (please report it): " + ex);
            Environment.ExitCode = ExitCodes.Error;
        }
    }
}

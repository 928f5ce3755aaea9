using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// The options every command takes, parsed once by ConsoleAppFramework wherever they stand after the command's name
/// and listed in every command's --help: <c>--data-dir</c> (the server's data folder, for the commands that read it)
/// and <c>-v|--verbose</c> (debug lines on stderr: what the workers do, whisper.cpp's own log). A process runs one
/// command, so the values are kept for it in <see cref="Current"/> by <see cref="GlobalOptionsFilter"/> before the
/// command starts.
/// </summary>
internal sealed record GlobalOptions(string? DataDir, bool Verbose)
{
    /// <summary>The running command's options; the defaults until a command has been routed.</summary>
    public static GlobalOptions Current { get; private set; } = new(null, false);

    /// <summary>Whether the command line named a command that ran (false for help, version and unknown commands).</summary>
    public static bool Routed { get; private set; }

    /// <summary>The data folder: --data-dir, else $CAST2MD_DATA_DIR, else ~/.cast2md/data.</summary>
    public static string DataDirectory => Cast2md.DataFolder.DataDirectory.Resolve(Current.DataDir);

    /// <summary>The library on that data folder.</summary>
    public static Cast2mdCore OpenCore() => Cast2mdCore.Open(Current.DataDir);

    public static void Register(ConsoleApp.ConsoleAppBuilder app) =>
        app.ConfigureGlobalOptions(
            (ref ConsoleApp.GlobalOptionsBuilder builder) =>
                new GlobalOptions(
                    builder.AddGlobalOption<string?>("--data-dir", "Data folder. Default: $CAST2MD_DATA_DIR, else ~/.cast2md/data.", null),
                    builder.AddGlobalOption<bool>("-v|--verbose", "Also log debug lines on stderr (what the workers do, whisper.cpp's own log).")
                )
        );

    internal static void Enter(object? parsed)
    {
        Current = parsed as GlobalOptions ?? Current;
        Routed = true;
        Log.IsVerbose = Current.Verbose;
    }
}

/// <summary>Hands the parsed global options to the command about to run (the first filter, so every other one sees them).</summary>
internal sealed class GlobalOptionsFilter(ConsoleAppFilter next) : ConsoleAppFilter(next)
{
    public override Task InvokeAsync(ConsoleAppContext context, CancellationToken cancellationToken)
    {
        GlobalOptions.Enter(context.GlobalOptions);
        return Next.InvokeAsync(context, cancellationToken);
    }
}

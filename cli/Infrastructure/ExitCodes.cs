namespace Cast2md.Cli.Infrastructure;

/// <summary>What the process exit code means; scripts, cron and systemd rely on these.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;

    /// <summary>128 + SIGINT, as shells report an interrupted program.</summary>
    public const int Interrupted = 130;
}

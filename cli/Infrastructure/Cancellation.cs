namespace Cast2md.Cli.Infrastructure;

/// <summary>Remembers whether SIGINT/SIGTERM arrived, so a cancellation surfacing as an exception maps to exit 130.</summary>
internal static class Cancellation
{
    private static volatile bool _wasInterrupted;

    public static bool WasInterrupted => _wasInterrupted;

    public static CancellationToken Watch(CancellationToken token)
    {
        token.Register(() => _wasInterrupted = true);
        return token;
    }
}

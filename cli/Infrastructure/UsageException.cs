using Cast2md.Errors;

namespace Cast2md.Cli.Infrastructure;

/// <summary>The command line itself is wrong (bad option value, conflicting options): exit 2.</summary>
internal sealed class UsageException(string message) : Cast2mdException(message);

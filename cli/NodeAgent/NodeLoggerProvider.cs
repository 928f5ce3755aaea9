using Cast2md.Cli.Infrastructure;

namespace Cast2md.Cli.NodeAgent;

/// <summary>The node runtime's log on stderr through <see cref="Log"/>: information and up always, debug with --verbose.</summary>
internal sealed class NodeLoggerProvider : ILoggerProvider
{
    public static ILoggerFactory CreateFactory() =>
        LoggerFactory.Create(builder => builder.AddProvider(new NodeLoggerProvider()).SetMinimumLevel(LogLevel.Debug));

    public ILogger CreateLogger(string categoryName) => new StderrLogger();

    public void Dispose() { }

    private sealed class StderrLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information || Infrastructure.Log.IsVerbose;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = $"{DateTime.Now:HH:mm:ss} {formatter(state, exception)}";
            switch (logLevel)
            {
                case >= LogLevel.Error:
                    Infrastructure.Log.Error(message);
                    break;
                case LogLevel.Warning:
                    Infrastructure.Log.Warn(message);
                    break;
                case LogLevel.Information:
                    Infrastructure.Log.Info(message);
                    break;
                default:
                    Infrastructure.Log.Debug(message);
                    break;
            }
        }
    }
}

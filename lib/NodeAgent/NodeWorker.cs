using Cast2md.Api;
using Cast2md.Net;
using Cast2md.Transcription;
using Microsoft.Extensions.Logging;

namespace Cast2md.NodeAgent;

/// <summary>Everything a <see cref="NodeWorker"/> needs from outside: credentials, options, the transcriber and where files go.</summary>
public sealed record NodeWorkerSetup(NodeConfig Config, string ConfigPath, NodeOptions Options, string TranscriberExecutable)
{
    public string WorkDirectory { get; init; } = NodePaths.Work;
    public string SpoolDirectory { get; init; } = NodePaths.Spool;
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Extra arguments for every child transcription (WHISPER_THREADS becomes --threads).</summary>
    public IReadOnlyList<string> TranscriberArguments { get; init; } = [];

    /// <summary>How long a node whose setup failed (model, ffmpeg, library) waits before it tries one job again.</summary>
    public TimeSpan ProblemRetry { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// <c>cast2md node start</c>: heartbeats, claims (long-poll or plain polling), downloads with resume and checksum,
/// prefetches one job ahead, transcribes each job in a child process, spools and uploads results, releases every held
/// job when it stops, and ends itself by the auto-termination rules. Logs <c>claimed job N</c>, <c>completed job N</c>,
/// <c>failed job N</c>, <c>released job N</c>, <c>lost job N</c> (stderr), which end-to-end tests wait for.
/// </summary>
public sealed partial class NodeWorker : IDisposable
{
    private readonly NodeWorkerSetup _setup;
    private readonly NodeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly NodeClient _client;
    private readonly AudioFetcher _fetcher;
    private readonly TranscriberProcess _transcriber;
    private readonly ResultSpool _spool;
    private readonly ResultUploader _uploader;
    private readonly AutoTermination _auto;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<long, HeldJob> _held = [];
    private readonly DateTimeOffset _startedAt;
    private HeldJob? _current;
    private HeldJob? _prefetched;
    private NodeExitReason? _exit;
    private string _state = "starting";
    private int _completed;
    private int _failed;
    private DateTimeOffset? _lastHeartbeatAt;
    private volatile bool _serverReachable;

    public NodeWorker(NodeWorkerSetup setup, ILogger logger, HttpClient? http = null)
    {
        _ownsHttp = http is null;
        _setup = setup;
        _options = setup.Options;
        _logger = logger;
        _time = setup.Time;
        _startedAt = _time.GetUtcNow();
        _http = http ?? NodeClient.CreateHttpClient();
        _auto = new AutoTermination(_options, _time);
        _client = new NodeClient(_http, setup.Config, () =>
        {
            _serverReachable = true;
            _auto.ServerReached();
        });
        _fetcher = new AudioFetcher(_http, _client, setup.WorkDirectory);
        _transcriber = new TranscriberProcess(setup.TranscriberExecutable, logger);
        _spool = new ResultSpool(setup.SpoolDirectory, logger);
        _uploader = new ResultUploader(_client, _spool, logger, _time);
        _uploader.Unauthorized += () => Terminate(NodeExitReason.Unregistered);
    }

    public NodeConfig Config => _setup.Config;

    /// <summary>The URL the status endpoint really answers on (sent with every heartbeat); set once it is bound.</summary>
    public string? StatusUrl { get; set; }

    /// <summary>Runs until <paramref name="cancellationToken"/> (SIGINT/SIGTERM) or an auto-termination rule; returns why it ended.</summary>
    public async Task<NodeExitReason> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var link = cancellationToken.Register(() => _stop.Cancel());
        var stop = _stop.Token;
        if (_options.Whisper.Notice is { } notice)
            _logger.LogInformation("{Notice}", notice);
        _logger.LogInformation(
            "node {Name} ({NodeId}) working for {Server}: {Mode}",
            Config.Name,
            Config.NodeId,
            Config.ServerUrl,
            _options.LongPoll
                ? $"long-poll claims (up to {_options.ClaimWait.TotalSeconds:0} s)"
                : $"polling every {_options.PollInterval.TotalSeconds:0.##} s"
        );
        if (_options.Persistent)
            _logger.LogInformation("NODE_PERSISTENT: auto-termination is off");

        var heartbeats = Task.Run(() => HeartbeatLoopAsync(stop), CancellationToken.None);
        Task uploads = Task.CompletedTask;
        NodeExitReason reason;
        try
        {
            await _uploader.ResendSpooledAsync(stop).ConfigureAwait(false);
            uploads = Task.Run(() => _uploader.RunAsync(stop), CancellationToken.None);
            reason = await WorkLoopAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            reason = _exit ?? NodeExitReason.Stopped;
        }
        _state = "stopping";
        if (reason != NodeExitReason.Stopped)
            _logger.LogWarning("{Reason}", _auto.Explain(reason));
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_prefetchTask is { } prefetching)
            await Task.WhenAny(Quietly(prefetching), Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None)).ConfigureAwait(false);
        await ReleaseAllAsync().ConfigureAwait(false);
        await Quietly(heartbeats).ConfigureAwait(false);
        await Quietly(uploads).ConfigureAwait(false);
        var left = _spool.ReadFor(Config).Count;
        if (left > 0)
            _logger.LogWarning("{Count} result(s) wait in {Spool}; they are uploaded when the node starts again", left, _spool.Directory);
        return reason;
    }

    /// <summary>Ends the run (auto-termination, 401) as a signal would, recording why.</summary>
    private void Terminate(NodeExitReason reason)
    {
        lock (_gate)
            _exit ??= reason;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException) { }
    }

    private bool HoldsJobs
    {
        get
        {
            lock (_gate)
                return _held.Count > 0;
        }
    }

    /// <summary>What GET /status shows.</summary>
    public NodeStatusResponse Snapshot()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var whisper = _options.Whisper;
            // Before its audio is in, the job being worked on is the held one that is not the prefetched one.
            var current = _current ?? _held.Values.FirstOrDefault(j => j != _prefetched);
            return new NodeStatusResponse(
                Config.NodeId,
                CurrentName(),
                Config.ServerUrl,
                _state == "stopping" ? _state
                    : current is not null ? "working"
                    : _state,
                current?.ToStatus(),
                _prefetched?.ToStatus(),
                _completed,
                _failed,
                _auto.ConsecutiveFailures,
                _lastHeartbeatAt?.UtcDateTime,
                _serverReachable,
                _spool.Count,
                new NodeWhisperStatus(whisper.Backend, NodeWhisperOptions.Engine, whisper.Model, whisper.Device, whisper.ComputeType),
                new NodeAutoTerminationStatus(
                    _options.Persistent,
                    _options.RequiredEmptyChecks,
                    _options.EmptyQueueWait.TotalSeconds,
                    _options.IdleTimeout.TotalMinutes,
                    _options.ServerUnreachableTimeout.TotalMinutes,
                    _options.MaxConsecutiveFailures
                ),
                Cast2mdHttp.Version,
                _startedAt.UtcDateTime,
                Math.Round((now - _startedAt).TotalSeconds, 1),
                StatusUrl
            );
        }
    }

    /// <summary>The name in node.json now (re-read, so a rename reaches the server with the next heartbeat).</summary>
    private string CurrentName()
    {
        try
        {
            return NodeConfig.Load(_setup.ConfigPath)?.Name is { Length: > 0 } name ? name : Config.Name;
        }
        catch (Errors.Cast2mdException)
        {
            return Config.Name;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (ApiCallException) { }
        catch (AudioFetchException) { }
    }

    public void Dispose()
    {
        _stop.Dispose();
        if (_ownsHttp)
            _http.Dispose();
    }
}

using Cast2md.Models;

namespace Cast2md.Settings;

/// <summary>Every setting cast2md reads, with the original's names and defaults (except where noted).</summary>
public static class SettingDefinitions
{
    public const string WhisperModel = "WHISPER_MODEL";
    public const string WhisperDevice = "WHISPER_DEVICE";
    public const string WhisperComputeType = "WHISPER_COMPUTE_TYPE";
    public const string WhisperBackend = "WHISPER_BACKEND";
    public const string WhisperChunkSizeMinutes = "WHISPER_CHUNK_SIZE_MINUTES";
    public const string WhisperParallel = "WHISPER_PARALLEL";
    public const string WhisperVad = "WHISPER_VAD";
    public const string WhisperVadModel = "WHISPER_VAD_MODEL";
    public const string WhisperVadMinSilenceMs = "WHISPER_VAD_MIN_SILENCE_MS";
    public const string WhisperVadThreshold = "WHISPER_VAD_THRESHOLD";
    public const string MaxConcurrentDownloads = "MAX_CONCURRENT_DOWNLOADS";
    public const string MaxTranscriptDownloadWorkers = "MAX_TRANSCRIPT_DOWNLOAD_WORKERS";
    public const string MaxRetryAttempts = "MAX_RETRY_ATTEMPTS";
    public const string RequestTimeout = "REQUEST_TIMEOUT";
    public const string StuckThresholdMinutes = "STUCK_THRESHOLD_MINUTES";
    public const string TranscriptUnavailableAgeDays = "TRANSCRIPT_UNAVAILABLE_AGE_DAYS";
    public const string TranscriptRetryDays = "TRANSCRIPT_RETRY_DAYS";
    public const string UserAgent = "USER_AGENT";
    public const string FeedPollIntervalMinutes = "FEED_POLL_INTERVAL_MINUTES";
    public const string AutoTranscribe = "AUTO_TRANSCRIBE";
    public const string MaxAudioMb = "MAX_AUDIO_MB";
    public const string MaxFeedMb = "MAX_FEED_MB";
    public const string FeedMaxPages = "FEED_MAX_PAGES";
    public const string DistributedTranscriptionEnabled = "DISTRIBUTED_TRANSCRIPTION_ENABLED";
    public const string NodeHeartbeatTimeoutSeconds = "NODE_HEARTBEAT_TIMEOUT_SECONDS";
    public const string RemoteJobTimeoutMinutes = "REMOTE_JOB_TIMEOUT_MINUTES";
    public const string LocalTranscriptionEnabled = "LOCAL_TRANSCRIPTION_ENABLED";
    public const string SplitMinMinutes = "SPLIT_MIN_MINUTES";
    public const string NtfyEnabled = "NTFY_ENABLED";
    public const string NtfyUrl = "NTFY_URL";
    public const string NtfyTopic = "NTFY_TOPIC";
    public const string WebhookUrl = "WEBHOOK_URL";
    public const string AllowedHosts = "ALLOWED_HOSTS";
    public const string AllowPrivateFeeds = "ALLOW_PRIVATE_FEEDS";
    public const string AdminToken = "CAST2MD_ADMIN_TOKEN";
    public const string BuildVersion = "CAST2MD_BUILD_VERSION";

    // Read through LocalSettings only (the environment and .env files), never stored in the database, so not in All:
    // a node's own settings and what a command reads on the machine it runs on.
    public const string NodePort = "NODE_PORT";
    public const string NodeHeartbeatIntervalSeconds = "NODE_HEARTBEAT_INTERVAL_SECONDS";
    public const string NodeLongPoll = "NODE_LONG_POLL";
    public const string NodePollIntervalSeconds = "NODE_POLL_INTERVAL_SECONDS";
    public const string NodePersistent = "NODE_PERSISTENT";
    public const string NodeRequiredEmptyChecks = "NODE_REQUIRED_EMPTY_CHECKS";
    public const string NodeEmptyQueueWait = "NODE_EMPTY_QUEUE_WAIT";
    public const string NodeIdleTimeoutMinutes = "NODE_IDLE_TIMEOUT_MINUTES";
    public const string NodeServerUnreachableMinutes = "NODE_SERVER_UNREACHABLE_MINUTES";
    public const string NodeMaxConsecutiveFailures = "NODE_MAX_CONSECUTIVE_FAILURES";
    public const string WhisperThreads = "WHISPER_THREADS";
    public const string RegistrationToken = "CAST2MD_REGISTRATION_TOKEN";
    public const string DataDirectory = "CAST2MD_DATA_DIR";
    public const string NodeConfigPath = "CAST2MD_NODE_CONFIG";
    public const string ModelsDirectory = ModelSettings.ModelsDirectoryVariable;
    public const string ModelBaseUrl = ModelSettings.BaseUrlVariable;
    public const string Ffmpeg = Media.FfmpegOptions.FfmpegVariable;
    public const string Ffprobe = Media.FfmpegOptions.FfprobeVariable;
    public const string WhisperLibrary = "CAST2MD_WHISPER_LIB";
    public const string AsciiGlyphs = "CAST2MD_ASCII";

    /// <summary>"cast2md/{version} (Podcast Transcription Service)", as the original.</summary>
    public static string DefaultUserAgent => Cast2md.Net.Cast2mdHttp.DefaultUserAgent;

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        // Transcription
        new(
            WhisperModel,
            SettingType.String,
            "large-v3-turbo",
            "Whisper model",
            "Model used to transcribe audio: tiny, base, small, medium, large-v3, large-v3-turbo (with .en variants), or the path of a ggml .bin file. Larger models are more accurate and slower; missing models are downloaded on first use."
        )
        {
            AllowEmpty = false,
        },
        new(
            WhisperDevice,
            SettingType.Choice,
            "auto",
            "Device",
            "Where transcription runs: auto uses the GPU when this build supports one (CUDA or Metal) and the CPU otherwise."
        )
        {
            Options = ["auto", "cpu", "cuda", "metal"],
        },
        new(
            WhisperComputeType,
            SettingType.Choice,
            "int8",
            "Compute type",
            "Precision of the model file: int8 (8-bit quantised, smaller and faster, the default), float16 (full precision), or q5_0/q5_1 (5-bit, smallest)."
        )
        {
            Options = ModelCatalog.ComputeTypes,
        },
        new(
            WhisperBackend,
            SettingType.Choice,
            "auto",
            "Transcription backend",
            "Kept for compatibility with the original's configuration files: this version always transcribes with whisper.cpp, so every choice behaves like auto."
        )
        {
            Options = ["auto", "faster-whisper", "mlx", "whisper.cpp"],
        },
        new(
            WhisperChunkSizeMinutes,
            SettingType.Double,
            "30",
            "Chunk length",
            "Long episodes are transcribed in pieces of at most this many minutes, cut in a quiet moment, so memory use stays bounded."
        )
        {
            Min = 1,
            Max = 240,
            Unit = "minutes",
        },
        new(
            WhisperParallel,
            SettingType.Choice,
            "auto",
            "Parallel decoding",
            "How many whisper states decode one transcription at the same time, sharing its threads: auto (one per thread on a CPU as far as memory allows, one on a GPU) or a number. Parts are cut only in silence, so the words are the same; several states finish sooner because whisper's decoder uses extra threads poorly."
        )
        {
            Options = ["auto", .. Enumerable.Range(1, 16).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        },
        new(
            WhisperVad,
            SettingType.Bool,
            "true",
            "Skip non-speech",
            "Voice-activity detection (Silero, as the original's faster-whisper filter): only the stretches where someone speaks are transcribed, so music, silence and noise cost no time and produce no invented text. Turn it off to transcribe all audio that is not silent."
        ),
        new(
            WhisperVadModel,
            SettingType.String,
            ModelCatalog.DefaultVoiceActivityModel,
            "Voice-activity model",
            "The model that finds speech: silero-v6.2.0 (downloaded on first use, under 1 MB) or the path of a Silero ggml .bin file. When it is missing and cannot be downloaded, transcription runs without voice-activity detection and says so."
        )
        {
            AllowEmpty = false,
        },
        new(
            WhisperVadMinSilenceMs,
            SettingType.Int,
            "500",
            "Shortest pause",
            "Pauses shorter than this stay inside one stretch of speech; longer ones (and whatever fills them) are cut out before transcription."
        )
        {
            Min = 0,
            Max = 10000,
            Unit = "ms",
        },
        new(
            WhisperVadThreshold,
            SettingType.Double,
            "0.5",
            "Speech threshold",
            "How sure the voice-activity model must be that a moment is speech (0.01-0.99): lower keeps more doubtful audio, higher skips more."
        )
        {
            Min = 0.01,
            Max = 0.99,
        },
        // Downloads and the queue
        new(MaxConcurrentDownloads, SettingType.Int, "2", "Parallel audio downloads", "How many episode audio files are downloaded at the same time.")
        {
            Min = 1,
            Max = 16,
            RequiresRestart = true,
        },
        new(
            MaxTranscriptDownloadWorkers,
            SettingType.Int,
            "4",
            "Parallel transcript downloads",
            "How many publisher-provided transcripts are fetched at the same time."
        )
        {
            Min = 1,
            Max = 32,
            RequiresRestart = true,
        },
        new(
            MaxRetryAttempts,
            SettingType.Int,
            "5",
            "Attempts per job",
            "How many times a download or transcription job is tried before it is marked failed for good; retries wait longer after each failure. (Unlike the original, where this setting was defined but unused, the job queue really applies it.)"
        )
        {
            Min = 1,
            Max = 20,
        },
        new(
            RequestTimeout,
            SettingType.Int,
            "30",
            "Request timeout",
            "Seconds to wait for a feed, transcript or other web request to answer (for audio downloads: to connect)."
        )
        {
            Min = 1,
            Max = 600,
            Unit = "seconds",
            RequiresRestart = true,
        },
        new(
            StuckThresholdMinutes,
            SettingType.Int,
            "30",
            "Stuck after",
            "A running job without progress for this many minutes is shown as stuck and can be reset."
        )
        {
            Min = 1,
            Max = 1440,
            Unit = "minutes",
        },
        new(MaxAudioMb, SettingType.Int, "500", "Largest audio file", "Audio downloads larger than this many megabytes are refused.")
        {
            Min = 1,
            Max = 20000,
            Unit = "MB",
        },
        new(MaxFeedMb, SettingType.Int, "32", "Largest feed", "RSS feeds larger than this many megabytes are refused.")
        {
            Min = 1,
            Max = 1024,
            Unit = "MB",
        },
        // Feeds and publisher transcripts
        new(FeedPollIntervalMinutes, SettingType.Int, "60", "Feed check interval", "How often every feed is checked for new episodes.")
        {
            Min = 1,
            Max = 10080,
            Unit = "minutes",
        },
        new(
            FeedMaxPages,
            SettingType.Int,
            "50",
            "Pages per feed",
            "A paged feed (one whose page links the next with rel=\"next\", as large archives do) is read up to this many pages, at subscription and whenever its first page changes."
        )
        {
            Min = 1,
            Max = 1000,
        },
        new(
            AutoTranscribe,
            SettingType.Bool,
            "false",
            "Transcribe new episodes automatically",
            "When on, new episodes found by a feed check are queued for a transcript right away; when off, you choose which episodes to transcribe."
        ),
        new(
            TranscriptUnavailableAgeDays,
            SettingType.Int,
            "14",
            "Give up on publisher transcripts after",
            "Episodes older than this many days whose feed offers no transcript go straight to audio transcription instead of waiting for one to appear."
        )
        {
            Min = 0,
            Max = 3650,
            Unit = "days",
        },
        new(
            TranscriptRetryDays,
            SettingType.Int,
            "14",
            "Retry publisher transcripts for",
            "For this many days after publication, a transcript the publisher has not provided yet is looked for again."
        )
        {
            Min = 0,
            Max = 3650,
            Unit = "days",
        },
        new(UserAgent, SettingType.String, DefaultUserAgent, "User agent", "How cast2md identifies itself to podcast hosts and other web servers.")
        {
            AllowEmpty = false,
        },
        // Distributed transcription
        new(
            DistributedTranscriptionEnabled,
            SettingType.Bool,
            "false",
            "Distributed transcription",
            "Let registered transcriber nodes (other machines) take transcription jobs from this server. Takes effect at once: when off, nodes get no jobs and no new node can register."
        ),
        new(
            NodeHeartbeatTimeoutSeconds,
            SettingType.Int,
            "60",
            "Node offline after",
            "A transcriber node that has not reported for this many seconds is shown as offline."
        )
        {
            Min = 1,
            Max = 3600,
            Unit = "seconds",
        },
        new(
            RemoteJobTimeoutMinutes,
            SettingType.Double,
            "30",
            "Node job timeout",
            "A job whose node has given no sign of life (heartbeat or progress) for this many minutes is taken back and queued again. A node that keeps reporting keeps its job however long it takes."
        )
        {
            Min = 0.05,
            Max = 1440,
            Unit = "minutes",
        },
        new(
            SplitMinMinutes,
            SettingType.Double,
            "60",
            "Split long episodes",
            "An episode longer than this many minutes is split at quiet moments into spans transcribed at the same time by the idle workers (nodes that take spans and the server's own), then stitched into one transcript; only when more than one worker is idle. Nodes too old to take spans get whole episodes."
        )
        {
            Min = 0.05,
            Max = 10000,
            Unit = "minutes",
        },
        new(
            LocalTranscriptionEnabled,
            SettingType.Bool,
            "true",
            "Transcribe on the server too",
            "The server's own transcription worker takes jobs alongside the nodes (the original's stood aside whenever a node existed). Turn it off on a small server that should only download and hand out work."
        )
        {
            RequiresRestart = true,
        },
        // Notifications (kept for compatibility with the original's configuration)
        new(
            NtfyEnabled,
            SettingType.Bool,
            "false",
            "ntfy notifications",
            "Send a notification through ntfy when a transcript is ready (on this server or a node), a transcription or download failed for good, or a node went offline."
        ),
        new(NtfyUrl, SettingType.String, "https://ntfy.sh", "ntfy server", "Address of the ntfy server notifications are sent to.")
        {
            IsUrl = true,
            AllowEmpty = false,
        },
        new(NtfyTopic, SettingType.String, "", "ntfy topic", "The ntfy topic notifications are published to; anyone who knows it can read them."),
        new(
            WebhookUrl,
            SettingType.String,
            "",
            "Webhook",
            "An http(s) address that gets a JSON POST for every notification (transcript ready, transcription or download failed for good, a node went offline). Empty sends none."
        )
        {
            IsUrl = true,
        },
        // Set outside the settings screen
        new(
            AllowedHosts,
            SettingType.String,
            "",
            "Allowed host names",
            "Extra names the server answers to, separated by ';' or ',' (the Host header of every request must be one of them, localhost, this machine's name or an IP address): the name a reverse proxy or other machines use to reach it. '*.example.com' allows the sub-domains; '*' turns the check off."
        )
        {
            IsConfigurable = false,
            RequiresRestart = true,
        },
        new(
            AllowPrivateFeeds,
            SettingType.Bool,
            "true",
            "Fetch from private networks",
            "Whether feeds, audio and publisher transcripts may be fetched from loopback and private-network addresses (a home server's feeds may live on the LAN). Link-local and cloud metadata addresses are never fetched."
        )
        {
            IsConfigurable = false,
            RequiresRestart = true,
        },
        new(
            AdminToken,
            SettingType.String,
            "",
            "Admin token",
            "Bearer token required for administrative API calls. Set it in the environment or a .env file; it is never stored in the database or shown."
        )
        {
            IsSecret = true,
            IsConfigurable = false,
            RequiresRestart = true,
        },
        new(
            BuildVersion,
            SettingType.String,
            "dev",
            "Build version",
            "Version label reported by the health endpoint; set by the build or the container image."
        )
        {
            IsConfigurable = false,
            RequiresRestart = true,
        },
    ];

    private static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The definition named <paramref name="key"/> (ignoring case), or null.</summary>
    public static SettingDefinition? Find(string key) => key is not null && ByKey.TryGetValue(key.Trim(), out var definition) ? definition : null;
}

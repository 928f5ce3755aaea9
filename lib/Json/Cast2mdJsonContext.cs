using System.Text.Json.Serialization;
using Cast2md.Api;
using Cast2md.Transcription;
using Cast2md.Transcripts;

namespace Cast2md.Json;

/// <summary>
/// The project's one source-generated JSON context (Native AOT: no reflection-based serialisation).
/// Every DTO is listed here; names are snake_case. Add further <c>[JsonSerializable]</c> lines for new DTOs.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TranscriptJsonDocument))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(LogEvent))]
[JsonSerializable(typeof(ProgressEvent))]
[JsonSerializable(typeof(LanguageEvent))]
[JsonSerializable(typeof(DoneEvent))]
[JsonSerializable(typeof(DownloadEvent))]
[JsonSerializable(typeof(CliFeed))]
[JsonSerializable(typeof(CliFeedList))]
[JsonSerializable(typeof(CliFeedAdded))]
[JsonSerializable(typeof(CliFeedDetail))]
[JsonSerializable(typeof(CliFeedRefreshList))]
[JsonSerializable(typeof(CliFeedDeleted))]
[JsonSerializable(typeof(CliEpisodeList))]
[JsonSerializable(typeof(CliEpisodeDetail))]
[JsonSerializable(typeof(CliJob))]
[JsonSerializable(typeof(CliJobList))]
[JsonSerializable(typeof(CliJobHistory))]
[JsonSerializable(typeof(CliQueueStatus))]
[JsonSerializable(typeof(CliStatus))]
[JsonSerializable(typeof(CliProcessResult))]
[JsonSerializable(typeof(CliExportResult))]
[JsonSerializable(typeof(CliWaitEvent))]
[JsonSerializable(typeof(ErrorEvent))]
public partial class Cast2mdJsonContext : JsonSerializerContext;

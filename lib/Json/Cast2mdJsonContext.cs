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
[JsonSerializable(typeof(FeedResponse))]
[JsonSerializable(typeof(FeedListResponse))]
[JsonSerializable(typeof(FeedCreateRequest))]
[JsonSerializable(typeof(FeedUpdateRequest))]
[JsonSerializable(typeof(FeedRefreshResponse))]
[JsonSerializable(typeof(EpisodeResponse))]
[JsonSerializable(typeof(EpisodeListResponse))]
[JsonSerializable(typeof(RecentEpisodesResponse))]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(JobDetailResponse))]
[JsonSerializable(typeof(JobHistoryResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(QueueJobResponse))]
[JsonSerializable(typeof(PriorityRequest))]
[JsonSerializable(typeof(BatchEpisodesRequest))]
[JsonSerializable(typeof(BatchQueueResponse))]
[JsonSerializable(typeof(BatchCancelResponse))]
[JsonSerializable(typeof(BatchRangeRequest))]
[JsonSerializable(typeof(RetranscribeInfoResponse))]
[JsonSerializable(typeof(ResetStuckResponse))]
[JsonSerializable(typeof(DeleteCompletedResponse))]
[JsonSerializable(typeof(TranscriptSectionResponse))]
[JsonSerializable(typeof(QueueStatusResponse))]
[JsonSerializable(typeof(QueueStatsResponse))]
[JsonSerializable(typeof(StuckJobsResponse))]
[JsonSerializable(typeof(QueueJobsResponse))]
[JsonSerializable(typeof(SettingsResponse))]
[JsonSerializable(typeof(SettingsUpdateRequest))]
[JsonSerializable(typeof(SettingsUpdateResponse))]
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

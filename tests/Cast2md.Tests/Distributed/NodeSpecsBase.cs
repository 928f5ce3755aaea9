using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Settings;
using Cast2md.Tests.Api;

namespace Cast2md.Tests.Distributed;

/// <summary>Seeding shared by the node specs: a server with distributed transcription on and episodes ready to transcribe.</summary>
internal static class NodeSpecs
{
    public static async Task<ApiServer> StartAsync(string host = "127.0.0.1", string? registrationToken = null, double remoteJobTimeoutMinutes = 30)
    {
        var server = await ApiServer.StartAsync(host, registrationToken);
        server.Core.Settings.Update(
            new Dictionary<string, string>
            {
                [SettingDefinitions.DistributedTranscriptionEnabled] = "true",
                [SettingDefinitions.RemoteJobTimeoutMinutes] = remoteJobTimeoutMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        );
        return server;
    }

    /// <summary>An episode with (fake) downloaded audio and a queued transcription job.</summary>
    public static (Episode Episode, Job Job) QueueTranscription(this ApiServer server, string title = "Episode One", string? model = null)
    {
        var feed = server.Core.Feeds.List().FirstOrDefault() ?? server.AddFeed();
        var episode = server.GiveAudio(server.AddEpisode(feed.Id, title));
        var job = server.Core.Jobs.Enqueue(episode.Id, JobType.Transcribe, actor: "spec", model: model).Job;
        server.Core.Signal.Notify();
        return (episode, job);
    }

    public static void SetSetting(this ApiServer server, string key, string value) =>
        server.Core.Settings.Update(new Dictionary<string, string> { [key] = value });
}

using System.Text.Json;
using Cast2md.Settings;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Xunit;

namespace Cast2md.Tests.Distributed;

/// <summary>
/// The claim protocol of spans over real HTTP: a node that announces spans in its claim gets a stretch of a long
/// episode with its bounds; a node that does not (an older one) gets whole episodes only, however long.
/// </summary>
public sealed class NodeSpanSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_node_announcing_spans_gets_a_stretch_of_a_long_episode_and_an_old_node_only_whole_episodes()
    {
        // Arrange: two 39 s episodes (JFK three times), "long" from 6 s on; the server's local worker waits idle
        await using var server = await NodeSpecs.StartAsync();
        server.SetSetting(SettingDefinitions.SplitMinMinutes, "0.1");
        using var dir = TempDir.Create();
        var audio = await TestAudio.JfkThreeTimesAsync(dir);
        var (first, _) = server.QueueTranscription("First long one");
        var (second, _) = server.QueueTranscription("Second long one");
        foreach (var episode in new[] { first, second })
            File.Copy(audio, server.Core.Layout.Resolve(server.Core.Episodes.Get(episode.Id)!.AudioPath!), overwrite: true);
        server.Core.Idle.Set("local:transcribe-1", true);
        var http = server.Http;
        var old = await SimulatedNode.RegisterAsync(http, "old");
        var current = await SimulatedNode.RegisterAsync(http, "current");

        // Act
        var (oldJob, oldClaim) = await old.ClaimAsync();
        var (spanJob, spanClaim) = await current.ClaimAsync(body: new { spans = true });
        var (oldAgain, _) = await old.ClaimAsync();

        // Assert: the old node took the first episode whole, with no bounds
        Assert.Equal(first.Id, oldClaim.GetProperty("episode_id").GetInt64());
        Assert.False(server.Core.Jobs.Get(oldJob!.Value)!.IsSpan);
        Assert.True(oldClaim.GetProperty("span_start_ms").ValueKind is JsonValueKind.Null or JsonValueKind.Undefined);
        // Assert: the second was split for the node and the idle local worker; the node has the first stretch, with the overlap
        var span = server.Core.Jobs.Get(spanJob!.Value)!;
        Assert.True(span.IsSpan);
        Assert.Equal(2, server.Core.Jobs.Get(span.ParentJobId!.Value)!.Spans);
        Assert.Equal(second.Id, spanClaim.GetProperty("episode_id").GetInt64());
        Assert.Equal(0, spanClaim.GetProperty("span_start_ms").GetInt64());
        Assert.Equal(span.SpanEndMs + 1500, spanClaim.GetProperty("span_end_ms").GetInt64());
        Assert.InRange(span.SpanEndMs!.Value, 11_000, 28_000);
        // Assert: the other span waits for a worker that takes spans; the old node gets none
        Assert.Null(oldAgain);
    }
}

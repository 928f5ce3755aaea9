using System.Net;
using System.Text.Json;
using Cast2md.Tests.EndToEnd.Distributed;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>The images make images builds, run with the host's network against servers and fixtures on its loopback.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class ImageSpecs
{
    [ImageFact(Timeout = 600_000)]
    public async Task I_can_build_the_node_image_and_its_container_registers_with_a_server_on_loopback_and_transcribes_a_job()
    {
        // Arrange: the image, a server with distributed transcription, a HOME for the container's ~/.cast2md
        var flags = await Images.BuildAsync("node");
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var home = Directory.CreateDirectory(fleet.Dir.Combine("container-home")).FullName;
        var container = "cast2md-node-spec-" + Guid.NewGuid().ToString("N")[..8];
        var models = Path.GetDirectoryName(Paths.StandInModel)!;
        var server = fleet.Server.BaseUrl.ToString().TrimEnd('/');

        try
        {
            // Act: register once in a container, as the Dockerfile's comment says, then run the node with the stand-in model
            var register = await Images.RunAsync(
                flags,
                "--rm",
                "-v",
                $"{home}:/root/.cast2md",
                "cast2md-node",
                "node",
                "register",
                "--server",
                server,
                "--name",
                "in-a-container"
            );
            var run = await Images.RunAsync(
                flags,
                "-d",
                "--name",
                container,
                "-v",
                $"{home}:/root/.cast2md",
                "-v",
                $"{models}:/models:ro",
                "-e",
                "WHISPER_MODEL=/models/" + Path.GetFileName(Paths.StandInModel),
                "-e",
                "WHISPER_DEVICE=cpu",
                "-e",
                "WHISPER_VAD=false",
                "-e",
                "NODE_PORT=0",
                "-e",
                "NODE_HEARTBEAT_INTERVAL_SECONDS=1",
                "cast2md-node"
            );
            Assert.True(register.ExitCode == 0, register.StandardError);
            Assert.True(run.ExitCode == 0, run.StandardError);
            await Eventually.TrueAsync(
                () => fleet.NodesAsync().Result.EnumerateArray().Any(n => n.GetProperty("status").GetString() == "online"),
                TimeSpan.FromSeconds(60),
                "the node in the container to come online"
            );
            var episode = fleet.AddEpisodes(1, Paths.JfkWav, "Contained").Single();
            var job = fleet.QueueTranscription(episode);

            // Assert: the container's node transcribed it
            await Eventually.TrueAsync(() => fleet.IsDone(job), TimeSpan.FromSeconds(180), "the node in the container to transcribe the job");
            Assert.Equal("in-a-container", fleet.NodesAsync().Result.EnumerateArray().Single().GetProperty("name").GetString());
            Assert.StartsWith($"# {episode.Title}", fleet.TranscriptOf(episode.Id));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                e.Message + "\n--- container log ---\n" + await Images.LogsAsync(container) + "\n--- server log ---\n" + fleet.Server.Log,
                e
            );
        }
        finally
        {
            await Images.RemoveAsync(container);
        }
    }

    [ImageFact(Timeout = 600_000)]
    public async Task I_can_build_the_server_image_and_its_container_answers_health_and_adds_a_feed_served_on_loopback()
    {
        // Arrange: the image and a feed on the loopback fixture server
        var flags = await Images.BuildAsync("server");
        await using var feeds = FixtureServer.Start();
        feeds.MapText(
            "/feed.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Container Cast</title><link>https://example.test/</link><description>d</description>
            <item><title>One</title><guid>one</guid><enclosure url="https://example.test/one.mp3" type="audio/mpeg" length="1"/></item>
            </channel></rss>
            """,
            "application/rss+xml"
        );
        var port = ServeProcess.FreePort();
        var container = "cast2md-server-spec-" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        try
        {
            // Act: the image's own entrypoint, told to listen on a free loopback port
            var run = await Images.RunAsync(
                flags,
                "-d",
                "--name",
                container,
                "cast2md",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            );
            Assert.True(run.ExitCode == 0, run.StandardError);
            await Eventually.TrueAsync(
                () =>
                {
                    try
                    {
                        return http.GetAsync("/api/health").Result.IsSuccessStatusCode;
                    }
                    catch (AggregateException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                "the server in the container to answer /api/health"
            );
            using var health = JsonDocument.Parse(await http.GetStringAsync("/api/health"));
            var added = await http.PostAsync(
                "/api/feeds",
                new StringContent($$"""{"url": "{{feeds.Url("/feed.xml")}}"}""", System.Text.Encoding.UTF8, "application/json")
            );
            var list = await http.GetStringAsync("/api/feeds");

            // Assert
            Assert.Equal("healthy", health.RootElement.GetProperty("status").GetString());
            Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
            Assert.Contains("Container Cast", list);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(e.Message + "\n--- container log ---\n" + await Images.LogsAsync(container), e);
        }
        finally
        {
            await Images.RemoveAsync(container);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Cast2md.Tests.Distributed;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Api;

/// <summary>
/// A body from a caller who has not proved who it is is never read. Measured in bytes the whole process allocates,
/// so these run alone (the collection of real-process specs runs one spec at a time, after the parallel ones).
/// </summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class PreAuthBodySecuritySpecs
{
    private const int BodyBytes = 59 * 1024 * 1024;

    /// <summary>Sends a request of <see cref="BodyBytes"/> of JSON over a raw socket, as an attacker would; returns the status line.</summary>
    private static async Task<string> SendHugeAsync(Uri server, string path, string key, byte[] chunk)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        var head =
            $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nContent-Type: application/json\r\nX-Transcriber-Key: {key}\r\nContent-Length: {BodyBytes}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read);
        });
        try
        {
            for (var sent = 0; sent < BodyBytes && !reading.IsCompleted; sent += chunk.Length)
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, BodyBytes - sent)));
        }
        catch (IOException)
        {
            // the server answered and closed the connection without reading the rest: what it should do
        }
        var answer = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        return answer.Split("\r\n")[0];
    }

    [Fact(Timeout = 60000)]
    public async Task Three_59_mb_results_with_a_wrong_key_are_refused_without_being_read()
    {
        // Arrange: a job running on a real node, and a stranger with a made-up key
        await using var server = await NodeSpecs.StartAsync("0.0.0.0");
        var node = await AccessSecuritySpecs.RegisterAsAdminAsync(server, "honest");
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();
        var chunk = Encoding.ASCII.GetBytes("{\"transcript_text\": \"" + new string('a', 64 * 1024 - 22));
        var baseline = Environment.WorkingSet;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        // Act
        var answers = await Task.WhenAll(
            Enumerable.Range(0, 3).Select(_ => SendHugeAsync(server.Http.BaseAddress!, $"/api/nodes/jobs/{job.Id}/complete", "not-a-key", chunk))
        );

        // Assert: 401 each, and far less allocated than one body (reading and parsing one allocated several times its size)
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.All(answers, status => Assert.Equal("HTTP/1.1 401 Unauthorized", status));
        Assert.True(
            allocated < 16 * 1024 * 1024,
            $"{allocated / (1024 * 1024)} MB allocated for three refused bodies (working set {baseline / (1024 * 1024)} MB before)"
        );
        Assert.Equal(Cast2md.Queue.JobStatus.Running, server.Core.Jobs.Get(job.Id)!.Status);
    }
}
